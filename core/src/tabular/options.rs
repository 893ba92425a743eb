//! How a tabular input is read when it is not a canonical file (exports.md): which sheet of a
//! workbook, where the header is, the field separator, a column map, decimal commas.
//!
//! One [`InputOptions`] is set once per request or session and applies to every tabular input of
//! it (units, observations, procedures, feedback, dossiers); [`super::source`] applies it.

use std::sync::Arc;

use serde::Deserialize;

use crate::headers;
use crate::input::{CheckedValue, InputError};
use crate::labels::ErrorText;

/// The reading options of every tabular input of a request or session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputOptions {
    /// The sheet of an `.xlsx` workbook; `None` for the first.
    pub sheet: Option<String>,
    /// The header's row number (from 1, as a spreadsheet shows it), for a title block above it;
    /// `None`: the first row of a CSV file, and in a workbook the first of its first rows that
    /// names the most known columns.
    pub header_row: Option<u32>,
    /// The field separator of a CSV file (`,` `;` or tab); `None` to detect it from the header.
    pub delimiter: Option<u8>,
    /// A column map (`--columns MAP.json`).
    pub columns: Option<Arc<ColumnMap>>,
    /// Numbers are written `1.234,5`: `,` is the decimal mark and `.` separates thousands.
    pub decimal_comma: bool,
}

impl InputOptions {
    /// Whether a CSV file read with these options needs anything beyond the canonical reading
    /// (the sheet applies to workbooks only).
    #[must_use]
    pub fn changes_csv(&self) -> bool {
        self.header_row.is_some_and(|r| r > 1)
            || self.delimiter.is_some()
            || self.columns.is_some()
            || self.decimal_comma
    }

    /// The separator a user writes (`,` `;` `tab`, or a tab character).
    pub fn parse_delimiter(text: &str) -> Result<u8, String> {
        match text {
            "," | "comma" => Ok(b','),
            ";" | "semicolon" => Ok(b';'),
            "tab" | "\t" | "\\t" => Ok(b'\t'),
            other => Err(ErrorText::BadDelimiter.en(&[("value", &other)])),
        }
    }

    /// The options from a JSON object (the C and WASM front ends): `sheet`, `header_row`,
    /// `delimiter` (`","`, `";"`, `"tab"`), `decimal_comma`, and the `columns` and `values` of a
    /// column map file. An empty text is the defaults.
    pub fn from_json(bytes: &[u8], source: &str) -> Result<Self, InputError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wire {
            #[serde(default)]
            sheet: Option<String>,
            #[serde(default)]
            header_row: Option<u32>,
            #[serde(default)]
            delimiter: Option<String>,
            #[serde(default)]
            decimal_comma: bool,
            #[serde(default)]
            columns: Option<serde_json::Value>,
            #[serde(default)]
            values: Option<serde_json::Value>,
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let wire: Wire = serde_json::from_slice(bytes).map_err(|e| InputError::json(source, &e))?;
        let invalid = |reason: String| InputError::Invalid { file: source.to_owned(), reason };
        let delimiter = wire.delimiter.as_deref().map(Self::parse_delimiter).transpose().map_err(invalid)?;
        if wire.header_row == Some(0) {
            return Err(invalid(ErrorText::HeaderRowZero.en(&[])));
        }
        let columns = if wire.columns.is_some() || wire.values.is_some() {
            let map = serde_json::json!({ "columns": wire.columns, "values": wire.values });
            Some(Arc::new(ColumnMap::from_value(&map, source)?))
        } else {
            None
        };
        Ok(Self {
            sheet: wire.sheet,
            header_row: wire.header_row,
            delimiter,
            columns,
            decimal_comma: wire.decimal_comma,
        })
    }
}

