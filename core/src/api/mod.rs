//! The session API: what the CLI, the C library and the WASM package call, so that every check is
//! written once and all of them give byte-identical JSON for the same input.
//!
//! - [`EvaluateRequest`] and [`evaluate`]: a plan evaluated on observations, and on the
//!   observations dossier records determine ([`EvaluateRequest::records`]);
//! - [`derive()`]: those observations themselves, per unit and month; [`explain_indicator`]: the
//!   records behind a derived indicator's shortfall;
//! - [`score_counts`]: the Decision 766 scorecard of a counts file; [`score_counts_series`]: the
//!   series of one counts file per period;
//! - [`Score766Builder`] → [`Score766Session`]: the Decision 766 scorecard of dossier records,
//!   streamed in, with the order of calls checked here;
//! - [`portal_import`] and [`portal_check`]: the national portal's saved evaluation responses read
//!   into counts, and every published score recomputed.
//!
//! The front ends only adapt: they turn their arguments into bytes, readers and names, call these,
//! and map [`Error::code`] to their own code (C status, JS `ChisoError.code`, CLI message).
//!
//! ```no_run
//! use chiso::api::{EvaluateRequest, RecordFormat, Score766Builder};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A plan evaluated on observations (the built-in plan unless `plan_json` is given).
//! // Files are read as streams, record by record; a byte slice is a reader too.
//! let observations = std::io::BufReader::new(std::fs::File::open("observations.csv")?);
//! let request = EvaluateRequest {
//!     as_of: Some("2026-11-28"), // None: the date the closure gives (the core reads no clock)
//!     ..EvaluateRequest::new(observations).with_units(std::fs::File::open("units.csv")?)
//! };
//! let evaluated = chiso::api::evaluate(request, || unreachable!("a date was given"))?;
//! println!("{}", evaluated.evaluation.to_json()); // the JSON of formats.md
//!
//! // The Decision 766 scorecard of dossier records: a validated session, then records in any
//! // number of chunks (or a whole file with the parallel driver), then the scorecard.
//! let units = std::fs::read("units.csv")?;
//! let mut session = Score766Builder::new("2026-10").units(Some(&units)).build()?;
//! session.read_dossiers(std::fs::File::open("dossiers.csv")?, RecordFormat::Csv, 2, &mut |_| {})?;
//! println!("{}", session.finish()?.to_json());
//! # Ok(())
//! # }
//! ```

mod derive;
mod portal;
mod score766;

use std::io::Read;

pub use derive::{Derived, ExplainTarget, OpenDossiers, Records, derive, explain_indicator, month_range};
pub use portal::{portal_check, portal_import};
pub use score766::{Names766, RecordFormat, Score766Builder, Score766Session, score_counts, score_counts_series};

pub use crate::portal::{CheckReport, PortalFile, PortalImport};

pub use crate::error::ErrorCode;

use crate::builtin::builtin_plan;
use crate::date::Date;
use crate::evaluate::{Evaluation, Options};
use crate::input::{InputError, Rejection};
use crate::labels::{ErrorText, Lang, RejectionText, localize};
use crate::observation::{Context, Observations};
use crate::plan::{Method, Plan, PlanError};
use crate::tabular::source;

use crate::score766::{PartialError, ProfileError};
pub use crate::tabular::{ColumnMap, InputOptions};
use crate::units::UnitTree;

/// Any error of the crate's entry points, with a stable [`ErrorCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The plan is not usable.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// An input cannot be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The Decision 766 profile is not usable.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// An argument is not valid (a date, a period, a name).
    #[error("{0}")]
    Argument(String),
    /// A call out of order.
    #[error("{0}")]
    Misuse(String),
    /// A scorer used after it finished.
    #[error("{0}")]
    Finished(String),
    /// A saved partial that cannot be loaded or merged.
    #[error(transparent)]
    Partial(#[from] PartialError),
}

