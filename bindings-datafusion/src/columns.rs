//! Arrow columns → the text of dossier CSV fields, exactly as a CSV export of the same values
//! would write them, so that the scorer reads (and rejects) them as the CSV path does.
//!
//! - strings (`Utf8`, `LargeUtf8`, `Utf8View`, a dictionary of them) and binaries: as they are;
//! - integers: their decimal digits; decimals: their exact decimal text (`Decimal128(5, 2)` 150 →
//!   `1.50`); floats: the shortest decimal that reads back as the same float (`0.1`, never
//!   `0.1000000000000000055…`), a `Float32` as a `Float32` (never widened to `f64` first);
//! - booleans: `true` / `false`;
//! - dates: `YYYY-MM-DD` (a day, as in the CSV: the start or end of the day as the column says);
//! - timestamps with a time zone: the instant in UTC, `YYYY-MM-DDTHH:MM:SSZ`; without one (a naive
//!   timestamp): `YYYY-MM-DDTHH:MM:SS` with no offset, which chiso reads as Vietnam local time, as
//!   it reads such a CSV field (`core/src/date.rs`). A fraction of a second is dropped, as the CSV
//!   reader ignores it;
//! - NULL: an empty field, as an empty CSV field (a required column empty is a rejected row).

use std::sync::Arc;

use chiso::headers::DOSSIER_COLUMNS;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, BinaryViewArray, BooleanArray, Decimal128Array, Decimal256Array,
    LargeBinaryArray, LargeStringArray, StringArray, StringViewArray,
};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Date64Type, Float32Type, Float64Type, Int64Type, TimeUnit, UInt64Type,
};
use datafusion::common::{DataFusionError, Result, exec_err, plan_err};

/// The canonical column a header `name` names (itself, or one of chiso's aliases of it, compared
/// as chiso compares headers), among `preferred` first, then among every input's columns.
pub fn canonical_name(name: &str, preferred: &[&'static str]) -> Option<&'static str> {
    let normalized = chiso::headers::normalize(name);
    let named = |c: &&&'static str| chiso::headers::names(&normalized, c);
    let mut all = chiso::headers::ALIASES.iter().map(|(c, _)| c);
    preferred.iter().find(named).or_else(|| all.find(named)).copied()
}

/// The columns a dossier record cannot lack (formats.md; the scorer refuses a CSV without them as
/// `MissingColumn`, which `update_batch` would report when the query runs: here the query is
/// refused when it is planned).
const REQUIRED: [&str; 4] = ["dossier_id", "unit", "procedure", "received_at"];

/// The names of the columns the function's arguments give, in order: positional arguments are a
/// prefix of `DOSSIER_COLUMNS` (at least the four required ones); a single struct argument names
/// its fields (canonical names or chiso's header aliases, any order, any subset holding the
/// required ones).
pub fn argument_columns(arg_types: &[DataType]) -> Result<Vec<&'static str>> {
    let names: Vec<&'static str> = match arg_types {
        [DataType::Struct(fields)] => {
            let mut names = Vec::with_capacity(fields.len());
            for field in fields {
                let Some(name) = canonical_name(field.name(), &DOSSIER_COLUMNS) else {
                    return plan_err!(
                        "score766: struct field `{}` is not a dossier column ({})",
                        field.name(),
                        DOSSIER_COLUMNS.join(", ")
                    );
                };
                if names.contains(&name) {
                    return plan_err!("score766: column `{name}` given twice");
                }
                check_type(name, field.data_type())?;
                names.push(name);
            }
            names
        }
        _ => {
            if arg_types.len() > DOSSIER_COLUMNS.len() {
                return plan_err!("score766 takes at most {} arguments (the dossier columns)", DOSSIER_COLUMNS.len());
            }
            for (name, data_type) in DOSSIER_COLUMNS.iter().zip(arg_types) {
                check_type(name, data_type)?;
            }
            DOSSIER_COLUMNS.iter().take(arg_types.len()).copied().collect()
        }
    };
    for required in REQUIRED {
        if !names.contains(&required) {
            return plan_err!(
                "score766: the column `{required}` is missing (arguments: {} in this order, or one struct)",
                DOSSIER_COLUMNS.join(", ")
            );
        }
    }
    Ok(names)
}

/// Whether values of `data_type` can be written as a CSV field exactly.
fn check_type(name: &str, data_type: &DataType) -> Result<()> {
    let supported = match data_type {
        DataType::Dictionary(_, value) => matches!(**value, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View),
        DataType::Time32(_) | DataType::Time64(_) | DataType::Duration(_) | DataType::Interval(_) => false,
        DataType::Float16 => false,
        other => {
            other.is_integer()
                || other.is_floating()
                || matches!(
                    other,
                    DataType::Null
                        | DataType::Boolean
                        | DataType::Utf8
                        | DataType::LargeUtf8
                        | DataType::Utf8View
                        | DataType::Binary
                        | DataType::LargeBinary
                        | DataType::BinaryView
                        | DataType::Decimal128(..)
                        | DataType::Decimal256(..)
                        | DataType::Date32
                        | DataType::Date64
                        | DataType::Timestamp(..)
                )
        }
    };
    if supported { Ok(()) } else { plan_err!("score766: column `{name}` of type {data_type} cannot be read as text") }
}

