//! Reading input: rejected rows and whole-file errors, and the JSON helpers every JSON reader
//! uses. The CSV reader by column name is `tabular::read`, which builds on this module.
//!
//! Every reader in chiso follows one rule: a bad row is reported with its file, row, column and
//! reason, and the good rows around it are kept. Rows are numbered as a spreadsheet shows them:
//! the header is row 1, so the first data row is row 2 (for a record that spans lines inside
//! quotes, the line where it starts).

use serde::{Deserialize, Serialize};

use crate::labels::{self, ErrorText, Lang, RejectionText};

/// The longest field accepted, in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A row that was read but not accepted, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Rejection {
    /// The file (or stream) name.
    pub source: String,
    /// The row: the line number in a CSV file (header = 1) or a JSON lines file, or the index + 1
    /// of the item in a JSON array.
    pub row: u64,
    /// The column or field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Why, in words.
    pub reason: String,
}

impl Rejection {
    /// The rejection as a person reads it, in `lang`: `{source}: row {row}, column `{column}`:
    /// {reason}` with the reason localised ([`labels::localize`]). In English this is the
    /// `Display` text.
    #[must_use]
    pub fn to_string_in(&self, lang: Lang) -> String {
        let reason = labels::localize(&self.reason, lang);
        match &self.column {
            Some(c) => ErrorText::RowColumn
                .fill(lang, &[("source", &self.source), ("row", &self.row), ("column", c), ("reason", &reason)]),
            None => ErrorText::Row.fill(lang, &[("source", &self.source), ("row", &self.row), ("reason", &reason)]),
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string_in(Lang::En))
    }
}

/// The header a column map gives a column ([`InputError::MissingMappedColumn`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedHeader {
    /// The canonical column.
    pub column: String,
    /// The header the map gives it, as the map writes it.
    pub header: String,
    /// The map file.
    pub map: String,
}

/// A whole input that cannot be read at all. Its `Display` is [`InputError::message_in`] English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The header lacks a required column.
    MissingColumn {
        /// The file.
        file: String,
        /// The missing column.
        column: String,
    },
    /// The header lacks the header that a column map gives a column.
    MissingMappedColumn {
        /// The file.
        file: String,
        /// The column, its header and the map (boxed: the error stays small).
        mapped: Box<MappedHeader>,
    },
    /// The file is empty or its header cannot be read.
    Header {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// The bytes could not be read.
    Io {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// JSON that does not parse or does not have the expected shape.
    Json {
        /// The file.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// Why.
        reason: String,
    },
    /// A row was rejected and the reader was asked to stop at the first (`--strict`).
    Strict(Rejection),
    /// The content is readable but contradicts itself (a cycle of parents, a duplicate id …).
    Invalid {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
}

impl std::error::Error for InputError {}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message_in(Lang::En))
    }
}

impl InputError {
    /// The message in `lang`, from the catalogue's [`ErrorText`] (its reasons localised).
    #[must_use]
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            Self::MissingColumn { file, column } => {
                let aliases = crate::headers::aliases_of(column);
                if aliases.is_empty() {
                    ErrorText::MissingColumn.fill(lang, &[("file", file), ("column", column)])
                } else {
                    let also = aliases.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                    ErrorText::MissingColumnOrAlias
                        .fill(lang, &[("file", file), ("column", column), ("aliases", &also)])
                }
            }
            Self::MissingMappedColumn { file, mapped } => {
                let MappedHeader { column, header, map } = mapped.as_ref();
                ErrorText::MissingMappedColumn
                    .fill(lang, &[("file", file), ("header", header), ("map", map), ("column", column)])
            }
            Self::Header { file, reason } | Self::Invalid { file, reason } => {
                ErrorText::FileReason.fill(lang, &[("file", file), ("reason", &labels::localize(reason, lang))])
            }
            Self::Io { file, reason } => {
                ErrorText::ReadFailed.fill(lang, &[("file", file), ("reason", &labels::localize(reason, lang))])
            }
            Self::Json { file, line, column, reason } => ErrorText::FileJson.fill(
                lang,
                &[("file", file), ("line", line), ("column", column), ("reason", &labels::localize(reason, lang))],
            ),
            Self::Strict(r) => r.to_string_in(lang),
        }
    }

    /// A stable code for the C and JS bindings.
    #[must_use]
    pub const fn code(&self) -> crate::error::ErrorCode {
        use crate::error::ErrorCode;
        match self {
            Self::MissingColumn { .. } | Self::MissingMappedColumn { .. } => ErrorCode::MissingColumn,
            Self::Header { .. } => ErrorCode::BadHeader,
            Self::Io { .. } => ErrorCode::Io,
            Self::Json { .. } => ErrorCode::BadJson,
            Self::Strict(_) => ErrorCode::RejectedRow,
            Self::Invalid { .. } => ErrorCode::InvalidInput,
        }
    }

    /// The error of a `serde_json` failure in `source`.
    #[must_use]
    pub fn json(source: &str, e: &serde_json::Error) -> Self {
        let text = e.to_string();
        // serde_json appends " at line L column C"; the fields carry those, so drop the suffix.
        let reason = text.split(" at line ").next().unwrap_or(&text).to_owned();
        Self::Json { file: source.to_owned(), line: e.line(), column: e.column(), reason }
    }
}

/// The text encoding a JSON input starts with, when it is not UTF-8: JSON text begins with an ASCII
/// character, so a zero byte among the first two (or a UTF-16/32 byte order mark) gives it away.
fn non_utf8_encoding(start: &[u8]) -> Option<&'static str> {
    match start {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] | [0, 0, 0, _, ..] | [_, 0, 0, 0, ..] => Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] | [0, _, ..] | [_, 0, ..] => Some("UTF-16"),
        _ => None,
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn encoding_error(source: &str, encoding: &str) -> InputError {
    InputError::Json {
        file: source.to_owned(),
        line: 1,
        column: 1,
        reason: ErrorText::NotUtf8File.en(&[("encoding", &encoding)]),
    }
}

