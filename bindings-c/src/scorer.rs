//! `chiso_scorer`: the Decision 766 scorecard computed from dossier records streamed in by a system
//! that holds them.
//!
//! The order of calls is documented on [`chiso_scorer`].

use std::ffi::c_char;

use chiso_core::api::{RecordFormat, Score766Session};
use chiso_core::score766::DOSSIER_FIELDS;

use crate::args;
use crate::bytes::chiso_bytes;
use crate::dossier::chiso_dossier;
use crate::error::{Failure, boundary, chiso_error};
use crate::status::chiso_status;
use crate::utf8::Utf8Stream;

/// A Decision 766 scorer fed with dossier records. Opaque; created by `chiso_scorer_new`, freed by
/// `chiso_scorer_free`; not to be used from two threads at once (use one scorer per thread and
/// `chiso_scorer_merge` them).
///
/// Order of calls: `chiso_scorer_new`; optionally `chiso_scorer_load_units_csv` and
/// `chiso_scorer_load_procedures_csv`, once each, before anything else; then, in any order and
/// any number of times, `chiso_scorer_push_csv`, `chiso_scorer_push_dossiers`,
/// `chiso_scorer_load_feedback_csv`, `chiso_scorer_merge` (and `chiso_scorer_load_counts_json`
/// once); then `chiso_scorer_finish`; and in every case `chiso_scorer_free`. A call out of this
/// order gives `CHISO_MISUSE`. Pushing nothing (a chunk of length 0, no records) changes nothing:
/// units and procedures may still be loaded afterwards.
///
/// The order and every check are the core session's (`chiso::api::Score766Session`), which the
/// command line and the WASM package drive too; this handle adds only the check that the CSV
/// stream is UTF-8 across chunks.
#[expect(non_camel_case_types, reason = "C naming: the type is `chiso_scorer` in the header")]
#[derive(Debug)]
pub struct chiso_scorer {
    pub(crate) session: Score766Session,
    /// The dossier CSV stream, checked for UTF-8 across chunks.
    pub(crate) csv_utf8: Utf8Stream,
}

/// The scorer behind a handle argument.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer from `chiso_scorer_new`, not used elsewhere during the call.
pub(crate) unsafe fn handle<'a>(scorer: *mut chiso_scorer, name: &str) -> Result<&'a mut chiso_scorer, Failure> {
    // SAFETY: forwarded contract.
    unsafe { scorer.as_mut() }.ok_or_else(|| Failure::null(name))
}

/// Ends a scorer's records and writes into `*out` the JSON `finish` makes of its session: the one
/// body of `chiso_scorer_finish`, `chiso_scorer_finish_series` and `chiso_scorer_explain`. The
/// scorer is refused (`CHISO_MISUSE`, naming `action`) when finished or merged already, and
/// `CHISO_INVALID_UTF8` when its CSV stream ends inside a character; both leave it usable.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `out` is NULL or
/// writable.
pub(crate) unsafe fn finish_into(
    scorer: *mut chiso_scorer,
    out: *mut chiso_bytes,
    action: &str,
    finish: impl FnOnce(&mut Score766Session) -> Result<String, Failure>,
) -> Result<(), Failure> {
    // SAFETY: the caller's promise on `scorer`.
    let scorer = unsafe { handle(scorer, "scorer") }?;
    args::out(out, "out")?;
    scorer.session.check_usable(action)?;
    scorer.csv_utf8.check_end("csv")?;
    let json = chiso_bytes::from_string(finish(&mut scorer.session)?);
    // SAFETY: `out` is not NULL, and writable by the caller's promise.
    unsafe { out.write(json) };
    Ok(())
}