/// A column map file (exports.md, "Column map file"): the header of this file for a canonical
/// column, and the canonical value of a file's value, per column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// The map file's name, for messages.
    pub source: String,
    /// Canonical column → its header in the file, normalized ([`headers::normalize`]), and as
    /// written in the map.
    columns: Vec<(&'static str, String, String)>,
    /// Canonical column → (file value, normalized → canonical value).
    values: Vec<(&'static str, Vec<(String, String)>)>,
}

impl ColumnMap {
    /// Reads a map file: `{"columns": {canonical: header}, "values": {canonical: {value: value}}}`.
    /// An unknown canonical name, a key repeated, or another shape is an error naming the file.
    pub fn from_json(bytes: &[u8], source: &str) -> Result<Self, InputError> {
        let text = crate::input::json_text(bytes, source)?;
        let checked: CheckedValue = serde_json::from_slice(text).map_err(|e| InputError::json(source, &e))?;
        if let Some(key) = checked.duplicate {
            return Err(InputError::Invalid {
                file: source.to_owned(),
                reason: crate::labels::RejectionText::DuplicateKey.en(&[("key", &key)]),
            });
        }
        Self::from_value(&checked.value, source)
    }

    fn from_value(value: &serde_json::Value, source: &str) -> Result<Self, InputError> {
        let invalid = |reason: String| InputError::Invalid { file: source.to_owned(), reason };
        let shape = || invalid(ErrorText::ColumnMapShape.en(&[]));
        let object = value.as_object().ok_or_else(shape)?;
        let mut map = Self { source: source.to_owned(), ..Self::default() };
        for key in object.keys() {
            if key != "columns" && key != "values" {
                return Err(invalid(ErrorText::ColumnMapKey.en(&[("key", key)])));
            }
        }
        let canonical = |name: &str| {
            headers::canonical(name).ok_or_else(|| invalid(ErrorText::ColumnMapUnknown.en(&[("column", &name)])))
        };
        match object.get("columns") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(columns)) => {
                for (name, header) in columns {
                    let header = header.as_str().ok_or_else(shape)?;
                    map.columns.push((canonical(name)?, headers::normalize(header), header.to_owned()));
                }
            }
            Some(_) => return Err(shape()),
        }
        match object.get("values") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(values)) => {
                for (name, pairs) in values {
                    let pairs = pairs.as_object().ok_or_else(shape)?;
                    let mut list = Vec::with_capacity(pairs.len());
                    for (from, to) in pairs {
                        list.push((normalize_value(from), to.as_str().ok_or_else(shape)?.to_owned()));
                    }
                    map.values.push((canonical(name)?, list));
                }
            }
            Some(_) => return Err(shape()),
        }
        Ok(map)
    }

    /// The normalized header that the map gives `canonical`, if it gives one.
    #[must_use]
    pub fn header_of(&self, canonical: &str) -> Option<&str> {
        self.columns.iter().find(|(c, ..)| *c == canonical).map(|(_, h, _)| h.as_str())
    }

    /// The header as the map writes it, for messages.
    #[must_use]
    pub fn written_header_of(&self, canonical: &str) -> Option<&str> {
        self.columns.iter().find(|(c, ..)| *c == canonical).map(|(.., w)| w.as_str())
    }

    /// Whether the normalized `header` is one the map gives some column.
    #[must_use]
    pub fn claims(&self, header: &str) -> bool {
        self.columns.iter().any(|(_, h, _)| h == header)
    }

    /// Whether the map has values for `canonical`.
    #[must_use]
    pub fn has_values(&self, canonical: &str) -> bool {
        self.values.iter().any(|(c, _)| *c == canonical)
    }

    /// The canonical value of `text` in `canonical`'s column, if the map gives one.
    #[must_use]
    pub fn value(&self, canonical: &str, text: &str) -> Option<&str> {
        let (_, pairs) = self.values.iter().find(|(c, _)| *c == canonical)?;
        let key = normalize_value(text);
        pairs.iter().find(|(from, _)| *from == key).map(|(_, to)| to.as_str())
    }
}

/// A value as the map's values are compared: as headers are (trimmed, NFC, lower case).
fn normalize_value(text: &str) -> String {
    headers::normalize(text)
}