impl Error {
    /// The stable code of this error.
    #[must_use]
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::Plan(e) => e.code(),
            Self::Input(e) => e.code(),
            Self::Profile(e) => e.code(),
            Self::Argument(_) => ErrorCode::InvalidArgument,
            Self::Misuse(_) => ErrorCode::Misuse,
            Self::Finished(_) => ErrorCode::ScorerFinished,
            Self::Partial(e) => e.code(),
        }
    }

    /// The message in `lang`: the `Display` text (English) with every part that the catalogue
    /// ([`crate::labels`]) knows in `lang`.
    #[must_use]
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            Self::Plan(e) => e.message_in(lang),
            Self::Input(e) => e.message_in(lang),
            Self::Profile(e) => e.message_in(lang),
            Self::Partial(e) => e.message_in(lang),
            Self::Argument(m) | Self::Misuse(m) | Self::Finished(m) => localize(m, lang).into_owned(),
        }
    }

    /// An invalid argument.
    #[must_use]
    pub fn argument(message: impl Into<String>) -> Self {
        Self::Argument(message.into())
    }
}

/// The inputs of an evaluation: a reader of each file and the options as the user wrote them.
///
/// The observations and the units are read as streams, record by record (a CSV file is never held
/// whole: the CLI passes its open files, the C and WASM libraries their byte slices, which are
/// readers too).
pub struct EvaluateRequest<'a> {
    /// Plan JSON; `None` for the built-in plan.
    pub plan_json: Option<&'a [u8]>,
    /// `units.csv`; `None` for a flat list of the observed units.
    pub units_csv: Option<Box<dyn Read + 'a>>,
    /// `observations.csv` (or a JSON array when `observations_are_json`).
    pub observations: Box<dyn Read + 'a>,
    /// Whether `observations` is JSON.
    pub observations_are_json: bool,
    /// Names used in error messages and rejections.
    pub names: SourceNames<'a>,
    /// Stop at the first rejected row.
    pub strict: bool,
    /// The as-of date, `YYYY-MM-DD`; `None` for the front end's today.
    pub as_of: Option<&'a str>,
    /// Only report this unit (values still roll up from the whole tree).
    pub unit: Option<&'a str>,
    /// A projection method for every target (`linear`, `growth-ratio`, `logit`).
    pub method: Option<&'a str>,
    /// The smallest denominator for a unit to be ranked (default 1).
    pub min_rank_denominator: Option<u64>,
    /// How the units and observations files are read when they are real exports (a sheet of a
    /// workbook, a title block, a separator, a column map, decimal commas).
    pub input: InputOptions,
    /// Judge open recurring periods against the share of the period elapsed
    /// ([`Options::pro_rata`](crate::evaluate::Options::pro_rata)).
    pub pro_rata: bool,
    /// Dossier, procedure and feedback records beside the observations: the observations they
    /// determine ([`derive()`]) are used where no typed observation of the same unit and indicator
    /// covers the period (a typed one wins); each result's `source` says which was used.
    pub records: Option<Records<'a>>,
}

/// The settings of an evaluation given as one JSON object (libchiso's `options_json`): the keys of
/// [`InputOptions::from_json`] for how the files are read, and `strict`, `unit`, `method`,
/// `min_rank_denominator`, `pro_rata` as the request's fields of those names. Unknown keys are
/// [`ErrorCode::InvalidInput`], naming the key.
#[derive(Debug, Clone, Default)]
pub struct EvaluateSettings {
    /// How the units and observations files are read.
    pub input: InputOptions,
    /// Stop at the first rejected row.
    pub strict: bool,
    /// Only report this unit.
    pub unit: Option<String>,
    /// A projection method for every target.
    pub method: Option<String>,
    /// The smallest denominator for a unit to be ranked.
    pub min_rank_denominator: Option<u64>,
    /// Judge open recurring periods pro rata.
    pub pro_rata: bool,
}