/// Creates a scorer of the Decision 766 index for one period.
///
/// - `profile`: `portal-2026` (what the national portal computes, the default) or `decision-2022`;
///   NULL for the default.
/// - `period`: the period scored, `YYYY-MM` (also `YYYY-Qn` or `YYYY`: months are summed), or a
///   range of periods of one kind (`2026-01..2026-08`, at most 60), finished with
///   `chiso_scorer_finish_series`; required.
///
/// On success `*out` receives the scorer, which the caller frees with `chiso_scorer_free`.
/// Errors: `CHISO_NULL_ARGUMENT` (`period` or `out` NULL), `CHISO_INVALID_UTF8`,
/// `CHISO_UNKNOWN_PROFILE`, `CHISO_INVALID_ARGUMENT` (the period).
///
/// # Safety
///
/// Each input pointer is NULL or readable for its length; `out` is NULL or writable; `error` is
/// NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_new(
    profile: *const c_char,
    profile_len: usize,
    period: *const c_char,
    period_len: usize,
    out: *mut *mut chiso_scorer,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: each non-NULL pointer is readable for its length (the caller's promise).
        let (profile, period) = unsafe {
            (args::optional_text(profile, profile_len, "profile")?, args::text(period, period_len, "period")?)
        };
        args::out(out, "out")?;
        let session = Score766Session::new(profile, period)?;
        let scorer = Box::new(chiso_scorer { session, csv_utf8: Utf8Stream::default() });
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(Box::into_raw(scorer)) };
        Ok(())
    })
}

/// Loads `units.csv`: the unit tree that counts roll up (without it, every unit a record names is a
/// root of its own). Rejected rows are listed in the scorecard. Only before any record, feedback
/// or merge, and once.
///
/// Errors: `CHISO_NULL_ARGUMENT`, `CHISO_INVALID_UTF8`, `CHISO_BAD_HEADER`,
/// `CHISO_MISSING_COLUMN`, `CHISO_MISUSE` (records already pushed, or units already loaded).
/// On failure the scorer is unchanged.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `csv` is NULL or readable
/// for `csv_len` bytes; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_load_units_csv(
    scorer: *mut chiso_scorer,
    csv: *const c_char,
    csv_len: usize,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `csv`.
        let (scorer, csv) = unsafe { (handle(scorer, "scorer")?, args::table(csv, csv_len, "csv")?) };
        Ok(scorer.session.load_units(csv)?)
    })
}

/// Loads `procedures.csv` (what each procedure offers online, whether it has a paper result or a
/// fee). Rejected rows are listed in the scorecard. Only before any record, feedback or merge, and
/// once.
///
/// Errors: as `chiso_scorer_load_units_csv`. On failure the scorer is unchanged.
///
/// # Safety
///
/// As `chiso_scorer_load_units_csv`.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_load_procedures_csv(
    scorer: *mut chiso_scorer,
    csv: *const c_char,
    csv_len: usize,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `csv`.
        let (scorer, csv) = unsafe { (handle(scorer, "scorer")?, args::table(csv, csv_len, "csv")?) };
        Ok(scorer.session.load_procedures(csv)?)
    })
}

/// Sets how every tabular input of the scorer is read when it is a real export (exports.md): a
/// JSON object with any of `sheet` (the sheet of an `.xlsx` input; default the first),
/// `header_row` (from 1, for a title block above the header), `delimiter` (`","`, `";"` or
/// `"tab"`; default detected), `decimal_comma` (`true`: numbers written `1.234,5`), and the
/// `columns` (`{canonical: header}`) and `values` (`{column: {value: canonical}}`) of a column map,
/// as `chiso --columns MAP.json` takes them. NULL or empty for the defaults. Once, before any
/// tabular input is loaded or pushed. Units, procedures, feedback and whole dossier files may then
/// be Excel workbooks too (their bytes as they are).
///
/// Errors: `CHISO_NULL_ARGUMENT` (`scorer`), `CHISO_INVALID_UTF8`, `CHISO_BAD_JSON`,
/// `CHISO_INVALID_INPUT` (an unknown key, separator or canonical column), `CHISO_MISUSE` (after a
/// tabular input, or after finish or merge). On failure the scorer is unchanged.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `options_json` is NULL or
/// readable for `options_json_len` bytes; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_set_input_options(
    scorer: *mut chiso_scorer,
    options_json: *const c_char,
    options_json_len: usize,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `options_json`.
        let (scorer, options) = unsafe {
            (handle(scorer, "scorer")?, args::input_options(options_json, options_json_len, "options_json")?)
        };
        Ok(scorer.session.set_input(options)?)
    })
}

