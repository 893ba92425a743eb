//! WebAssembly bindings of chiso for browsers and Node (`wasm-bindgen --target web`).
//!
//! The JS API (names are part of the contract; see `README.md`):
//! - `version()`, `builtinPlan()`, `units(unitsCsv)`, `labels(lang?)` (every word a page shows, from
//!   the core's label catalogue, so a page keeps no label table of its own), `localizeText(text,
//!   lang?)` and `rejectionText(rejection, lang?)` (a rejection's reason or an error's message, which
//!   stay English in the data, told in the page's language);
//! - `evaluate({ plan?, unitsCsv?, observationsCsv, asOf? })` returning the evaluation document of
//!   `formats.md`, and `evaluateJson(...)` returning the exact text the CLI prints;
//! - `portalImport(files, period)` and `portalCheck(files, period, profile?)` (and their `…Json`
//!   forms): the national portal's saved evaluation responses, given as `{ endpoint: json }` (or
//!   an array of `[endpoint, json]`), read into counts, or every published score recomputed;
//! - misuse throws `ChisoError` (an `Error` subclass with a stable `code`); rejected rows come back
//!   as data in `rejected`.
//!
//! Every result is the core's own JSON parsed by `JSON.parse`, so JS sees the CLI's values exactly.
#![deny(missing_docs)]

mod error;
mod js;
pub mod portal;
pub mod request;
pub mod score;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use wasm_bindgen::prelude::*;

pub use error::{ChisoError, Failure};
use request::Inputs;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// The argument of `evaluate`.
    #[wasm_bindgen(typescript_type = "EvaluateInput")]
    #[derive(Debug, Clone)]
    pub type EvaluateInput;
    /// The evaluation document.
    #[wasm_bindgen(typescript_type = "Evaluation")]
    #[derive(Debug, Clone)]
    pub type EvaluationObject;
    /// A plan.
    #[wasm_bindgen(typescript_type = "Plan")]
    #[derive(Debug, Clone)]
    pub type PlanObject;
    /// CSV text or bytes.
    #[wasm_bindgen(typescript_type = "Bytes")]
    #[derive(Debug, Clone)]
    pub type BytesInput;
    /// The units of a `units.csv`.
    #[wasm_bindgen(typescript_type = "UnitList")]
    #[derive(Debug, Clone)]
    pub type UnitListObject;
    /// A Decision 766 scorecard.
    #[wasm_bindgen(typescript_type = "Scorecard766")]
    #[derive(Debug, Clone)]
    pub type ScorecardObject;
    /// Counts JSON text or bytes, or the counts object.
    #[wasm_bindgen(typescript_type = "Counts766 | Bytes")]
    #[derive(Debug, Clone)]
    pub type CountsInput;
    /// The label catalogue in one language.
    #[wasm_bindgen(typescript_type = "LabelCatalogue")]
    #[derive(Debug, Clone)]
    pub type LabelCatalogueObject;
    /// A rejected row.
    #[wasm_bindgen(typescript_type = "Rejection")]
    #[derive(Debug, Clone)]
    pub type RejectionObject;
    /// The options of `new Scorer766(...)`.
    #[wasm_bindgen(typescript_type = "Scorer766Options")]
    #[derive(Debug, Clone)]
    pub type Scorer766Options;
    /// The records behind a Decision 766 number.
    #[wasm_bindgen(typescript_type = "Explanation766")]
    #[derive(Debug, Clone)]
    pub type Explanation766Object;
    /// A Decision 766 series.
    #[wasm_bindgen(typescript_type = "Series766")]
    #[derive(Debug, Clone)]
    pub type SeriesObject;
    /// The portal's saved responses.
    #[wasm_bindgen(typescript_type = "PortalFiles")]
    #[derive(Debug, Clone)]
    pub type PortalFilesInput;
    /// The counts read from the portal's responses.
    #[wasm_bindgen(typescript_type = "PortalCounts")]
    #[derive(Debug, Clone)]
    pub type PortalCountsObject;
    /// The check of the portal's published values.
    #[wasm_bindgen(typescript_type = "PortalCheck")]
    #[derive(Debug, Clone)]
    pub type PortalCheckObject;
    /// An evaluation grouped by responsible role.
    #[wasm_bindgen(typescript_type = "RoleReport")]
    #[derive(Debug, Clone)]
    pub type RoleReportObject;
    /// The argument of `deriveObservations`.
    #[wasm_bindgen(typescript_type = "DeriveInput")]
    #[derive(Debug, Clone)]
    pub type DeriveInput;
    /// Observations derived from records.
    #[wasm_bindgen(typescript_type = "Derived")]
    #[derive(Debug, Clone)]
    pub type DerivedObject;
    /// The argument of `explainIndicator`.
    #[wasm_bindgen(typescript_type = "ExplainIndicatorInput")]
    #[derive(Debug, Clone)]
    pub type ExplainIndicatorInput;
    /// The records behind a derived indicator's shortfall.
    #[wasm_bindgen(typescript_type = "Shortfall")]
    #[derive(Debug, Clone)]
    pub type ShortfallObject;
}

