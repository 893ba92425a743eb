//! Dossier, procedure and feedback records (formats.md), and how one record is classified.
//!
//! Classification works on the text of each field, as bytes, so that the CSV hot path, JSON lines
//! and records already in memory ([`DossierRecord`]) go through the same code and give the same
//! answer.

use std::collections::HashMap;
use std::io::Read;

use serde::{Deserialize, Deserializer, Serialize};

use crate::date::{Date, DateOnly, Instant, VIETNAM_OFFSET_SECONDS, parse_instant};
use crate::exact::Decimal;
use crate::input::{InputError, MAX_FIELD_BYTES, Rejection};
use crate::labels::RejectionText;
use crate::tabular::read::{Row, parse_bool, read_csv};
use crate::units::Level;

/// The columns of `dossiers.csv`, in the order of [`DossierRecord`]'s fields.
pub const DOSSIER_COLUMNS: [&str; DOSSIER_FIELDS] = crate::headers::DOSSIER_COLUMNS;

/// The number of dossier columns read.
pub const DOSSIER_FIELDS: usize = 19;

/// The dossier columns a header must have (the others default when absent).
pub const DOSSIER_REQUIRED: [&str; 4] = ["dossier_id", "unit", "procedure", "received_at"];

/// Deserializes any JSON scalar as its text: a string as is, a number or boolean as written,
/// null as empty. So JSON lines may write `"fee": true`, `"fee": 1` or `"fee": "1"`.
fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s,
        serde_json::Value::Bool(b) => b.to_string(),
        // An integer beyond 64 bits reaches here as a float (`1.8446744073709552e19`); write it as
        // the whole number it is, so that the column's reader says it overflows a 64-bit count.
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_u64() && !n.is_i64() && f.fract() == 0.0 && f.abs() >= 1e15 => format!("{f:.0}"),
            _ => n.to_string(),
        },
        other => return Err(serde::de::Error::custom(RejectionText::ExpectedScalar.en(&[("value", &other)]))),
    })
}

/// One dossier as it is in memory: every field is the text the CSV column would hold (an empty
/// string for an absent value). In JSON, any scalar is accepted for any field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
#[expect(missing_docs, reason = "the fields are the columns of formats.md, documented there")]
pub struct DossierRecord {
    #[serde(deserialize_with = "lenient")]
    pub dossier_id: String,
    #[serde(deserialize_with = "lenient")]
    pub unit: String,
    #[serde(deserialize_with = "lenient")]
    pub procedure: String,
    #[serde(deserialize_with = "lenient")]
    pub received_at: String,
    #[serde(deserialize_with = "lenient")]
    pub due_at: String,
    #[serde(deserialize_with = "lenient")]
    pub finished_at: String,
    #[serde(deserialize_with = "lenient")]
    pub channel: String,
    #[serde(deserialize_with = "lenient")]
    pub supplement_requests: String,
    #[serde(deserialize_with = "lenient")]
    pub supplement_days: String,
    #[serde(deserialize_with = "lenient")]
    pub e_result: String,
    #[serde(deserialize_with = "lenient")]
    pub digitized: String,
    #[serde(deserialize_with = "lenient")]
    pub reused_data: String,
    #[serde(deserialize_with = "lenient")]
    pub shared_storage: String,
    #[serde(deserialize_with = "lenient")]
    pub citizen_data: String,
    #[serde(deserialize_with = "lenient")]
    pub synced: String,
    #[serde(deserialize_with = "lenient")]
    pub fee: String,
    #[serde(deserialize_with = "lenient")]
    pub paid_online: String,
    #[serde(deserialize_with = "lenient")]
    pub complaint: String,
    #[serde(deserialize_with = "lenient")]
    pub rating: String,
}

impl DossierRecord {
    /// The fields in [`DOSSIER_COLUMNS`] order.
    #[must_use]
    pub fn fields(&self) -> [&[u8]; DOSSIER_FIELDS] {
        [
            self.dossier_id.as_bytes(),
            self.unit.as_bytes(),
            self.procedure.as_bytes(),
            self.received_at.as_bytes(),
            self.due_at.as_bytes(),
            self.finished_at.as_bytes(),
            self.channel.as_bytes(),
            self.supplement_requests.as_bytes(),
            self.supplement_days.as_bytes(),
            self.e_result.as_bytes(),
            self.digitized.as_bytes(),
            self.reused_data.as_bytes(),
            self.shared_storage.as_bytes(),
            self.citizen_data.as_bytes(),
            self.synced.as_bytes(),
            self.fee.as_bytes(),
            self.paid_online.as_bytes(),
            self.complaint.as_bytes(),
            self.rating.as_bytes(),
        ]
    }
}

