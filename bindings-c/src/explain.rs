//! Explaining a Decision 766 number with a `chiso_scorer`: which records keep one metric of one
//! unit below full (issue 10), as JSON.

use std::ffi::c_char;

use chiso_core::score766::ExplainRequest;

use crate::args;
use crate::bytes::chiso_bytes;
use crate::error::boundary;
use crate::error::chiso_error;
use crate::scorer::{chiso_scorer, finish_into, handle};
use crate::status::chiso_status;

/// Opens the scorer to explain one number rather than to score: the records pushed afterwards
/// (in any of the usual ways) are counted as always, and those behind the shortfall
/// (denominator − numerator) of `metric` (`ON_TIME`) for `unit` (with the units below it, as the
/// scorecard counts them) are listed; `chiso_scorer_explain` then gives the list. After
/// `chiso_scorer_load_units_csv` and `chiso_scorer_load_procedures_csv`, before any record or
/// feedback; for a scorer of one period. `limit` keeps the first `limit` records in reading
/// order (the totals still count every one); a negative `limit` lists every record.
///
/// Errors: `CHISO_NULL_ARGUMENT`, `CHISO_INVALID_UTF8`, `CHISO_MISUSE` (after a record, or after
/// finish), `CHISO_INVALID_ARGUMENT` (a range of periods; a metric not of the profile; a metric
/// not counted from records — the portal's publication figures and `E_CERTIFIED_COPY` come from
/// the counts file, and the message says so —; a distinct-procedure metric without the procedures
/// file; a unit the units file does not have). After an `CHISO_INVALID_ARGUMENT` the scorer still
/// scores, not explaining.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `unit` and `metric` are
/// NULL or readable for their lengths; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_set_explain(
    scorer: *mut chiso_scorer,
    unit: *const c_char,
    unit_len: usize,
    metric: *const c_char,
    metric_len: usize,
    limit: i64,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer`, `unit` and `metric`.
        let (scorer, unit, metric) = unsafe {
            (handle(scorer, "scorer")?, args::text(unit, unit_len, "unit")?, args::text(metric, metric_len, "metric")?)
        };
        let limit = u64::try_from(limit).ok();
        let request = ExplainRequest { unit: unit.to_owned(), metric: metric.to_owned(), limit };
        Ok(scorer.session.set_explain(request)?)
    })
}

/// Finishes the records of a scorer opened with `chiso_scorer_set_explain` and gives the list as
/// JSON: `{"profile", "period", "unit", "metric", "source", "numerator", "denominator",
/// "total_shortfall", "listed", "limit", "rejected", "items": [{"file", "row", "id", "unit",
/// "procedure", "reason", "reason_vi", "reason_en", "received_at", "due_at", "finished_at",
/// "supplement_requests", "supplement_days", "channel"}]}`, what `chiso score766 explain
/// --format json` prints less its final newline; `numerator` and `denominator` are the
/// scorecard's for the same records, and `total_shortfall` is their difference. The scorer is
/// spent afterwards, whatever the outcome, except after `CHISO_NULL_ARGUMENT`,
/// `CHISO_INVALID_UTF8` (the CSV stream ends inside a character) and `CHISO_MISUSE` (finished or
/// merged already).
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`.
/// Errors: also `CHISO_MISUSE` (the scorer was not opened to explain) and
/// `CHISO_INVALID_ARGUMENT` (a feedback metric without feedback records; a unit no record names
/// when there is no units file).
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `out` is NULL or
/// writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_explain(
    scorer: *mut chiso_scorer,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `out`, passed on.
        unsafe { finish_into(scorer, out, "explaining", |s| Ok(s.explain()?.to_json())) }
    })
}