/// The library's version (the crate's, as the CLI's `--version` prints).
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Every label of the core's catalogue in `lang` (`"vi"`, the default, or `"en"`): statuses,
/// reasons, confidences, Decision 766 metric and group names, and the words of reports and pages.
#[wasm_bindgen(js_name = labels)]
pub fn labels(
    #[wasm_bindgen(unchecked_optional_param_type = "Lang")] lang: Option<String>,
) -> Result<LabelCatalogueObject, ChisoError> {
    let json = labels_json(lang.as_deref()).map_err(throw)?;
    Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
}

/// A rejection's `reason` or an error's `message` (English, as JSON and `ChisoError` give them) in
/// `lang` (`"vi"`, the default, or `"en"`): the core matches the text against its catalogue and
/// fills the template of `lang` with the same values; a text it does not know comes back as is.
#[wasm_bindgen(js_name = localizeText)]
pub fn localize_text(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang")] lang: Option<String>,
) -> Result<String, ChisoError> {
    localized(text, lang.as_deref()).map_err(throw)
}

/// A rejected row as a person reads it in `lang`: `source: dòng 3, cột `numerator`: 11 lớn hơn
/// mẫu số 10` (`row 3, column …` in English, the reason as in JSON).
#[wasm_bindgen(js_name = rejectionText)]
pub fn rejection_text(
    rejection: &RejectionObject,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang")] lang: Option<String>,
) -> Result<String, ChisoError> {
    let json = js::bytes(rejection, "rejection", true).map_err(throw)?;
    rejection_text_json(&json, lang.as_deref()).map_err(throw)
}

fn parse_lang(lang: Option<&str>) -> Result<chiso::labels::Lang, Failure> {
    lang.map_or(Ok(chiso::labels::Lang::default()), str::parse).map_err(Failure::argument)
}

/// `text` in `lang` (what `localizeText` returns).
///
/// # Errors
/// A language other than `vi` or `en`.
pub fn localized(text: &str, lang: Option<&str>) -> Result<String, Failure> {
    Ok(chiso::labels::localize(text, parse_lang(lang)?).into_owned())
}

/// The rejection of JSON `json` in `lang` (what `rejectionText` returns).
///
/// # Errors
/// A language other than `vi` or `en`, or JSON that is not a rejection.
pub fn rejection_text_json(json: &[u8], lang: Option<&str>) -> Result<String, Failure> {
    let lang = parse_lang(lang)?;
    let rejection: chiso::input::Rejection = serde_json::from_slice(json)
        .map_err(|e| Failure::argument(format!("`rejection` is not a rejected row: {e}")))?;
    Ok(rejection.to_string_in(lang))
}

/// The catalogue in `lang` as JSON (what `labels` parses).
///
/// # Errors
/// A language other than `vi` or `en`.
pub fn labels_json(lang: Option<&str>) -> Result<String, Failure> {
    Ok(chiso::labels::Catalogue::new(parse_lang(lang)?).to_json())
}

/// The built-in plan (the town's plan), as an object.
#[wasm_bindgen(js_name = builtinPlan)]
pub fn builtin_plan() -> Result<PlanObject, ChisoError> {
    Ok(js::parse_json(&chiso::builtin::builtin_plan().to_json()).map_err(throw)?.unchecked_into())
}