/// One feedback item (phản ánh, kiến nghị) in memory; fields as in [`DossierRecord`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
#[expect(missing_docs, reason = "the fields are the columns of formats.md, documented there")]
pub struct FeedbackRecord {
    #[serde(deserialize_with = "lenient")]
    pub feedback_id: String,
    #[serde(deserialize_with = "lenient")]
    pub unit: String,
    #[serde(deserialize_with = "lenient")]
    pub received_at: String,
    #[serde(deserialize_with = "lenient")]
    pub due_at: String,
    #[serde(deserialize_with = "lenient")]
    pub finished_at: String,
    #[serde(deserialize_with = "lenient")]
    pub about: String,
    #[serde(deserialize_with = "lenient")]
    pub unsatisfied: String,
    #[serde(deserialize_with = "lenient")]
    pub raised_again: String,
}

/// The columns of `feedback.csv`.
pub const FEEDBACK_COLUMNS: [&str; 8] =
    ["feedback_id", "unit", "received_at", "due_at", "finished_at", "about", "unsatisfied", "raised_again"];

/// The feedback columns a header must have.
pub const FEEDBACK_REQUIRED: [&str; 3] = ["feedback_id", "unit", "received_at"];

impl FeedbackRecord {
    fn from_row(row: &Row<'_>) -> Result<Self, Rejection> {
        Ok(Self {
            feedback_id: row.get("feedback_id")?.to_owned(),
            unit: row.get("unit")?.to_owned(),
            received_at: row.get("received_at")?.to_owned(),
            due_at: row.get("due_at")?.to_owned(),
            finished_at: row.get("finished_at")?.to_owned(),
            about: row.get("about")?.to_owned(),
            unsatisfied: row.get("unsatisfied")?.to_owned(),
            raised_again: row.get("raised_again")?.to_owned(),
        })
    }
}

/// How far a procedure is offered online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ServiceLevel {
    /// The whole procedure online (toàn trình).
    Full,
    /// Partly online (một phần).
    Partial,
    /// Not online.
    None,
}

/// One row of `procedures.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// Procedure code.
    pub procedure: String,
    /// Name.
    pub name: String,
    /// Field (lĩnh vực).
    pub field: String,
    /// The level of the units that handle it; `None` (empty) = every unit.
    pub authority_level: Option<Level>,
    /// How far it is offered online.
    pub service_level: ServiceLevel,
    /// Eligible for full-process online service.
    pub eligible_full: bool,
    /// Returns a paper result (then an online dossier must also carry an electronic result).
    pub paper_result: bool,
    /// Charges a fee.
    pub fee: bool,
    /// Integrated with online payment.
    pub payment_integrated: bool,
    /// Citizens are among its applicants.
    pub citizen_applicants: bool,
}

/// The procedures, by code.
#[derive(Debug, Clone, Default)]
pub struct ProcedureTable {
    list: Vec<Procedure>,
    index: HashMap<String, usize>,
}

pub(crate) const PROCEDURE_REQUIRED: [&str; 1] = ["procedure"];
pub(crate) const PROCEDURE_OPTIONAL: [&str; 9] = [
    "name",
    "field",
    "authority_level",
    "service_level",
    "eligible_full",
    "paper_result",
    "fee",
    "payment_integrated",
    "citizen_applicants",
];

fn parse_procedure(row: &Row<'_>) -> Result<Procedure, Rejection> {
    let code = row.get("procedure")?;
    if code.is_empty() {
        return Err(row.reject("procedure", RejectionText::Empty.en(&[])));
    }
    let service_level = match row.get("service_level")? {
        "" | "none" => ServiceLevel::None,
        "full" => ServiceLevel::Full,
        "partial" => ServiceLevel::Partial,
        other => return Err(row.reject("service_level", RejectionText::NotServiceLevel.en(&[("value", &other)]))),
    };
    let authority = row.get("authority_level")?;
    Ok(Procedure {
        procedure: code.to_owned(),
        name: row.get("name")?.to_owned(),
        field: row.get("field")?.to_owned(),
        authority_level: (!authority.is_empty()).then(|| Level::parse(authority)),
        service_level,
        eligible_full: parse_bool(row, "eligible_full", row.get("eligible_full")?)?,
        paper_result: parse_bool(row, "paper_result", row.get("paper_result")?)?,
        fee: parse_bool(row, "fee", row.get("fee")?)?,
        payment_integrated: parse_bool(row, "payment_integrated", row.get("payment_integrated")?)?,
        citizen_applicants: parse_bool(row, "citizen_applicants", row.get("citizen_applicants")?)?,
    })
}