/// Reads a whole dossier file at once: CSV (UTF-8, or UTF-16 with a BOM) or an Excel workbook
/// (`.xlsx`, its bytes as they are, read from the sheet and header row of the input options). A
/// workbook cannot be pushed in chunks with `chiso_scorer_push_csv`; this is the call for it.
/// Rejected rows do not fail the call; a sheet's are named `dossiers.csv#Sheet` with the sheet's
/// row numbers.
///
/// Errors: `CHISO_NULL_ARGUMENT`, `CHISO_INVALID_UTF8` (a CSV file), `CHISO_BAD_HEADER` (not a
/// workbook, no such sheet), `CHISO_MISUSE` (after finish or merge); and, leaving the scorer spent,
/// `CHISO_MISSING_COLUMN`, `CHISO_IO`.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `bytes` is NULL or
/// readable for `bytes_len` bytes; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_read_dossiers(
    scorer: *mut chiso_scorer,
    bytes: *const c_char,
    bytes_len: usize,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `bytes`.
        let (scorer, file) = unsafe { (handle(scorer, "scorer")?, args::table(bytes, bytes_len, "bytes")?) };
        Ok(scorer.session.read_dossiers(file, RecordFormat::Csv, 1, &mut |_| {})?)
    })
}

/// Loads a whole `feedback.csv` (feedback items give `FEEDBACK_ON_TIME` and
/// `FEEDBACK_SATISFIED`). May be called several times; each call is a file of its own with its
/// header. Ends the loading of units and procedures.
///
/// Errors: `CHISO_NULL_ARGUMENT`, `CHISO_INVALID_UTF8`, `CHISO_MISUSE` (after finish or merge),
/// and, leaving the scorer spent, `CHISO_BAD_HEADER`, `CHISO_MISSING_COLUMN`.
///
/// # Safety
///
/// As `chiso_scorer_load_units_csv`.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_load_feedback_csv(
    scorer: *mut chiso_scorer,
    csv: *const c_char,
    csv_len: usize,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `csv`.
        let (scorer, csv) = unsafe { (handle(scorer, "scorer")?, args::table(csv, csv_len, "csv")?) };
        Ok(scorer.session.load_feedback(csv, RecordFormat::Csv)?)
    })
}

/// Loads a counts JSON file (`formats.md`, "Decision 766 counts") for the metrics that records
/// cannot give (publication metrics, `E_CERTIFIED_COPY`); it fills only what the records do not.
/// Its period must be the scorer's or lie within it. Once; any time before finishing.
///
/// Errors: `CHISO_NULL_ARGUMENT`, `CHISO_INVALID_UTF8`, `CHISO_BAD_JSON`, `CHISO_INVALID_INPUT`
/// (counts for another period), `CHISO_MISUSE` (counts already loaded, or after finish or merge).
/// On failure the scorer is unchanged.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `json` is NULL or
/// readable for `json_len` bytes; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_load_counts_json(
    scorer: *mut chiso_scorer,
    json: *const c_char,
    json_len: usize,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `json`.
        let (scorer, json) = unsafe { (handle(scorer, "scorer")?, args::text(json, json_len, "json")?) };
        Ok(scorer.session.load_counts(json.as_bytes())?)
    })
}

/// Pushes the next bytes of a `dossiers.csv` stream (`formats.md`, "Dossier records"), header
/// first. Chunks may be cut anywhere, even inside a quoted field or a UTF-8 character: pushing a
/// file in any number of chunks gives the same scorecard as pushing it whole. A chunk of length 0
/// is allowed (and `csv` may then be NULL). Rejected rows do not fail the call: they are listed in
/// the scorecard with their row number.
///
/// Errors: `CHISO_NULL_ARGUMENT`; `CHISO_INVALID_UTF8` (the chunk is refused, the scorer is
/// unchanged and the stream may go on); `CHISO_MISUSE` (after finish or merge); and, leaving the
/// scorer spent, `CHISO_MISSING_COLUMN` (the header), `CHISO_IO` (a record over 32 MiB).
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `csv` is NULL or readable
/// for `csv_len` bytes; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_push_csv(
    scorer: *mut chiso_scorer,
    csv: *const c_char,
    csv_len: usize,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promise on `scorer`.
        let scorer = unsafe { handle(scorer, "scorer") }?;
        // SAFETY: the caller's promise on `csv`.
        let chunk = match unsafe { args::optional_bytes(csv, csv_len, "csv") }? {
            Some(chunk) => chunk,
            None if csv_len == 0 => &[],
            None => return Err(Failure::null("csv")),
        };
        // A spent scorer says so before the UTF-8 check can mask it.
        scorer.session.check_usable("pushing CSV")?;
        // A workbook is refused as such, not as text that is not UTF-8.
        scorer.session.check_chunk(chunk)?;
        let mut utf8 = scorer.csv_utf8.clone();
        utf8.check(chunk, "csv")?;
        scorer.session.push_csv(chunk)?;
        scorer.csv_utf8 = utf8;
        Ok(())
    })
}