/// The built-in plan as the JSON text `chiso plan` prints.
#[wasm_bindgen(js_name = builtinPlanJson)]
#[must_use]
pub fn builtin_plan_json() -> String {
    chiso::builtin::builtin_plan().to_json()
}

/// Evaluates a plan on observations; the document of `chiso evaluate --format json`.
#[wasm_bindgen]
pub fn evaluate(input: EvaluateInput) -> Result<EvaluationObject, ChisoError> {
    let json = evaluate_text(&input).map_err(throw)?;
    Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
}

/// Like `evaluate`, but returns the exact JSON text the CLI prints (byte-identical).
#[wasm_bindgen(js_name = evaluateJson)]
pub fn evaluate_json(input: EvaluateInput) -> Result<String, ChisoError> {
    evaluate_text(&input).map_err(throw)
}

/// Evaluates as `evaluate` does and returns the Excel workbook of `chiso evaluate --format xlsx`
/// (results, a chart per indicator, rejected rows, missing data), labels in `lang` (`"vi"`, the
/// default, or `"en"`).
#[cfg(feature = "xlsx")]
#[wasm_bindgen(js_name = evaluationXlsx)]
pub fn evaluation_xlsx(
    input: EvaluateInput,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang")] lang: Option<String>,
) -> Result<Vec<u8>, ChisoError> {
    let inputs = inputs(&input).map_err(throw)?;
    xlsx::evaluation(&inputs, lang.as_deref(), js::today_in_vietnam).map_err(throw)
}

/// A Decision 766 scorecard (what `scoreCounts` or `Scorer766.finish` return) as the Excel
/// workbook of `chiso score766 --format xlsx`, labels in `lang`.
#[cfg(feature = "xlsx")]
#[wasm_bindgen(js_name = scorecardXlsx)]
pub fn scorecard_xlsx(
    scorecard: &ScorecardObject,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang")] lang: Option<String>,
) -> Result<Vec<u8>, ChisoError> {
    let json = js::bytes(scorecard, "scorecard", true).map_err(throw)?;
    xlsx::scorecard(&json, lang.as_deref()).map_err(throw)
}

/// A Decision 766 series (what `Scorer766.finishSeries` returns) as the Excel workbook of
/// `chiso score766 --period A..B --format xlsx`, labels in `lang`.
#[cfg(feature = "xlsx")]
#[wasm_bindgen(js_name = seriesXlsx)]
pub fn series_xlsx(
    series: &SeriesObject,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang")] lang: Option<String>,
) -> Result<Vec<u8>, ChisoError> {
    let json = js::bytes(series, "series", true).map_err(throw)?;
    xlsx::series(&json, lang.as_deref()).map_err(throw)
}

/// Evaluates as `evaluate` does, then groups the current results by the plan's responsible
/// roles, most urgent first: the document of `chiso report --by role --format json`.
#[wasm_bindgen(js_name = reportByRole)]
pub fn report_by_role(input: EvaluateInput) -> Result<RoleReportObject, ChisoError> {
    let json = by_role_text(&input).map_err(throw)?;
    Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
}

/// Like `reportByRole`, but returns the exact JSON text the CLI prints, less its newline.
#[wasm_bindgen(js_name = reportByRoleJson)]
pub fn report_by_role_json(input: EvaluateInput) -> Result<String, ChisoError> {
    by_role_text(&input).map_err(throw)
}

/// The observations dossier records determine, per unit and month from `from` to `to`: the
/// document of `chiso derive --format json`.
#[wasm_bindgen(js_name = deriveObservations)]
pub fn derive_observations(input: DeriveInput) -> Result<DerivedObject, ChisoError> {
    let read = || -> Result<String, Failure> {
        let inputs = record_inputs(&input)?;
        let from =
            js::string_field(&input, "from")?.ok_or_else(|| Failure::argument("`from` is required (YYYY-MM)"))?;
        let to = js::string_field(&input, "to")?.ok_or_else(|| Failure::argument("`to` is required (YYYY-MM)"))?;
        request::derive(&inputs, &from, &to)
    };
    Ok(js::parse_json(&read().map_err(throw)?).map_err(throw)?.unchecked_into())
}