impl ProcedureTable {
    /// Reads `procedures.csv`; a duplicate code is rejected (the first row wins).
    pub fn from_csv<R: Read>(
        reader: R,
        source: &str,
        strict: bool,
        rejected: &mut Vec<Rejection>,
    ) -> Result<Self, InputError> {
        let mut table = Self::default();
        read_csv(reader, source, &PROCEDURE_REQUIRED, &PROCEDURE_OPTIONAL, strict, rejected, |row| {
            let p = parse_procedure(row)?;
            if table.index.contains_key(&p.procedure) {
                return Err(
                    row.reject("procedure", RejectionText::DuplicateProcedure.en(&[("procedure", &p.procedure)]))
                );
            }
            table.push(p);
            Ok(())
        })?;
        Ok(table)
    }

    /// A table of these procedures (later duplicates ignored).
    #[must_use]
    pub fn new(procedures: Vec<Procedure>) -> Self {
        let mut table = Self::default();
        for p in procedures {
            if !table.index.contains_key(&p.procedure) {
                table.push(p);
            }
        }
        table
    }

    fn push(&mut self, p: Procedure) {
        self.index.insert(p.procedure.clone(), self.list.len());
        self.list.push(p);
    }

    /// All procedures, in file order.
    #[must_use]
    pub fn list(&self) -> &[Procedure] {
        &self.list
    }

    /// The index of a procedure code.
    #[must_use]
    pub fn index(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }
}

/// What went wrong with one field: the column and the reason.
pub(crate) type FieldError = (&'static str, String);

fn text<'a>(column: &'static str, b: &'a [u8]) -> Result<&'a str, FieldError> {
    if b.len() > MAX_FIELD_BYTES {
        return Err((column, RejectionText::FieldTooLong.en(&[("bytes", &b.len()), ("limit", &MAX_FIELD_BYTES)])));
    }
    std::str::from_utf8(b).map_err(|e| (column, RejectionText::NotUtf8.en(&[("byte", &e.valid_up_to())])))
}

#[inline]
fn two_digits(a: u8, b: u8) -> Option<u32> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
}

/// The common shapes (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]`, then nothing, `Z` or `+07:00`, and
/// the day-first `DD/MM/YYYY[ HH:MM[:SS]]`, `DD-MM-YYYY[ HH:MM[:SS]]` of exports) read without a
/// UTF-8 pass; anything else (or anything invalid) is left to [`parse_instant`], so both
/// give the same answers.
#[inline]
fn fast_instant(b: &[u8], date_only: DateOnly) -> Option<Instant> {
    // `YYYY-MM-DD…`, or day first as exports write it: `DD/MM/YYYY…`, `DD-MM-YYYY…`.
    let (y1, y2, y3, y4, m1, m2, d1, d2, rest) = match b {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, rest @ ..] => (y1, y2, y3, y4, m1, m2, d1, d2, rest),
        [d1, d2, s1 @ (b'/' | b'-'), m1, m2, s2, y1, y2, y3, y4, rest @ ..] if s1 == s2 => {
            (y1, y2, y3, y4, m1, m2, d1, d2, rest)
        }
        _ => return None,
    };
    let year = two_digits(*y1, *y2)? * 100 + two_digits(*y3, *y4)?;
    let date = Date::new(
        i32::try_from(year).ok()?,
        u8::try_from(two_digits(*m1, *m2)?).ok()?,
        u8::try_from(two_digits(*d1, *d2)?).ok()?,
    )?;
    let (h, mi, sec, zone) = match rest {
        [] => {
            return Some(match date_only {
                DateOnly::StartOfDay => date.start(),
                DateOnly::EndOfDay => date.end(),
            });
        }
        [b'T' | b' ', h1, h2, b':', n1, n2, b':', s1, s2, zone @ ..] => {
            (two_digits(*h1, *h2)?, two_digits(*n1, *n2)?, two_digits(*s1, *s2)?, zone)
        }
        [b'T' | b' ', h1, h2, b':', n1, n2, zone @ ..] => (two_digits(*h1, *h2)?, two_digits(*n1, *n2)?, 0, zone),
        _ => return None,
    };
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let offset = match zone {
        [] | b"+07:00" | b"+0700" => VIETNAM_OFFSET_SECONDS,
        b"Z" | b"z" | b"+00:00" => 0,
        _ => return None,
    };
    let local = date.days_since_epoch() * 86_400 + i64::from(h * 3600 + mi * 60 + sec);
    Some(Instant(local - offset))
}

