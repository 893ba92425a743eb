//! Records beside observations: the observations they determine (`chiso_derive_json`), the
//! records behind a derived indicator's shortfall (`chiso_explain_indicator_json`), and the records
//! of `chiso_evaluate_with_records_json`.

use std::ffi::c_char;

use chiso_core::api::{ExplainTarget, Records, derive, explain_indicator, month_range};

use crate::args;
use crate::bytes::chiso_bytes;
use crate::error::{Failure, boundary, chiso_error};
use crate::status::chiso_status;

/// Whether bytes are JSON lines rather than CSV or a workbook: their first character (after a
/// byte order mark and blanks) opens an object.
fn is_json_lines(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// The (pointer, length) pairs of records as the C caller gives them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordPointers {
    /// The dossiers: CSV, a workbook, or JSON lines; required.
    pub dossiers: (*const c_char, usize),
    /// `procedures.csv`, or NULL.
    pub procedures: (*const c_char, usize),
    /// The feedback: CSV or JSON lines, or NULL.
    pub feedback: (*const c_char, usize),
}

impl RecordPointers {
    /// The core's records of these bytes, each checked.
    ///
    /// # Safety
    ///
    /// Each pointer is NULL or readable for its length, and unchanged while the records live.
    pub(crate) unsafe fn records<'a>(&self) -> Result<Records<'a>, Failure> {
        // SAFETY: the caller's promise.
        let (dossiers, procedures, feedback): (&'a [u8], Option<&'a [u8]>, Option<&'a [u8]>) = unsafe {
            (
                args::table(self.dossiers.0, self.dossiers.1, "dossiers")?,
                args::optional_table(self.procedures.0, self.procedures.1, "procedures")?,
                args::optional_text(self.feedback.0, self.feedback.1, "feedback")?.map(str::as_bytes),
            )
        };
        Ok(Records {
            procedures_csv: procedures,
            feedback,
            feedback_json_lines: feedback.is_some_and(is_json_lines),
            ..Records::from_bytes(dossiers, is_json_lines(dossiers))
        })
    }
}

/// Derives, per unit and month from `from` to `to` (`YYYY-MM` each), the plan observations that
/// the records determine, and gives the JSON `chiso derive --format json` prints (less its final
/// newline): `from`, `to`, `observations` (each with its `source` rule), `rejected`.
///
/// - `units_csv`: `units.csv`, or NULL (every unit a record names is then a root of its own).
/// - `dossiers`: dossier records, CSV (or a workbook, or JSON lines, told by their content);
///   required. `procedures_csv`, `feedback`: NULL when not given.
/// - `options_json`: input options (`chiso_scorer_set_input_options`'s keys) and `strict`; NULL
///   or empty for the defaults.
///
/// Errors: `CHISO_NULL_ARGUMENT` (`dossiers`, `from`, `to` or `out` NULL), `CHISO_INVALID_UTF8`,
/// `CHISO_INVALID_ARGUMENT` (the months), `CHISO_INVALID_INPUT`, `CHISO_BAD_HEADER`,
/// `CHISO_MISSING_COLUMN`, `CHISO_IO`. `*out` is written only on success. `error` may be NULL;
/// otherwise on failure `*error` receives an error to free with `chiso_error_free`.
///
/// # Safety
///
/// Each input pointer is NULL or readable for its length, and unchanged during the call; `out` is
/// NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_derive_json(
    units_csv: *const c_char,
    units_csv_len: usize,
    dossiers: *const c_char,
    dossiers_len: usize,
    procedures_csv: *const c_char,
    procedures_csv_len: usize,
    feedback: *const c_char,
    feedback_len: usize,
    from: *const c_char,
    from_len: usize,
    to: *const c_char,
    to_len: usize,
    options_json: *const c_char,
    options_json_len: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    let pointers = RecordPointers {
        dossiers: (dossiers, dossiers_len),
        procedures: (procedures_csv, procedures_csv_len),
        feedback: (feedback, feedback_len),
    };
    boundary!(error, {
        // SAFETY: the caller's promise on each pointer.
        let (records, units, from, to, settings) = unsafe {
            (
                pointers.records()?,
                args::optional_table(units_csv, units_csv_len, "units_csv")?,
                args::text(from, from_len, "from")?,
                args::text(to, to_len, "to")?,
                settings(options_json, options_json_len)?,
            )
        };
        let range = month_range(from, to)?;
        args::out(out, "out")?;
        let derived = derive(range, units, records, &settings.input, settings.strict)?;
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(chiso_bytes::from_string(derived.to_json())) };
        Ok(())
    })
}

/// The evaluation settings of an options JSON (its input options and `strict` are used here).
///
/// # Safety
///
/// The pointer is NULL or readable for its length.
unsafe fn settings(ptr: *const c_char, len: usize) -> Result<chiso_core::api::EvaluateSettings, Failure> {
    // SAFETY: the caller's promise.
    let text = unsafe { args::optional_text(ptr, len, "options_json") }?.unwrap_or("");
    Ok(chiso_core::api::EvaluateSettings::from_json(text.as_bytes(), "options_json")?)
}

/// Lists the records behind the shortfall of a plan indicator derived from records, for a unit
/// (and its subtree) and a period (`YYYY`, `YYYY-Qn` or `YYYY-MM`): the JSON
/// `chiso explain --indicator … --format json` prints (less its final newline): `numerator`,
/// `denominator`, `items` (exactly denominator − numerator of them, each with its `reason`, up to
/// `limit`; 0 for no limit) and `omitted`.
///
/// Inputs as `chiso_derive_json`'s, and `indicator`, `unit`, `period`; required.
///
/// Errors: as `chiso_derive_json`; `CHISO_INVALID_ARGUMENT` for an indicator not derived record by
/// record (`service_quality_improves`), an unknown unit or a bad period. `*out` is written only on
/// success. `error` may be NULL; otherwise on failure `*error` receives an error to free with
/// `chiso_error_free`.
///
/// # Safety
///
/// Each input pointer is NULL or readable for its length, and unchanged during the call; `out` is
/// NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_explain_indicator_json(
    units_csv: *const c_char,
    units_csv_len: usize,
    dossiers: *const c_char,
    dossiers_len: usize,
    procedures_csv: *const c_char,
    procedures_csv_len: usize,
    indicator: *const c_char,
    indicator_len: usize,
    unit: *const c_char,
    unit_len: usize,
    period: *const c_char,
    period_len: usize,
    limit: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    let pointers = RecordPointers {
        dossiers: (dossiers, dossiers_len),
        procedures: (procedures_csv, procedures_csv_len),
        feedback: (std::ptr::null(), 0),
    };
    boundary!(error, {
        // SAFETY: the caller's promise on each pointer.
        let (records, units, indicator, unit, period) = unsafe {
            (
                pointers.records()?,
                args::optional_table(units_csv, units_csv_len, "units_csv")?,
                args::text(indicator, indicator_len, "indicator")?,
                args::text(unit, unit_len, "unit")?,
                args::text(period, period_len, "period")?,
            )
        };
        args::out(out, "out")?;
        let target = ExplainTarget { indicator, unit, period, limit: (limit > 0).then_some(limit) };
        let input = chiso_core::api::InputOptions::default();
        let shortfall = explain_indicator(target, units, records, &input, false)?;
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(chiso_bytes::from_string(shortfall.to_json())) };
        Ok(())
    })
}