/// The records behind the shortfall of a plan indicator derived from records, for a unit (and
/// its subtree) and a period: the document of `chiso explain --indicator … --format json`, whose
/// `items` are exactly denominator − numerator (up to `limit`).
#[wasm_bindgen(js_name = explainIndicator)]
pub fn explain_indicator(input: ExplainIndicatorInput) -> Result<ShortfallObject, ChisoError> {
    let read = || -> Result<String, Failure> {
        let inputs = record_inputs(&input)?;
        let need = |name: &str| -> Result<String, Failure> {
            js::string_field(&input, name)?.ok_or_else(|| Failure::argument(format!("`{name}` is required")))
        };
        let limit = js::count_field(&input, "limit")?.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        request::explain(&inputs, (&need("indicator")?, &need("unit")?, &need("period")?), limit)
    };
    Ok(js::parse_json(&read().map_err(throw)?).map_err(throw)?.unchecked_into())
}

/// The records of a `deriveObservations` or `explainIndicator` argument.
fn record_inputs(input: &JsValue) -> Result<Inputs, Failure> {
    Ok(Inputs {
        units: js::bytes_field(input, "unitsCsv", false)?,
        strict: js::bool_field(input, "strict")?,
        input: js::bytes_field(input, "inputOptions", true)?,
        dossiers: Some(
            js::bytes_field(input, "dossiersCsv", false)?
                .ok_or_else(|| Failure::argument("`dossiersCsv` is required"))?,
        ),
        procedures: js::bytes_field(input, "proceduresCsv", false)?,
        feedback: js::bytes_field(input, "feedbackCsv", false)?,
        ..Inputs::default()
    })
}

/// Reads `units.csv` into a list of units in tree order, for drawing the unit tree.
#[wasm_bindgen]
pub fn units(units_csv: BytesInput) -> Result<UnitListObject, ChisoError> {
    let bytes = js::bytes(&units_csv, "unitsCsv", false).map_err(throw)?;
    let json = request::unit_list(&bytes).map_err(throw)?;
    Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
}

/// Scores Decision 766 counts (formats.md, "Decision 766 counts") under a profile
/// (`portal-2026`, the default, or `decision-2022`); the document of `chiso score766 --counts`.
#[wasm_bindgen(js_name = scoreCounts)]
pub fn score_counts(
    counts_json: CountsInput,
    profile: Option<String>,
    rank_incomplete: Option<bool>,
) -> Result<ScorecardObject, ChisoError> {
    let json = score_counts_text(&counts_json, profile.as_deref(), rank_incomplete).map_err(throw)?;
    Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
}

/// Like `scoreCounts`, but returns the exact JSON text the CLI prints.
#[wasm_bindgen(js_name = scoreCountsJson)]
pub fn score_counts_json(
    counts_json: CountsInput,
    profile: Option<String>,
    rank_incomplete: Option<bool>,
) -> Result<String, ChisoError> {
    score_counts_text(&counts_json, profile.as_deref(), rank_incomplete).map_err(throw)
}

/// `rank_incomplete`: rank units with a missing or invalid metric too (by default they are listed
/// unranked).
fn score_counts_text(
    counts: &JsValue,
    profile: Option<&str>,
    rank_incomplete: Option<bool>,
) -> Result<String, Failure> {
    let bytes = js::bytes(counts, "countsJson", true)?;
    let mut card = score::score_counts(&bytes, profile)?;
    if rank_incomplete == Some(true) {
        card.rank(true);
    }
    Ok(card.to_json())
}

/// Reads the national portal's saved evaluation responses (`files`: `{ endpoint: json }`, or an
/// array of `[endpoint, json]` pairs or `{ endpoint, json }` objects) for `period` (`YYYY-MM`)
/// into counts: the document `chiso portal import` writes (units joined by `departmentId`, a
/// metric full by publication as `"full"`). A malformed response throws `bad_json` or
/// `invalid_input` naming its endpoint and JSON path.
#[wasm_bindgen(js_name = portalImport)]
pub fn portal_import(files: PortalFilesInput, period: Option<String>) -> Result<PortalCountsObject, ChisoError> {
    let json = portal_import_text(&files, period.as_deref()).map_err(throw)?;
    Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
}