/// Reads a date or time field; `None` when empty.
#[inline]
pub(crate) fn instant(column: &'static str, b: &[u8], date_only: DateOnly) -> Result<Option<Instant>, FieldError> {
    if b.is_empty() {
        return Ok(None);
    }
    if let Some(i) = fast_instant(b, date_only) {
        return Ok(Some(i));
    }
    instant_slow(column, b, date_only).map(Some)
}

#[cold]
fn instant_slow(column: &'static str, b: &[u8], date_only: DateOnly) -> Result<Instant, FieldError> {
    let t = text(column, b)?;
    parse_instant(t, date_only).map_err(|e| (column, e.to_string()))
}

/// Reads a boolean field: `1`/`0`, `true`/`false` (any case), empty = false; the words of
/// exports as they write them (`Có`/`Không`, `x`) without a UTF-8 pass, other cases of them on
/// the slow path.
#[inline(always)]
pub(crate) fn boolean(column: &'static str, b: &[u8]) -> Result<bool, FieldError> {
    match b {
        [] | [b'0'] => Ok(false),
        [b'1'] => Ok(true),
        [b'x' | b'X'] => Ok(true),
        _ if b == "Có".as_bytes() || b == "có".as_bytes() => Ok(true),
        _ if b == "Không".as_bytes() || b == "không".as_bytes() => Ok(false),
        _ => match ascii_boolean(b) {
            Some(v) => Ok(v),
            None => boolean_slow(column, b),
        },
    }
}

/// The ASCII spellings of a boolean in any case, compared in place: a file that writes
/// `TRUE`/`false` on every row pays no allocation. An ASCII word lowercases the same way with
/// [`str::to_lowercase`], so this agrees with [`boolean_slow`]; anything else is left to it.
#[inline]
fn ascii_boolean(b: &[u8]) -> Option<bool> {
    if b.eq_ignore_ascii_case(b"true") || b.eq_ignore_ascii_case(b"yes") {
        Some(true)
    } else if b.eq_ignore_ascii_case(b"false") || b.eq_ignore_ascii_case(b"no") {
        Some(false)
    } else {
        None
    }
}

/// The other spellings of a boolean (exports.md): `true`/`false`, `yes`/`no`, `có`/`không`, `x`
/// (= true), in any case and either Unicode form (a keyboard's "Unicode tổ hợp" writes the marks
/// apart).
#[cold]
fn boolean_slow(column: &'static str, b: &[u8]) -> Result<bool, FieldError> {
    std::str::from_utf8(b)
        .ok()
        .and_then(|t| crate::tabular::read::boolean_word(&crate::headers::normalize(t)))
        .ok_or_else(|| (column, RejectionText::NotBoolean.en(&[("value", &String::from_utf8_lossy(b))])))
}

/// Whether `b` is one of `words` (lower case, NFC), compared as headers are: case-insensitively,
/// Vietnamese letters included, in either Unicode form.
#[cold]
fn one_of(b: &[u8], words: &[&str]) -> bool {
    std::str::from_utf8(b).is_ok_and(|t| {
        let folded = crate::headers::normalize(t);
        words.contains(&folded.as_str())
    })
}

/// Reads a non-negative integer count; empty = 0.
pub(crate) fn count(column: &'static str, b: &[u8]) -> Result<u64, FieldError> {
    let mut v: u64 = 0;
    for &d in b {
        if !d.is_ascii_digit() {
            return Err((column, RejectionText::NotCount.en(&[("value", &String::from_utf8_lossy(b))])));
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
            .ok_or_else(|| (column, RejectionText::CountOverflow.en(&[("value", &String::from_utf8_lossy(b))])))?;
    }
    Ok(v)
}

/// A non-negative number of days with up to 9 decimals, kept exactly as `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Days {
    mantissa: u64,
    scale: u32,
}