/// One column of a batch, ready to write its fields: its values and which rows are NULL.
struct Column {
    kind: Kind,
    nulls: Option<NullBuffer>,
}

/// The values of a [`Column`].
enum Kind {
    Null,
    Utf8(StringArray),
    LargeUtf8(LargeStringArray),
    Utf8View(StringViewArray),
    Binary(BinaryArray),
    LargeBinary(LargeBinaryArray),
    BinaryView(BinaryViewArray),
    Boolean(BooleanArray),
    Signed(ArrayRef),
    Unsigned(ArrayRef),
    Float32(ArrayRef),
    Float64(ArrayRef),
    Decimal128(Decimal128Array),
    Decimal256(Decimal256Array),
    Date32(ArrayRef),
    Date64(ArrayRef),
    /// Seconds per unit divisor, and whether the values are instants (a time zone) or local times.
    Timestamp {
        values: ArrayRef,
        per_second: i64,
        zoned: bool,
    },
}

fn owned<T: Clone + 'static>(array: &ArrayRef) -> Result<T> {
    array
        .as_any()
        .downcast_ref::<T>()
        .cloned()
        .ok_or_else(|| DataFusionError::Internal(format!("score766: unexpected array type {}", array.data_type())))
}

impl Column {
    /// The column of `array`; `outer` are the NULL rows of the struct it is a field of.
    fn new(array: &ArrayRef, outer: Option<&NullBuffer>) -> Result<Self> {
        let nulls = NullBuffer::union(array.logical_nulls().as_ref(), outer);
        Ok(Self { kind: Kind::new(array)?, nulls })
    }

    /// Writes the field of `row` (nothing for NULL).
    fn write(&self, row: usize, out: &mut Field) {
        if self.nulls.as_ref().is_some_and(|n| n.is_null(row)) {
            return;
        }
        self.kind.write(row, out);
    }
}

impl Kind {
    fn new(array: &ArrayRef) -> Result<Self> {
        Ok(match array.data_type() {
            DataType::Null => Self::Null,
            DataType::Utf8 => Self::Utf8(owned(array)?),
            DataType::LargeUtf8 => Self::LargeUtf8(owned(array)?),
            DataType::Utf8View => Self::Utf8View(owned(array)?),
            DataType::Dictionary(..) => Self::Utf8(owned(&cast(array, &DataType::Utf8)?)?),
            DataType::Binary => Self::Binary(owned(array)?),
            DataType::LargeBinary => Self::LargeBinary(owned(array)?),
            DataType::BinaryView => Self::BinaryView(owned(array)?),
            DataType::Boolean => Self::Boolean(owned(array)?),
            DataType::Float32 => Self::Float32(Arc::clone(array)),
            DataType::Float64 => Self::Float64(Arc::clone(array)),
            DataType::Decimal128(..) => Self::Decimal128(owned(array)?),
            DataType::Decimal256(..) => Self::Decimal256(owned(array)?),
            DataType::Date32 => Self::Date32(Arc::clone(array)),
            DataType::Date64 => Self::Date64(Arc::clone(array)),
            DataType::Timestamp(unit, zone) => {
                let per_second = match unit {
                    TimeUnit::Second => 1,
                    TimeUnit::Millisecond => 1_000,
                    TimeUnit::Microsecond => 1_000_000,
                    TimeUnit::Nanosecond => 1_000_000_000,
                };
                let values = cast(array, &DataType::Int64)?;
                Self::Timestamp { values, per_second, zoned: zone.is_some() }
            }
            t if t.is_signed_integer() => Self::Signed(cast(array, &DataType::Int64)?),
            t if t.is_unsigned_integer() => Self::Unsigned(cast(array, &DataType::UInt64)?),
            other => return exec_err!("score766: a column of type {other} cannot be read as text"),
        })
    }

