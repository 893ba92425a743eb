//! One-call functions: inputs as (pointer, length) UTF-8, output the JSON of `formats.md`, byte for
//! byte what the command line prints.

use std::ffi::c_char;

use chiso_core::api::{EvaluateRequest, EvaluateSettings, Names766, evaluate, score_counts};
use chiso_core::builtin::builtin_plan;

use crate::args;
use crate::bytes::chiso_bytes;
use crate::error::{Failure, boundary, chiso_error};
use crate::status::chiso_status;

/// The built-in plan (the catalogue of `plan.md`) as JSON: the starting point of a plan of one's
/// own, to edit and pass to `chiso_evaluate_json`.
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`.
/// Errors: `CHISO_NULL_ARGUMENT` when `out` is NULL. `error` may be NULL; otherwise on failure
/// `*error` receives an error to free with `chiso_error_free`.
///
/// # Safety
///
/// `out` is NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_plan_builtin_json(out: *mut chiso_bytes, error: *mut *mut chiso_error) -> chiso_status {
    boundary!(error, {
        args::out(out, "out")?;
        let json = chiso_bytes::from_string(builtin_plan().to_json());
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(json) };
        Ok(())
    })
}

/// The inputs of an evaluation as the C caller gives them: (pointer, length) pairs.
struct EvaluateInputs {
    plan: (*const c_char, usize),
    units: (*const c_char, usize),
    observations: (*const c_char, usize),
    as_of: (*const c_char, usize),
    /// The input options' JSON, for `chiso_evaluate_with_options_json`: with them the units and
    /// observations may be workbooks (bytes, not text). `None` for the plain calls.
    options: Option<(*const c_char, usize)>,
    /// Records beside the observations, for `chiso_evaluate_with_records_json`.
    records: Option<crate::derive::RecordPointers>,
}

impl EvaluateInputs {
    /// The core's request of these inputs, each checked as text, the required ones not NULL.
    ///
    /// # Safety
    ///
    /// Each pointer is NULL or readable for its length, and unchanged while the request lives.
    unsafe fn request<'a>(&self, settings: &'a EvaluateSettings) -> Result<EvaluateRequest<'a>, Failure> {
        // SAFETY: the caller's promise.
        let (plan, as_of): (Option<&'a str>, &'a str) = unsafe {
            (
                args::optional_text(self.plan.0, self.plan.1, "plan_json")?,
                args::text(self.as_of.0, self.as_of.1, "as_of")?,
            )
        };
        let (units, observations): (Option<&'a [u8]>, &'a [u8]) = match self.options {
            // SAFETY: the caller's promise.
            Some(_) => unsafe {
                (
                    args::optional_table(self.units.0, self.units.1, "units")?,
                    args::table(self.observations.0, self.observations.1, "observations")?,
                )
            },
            // SAFETY: the caller's promise.
            None => unsafe {
                (
                    args::optional_text(self.units.0, self.units.1, "units_csv")?.map(str::as_bytes),
                    args::text(self.observations.0, self.observations.1, "observations_csv")?.as_bytes(),
                )
            },
        };
        // SAFETY: the caller's promise.
        let records = match &self.records {
            Some(pointers) => Some(unsafe { pointers.records() }?),
            None => None,
        };
        Ok(settings.apply(EvaluateRequest {
            plan_json: plan.map(str::as_bytes),
            units_csv: units.map(|u| Box::new(u) as Box<dyn std::io::Read>),
            as_of: Some(as_of),
            records,
            ..EvaluateRequest::new(observations)
        }))
    }

    /// Evaluates these inputs and writes `render` of the result to `*out`: the body of every
    /// evaluating call (the arguments checked, then `out`, then the core's evaluation).
    ///
    /// # Safety
    ///
    /// As [`Self::request`]; `out` is NULL or writable.
    unsafe fn evaluate_into(
        &self,
        out: *mut chiso_bytes,
        render: impl FnOnce(&chiso_core::api::Evaluated) -> String,
    ) -> Result<(), Failure> {
        // SAFETY: the caller's promise on each pointer, passed on.
        let settings = unsafe { self.settings() }?;
        // SAFETY: the caller's promise on each pointer, passed on.
        let request = unsafe { self.request(&settings) }?;
        args::out(out, "out")?;
        let json = chiso_bytes::from_string(render(&evaluate_request(request)?));
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(json) };
        Ok(())
    }

    /// The settings of `options_json` (the defaults for the plain calls).
    ///
    /// # Safety
    ///
    /// The options pointer is NULL or readable for its length.
    unsafe fn settings(&self) -> Result<EvaluateSettings, Failure> {
        let Some((json, len)) = self.options else { return Ok(EvaluateSettings::default()) };
        // SAFETY: the caller's promise.
        let text = unsafe { args::optional_text(json, len, "options_json") }?.unwrap_or("");
        Ok(EvaluateSettings::from_json(text.as_bytes(), "options_json")?)
    }
}

/// Evaluates a request: the date is required here, as the library never reads the clock.
fn evaluate_request(request: EvaluateRequest<'_>) -> Result<chiso_core::api::Evaluated, chiso_core::Error> {
    evaluate(request, || chiso_core::date::Date::from_days_since_epoch(0))
}

/// Evaluates a plan on observations as of a date, and gives the evaluation JSON (`formats.md`,
/// "Evaluation result"): what `chiso evaluate` prints for the same inputs.
///
/// Inputs are UTF-8 text given as (pointer, length); they are only read, and may be freed as soon
/// as the call returns.
/// - `plan_json`: a plan (`chiso_plan_builtin_json` gives the built-in one to start from), or NULL
///   for the built-in plan.
/// - `units_csv`: `units.csv`, or NULL for a flat list of the units observed.
/// - `observations_csv`: `observations.csv`; required.
/// - `as_of`: the as-of date, `YYYY-MM-DD`; required.
///
/// Rejected rows do not fail the call: they are listed in the JSON's `rejected`, with the sources
/// named `plan.json`, `units.csv` and `observations.csv`.
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`.
/// Errors: `CHISO_NULL_ARGUMENT` (`observations_csv`, `as_of` or `out` NULL),
/// `CHISO_INVALID_UTF8`, `CHISO_INVALID_ARGUMENT` (the date), `CHISO_BAD_JSON` and
/// `CHISO_INVALID_PLAN` (the plan), `CHISO_BAD_HEADER`, `CHISO_MISSING_COLUMN`, `CHISO_IO`,
/// `CHISO_INVALID_INPUT` (the CSV files). `*out` is written only on success. `error` may be NULL;
/// otherwise on failure `*error` receives an error to free with `chiso_error_free`.
///
/// # Safety
///
/// Each input pointer is NULL or readable for its length, and unchanged during the call; `out` is
/// NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_evaluate_json(
    plan_json: *const c_char,
    plan_json_len: usize,
    units_csv: *const c_char,
    units_csv_len: usize,
    observations_csv: *const c_char,
    observations_csv_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    let inputs = EvaluateInputs {
        plan: (plan_json, plan_json_len),
        units: (units_csv, units_csv_len),
        observations: (observations_csv, observations_csv_len),
        as_of: (as_of, as_of_len),
        options: None,
        records: None,
    };
    boundary!(error, {
        // SAFETY: the caller's promise on each pointer and on `out`, passed on.
        unsafe { inputs.evaluate_into(out, |e| e.evaluation.to_json()) }
    })
}