/// The largest supplement time accepted, in days (about 2 700 years: anything above is an error
/// in the data, and the bound keeps the exact comparison inside `u128`).
const MAX_DAYS: u64 = 1_000_000;

impl Days {
    /// Reads a decimal number of days; empty = 0.
    #[inline]
    pub(crate) fn parse(column: &'static str, b: &[u8]) -> Result<Self, FieldError> {
        match b {
            [] | [b'0'] => Ok(Self::default()),
            [d @ b'1'..=b'9'] => Ok(Self { mantissa: u64::from(d - b'0'), scale: 0 }),
            _ => Self::parse_slow(column, b),
        }
    }

    #[cold]
    fn parse_slow(column: &'static str, b: &[u8]) -> Result<Self, FieldError> {
        let t = text(column, b)?;
        let d: Decimal = t.parse().map_err(|e: String| (column, e))?;
        if d.scale > 9 {
            return Err((column, RejectionText::OverNineDecimals.en(&[("value", &t)])));
        }
        let too_large = || (column, RejectionText::TooManyDays.en(&[("value", &t), ("max", &MAX_DAYS)]));
        let limit = u128::from(MAX_DAYS) * 10u128.pow(d.scale);
        if d.mantissa > limit {
            return Err(too_large());
        }
        Ok(Self { mantissa: u64::try_from(d.mantissa).map_err(|_| too_large())?, scale: d.scale })
    }

    /// Whether `seconds` (a span of time) is longer than these days, exactly:
    /// `seconds > mantissa · 86 400 / 10^scale`.
    #[must_use]
    pub fn shorter_than(self, seconds: i64) -> bool {
        let Ok(s) = u128::try_from(seconds) else { return false };
        // s < 2^63 and 10^scale <= 10^9 fit u128; mantissa <= 10^15 · 86 400 fits too.
        s * 10u128.pow(self.scale) > u128::from(self.mantissa) * 86_400
    }
}

/// How a dossier was filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channel {
    Online,
    Direct,
    Postal,
}

/// The channel: `online`, `direct` (or empty), `postal`, and the spellings of exports
/// (exports.md): `Trực tuyến`, `Trực tiếp`, `Bưu chính`, `Dịch vụ bưu chính công ích`, and the
/// portal's `KenhThucHien` codes 2 (online), 1 (direct), 3 (postal).
#[inline]
pub(crate) fn channel(b: &[u8]) -> Result<Channel, FieldError> {
    match b {
        b"online" | b"2" => Ok(Channel::Online),
        b"" | b"direct" | b"1" => Ok(Channel::Direct),
        b"postal" | b"3" => Ok(Channel::Postal),
        // The words of exports as they write them, without a UTF-8 pass.
        t if t == "Trực tuyến".as_bytes() => Ok(Channel::Online),
        t if t == "Trực tiếp".as_bytes() => Ok(Channel::Direct),
        t if t == "Bưu chính".as_bytes() || t == "Dịch vụ bưu chính công ích".as_bytes() => {
            Ok(Channel::Postal)
        }
        // The English words in any case (`Online`), compared in place: an ASCII word folds the
        // same way in [`channel_slow`], which is left the rest.
        t if t.eq_ignore_ascii_case(b"online") => Ok(Channel::Online),
        t if t.eq_ignore_ascii_case(b"direct") => Ok(Channel::Direct),
        t if t.eq_ignore_ascii_case(b"postal") => Ok(Channel::Postal),
        t => channel_slow(t),
    }
}

#[cold]
fn channel_slow(t: &[u8]) -> Result<Channel, FieldError> {
    if one_of(t, &["online", "trực tuyến"]) {
        Ok(Channel::Online)
    } else if one_of(t, &["direct", "trực tiếp"]) {
        Ok(Channel::Direct)
    } else if one_of(t, &["postal", "bưu chính", "dịch vụ bưu chính công ích"]) {
        Ok(Channel::Postal)
    } else {
        Err(("channel", RejectionText::NotChannel.en(&[("value", &String::from_utf8_lossy(t))])))
    }
}