impl EvaluateSettings {
    /// Reads the settings (empty or blank text: the defaults).
    pub fn from_json(bytes: &[u8], source: &str) -> Result<Self, Error> {
        #[derive(serde::Deserialize, Default)]
        struct Evaluation {
            #[serde(default)]
            strict: bool,
            #[serde(default)]
            unit: Option<String>,
            #[serde(default)]
            method: Option<String>,
            #[serde(default)]
            min_rank_denominator: Option<u64>,
            #[serde(default)]
            pro_rata: bool,
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let json = |e: &serde_json::Error| Error::from(InputError::json(source, e));
        let mut object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(crate::input::json_text(bytes, source)?).map_err(|e| json(&e))?;
        // The evaluation's keys taken out, the rest are the input options' (which refuse others).
        let keys = ["strict", "unit", "method", "min_rank_denominator", "pro_rata"];
        let ours: serde_json::Map<String, serde_json::Value> =
            keys.iter().filter_map(|k| object.remove_entry(*k)).collect();
        let evaluation: Evaluation = serde_json::from_value(serde_json::Value::Object(ours)).map_err(|e| json(&e))?;
        let rest = serde_json::to_vec(&object).map_err(|e| json(&e))?;
        Ok(Self {
            input: InputOptions::from_json(&rest, source)?,
            strict: evaluation.strict,
            unit: evaluation.unit,
            method: evaluation.method,
            min_rank_denominator: evaluation.min_rank_denominator,
            pro_rata: evaluation.pro_rata,
        })
    }

    /// `request` with these settings.
    #[must_use]
    pub fn apply<'a>(&'a self, request: EvaluateRequest<'a>) -> EvaluateRequest<'a> {
        EvaluateRequest {
            input: self.input.clone(),
            strict: self.strict,
            unit: self.unit.as_deref(),
            method: self.method.as_deref(),
            min_rank_denominator: self.min_rank_denominator,
            pro_rata: self.pro_rata,
            ..request
        }
    }
}

impl std::fmt::Debug for EvaluateRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvaluateRequest")
            .field("plan_json", &self.plan_json.map(<[u8]>::len))
            .field("units_csv", &self.units_csv.is_some())
            .field("observations_are_json", &self.observations_are_json)
            .field("names", &self.names)
            .field("strict", &self.strict)
            .field("as_of", &self.as_of)
            .field("unit", &self.unit)
            .field("method", &self.method)
            .field("min_rank_denominator", &self.min_rank_denominator)
            .field("input", &self.input)
            .field("pro_rata", &self.pro_rata)
            .field("records", &self.records)
            .finish_non_exhaustive()
    }
}

impl<'a> EvaluateRequest<'a> {
    /// A request for `observations` (CSV, any reader: a file, a byte slice) with the built-in
    /// plan, no units file and defaults.
    #[must_use]
    pub fn new(observations: impl Read + 'a) -> Self {
        Self {
            plan_json: None,
            units_csv: None,
            observations: Box::new(observations),
            observations_are_json: false,
            names: SourceNames::default(),
            strict: false,
            as_of: None,
            unit: None,
            method: None,
            min_rank_denominator: None,
            input: InputOptions::default(),
            pro_rata: false,
            records: None,
        }
    }

    /// This request with `units.csv` read from `units`.
    #[must_use]
    pub fn with_units(self, units: impl Read + 'a) -> Self {
        Self { units_csv: Some(Box::new(units)), ..self }
    }

    /// The evaluation options; `today` is called only when the request names no date, so that a
    /// front end without a clock (or a test) is never asked for one it does not need.
    pub fn options(&self, today: impl FnOnce() -> Date) -> Result<Options, Error> {
        let as_of = match self.as_of {
            Some(text) => parse_as_of(text)?,
            None => today(),
        };
        let mut options = Options::new(as_of);
        options.unit = self.unit.map(str::to_owned);
        options.pro_rata = self.pro_rata;
        if let Some(method) = self.method {
            options.method = Some(method.parse::<Method>().map_err(Error::Argument)?);
        }
        if let Some(min) = self.min_rank_denominator {
            options.min_rank_denominator = min;
        }
        Ok(options)
    }
}

/// File names shown in messages.
#[derive(Debug, Clone, Copy)]
pub struct SourceNames<'a> {
    /// The plan's.
    pub plan: &'a str,
    /// The units file's.
    pub units: &'a str,
    /// The observations file's.
    pub observations: &'a str,
}

impl Default for SourceNames<'_> {
    fn default() -> Self {
        Self { plan: "plan.json", units: "units.csv", observations: "observations.csv" }
    }
}

/// Reads a plan, or returns the built-in one.
pub fn load_plan(json: Option<&[u8]>, source: &str) -> Result<Plan, PlanError> {
    json.map_or_else(|| Ok(builtin_plan()), |bytes| Plan::from_json(bytes, source))
}