/// Like `portalImport`, but returns the exact JSON text the CLI writes (without its final newline).
#[wasm_bindgen(js_name = portalImportJson)]
pub fn portal_import_json(files: PortalFilesInput, period: Option<String>) -> Result<String, ChisoError> {
    portal_import_text(&files, period.as_deref()).map_err(throw)
}

/// Reads the responses as `portalImport` does and recomputes every published value under a
/// profile (`portal-2026`, the default and the portal's): the document of `chiso portal check
/// --format json`. Disagreements are data (`disagreements`, each item's `outcome`), not errors.
#[wasm_bindgen(js_name = portalCheck)]
pub fn portal_check(
    files: PortalFilesInput,
    period: Option<String>,
    profile: Option<String>,
) -> Result<PortalCheckObject, ChisoError> {
    let json = portal_check_text(&files, period.as_deref(), profile.as_deref()).map_err(throw)?;
    Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
}

/// Like `portalCheck`, but returns the exact JSON text the CLI prints (without its final newline).
#[wasm_bindgen(js_name = portalCheckJson)]
pub fn portal_check_json(
    files: PortalFilesInput,
    period: Option<String>,
    profile: Option<String>,
) -> Result<String, ChisoError> {
    portal_check_text(&files, period.as_deref(), profile.as_deref()).map_err(throw)
}

fn portal_import_text(files: &JsValue, period: Option<&str>) -> Result<String, Failure> {
    Ok(portal::import(&js::portal_files(files)?, period)?.counts_json())
}

fn portal_check_text(files: &JsValue, period: Option<&str>, profile: Option<&str>) -> Result<String, Failure> {
    Ok(portal::check(&js::portal_files(files)?, period, profile)?.to_json())
}

/// The Decision 766 scorecard of dossier records streamed in chunks: `pushCsv` each chunk of a
/// dossier CSV (cut anywhere, e.g. from `file.stream()`), then `finish()`. Call `free()` when done
/// with it (or use `using`), as with every wasm-bindgen object.
///
/// The order of calls and every check are the core session's, as in libchiso: units and
/// procedures (in the options or by `loadUnitsCsv` / `loadProceduresCsv`) at most once each and
/// before any record; a counts file once, for the scorer's period or a month within it; a call out
/// of order throws `misuse`, a call after `finish()` throws `scorer_finished`, and a failed push
/// leaves the scorer unusable (`misuse`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Scorer766 {
    session: chiso::api::Score766Session,
    /// Rank incomplete units too (`rankIncomplete`).
    rank_incomplete: bool,
}