/// Whether the rating says unsatisfied: `satisfied`, `Hài lòng`, `Rất hài lòng` (no); `unsatisfied`,
/// `Không hài lòng` (yes); empty (no rating).
#[inline]
pub(crate) fn rating_unsatisfied(b: &[u8]) -> Result<bool, FieldError> {
    match b {
        b"" | b"satisfied" => Ok(false),
        b"unsatisfied" => Ok(true),
        // The words of exports as they write them, without a UTF-8 pass.
        t if t == "Hài lòng".as_bytes() || t == "Rất hài lòng".as_bytes() => Ok(false),
        t if t == "Không hài lòng".as_bytes() => Ok(true),
        // As for the channel: the English words in any case, in place.
        t if t.eq_ignore_ascii_case(b"satisfied") => Ok(false),
        t if t.eq_ignore_ascii_case(b"unsatisfied") => Ok(true),
        t => rating_slow(t),
    }
}

#[cold]
fn rating_slow(t: &[u8]) -> Result<bool, FieldError> {
    if one_of(t, &["satisfied", "hài lòng", "rất hài lòng"]) {
        Ok(false)
    } else if one_of(t, &["unsatisfied", "không hài lòng"]) {
        Ok(true)
    } else {
        Err(("rating", RejectionText::NotRating.en(&[("value", &String::from_utf8_lossy(t))])))
    }
}