    /// Writes the field of `row`, which is not NULL.
    fn write(&self, row: usize, out: &mut Field) {
        use std::fmt::Write as _;
        let text = &mut out.text;
        match self {
            Self::Null => {}
            Self::Utf8(a) => text.extend_from_slice(a.value(row).as_bytes()),
            Self::LargeUtf8(a) => text.extend_from_slice(a.value(row).as_bytes()),
            Self::Utf8View(a) => text.extend_from_slice(a.value(row).as_bytes()),
            Self::Binary(a) => text.extend_from_slice(a.value(row)),
            Self::LargeBinary(a) => text.extend_from_slice(a.value(row)),
            Self::BinaryView(a) => text.extend_from_slice(a.value(row)),
            Self::Boolean(a) => text.extend_from_slice(if a.value(row) { b"true" } else { b"false" }),
            Self::Signed(a) => out.scratch_fmt(format_args!("{}", a.as_primitive::<Int64Type>().value(row))),
            Self::Unsigned(a) => out.scratch_fmt(format_args!("{}", a.as_primitive::<UInt64Type>().value(row))),
            // `Display` of a float is the shortest decimal that reads back as the same value.
            Self::Float32(a) => out.scratch_fmt(format_args!("{}", a.as_primitive::<Float32Type>().value(row))),
            Self::Float64(a) => out.scratch_fmt(format_args!("{}", a.as_primitive::<Float64Type>().value(row))),
            Self::Decimal128(a) => text.extend_from_slice(a.value_as_string(row).as_bytes()),
            Self::Decimal256(a) => text.extend_from_slice(a.value_as_string(row).as_bytes()),
            Self::Date32(a) => {
                let days = i64::from(a.as_primitive::<Date32Type>().value(row));
                let _ = write!(out, "{}", Civil::of_seconds(days * 86_400).date);
            }
            Self::Date64(a) => {
                let millis = a.as_primitive::<Date64Type>().value(row);
                let _ = write!(out, "{}", Civil::of_seconds(millis.div_euclid(1_000)).date);
            }
            Self::Timestamp { values, per_second, zoned } => {
                let value = values.as_primitive::<Int64Type>().value(row);
                let civil = Civil::of_seconds(value.div_euclid(*per_second));
                let _ = write!(out, "{}T{:02}:{:02}:{:02}", civil.date, civil.hour, civil.minute, civil.second);
                if *zoned {
                    out.text.push(b'Z');
                }
            }
        }
    }
}

/// The text of one field being written, with a `fmt::Write` for numbers and dates.
#[derive(Debug, Default)]
struct Field {
    text: Vec<u8>,
}

impl Field {
    fn scratch_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        use std::fmt::Write as _;
        let _ = self.write_fmt(args);
    }
}

impl std::fmt::Write for Field {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A civil date and time of day from seconds since 1970-01-01T00:00:00 (proleptic Gregorian):
/// the core's [`Date`](chiso::date::Date) (its `Display` is `YYYY-MM-DD`) and the time of day.
#[derive(Debug, Clone, Copy)]
struct Civil {
    date: chiso::date::Date,
    hour: u8,
    minute: u8,
    second: u8,
}

impl Civil {
    fn of_seconds(seconds: i64) -> Self {
        let (days, in_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        let small = |v: i64| u8::try_from(v).unwrap_or(u8::MAX);
        Self {
            date: chiso::date::Date::from_days_since_epoch(days),
            hour: small(in_day / 3_600),
            minute: small(in_day % 3_600 / 60),
            second: small(in_day % 60),
        }
    }
}

/// The arguments of one batch, as the columns named by [`argument_columns`].
pub struct Batch {
    columns: Vec<Column>,
    rows: usize,
}

impl Batch {
    /// The columns of `values` (the function's arguments for one batch).
    pub fn new(values: &[ArrayRef]) -> Result<Self> {
        match values {
            [single] if matches!(single.data_type(), DataType::Struct(_)) => {
                let s = single.as_struct();
                // A NULL struct is a record with every field empty (rejected: no `dossier_id`).
                let columns = s.columns().iter().map(|c| Column::new(c, s.nulls())).collect::<Result<_>>()?;
                Ok(Self { columns, rows: s.len() })
            }
            _ => Ok(Self {
                columns: values.iter().map(|a| Column::new(a, None)).collect::<Result<_>>()?,
                rows: values.first().map_or(0, |a| a.len()),
            }),
        }
    }

    /// Number of records.
    pub const fn rows(&self) -> usize {
        self.rows
    }

    /// Appends the batch as CSV records (one line each, fields quoted where CSV needs it) to `out`.
    pub fn write_csv(&self, out: &mut Vec<u8>) {
        let mut field = Field::default();
        for row in 0..self.rows {
            for (i, column) in self.columns.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                field.text.clear();
                column.write(row, &mut field);
                write_field(&field.text, out);
            }
            out.push(b'\n');
        }
    }
}

/// A CSV field, quoted when it holds a separator, a quote or a line end.
fn write_field(text: &[u8], out: &mut Vec<u8>) {
    if !text.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    for &b in text {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::{Civil, write_field};

    fn text(seconds: i64) -> String {
        let c = Civil::of_seconds(seconds);
        format!("{}T{:02}:{:02}:{:02}", c.date, c.hour, c.minute, c.second)
    }

    #[test]
    fn civil_times_of_seconds() {
        assert_eq!(text(0), "1970-01-01T00:00:00");
        assert_eq!(text(-1), "1969-12-31T23:59:59");
        // 2026-10-12T09:00:00 (a leap year before it, and the end of February 2024).
        assert_eq!(text(1_791_795_600), "2026-10-12T09:00:00");
        assert_eq!(text(1_709_164_800), "2024-02-29T00:00:00");
        assert_eq!(text(253_402_300_799), "9999-12-31T23:59:59");
        assert_eq!(text(-62_135_596_800), "0001-01-01T00:00:00");
    }

    #[test]
    fn fields_are_quoted_only_when_csv_needs_it() {
        let mut out = Vec::new();
        for field in ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""] {
            write_field(field.as_bytes(), &mut out);
            out.push(b'|');
        }
        assert_eq!(String::from_utf8(out).unwrap(), "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"||");
    }
}