#[wasm_bindgen]
impl Scorer766 {
    /// A scorer for `options.period`, with the optional context (units, procedures), feedback and
    /// counts.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Scorer766Options) -> Result<Self, ChisoError> {
        let read = || -> Result<score::ScorerInputs, Failure> {
            Ok(score::ScorerInputs {
                period: js::string_field(&options, "period")?
                    .ok_or_else(|| Failure::argument("`period` is required (YYYY-MM)"))?,
                profile: js::string_field(&options, "profile")?,
                units: js::bytes_field(&options, "unitsCsv", false)?,
                procedures: js::bytes_field(&options, "proceduresCsv", false)?,
                feedback: js::bytes_field(&options, "feedbackCsv", false)?,
                counts: js::bytes_field(&options, "countsJson", true)?,
                strict: js::bool_field(&options, "strict")?,
                input: js::bytes_field(&options, "inputOptions", true)?,
                explain: js::field(&options, "explain")?.map(|e| explain_request(&e)).transpose()?,
            })
        };
        let session = score::start(&read().map_err(throw)?).map_err(throw)?;
        let rank_incomplete = js::bool_field(&options, "rankIncomplete").map_err(throw)?;
        Ok(Self { session, rank_incomplete })
    }

    /// Loads `units.csv` (once, before any record).
    #[wasm_bindgen(js_name = loadUnitsCsv)]
    pub fn load_units_csv(&mut self, csv: BytesInput) -> Result<(), ChisoError> {
        let bytes = js::bytes(&csv, "unitsCsv", false).map_err(throw)?;
        self.session.load_units(bytes.as_slice()).map_err(|e| throw(e.into()))
    }

    /// Loads `procedures.csv` (once, before any record).
    #[wasm_bindgen(js_name = loadProceduresCsv)]
    pub fn load_procedures_csv(&mut self, csv: BytesInput) -> Result<(), ChisoError> {
        let bytes = js::bytes(&csv, "proceduresCsv", false).map_err(throw)?;
        self.session.load_procedures(bytes.as_slice()).map_err(|e| throw(e.into()))
    }

    /// Loads a whole `feedback.csv` (any number of times).
    #[wasm_bindgen(js_name = loadFeedbackCsv)]
    pub fn load_feedback_csv(&mut self, csv: BytesInput) -> Result<(), ChisoError> {
        let bytes = js::bytes(&csv, "feedbackCsv", false).map_err(throw)?;
        self.session.load_feedback(bytes.as_slice(), chiso::api::RecordFormat::Csv).map_err(|e| throw(e.into()))
    }

    /// Loads a counts JSON (once; in a series, once per period) for the metrics records cannot
    /// give.
    #[wasm_bindgen(js_name = loadCountsJson)]
    pub fn load_counts_json(&mut self, counts: CountsInput) -> Result<(), ChisoError> {
        let bytes = js::bytes(&counts, "countsJson", true).map_err(throw)?;
        self.session.load_counts(bytes.as_slice()).map_err(|e| throw(e.into()))
    }

    /// Pushes the next bytes of the dossier CSV (header first). Rejected rows are kept for the
    /// scorecard; a missing column, an unclosed quote or (with `strict`) a rejected row throws.
    #[wasm_bindgen(js_name = pushCsv)]
    pub fn push_csv(&mut self, chunk: &[u8]) -> Result<(), ChisoError> {
        self.session.push_csv(chunk).map_err(|e| throw(e.into()))
    }

    /// Reads a whole dossier file at once: CSV, or an Excel workbook (`.xlsx`, as a `Uint8Array`),
    /// which cannot be pushed in chunks; read from the sheet and header row of `inputOptions`.
    #[wasm_bindgen(js_name = readDossiers)]
    pub fn read_dossiers(&mut self, file: BytesInput) -> Result<(), ChisoError> {
        let bytes = js::bytes(&file, "file", false).map_err(throw)?;
        score::read_dossiers(&mut self.session, &bytes).map_err(throw)
    }

    /// Ends the stream and returns the scorecard (formats.md, "Decision 766 scorecard"). The
    /// scorer cannot be used after this.
    pub fn finish(&mut self) -> Result<ScorecardObject, ChisoError> {
        let json = self.finish_text().map_err(throw)?;
        Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
    }

    /// Like `finish`, but returns the exact JSON text `chiso score766 --format json` prints.
    #[wasm_bindgen(js_name = finishJson)]
    pub fn finish_json(&mut self) -> Result<String, ChisoError> {
        self.finish_text().map_err(throw)
    }

    /// Whether the scorer's period is a range (`2026-01..2026-08`): finish it with
    /// `finishSeries()`.
    #[wasm_bindgen(getter, js_name = isSeries)]
    #[must_use]
    pub fn is_series(&self) -> bool {
        self.session.is_series()
    }

    /// Ends the stream and returns the series: one scorecard per period of the range (each the
    /// one a scorer of that period alone gives), and each unit's change from period to period. A
    /// scorer of one period gives a series of one. The scorer cannot be used after this.
    #[wasm_bindgen(js_name = finishSeries)]
    pub fn finish_series(&mut self) -> Result<SeriesObject, ChisoError> {
        let json = self.finish_series_json()?;
        Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
    }

    /// Like `finishSeries`, but returns the exact JSON text `chiso score766 --period A..B
    /// --format json` prints.
    #[wasm_bindgen(js_name = finishSeriesJson)]
    pub fn finish_series_json(&mut self) -> Result<String, ChisoError> {
        Ok(self.session.finish_series().map_err(|e| throw(e.into()))?.to_json())
    }

    /// Ends the stream of a scorer made with `explain` in its options and returns the records
    /// behind the number: those in the metric's denominator and not in its numerator (for the
    /// unit and the units below it), each with its file, row, id and reason, `denominator −
    /// numerator` of them in `total_shortfall`. The scorer cannot be used after this.
    pub fn explain(&mut self) -> Result<Explanation766Object, ChisoError> {
        let json = self.explain_json()?;
        Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
    }

    /// Like `explain`, but returns the exact JSON text `chiso score766 explain --format json`
    /// prints (less its final newline).
    #[wasm_bindgen(js_name = explainJson)]
    pub fn explain_json(&mut self) -> Result<String, ChisoError> {
        Ok(self.session.explain().map_err(|e| throw(e.into()))?.to_json())
    }

    /// The scorer as a partial (README, "Partials"): versioned, checksummed bytes with its
    /// profile, period, units, procedures, counts files and everything counted so far, which
    /// `Scorer766.load`, libchiso's `chiso_scorer_load`, `chiso score766 merge` and the Python
    /// package read back. The scorer is unchanged and may go on.
    pub fn save(&self) -> Result<Vec<u8>, ChisoError> {
        self.session.save_partial().map_err(|e| throw(e.into()))
    }

    /// A scorer rebuilt from a partial saved by `save()` or by another front end. Throws
    /// `partial_corrupt` (not a partial, cut short or damaged) or `partial_version` (another
    /// format version).
    pub fn load(bytes: &[u8]) -> Result<Self, ChisoError> {
        let session = chiso::api::Score766Session::load_partial(bytes, "partial").map_err(|e| throw(e.into()))?;
        Ok(Self { session, rank_incomplete: false })
    }

    /// Merges `other` (a scorer of another part of the records, made here or loaded from a
    /// partial) into this one; `other` cannot be used afterwards. Throws `partial_mismatch` for
    /// another profile, period or context (units and procedures) when either was loaded from a
    /// partial or their contexts differ, `invalid_argument` for another profile or period
    /// otherwise; both scorers are then unchanged.
    pub fn merge(&mut self, other: &mut Self) -> Result<(), ChisoError> {
        self.session.merge(&mut other.session).map_err(|e| throw(e.into()))
    }

    fn finish_text(&mut self) -> Result<String, Failure> {
        let mut card = self.session.finish()?;
        if self.rank_incomplete {
            card.rank(true);
        }
        Ok(card.to_json())
    }
}