/// Evaluates as `chiso_evaluate_json` does, reading the units and observations as real exports
/// under `options_json` (NULL or empty for the defaults): the keys of
/// `chiso_scorer_set_input_options`, and the evaluation's own `strict`, `unit`, `method`
/// (`linear`, `growth-ratio`, `logit`), `min_rank_denominator` and `pro_rata` (judge an open
/// recurring period against the share of it elapsed: `on_track`/`at_risk` with
/// `pro_rata.expected_numerator`), as `chiso evaluate`'s options. With input options, the units and
/// observations may be an Excel workbook (`.xlsx`, its bytes as
/// they are), a CSV file with a title block, another separator, headers and values of a column
/// map, decimal commas. A sheet's rejected rows are named `observations.csv#Sheet`, with the
/// sheet's row numbers.
///
/// Errors: as `chiso_evaluate_json`, and `CHISO_INVALID_INPUT` (the options). `*out` is written
/// only on success. `error` may be NULL; otherwise on failure `*error` receives an error to free
/// with `chiso_error_free`.
///
/// # Safety
///
/// Each input pointer is NULL or readable for its length, and unchanged during the call; `out` is
/// NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_evaluate_with_options_json(
    plan_json: *const c_char,
    plan_json_len: usize,
    units: *const c_char,
    units_len: usize,
    observations: *const c_char,
    observations_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    options_json: *const c_char,
    options_json_len: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    let inputs = EvaluateInputs {
        plan: (plan_json, plan_json_len),
        units: (units, units_len),
        observations: (observations, observations_len),
        as_of: (as_of, as_of_len),
        options: Some((options_json, options_json_len)),
        records: None,
    };
    boundary!(error, {
        // SAFETY: the caller's promise on each pointer and on `out`, passed on.
        unsafe { inputs.evaluate_into(out, |e| e.evaluation.to_json()) }
    })
}