/// Counts dossiers already in memory: `count` records at `records`. Each is checked first (NULL
/// fields, UTF-8), so a failure counts none of them; rejected records (an unknown unit, a bad
/// date, …) do not fail the call and are listed in the scorecard, numbered from 1 across all the
/// records pushed this way. `records` may be NULL when `count` is 0.
///
/// Errors: `CHISO_NULL_ARGUMENT` (`records` NULL with a count, or a field NULL with a length),
/// `CHISO_INVALID_UTF8` (the scorer is unchanged in both cases), `CHISO_MISUSE` (after finish or
/// merge).
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `records` is NULL or
/// readable for `count` records whose non-NULL field pointers are readable for their lengths;
/// `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_push_dossiers(
    scorer: *mut chiso_scorer,
    records: *const chiso_dossier,
    count: usize,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promise on `scorer`.
        let scorer = unsafe { handle(scorer, "scorer") }?;
        let records: &[chiso_dossier] = if records.is_null() {
            if count > 0 {
                return Err(Failure::null("records"));
            }
            &[]
        } else {
            if count.checked_mul(size_of::<chiso_dossier>()).is_none_or(|n| isize::try_from(n).is_err()) {
                return Err(Failure::new(chiso_status::CHISO_INVALID_ARGUMENT, "`count` is too large"));
            }
            // SAFETY: `records` is not NULL and readable for `count` records (the caller's
            // promise), and their total size fits `isize`.
            unsafe { std::slice::from_raw_parts(records, count) }
        };
        // Check every record before counting any, then count them.
        for (i, record) in records.iter().enumerate() {
            // SAFETY: the caller's promise on the records' fields.
            unsafe { record.check(i) }?;
        }
        // SAFETY: every record was checked above.
        let fields: Vec<[&[u8]; DOSSIER_FIELDS]> = records.iter().map(|r| unsafe { r.bytes() }).collect();
        Ok(scorer.session.push_fields(&fields)?)
    })
}

/// Merges `from` (a scorer that read another part of the records, in another thread or process)
/// into `into`. Both must have the same profile and period. `from` is spent by the merge, whatever
/// its outcome (its CSV stream is finished first): free it with `chiso_scorer_free`. If `into` has
/// no counts file and `from` has one, `into` takes it.
///
/// Errors: `CHISO_NULL_ARGUMENT`; `CHISO_MISUSE` (`into == from`, or either finished or merged
/// already); `CHISO_INVALID_ARGUMENT` (another profile or period; `CHISO_PARTIAL_MISMATCH` when
/// either was loaded from a partial, or their units and procedures differ); `CHISO_INVALID_UTF8` (`from`'s
/// CSV stream ends inside a character); all leave both unchanged. Then, leaving `into`
/// unchanged, what finishing `from`'s CSV stream can give (`CHISO_MISSING_COLUMN`).
///
/// # Safety
///
/// `into` and `from` are NULL or live scorers not used elsewhere during the call; `error` is NULL
/// or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_merge(
    into: *mut chiso_scorer,
    from: *mut chiso_scorer,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        if !into.is_null() && std::ptr::eq(into, from) {
            return Err(Failure::new(chiso_status::CHISO_MISUSE, "merging a scorer into itself"));
        }
        // SAFETY: the caller's promises; `into` and `from` are distinct, so the two mutable
        // borrows do not alias.
        let (into, from) = unsafe { (handle(into, "into")?, handle(from, "from")?) };
        into.session.check_merge(&from.session)?;
        from.csv_utf8.check_end("from")?;
        Ok(into.session.merge(&mut from.session)?)
    })
}