fn evaluate_text(input: &JsValue) -> Result<String, Failure> {
    // The clock is read only when no date was given: the core asks for it then.
    Ok(request::evaluate(&inputs(input)?, js::today_in_vietnam)?.to_json())
}

fn by_role_text(input: &JsValue) -> Result<String, Failure> {
    request::by_role(&inputs(input)?, js::today_in_vietnam)
}

fn inputs(input: &JsValue) -> Result<Inputs, Failure> {
    Ok(Inputs {
        plan: js::bytes_field(input, "plan", true)?,
        units: js::bytes_field(input, "unitsCsv", false)?,
        observations: js::bytes_field(input, "observationsCsv", false)?
            .ok_or_else(|| Failure::argument("`observationsCsv` is required"))?,
        as_of: js::string_field(input, "asOf")?,
        strict: js::bool_field(input, "strict")?,
        unit: js::string_field(input, "unit")?,
        method: js::string_field(input, "method")?,
        min_rank_denominator: js::count_field(input, "minRankDenominator")?,
        pro_rata: js::bool_field(input, "proRata")?,
        input: js::bytes_field(input, "inputOptions", true)?,
        dossiers: js::bytes_field(input, "dossiersCsv", false)?,
        procedures: js::bytes_field(input, "proceduresCsv", false)?,
        feedback: js::bytes_field(input, "feedbackCsv", false)?,
    })
}

/// The `explain` option of a `Scorer766`: `{ unit, metric, limit? }`.
fn explain_request(value: &JsValue) -> Result<chiso::score766::ExplainRequest, Failure> {
    let required = |name: &str| {
        js::string_field(value, name)?.ok_or_else(|| Failure::argument(format!("`explain.{name}` is required")))
    };
    Ok(chiso::score766::ExplainRequest {
        unit: required("unit")?,
        metric: required("metric")?,
        limit: js::count_field(value, "limit")?,
    })
}

fn throw(f: Failure) -> ChisoError {
    JsValue::from(f).unchecked_into()
}