/// Reads a date argument (`YYYY-MM-DD`).
pub fn parse_as_of(text: &str) -> Result<Date, Error> {
    text.parse().map_err(|e: crate::date::DateError| Error::Argument(ErrorText::AsOfDate.en(&[("reason", &e)])))
}

/// An evaluation with the plan and the unit tree it was made on (for reports).
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The evaluation.
    pub evaluation: Evaluation,
    /// The plan used.
    pub plan: Plan,
    /// The unit tree used (a flat list of the observed units when no units file was given).
    pub units: UnitTree,
}

/// Reads every input of `request` and evaluates, as of its date or, when it names none, of
/// `today()`. The options are checked before any file is read.
pub fn evaluate(request: EvaluateRequest<'_>, today: impl FnOnce() -> Date) -> Result<Evaluated, Error> {
    let options = request.options(today)?;
    let plan = load_plan(request.plan_json, request.names.plan)?;
    let (input, strict) = (&request.input, request.strict);
    // With records, the units file is read whole (it is small): the records' passes read it too.
    let (units_bytes, units_reader) = match (request.records.is_some(), request.units_csv) {
        (true, Some(mut reader)) => {
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .map_err(|e| InputError::Io { file: request.names.units.to_owned(), reason: e.to_string() })?;
            (Some(bytes), None)
        }
        (_, reader) => (None, reader),
    };
    let units_reader = units_reader.or_else(|| units_bytes.as_deref().map(|b| Box::new(b) as Box<dyn Read>));
    let mut unit_rejections = Vec::new();
    let units = match units_reader {
        Some(reader) => {
            let columns = (&crate::units::UNIT_COLUMNS[..], &crate::units::UNIT_OPTIONAL[..]);
            let opened = source::open(reader, request.names.units, columns, input, strict)?;
            let tree = UnitTree::from_csv(opened.reader, &opened.source, strict, &mut unit_rejections)?;
            unit_rejections.extend(opened.rejected);
            unit_rejections.sort_by_key(|r| r.row);
            Some(tree)
        }
        None => None,
    };
    let ctx = Context { plan: &plan, units: units.as_ref() };
    let mut observations =
        read_observations(request.observations, request.observations_are_json, request.names, ctx, (input, strict))?;
    if let Some(mut records) = request.records {
        records.names.units = request.names.units.to_owned();
        let derived = derive::for_evaluation(options.as_of, units_bytes.as_deref(), records, input, strict)?;
        observations.add_derived(derived.observations, ctx);
        for unit in &derived.rejected_units {
            observations.note_rejected(unit, "dossiers_fully_online", ctx);
        }
        unit_rejections.extend(derived.rejected);
    }
    let units = units.unwrap_or_else(|| UnitTree::flat(observations.accepted.iter().map(|o| o.unit.clone())));
    if let Some(only) = &options.unit {
        if units.index(only).is_none() {
            return Err(Error::Argument(RejectionText::UnknownUnit.en(&[("unit", &only)])));
        }
    }
    let mut evaluation = crate::evaluate::evaluate(&plan, &units, &observations, &options);
    // The units file's rejections (and the records') come first, within the one cap on listed rows.
    evaluation.prepend_rejections(unit_rejections);
    Ok(Evaluated { evaluation, plan, units })
}

/// Reads the observations (CSV through the input options, or JSON).
fn read_observations(
    reader: Box<dyn Read + '_>,
    json: bool,
    names: SourceNames<'_>,
    ctx: Context<'_>,
    (input, strict): (&InputOptions, bool),
) -> Result<Observations, Error> {
    if json {
        return Ok(Observations::from_json_reader(reader, names.observations, ctx, strict)?);
    }
    let columns = (&crate::observation::REQUIRED[..], &crate::observation::OPTIONAL[..]);
    let opened = source::open(reader, names.observations, columns, input, strict)?;
    let mut read = Observations::from_csv(opened.reader, &opened.source, ctx, strict)?;
    add_sheet_rejections(&mut read, opened.rejected);
    Ok(read)
}