/// Reads a feedback CSV stream into records with their row numbers; bad rows are rejected.
pub(crate) fn read_feedback_rows<R: Read>(
    reader: R,
    source: &str,
    strict: bool,
    rejected: &mut Vec<Rejection>,
    mut on_record: impl FnMut(u64, &FeedbackRecord) -> Result<(), Rejection>,
) -> Result<(), InputError> {
    read_csv(reader, source, &FEEDBACK_REQUIRED, &FEEDBACK_COLUMNS, strict, rejected, |row| {
        let record = FeedbackRecord::from_row(row)?;
        on_record(row.number(), &record)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_integer_beyond_64_bits_keeps_its_digits() {
        let r: DossierRecord =
            serde_json::from_str(r#"{"supplement_requests": 18446744073709551616, "supplement_days": 1.5}"#).unwrap();
        assert_eq!(r.supplement_requests, "18446744073709551616");
        assert_eq!(r.supplement_days, "1.5");
    }

    #[test]
    fn the_fast_date_path_agrees_with_parse_instant() {
        for s in [
            "2025-07-01",
            "2025-07-01T10:20",
            "2025-07-01T10:20:30",
            "2025-07-01 10:20:30+07:00",
            "2025-07-01T10:20:30Z",
            "2025-07-01T23:59:60",
            "2024-02-29T00:00:00+0700",
            "2025-06-30T23:30:00+00:00",
        ] {
            for d in [DateOnly::StartOfDay, DateOnly::EndOfDay] {
                assert_eq!(fast_instant(s.as_bytes(), d), Some(parse_instant(s, d).unwrap()), "{s}");
            }
        }
        for s in ["2025-02-29", "2025-07-01T24:00", "2025-07-01T10:60:00", "2025-07-01T10:00:00-05:00", "2025-7-01"] {
            assert_eq!(fast_instant(s.as_bytes(), DateOnly::StartOfDay), None, "{s}");
        }
        assert_eq!(
            instant("x", b"2025-07-01T10:00:00-05:00", DateOnly::StartOfDay).unwrap(),
            Some(parse_instant("2025-07-01T15:00:00Z", DateOnly::StartOfDay).unwrap())
        );
        assert!(instant("x", b"2025-07-01T10:00:00-05", DateOnly::StartOfDay).is_err());
    }

    #[test]
    fn the_fast_word_paths_agree_with_the_folding_ones() {
        let words = [
            "",
            "0",
            "1",
            "2",
            "3",
            "x",
            "X",
            "true",
            "TRUE",
            "True",
            "tRuE",
            "false",
            "FALSE",
            "yes",
            "YES",
            "no",
            "No",
            "có",
            "Có",
            "CÓ",
            "không",
            "KHÔNG",
            "online",
            "Online",
            "ONLINE",
            "direct",
            "Direct",
            "postal",
            "POSTAL",
            "Trực tuyến",
            "trực tuyến",
            "TRỰC TUYẾN",
            "Trực tiếp",
            "Bưu chính",
            "bưu chính",
            "Dịch vụ bưu chính công ích",
            "satisfied",
            "Satisfied",
            "unsatisfied",
            "UNSATISFIED",
            "Hài lòng",
            "Rất hài lòng",
            "Không hài lòng",
            "không hài lòng",
            "onlinex",
            "tru",
            "\u{212a}",
            "nö",
            "t\u{0}e",
        ];
        for w in words {
            let b = w.as_bytes();
            assert_eq!(boolean("c", b).ok(), crate::tabular::read::boolean_word(w), "{w}");
            let code = match w {
                "2" => Some(Channel::Online),
                "" | "1" => Some(Channel::Direct),
                "3" => Some(Channel::Postal),
                _ => channel_slow(b).ok(),
            };
            assert_eq!(channel(b).ok(), code, "{w}");
            let rating = if w.is_empty() { Some(false) } else { rating_slow(b).ok() };
            assert_eq!(rating_unsatisfied(b).ok(), rating, "{w}");
        }
    }

    #[test]
    fn export_words_read_on_the_fast_path_as_their_other_spellings_do() {
        // Each word as an export writes it, against the same word in other case or Unicode form
        // (the slow path): one answer.
        let decomposed_co = "Co\u{301}";
        for (fast, slow, want) in
            [("Có", "CÓ", true), ("có", decomposed_co, true), ("Không", "KHÔNG", false), ("x", "X", true)]
        {
            assert_eq!(boolean("fee", fast.as_bytes()), Ok(want), "{fast}");
            assert_eq!(boolean_slow("fee", fast.as_bytes()), Ok(want), "{fast}");
            assert_eq!(boolean("fee", slow.as_bytes()), Ok(want), "{slow}");
        }
        for (word, want) in [
            ("Trực tuyến", Channel::Online),
            ("Trực tiếp", Channel::Direct),
            ("Bưu chính", Channel::Postal),
            ("Dịch vụ bưu chính công ích", Channel::Postal),
        ] {
            assert_eq!(channel(word.as_bytes()), Ok(want));
            assert_eq!(channel_slow(word.as_bytes()), Ok(want));
            assert_eq!(channel(word.to_uppercase().as_bytes()), Ok(want));
        }
        for (word, want) in [("Hài lòng", false), ("Rất hài lòng", false), ("Không hài lòng", true)] {
            assert_eq!(rating_unsatisfied(word.as_bytes()), Ok(want));
            assert_eq!(rating_slow(word.as_bytes()), Ok(want));
        }
        assert!(boolean("fee", "Có thể".as_bytes()).is_err());
    }

    #[test]
    fn supplement_days_compare_exactly() {
        let half = Days::parse("supplement_days", b"0.5").unwrap();
        assert!(!half.shorter_than(43_200));
        assert!(half.shorter_than(43_201));
        let third = Days::parse("supplement_days", b"0.333333333").unwrap();
        // 0.333333333 days = 28 799.99997… seconds.
        assert!(third.shorter_than(28_800));
        assert!(!third.shorter_than(28_799));
        assert!(!Days::default().shorter_than(0));
        assert!(Days::default().shorter_than(1));
        assert!(Days::parse("d", b"1e3").is_err());
        assert!(Days::parse("d", b"-1").is_err());
        assert!(Days::parse("d", b"0.1234567891").is_err());
        assert!(Days::parse("d", b"99999999999").is_err());
    }

    #[test]
    fn reads_procedures_and_rejects_duplicates() {
        let csv = "procedure,name,field,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,citizen_applicants\n\
                   P1,A,land,commune,full,1,1,1,0,1\nP1,dup,,,,,,,,\nP2,B,,province,half,,,,,\nP3,C,,,partial,,,,,\n";
        let mut rejected = Vec::new();
        let t = ProcedureTable::from_csv(csv.as_bytes(), "procedures.csv", false, &mut rejected).unwrap();
        assert_eq!(t.list().len(), 2);
        assert_eq!(rejected.len(), 2);
        assert_eq!(rejected[0].row, 3);
        assert_eq!(rejected[1].column.as_deref(), Some("service_level"));
        assert_eq!(t.list()[0].authority_level, Some(Level::Commune));
        assert_eq!(t.list()[1].authority_level, None);
    }

    #[test]
    fn json_scalars_are_read_as_text() {
        let r: DossierRecord =
            serde_json::from_str(r#"{"unit":"u","fee":true,"supplement_days":1.5,"due_at":null,"x":[1]}"#).unwrap();
        assert_eq!((r.fee.as_str(), r.supplement_days.as_str(), r.due_at.as_str()), ("true", "1.5", ""));
        assert!(serde_json::from_str::<DossierRecord>(r#"{"unit":[1]}"#).is_err());
    }
}