/// Evaluates as `chiso_evaluate_with_options_json` does, with dossier, procedure and feedback
/// records beside the observations: the observations the records determine (`chiso_derive_json`)
/// are used where no typed observation of the same unit and indicator covers the period (a typed
/// one wins), and each result with a value says its `source` (`typed`, `derived` or `mixed`) and,
/// when derived, its `rule`: what `chiso evaluate --dossiers … --procedures … --feedback …` prints.
///
/// - `dossiers`: CSV, a workbook, or JSON lines (told by their content); required.
/// - `procedures_csv`, `feedback`: NULL when not given. The other inputs as
///   `chiso_evaluate_with_options_json`'s (`observations` may be a header alone).
///
/// Errors: as `chiso_evaluate_with_options_json` (`CHISO_NULL_ARGUMENT` also for `dossiers`).
/// Rejected record rows are listed in the JSON's `rejected`. `*out` is written only on success.
/// `error` may be NULL; otherwise on failure `*error` receives an error to free with
/// `chiso_error_free`.
///
/// # Safety
///
/// Each input pointer is NULL or readable for its length, and unchanged during the call; `out` is
/// NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_evaluate_with_records_json(
    plan_json: *const c_char,
    plan_json_len: usize,
    units: *const c_char,
    units_len: usize,
    observations: *const c_char,
    observations_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    dossiers: *const c_char,
    dossiers_len: usize,
    procedures_csv: *const c_char,
    procedures_csv_len: usize,
    feedback: *const c_char,
    feedback_len: usize,
    options_json: *const c_char,
    options_json_len: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    let inputs = EvaluateInputs {
        plan: (plan_json, plan_json_len),
        units: (units, units_len),
        observations: (observations, observations_len),
        as_of: (as_of, as_of_len),
        options: Some((options_json, options_json_len)),
        records: Some(crate::derive::RecordPointers {
            dossiers: (dossiers, dossiers_len),
            procedures: (procedures_csv, procedures_csv_len),
            feedback: (feedback, feedback_len),
        }),
    };
    boundary!(error, {
        // SAFETY: the caller's promise on each pointer and on `out`, passed on.
        unsafe { inputs.evaluate_into(out, |e| e.evaluation.to_json()) }
    })
}

/// Evaluates as `chiso_evaluate_json` does, with the same arguments, and gives the current
/// results grouped by the plan's responsible roles, most urgent first: what
/// `chiso report --by role --format json` prints (less its final newline). Every role of the plan
/// is listed, each with `attention` (how many of its results are off track, at risk or not met)
/// and its `results`; results of indicators that name no role of the plan are in `unassigned`.
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`. Errors as
/// `chiso_evaluate_json`. `*out` is written only on success. `error` may be NULL; otherwise on
/// failure `*error` receives an error to free with `chiso_error_free`.
///
/// # Safety
///
/// Each input pointer is NULL or readable for its length, and unchanged during the call; `out` is
/// NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_report_by_role_json(
    plan_json: *const c_char,
    plan_json_len: usize,
    units_csv: *const c_char,
    units_csv_len: usize,
    observations_csv: *const c_char,
    observations_csv_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    let inputs = EvaluateInputs {
        plan: (plan_json, plan_json_len),
        units: (units_csv, units_csv_len),
        observations: (observations_csv, observations_csv_len),
        as_of: (as_of, as_of_len),
        options: None,
        records: None,
    };
    boundary!(error, {
        // SAFETY: the caller's promise on each pointer and on `out`, passed on.
        unsafe { inputs.evaluate_into(out, |e| chiso_core::by_role::by_role(&e.evaluation, &e.plan).to_json()) }
    })
}

/// Scores counts on the Decision 766 index: a counts JSON (`formats.md`, "Decision 766 counts")
/// in, the scorecard JSON (`formats.md`, "Decision 766 scorecard") out, what
/// `chiso score766 --counts FILE --format json` prints, less its final newline.
///
/// - `counts_json`: the counts; required. Rejected units and metrics (a numerator above its
///   denominator, a duplicate unit) do not fail the call: they are listed in the scorecard's
///   `rejected`, with the source named `counts.json`.
/// - `profile`: `portal-2026` (the default) or `decision-2022`; NULL for the default.
///
/// On success `*out` receives the JSON, which the caller frees with `chiso_bytes_free`.
/// Errors: `CHISO_NULL_ARGUMENT` (`counts_json` or `out` NULL), `CHISO_INVALID_UTF8`,
/// `CHISO_BAD_JSON`, `CHISO_UNKNOWN_PROFILE`.
///
/// # Safety
///
/// Each input pointer is NULL or readable for its length, and unchanged during the call; `out` is
/// NULL or writable; `error` is NULL or writable.
#[must_use = "outputs are written only when the status is CHISO_OK"]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn chiso_score766_counts_json(
    counts_json: *const c_char,
    counts_json_len: usize,
    profile: *const c_char,
    profile_len: usize,
    out: *mut chiso_bytes,
    error: *mut *mut chiso_error,
) -> chiso_status {
    boundary!(error, {
        // SAFETY: each non-NULL pointer is readable for its length, unchanged during the call (the
        // caller's promise).
        let (counts, profile) = unsafe {
            (
                args::text(counts_json, counts_json_len, "counts_json")?,
                args::optional_text(profile, profile_len, "profile")?,
            )
        };
        args::out(out, "out")?;
        let card = score_counts(counts.as_bytes(), &Names766::default().counts, profile, None, false)?;
        let json = chiso_bytes::from_string(card.to_json());
        // SAFETY: `out` is not NULL, and writable by the caller's promise.
        unsafe { out.write(json) };
        Ok(())
    })
}