/// Finishes the records (a last CSV line without its newline is read) and gives the scorecard
/// JSON (`formats.md`, "Decision 766 scorecard"): what `chiso score766 --format json` prints for
/// the same inputs, less its final newline. The scorer is spent afterwards, whatever the outcome,
/// except after `CHISO_NULL_ARGUMENT`, `CHISO_INVALID_UTF8` (the CSV stream ends inside a
/// character) and `CHISO_MISUSE` (finished or merged already).
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `out` is NULL or
/// writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_finish(
    scorer: *mut chiso_scorer,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `out`, passed on.
        unsafe { finish_into(scorer, out, "finishing", |s| Ok(s.finish()?.to_json())) }
    })
}

/// Ends the stream and writes the series JSON of a scorer made for a range of periods
/// (`2026-01..2026-08`, `2026-Q1..2026-Q3`; `chiso_scorer_finish` refuses a range with
/// `CHISO_MISUSE`): `{"profile", "periods", "scorecards", "changes"}`, one scorecard per period,
/// each the one a scorer of that period alone gives, and per unit its totals and group scores
/// with their change from the previous period; what `chiso score766 --period A..B --format json`
/// prints. A scorer of one period gives a series of one. Counts files: one per period, each with
/// `chiso_scorer_load_counts_json`. The scorer cannot be used afterwards, as after
/// `chiso_scorer_finish`.
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`.
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not used elsewhere during the call; `out` is NULL or
/// writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_finish_series(
    scorer: *mut chiso_scorer,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promises on `scorer` and `out`, passed on.
        unsafe { finish_into(scorer, out, "finishing", |s| Ok(s.finish_series()?.to_json())) }
    })
}

/// Saves the scorer as a partial (README, "Partials"): versioned, checksummed bytes holding its
/// profile, period (range), units, procedures, counts files and everything counted so far, which
/// `chiso_scorer_load` (in this process or any other), `chiso score766 merge`, the WASM package's
/// `Scorer766.load` and the Python package's `Scorer766.load` read back. The scorer is unchanged
/// and may go on: the partial holds what finishing now would count (a last CSV line without its
/// newline included).
///
/// On success `*out` receives the bytes (binary: use `out->len`, not the trailing NUL), which the
/// caller frees with `chiso_bytes_free`. Errors: `CHISO_NULL_ARGUMENT`, `CHISO_INVALID_UTF8` (the
/// CSV stream ends inside a character), `CHISO_MISUSE` (finished or merged already), and what
/// finishing the CSV stream can give (`CHISO_MISSING_COLUMN`, `CHISO_REJECTED_ROW` in strict
/// mode).
///
/// # Safety
///
/// `scorer` is NULL or a live scorer not written elsewhere during the call; `out` is NULL or
/// writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_save(
    scorer: *const chiso_scorer,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: the caller's promise on `scorer`.
        let scorer = unsafe { scorer.as_ref() }.ok_or_else(|| Failure::null("scorer"))?;
        args::out(out, "out")?;
        scorer.session.check_usable("saving a partial")?;
        scorer.csv_utf8.check_end("csv")?;
        let saved = chiso_bytes::from_vec(scorer.session.save_partial()?);
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(saved) };
        Ok(())
    })
}

/// Creates a scorer from a partial saved by `chiso_scorer_save` (or by the command line's
/// `--partial-out`, the WASM or the Python package): its profile, period, units, procedures,
/// counts files and counts, ready for more records, merges (`chiso_scorer_merge`, of scorers with
/// the same profile, period and units and procedures), and finishing.
///
/// On success `*out` receives the scorer, which the caller frees with `chiso_scorer_free`.
/// Errors: `CHISO_NULL_ARGUMENT`, `CHISO_PARTIAL_CORRUPT` (not a partial, cut short or damaged:
/// nothing is loaded), `CHISO_PARTIAL_VERSION` (another format version),
/// `CHISO_UNKNOWN_PROFILE`.
///
/// # Safety
///
/// `bytes` is NULL or readable for `len` bytes; `out` is NULL or writable; `error` is NULL or
/// writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_load(
    bytes: *const u8,
    len: usize,
    out: *mut *mut chiso_scorer,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: a non-NULL `bytes` is readable for `len` bytes (the caller's promise).
        let bytes = unsafe { args::bytes(bytes.cast::<c_char>(), len, "bytes")? };
        args::out(out, "out")?;
        let session = Score766Session::load_partial(bytes, "partial")?;
        let scorer = Box::new(chiso_scorer { session, csv_utf8: Utf8Stream::default() });
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(Box::into_raw(scorer)) };
        Ok(())
    })
}

/// Frees a scorer, in whatever state. `chiso_scorer_free(NULL)` does nothing.
///
/// # Safety
///
/// `scorer` is NULL or a scorer from `chiso_scorer_new`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_scorer_free(scorer: *mut chiso_scorer) {
    if !scorer.is_null() {
        // SAFETY: a non-NULL `scorer` came from `Box::into_raw` in `chiso_scorer_new` and, by the
        // caller's promise, has not been freed.
        drop(unsafe { Box::from_raw(scorer) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chiso_core::api::Score766Builder;
    use std::ptr;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../examples/cli/sample/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// What `chiso score766 --dossiers … --format json` computes (the session reading the file
    /// with the parallel driver), with the files named as the C API names them.
    fn core_scorecard(period: &str) -> String {
        let (units, procedures, counts) = (sample("units.csv"), sample("procedures.csv"), sample("counts.json"));
        let mut session = Score766Builder::new(period)
            .units(Some(&units))
            .procedures(Some(&procedures))
            .counts(Some(&counts))
            .build()
            .unwrap();
        session.read_dossiers(&sample("dossiers.csv")[..], RecordFormat::Csv, 2, &mut |_| {}).unwrap();
        session.load_feedback(&sample("feedback.csv")[..], RecordFormat::Csv).unwrap();
        session.finish().unwrap().to_json()
    }

    fn status_name(status: chiso_status) -> &'static str {
        // SAFETY: chiso_status_name returns a static NUL-terminated string.
        unsafe { std::ffi::CStr::from_ptr(crate::status::chiso_status_name(status as std::ffi::c_int)) }
            .to_str()
            .unwrap()
    }

    #[test]
    fn counts_of_another_period_and_misuse_have_the_session_codes() {
        let text = |b: &[u8]| (b.as_ptr().cast::<c_char>(), b.len());
        let mut scorer = ptr::null_mut();
        // SAFETY: every pointer is live for the call and every length is its buffer's.
        unsafe {
            let (p, n) = text(b"2026-08");
            assert_eq!(
                chiso_scorer_new(ptr::null(), 0, p, n, &raw mut scorer, ptr::null_mut()),
                chiso_status::CHISO_OK
            );
            let (p, n) = text(br#"{ "period": "2026-07", "units": [] }"#);
            let status = chiso_scorer_load_counts_json(scorer, p, n, ptr::null_mut());
            assert_eq!(status, chiso_status::CHISO_INVALID_INPUT);
            assert_eq!(status_name(status), "invalid_input");
            // Pushing nothing does not end the loading phase (issue 13, defect 11).
            assert_eq!(chiso_scorer_push_csv(scorer, ptr::null(), 0, ptr::null_mut()), chiso_status::CHISO_OK);
            assert_eq!(chiso_scorer_push_dossiers(scorer, ptr::null(), 0, ptr::null_mut()), chiso_status::CHISO_OK);
            let units = b"id,name,parent,level\nt,T,,commune\n";
            let (p, n) = text(units);
            assert_eq!(chiso_scorer_load_units_csv(scorer, p, n, ptr::null_mut()), chiso_status::CHISO_OK);
            // Units twice is misuse, named as the WASM package names it.
            let status = chiso_scorer_load_units_csv(scorer, p, n, ptr::null_mut());
            assert_eq!(status, chiso_status::CHISO_MISUSE);
            assert_eq!(status_name(status), "misuse");
            chiso_scorer_free(scorer);
        }
    }

    /// A scorer of `period` made through the C API with the sample town's units, procedures and
    /// counts, its dossiers pushed in chunks of `chunk` bytes, then its feedback; the caller
    /// finishes and frees it.
    fn c_scorer_with_sample(period: &str, chunk: usize) -> *mut chiso_scorer {
        let mut scorer = ptr::null_mut();
        let ok = chiso_status::CHISO_OK;
        let text = |b: &[u8]| (b.as_ptr().cast::<c_char>(), b.len());
        // SAFETY: every pointer is live for the call and every length is its buffer's.
        unsafe {
            let (p, n) = text(period.as_bytes());
            assert_eq!(chiso_scorer_new(ptr::null(), 0, p, n, &raw mut scorer, ptr::null_mut()), ok);
            let units = sample("units.csv");
            let (p, n) = text(&units);
            assert_eq!(chiso_scorer_load_units_csv(scorer, p, n, ptr::null_mut()), ok);
            let procedures = sample("procedures.csv");
            let (p, n) = text(&procedures);
            assert_eq!(chiso_scorer_load_procedures_csv(scorer, p, n, ptr::null_mut()), ok);
            let counts = sample("counts.json");
            let (p, n) = text(&counts);
            assert_eq!(chiso_scorer_load_counts_json(scorer, p, n, ptr::null_mut()), ok);
            for piece in sample("dossiers.csv").chunks(chunk) {
                let (p, n) = text(piece);
                assert_eq!(chiso_scorer_push_csv(scorer, p, n, ptr::null_mut()), ok);
            }
            let feedback = sample("feedback.csv");
            let (p, n) = text(&feedback);
            assert_eq!(chiso_scorer_load_feedback_csv(scorer, p, n, ptr::null_mut()), ok);
        }
        scorer
    }

    /// The text of `out` (then freed) and the scorer freed.
    ///
    /// # Safety
    /// `out` holds bytes the library wrote and `scorer` is a live scorer.
    unsafe fn take_json(mut out: chiso_bytes, scorer: *mut chiso_scorer) -> String {
        // SAFETY: the caller's promise.
        unsafe {
            let json = std::str::from_utf8(std::slice::from_raw_parts(out.data, out.len)).unwrap().to_owned();
            crate::bytes::chiso_bytes_free(&raw mut out);
            chiso_scorer_free(scorer);
            json
        }
    }

    /// The same through the C API, the dossiers pushed in chunks of `chunk` bytes.
    fn c_scorecard(period: &str, chunk: usize) -> String {
        let scorer = c_scorer_with_sample(period, chunk);
        let mut out = chiso_bytes { data: ptr::null(), len: 0 };
        // SAFETY: `scorer` is live and `out` writable; the bytes written are taken once.
        unsafe {
            assert_eq!(chiso_scorer_finish(scorer, &raw mut out, ptr::null_mut()), chiso_status::CHISO_OK);
            take_json(out, scorer)
        }
    }

    #[test]
    fn a_range_finishes_as_a_series_whose_periods_are_the_single_scorecards() {
        let scorer = c_scorer_with_sample("2026-09..2026-10", usize::MAX);
        let mut out = chiso_bytes { data: ptr::null(), len: 0 };
        // SAFETY: `scorer` is live and `out` writable; the bytes written are taken once.
        let json = unsafe {
            assert_eq!(chiso_scorer_finish(scorer, &raw mut out, ptr::null_mut()), chiso_status::CHISO_MISUSE);
            assert_eq!(chiso_scorer_finish_series(scorer, &raw mut out, ptr::null_mut()), chiso_status::CHISO_OK);
            take_json(out, scorer)
        };
        let series: serde_json::Value = serde_json::from_str(&json).unwrap();
        let october: serde_json::Value = serde_json::from_str(&core_scorecard("2026-10")).unwrap();
        assert_eq!(series["scorecards"][1], october);
        assert_eq!(series["periods"], serde_json::json!(["2026-09", "2026-10"]));
    }

    #[test]
    fn the_stream_gives_what_the_command_line_driver_gives_on_the_sample_town() {
        for period in ["2026-10", "2026-Q4"] {
            let expected = core_scorecard(period);
            assert!(expected.contains("\"unit\": \"tt-phu-my\""));
            for chunk in [1, 7, 4096, usize::MAX] {
                assert!(c_scorecard(period, chunk) == expected, "period {period}, chunks of {chunk} bytes");
            }
        }
    }
}