/// The rows of a sheet rejected while converting it, among the reader's own in row order, within
/// the cap on listed rows.
fn add_sheet_rejections(observations: &mut Observations, rejected: Vec<Rejection>) {
    if rejected.is_empty() {
        return;
    }
    observations.rejected.extend(rejected);
    observations.rejected.sort_by_key(|r| r.row);
    let cap = crate::observation::MAX_LISTED_REJECTIONS;
    if observations.rejected.len() > cap {
        let dropped = observations.rejected.len() - cap;
        observations.rejected.truncate(cap);
        let dropped = u64::try_from(dropped).unwrap_or(u64::MAX);
        observations.rejected_omitted = observations.rejected_omitted.saturating_add(dropped);
    }
}

/// Whether a file name says JSON lines (`.jsonl`, `.ndjson`) rather than CSV.
#[must_use]
pub fn is_json_lines_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
}

/// Whether a file name says JSON (`.json`) rather than CSV.
#[must_use]
pub fn is_json_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBS: &[u8] = b"unit,indicator,period,numerator,denominator\nk1,dossiers_fully_online,2025,812,1000\n";

    fn never() -> Date {
        // A test that gives a date must not read the clock: a date far away would show in the JSON.
        Date::from_days_since_epoch(0)
    }

    #[test]
    fn options_are_read_once_here() {
        let request = EvaluateRequest { as_of: Some("2026-11-28"), ..EvaluateRequest::new(OBS) };
        let evaluated = evaluate(request, never).unwrap();
        assert!(evaluated.evaluation.to_json().contains("\"as_of\": \"2026-11-28\""));
        let request = EvaluateRequest { as_of: Some("2026-13-01"), ..EvaluateRequest::new(OBS) };
        assert_eq!(evaluate(request, never).unwrap_err().code(), ErrorCode::InvalidArgument);
        let request = EvaluateRequest { method: Some("cubic"), ..EvaluateRequest::new(OBS) };
        assert_eq!(evaluate(request, never).unwrap_err().code(), ErrorCode::InvalidArgument);
        let request = EvaluateRequest { method: Some("linear"), unit: Some("nowhere"), ..EvaluateRequest::new(OBS) };
        assert_eq!(evaluate(request, never).unwrap_err().code(), ErrorCode::InvalidArgument);
    }

    /// A reader that fails if read: the options are checked before any input is.
    struct Unreadable;

    impl Read for Unreadable {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("read"))
        }
    }

    /// A reader that gives at most `n` bytes a call.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            let (head, tail) = self.0.split_at(n);
            buf[..n].copy_from_slice(head);
            self.0 = tail;
            Ok(n)
        }
    }

    #[test]
    fn inputs_are_readers_read_after_the_options() {
        let request = EvaluateRequest { as_of: Some("2026-13-01"), ..EvaluateRequest::new(Unreadable) };
        assert_eq!(evaluate(request, never).unwrap_err().code(), ErrorCode::InvalidArgument);
        let request = EvaluateRequest { as_of: Some("2026-11-28"), ..EvaluateRequest::new(Unreadable) };
        assert_eq!(evaluate(request, never).unwrap_err().code(), ErrorCode::Io);
        // A reader that gives a few bytes at a time gives the same evaluation as the bytes whole.
        let units = b"id,name,parent,level\nt,T,,commune\nk1,K1,t,neighbourhood\n";
        let whole = EvaluateRequest { as_of: Some("2026-11-28"), ..EvaluateRequest::new(OBS).with_units(&units[..]) };
        let expected = evaluate(whole, never).unwrap().evaluation.to_json();
        let trickle = EvaluateRequest {
            as_of: Some("2026-11-28"),
            ..EvaluateRequest::new(Trickle(OBS, 3)).with_units(Trickle(units, 5))
        };
        assert_eq!(evaluate(trickle, never).unwrap().evaluation.to_json(), expected);
    }

    #[test]
    fn today_is_asked_only_without_a_date() {
        let request = EvaluateRequest { as_of: Some("2026-11-28"), ..EvaluateRequest::new(OBS) };
        let mut asked = false;
        evaluate(request, || {
            asked = true;
            never()
        })
        .unwrap();
        assert!(!asked);
    }

    #[test]
    fn names_say_the_format() {
        assert!(is_json_lines_name("a/B.JSONL") && is_json_lines_name("x.ndjson") && !is_json_lines_name("x.csv"));
        assert!(is_json_name("o.JSON") && !is_json_name("o.jsonl"));
    }
}