/// Whether the header `header` (normalized) names the column `canonical` under `map`: a column the
/// map gives a header is named by that header only, and a header the map gives a column names
/// no other column.
#[must_use]
pub fn names_under(header: &str, canonical: &str, map: Option<&ColumnMap>) -> bool {
    match map {
        Some(map) => match map.header_of(canonical) {
            Some(mapped) => header == mapped,
            None => !map.claims(header) && headers::names(header, canonical),
        },
        None => headers::names(header, canonical),
    }
}

/// The text of a number written with a decimal comma (`1.234,5`, `-12,5`, `1.234`) in the
/// canonical form (`1234.5`), or `None` when `text` is not such a number (it is then read as it is,
/// and the column's reader judges it). Dots must separate groups of three digits.
#[must_use]
pub fn decimal_comma_number(text: &str) -> Option<String> {
    let (sign, digits) = text.strip_prefix('-').map_or(("", text), |rest| ("-", rest));
    let (whole, fraction) = match digits.split_once(',') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut groups = whole.split('.');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 && whole.contains('.') || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(sign);
    out.push_str(first);
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(group);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_commas_read_as_numbers() {
        for (text, expected) in [
            ("1.234,5", Some("1234.5")),
            ("1234,5", Some("1234.5")),
            ("-0,25", Some("-0.25")),
            ("1.234.567", Some("1234567")),
            ("12", Some("12")),
            ("1.5", None),
            ("1234.567", None),
            ("1,2,3", None),
            ("", None),
            ("x,5", None),
            ("1,", None),
        ] {
            assert_eq!(decimal_comma_number(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn a_map_names_its_file_and_key_when_wrong() {
        let map = ColumnMap::from_json(
            r#"{"columns": {"dossier_id": "SoHoSo", "received_at": " NgayNop "}, "values": {"channel": {"Nộp online": "online"}}}"#
                .as_bytes(),
            "map.json",
        )
        .unwrap();
        assert_eq!(map.header_of("received_at"), Some("ngaynop"));
        assert_eq!(map.value("channel", " NỘP ONLINE"), Some("online"));
        assert_eq!(map.value("channel", "online"), None);
        assert!(names_under("sohoso", "dossier_id", Some(&map)));
        assert!(!names_under("mã hồ sơ", "dossier_id", Some(&map)), "the map's header only");
        assert!(names_under("mã đơn vị", "unit", Some(&map)), "aliases for the others");
        let e = ColumnMap::from_json(br#"{"columns": {"dosier_id": "SoHoSo"}}"#, "map.json").unwrap_err();
        assert_eq!(e.to_string(), "map.json: the column map names `dosier_id`, which is no column of chiso's inputs");
        let e = ColumnMap::from_json(br#"{"values": {"chanel": {}}}"#, "m.json").unwrap_err();
        assert!(e.to_string().contains("`chanel`"), "{e}");
        let e = ColumnMap::from_json(br#"{"column": {}}"#, "m.json").unwrap_err();
        assert!(e.to_string().starts_with("m.json: "), "{e}");
        let e = ColumnMap::from_json(br#"{"columns": {"unit": 3}}"#, "m.json").unwrap_err();
        assert!(e.to_string().starts_with("m.json: "), "{e}");
    }

    #[test]
    fn options_read_from_json() {
        let o = InputOptions::from_json(
            br#"{"sheet": "Data", "header_row": 3, "delimiter": "tab", "decimal_comma": true, "columns": {"unit": "DV"}}"#,
            "options",
        )
        .unwrap();
        assert_eq!(
            (o.sheet.as_deref(), o.header_row, o.delimiter, o.decimal_comma),
            (Some("Data"), Some(3), Some(b'\t'), true)
        );
        assert_eq!(o.columns.unwrap().header_of("unit"), Some("dv"));
        assert_eq!(InputOptions::from_json(b"", "options").unwrap(), InputOptions::default());
        assert!(InputOptions::from_json(br#"{"delimiter": "|"}"#, "options").is_err());
        assert!(InputOptions::from_json(br#"{"sheets": "x"}"#, "options").is_err());
        assert!(InputOptions::from_json(br#"{"header_row": 0}"#, "options").is_err());
    }
}