/// The JSON text of an input held in memory: a UTF-8 byte order mark is skipped (editors on
/// Windows write one), and a UTF-16 or UTF-32 file is an error that says so (rather than the
/// parser's "expected value").
pub fn json_text<'a>(bytes: &'a [u8], source: &str) -> Result<&'a [u8], InputError> {
    if let Some(encoding) = non_utf8_encoding(bytes) {
        return Err(encoding_error(source, encoding));
    }
    Ok(bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes))
}

/// A buffered JSON stream positioned after a UTF-8 byte order mark, or the error of a UTF-16 or
/// UTF-32 stream, as [`json_text`] does for bytes in memory.
pub fn json_reader<R: std::io::Read>(reader: R, source: &str) -> Result<std::io::BufReader<R>, InputError> {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let start = reader.fill_buf().map_err(|e| InputError::Io { file: source.to_owned(), reason: e.to_string() })?;
    if let Some(encoding) = non_utf8_encoding(start) {
        return Err(encoding_error(source, encoding));
    }
    if start.starts_with(UTF8_BOM) {
        reader.consume(UTF8_BOM.len());
    }
    Ok(reader)
}

/// A JSON value read in full, with the first key repeated in one of its objects (at any depth):
/// `serde_json` keeps the last of repeated keys without a word, which hides a mistake.
#[derive(Debug)]
pub(crate) struct CheckedValue {
    pub(crate) value: serde_json::Value,
    pub(crate) duplicate: Option<String>,
}

impl<'de> Deserialize<'de> for CheckedValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = CheckedValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<CheckedValue, E> {
                Ok(CheckedValue { value: v.into(), duplicate: None })
            }
            fn visit_i64<E>(self, v: i64) -> Result<CheckedValue, E> {
                Ok(CheckedValue { value: v.into(), duplicate: None })
            }
            fn visit_u64<E>(self, v: u64) -> Result<CheckedValue, E> {
                Ok(CheckedValue { value: v.into(), duplicate: None })
            }
            fn visit_f64<E>(self, v: f64) -> Result<CheckedValue, E> {
                Ok(CheckedValue { value: v.into(), duplicate: None })
            }
            fn visit_str<E>(self, v: &str) -> Result<CheckedValue, E> {
                Ok(CheckedValue { value: v.into(), duplicate: None })
            }
            fn visit_string<E>(self, v: String) -> Result<CheckedValue, E> {
                Ok(CheckedValue { value: v.into(), duplicate: None })
            }
            fn visit_unit<E>(self) -> Result<CheckedValue, E> {
                Ok(CheckedValue { value: serde_json::Value::Null, duplicate: None })
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<CheckedValue, A::Error> {
                let mut items = Vec::new();
                let mut duplicate = None;
                while let Some(item) = seq.next_element::<CheckedValue>()? {
                    duplicate = duplicate.or(item.duplicate);
                    items.push(item.value);
                }
                Ok(CheckedValue { value: items.into(), duplicate })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<CheckedValue, A::Error> {
                let mut object = serde_json::Map::new();
                let mut duplicate = None;
                while let Some(key) = map.next_key::<String>()? {
                    let item = map.next_value::<CheckedValue>()?;
                    duplicate = duplicate.or(item.duplicate);
                    if object.contains_key(&key) {
                        duplicate = duplicate.or_else(|| Some(key.clone()));
                    }
                    object.insert(key, item.value);
                }
                Ok(CheckedValue { value: object.into(), duplicate })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Checks that no object of a JSON document repeats a key, without building the document: the
/// error names the repeated key with its line and column. For small documents read twice (a plan).
pub(crate) fn check_unique_keys(bytes: &[u8], source: &str) -> Result<(), InputError> {
    struct Unique;
    impl<'de> Deserialize<'de> for Unique {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Unique)
        }
    }
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = Self;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
            Ok(Self)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
            Ok(Self)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
            Ok(Self)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
            Ok(Self)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self, E> {
            Ok(Self)
        }
        fn visit_unit<E>(self) -> Result<Self, E> {
            Ok(Self)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
            while seq.next_element::<Self>()?.is_some() {}
            Ok(Self)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
            let mut keys = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if keys.contains(&key) {
                    return Err(serde::de::Error::custom(RejectionText::DuplicateKey.en(&[("key", &key)])));
                }
                map.next_value::<Self>()?;
                keys.insert(key);
            }
            Ok(Self)
        }
    }
    serde_json::from_slice::<Unique>(bytes).map(|_| ()).map_err(|e| InputError::json(source, &e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn json_inputs_skip_a_utf8_bom_and_name_utf16() {
        assert_eq!(json_text(b"\xEF\xBB\xBF{}", "a.json").unwrap(), b"{}");
        assert_eq!(json_text(b"{}", "a.json").unwrap(), b"{}");
        assert_eq!(json_text(b"", "a.json").unwrap(), b"");
        let utf16: Vec<u8> = "\u{feff}{}".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let err = json_text(&utf16, "a.json").unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.json: line 1, column 1: the file is UTF-16; only UTF-8 is supported for now (save it as UTF-8)"
        );
        let no_bom: Vec<u8> = "[]".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(json_text(&no_bom, "a.json").unwrap_err().to_string().contains("UTF-16"));
        let mut reader = json_reader(&b"\xEF\xBB\xBF[1]"[..], "a.json").unwrap();
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "[1]");
        assert!(json_reader(utf16.as_slice(), "a.json").unwrap_err().to_string().contains("UTF-16"));
    }
}
