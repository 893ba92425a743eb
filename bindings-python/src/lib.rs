//! `chiso._chiso`: the Python extension module. Thin: every call goes to the core's API
//! (`chiso::api`, the session and requests the CLI, libchiso and the WASM package drive), inputs
//! are bytes, outputs the core's JSON text, which `python/chiso/__init__.py` turns into dicts and
//! DataFrames. Errors are `chiso.ChisoError` with the core's stable `code`.
//!
//! The GIL is released while the core works (`Python::detach`), so that threads scoring other
//! files run in parallel.

use std::path::PathBuf;

use chiso::api::{
    self, EvaluateRequest, ExplainTarget, Names766, RecordFormat, Records, Score766Builder, Score766Session,
    SourceNames,
};
use chiso::date::{Date, Instant};
use chiso::score766::ExplainRequest;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

create_exception!(_chiso, ChisoError, PyException, "An error of chiso, with its stable `code`.");

/// The Python exception of a core error: the message, and `code` set on it.
fn raise(py: Python<'_>, code: &str, message: &str) -> PyErr {
    let err = ChisoError::new_err(message.to_owned());
    // Setting an attribute on a fresh exception does not fail; if it did, the message remains.
    let _set = err.value(py).setattr("code", code);
    err
}

fn core_error(py: Python<'_>, e: &chiso::Error) -> PyErr {
    raise(py, &e.code().to_string(), &e.to_string())
}

/// Today in Vietnam (UTC+7), from the system clock: the core has none.
fn today_in_vietnam() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    Instant(seconds).local_date()
}

/// The inputs of an evaluation, owned so that the GIL can be released while the core reads them.
#[derive(Debug, Default)]
struct EvaluateInputs {
    observations: Vec<u8>,
    observations_name: String,
    units: Option<Vec<u8>>,
    plan: Option<Vec<u8>>,
    as_of: Option<String>,
    strict: bool,
    unit: Option<String>,
    method: Option<String>,
    pro_rata: bool,
    input: api::InputOptions,
}

/// The input options' JSON (`chiso_scorer_set_input_options`'s keys); `None` for the defaults.
fn input_options(json: Option<&str>) -> Result<api::InputOptions, chiso::Error> {
    json.map_or_else(
        || Ok(api::InputOptions::default()),
        |j| Ok(api::InputOptions::from_json(j.as_bytes(), "options")?),
    )
}

/// Dossier, procedure and feedback records, kept as bytes with their names (`chiso.Records`
/// builds one): what `evaluate_json`, `derive_json` and `explain_indicator_json` read, as the
/// CLI's `--dossiers --procedures --feedback --profile --counts` do. A name ending in `.jsonl` or
/// `.ndjson` says JSON lines.
#[pyclass(module = "chiso._chiso", frozen)]
#[derive(Debug)]
struct RecordSet {
    dossiers: Vec<u8>,
    procedures: Option<Vec<u8>>,
    feedback: Option<Vec<u8>>,
    profile: Option<String>,
    counts: Vec<(Vec<u8>, String)>,
    names: Names766,
}

#[pymethods]
impl RecordSet {
    #[new]
    #[pyo3(signature = (dossiers, dossiers_name, procedures=None, procedures_name=None, feedback=None, feedback_name=None, profile=None, counts=Vec::new()))]
    #[expect(clippy::too_many_arguments, reason = "one argument a file and its name, as the CLI's options")]
    fn new(
        dossiers: Vec<u8>,
        dossiers_name: String,
        procedures: Option<Vec<u8>>,
        procedures_name: Option<String>,
        feedback: Option<Vec<u8>>,
        feedback_name: Option<String>,
        profile: Option<String>,
        counts: Vec<(Vec<u8>, String)>,
    ) -> Self {
        let defaults = Names766::default();
        let names = Names766 {
            dossiers: dossiers_name,
            procedures: procedures_name.unwrap_or(defaults.procedures),
            feedback: feedback_name.unwrap_or(defaults.feedback),
            ..defaults
        };
        Self { dossiers, procedures, feedback, profile, counts, names }
    }
}

impl RecordSet {
    /// The core's records of these bytes.
    fn records(&self) -> Records<'_> {
        Records {
            procedures_csv: self.procedures.as_deref(),
            feedback: self.feedback.as_deref(),
            feedback_json_lines: api::is_json_lines_name(&self.names.feedback),
            profile: self.profile.as_deref(),
            counts: self.counts.iter().map(|(bytes, name)| (bytes.as_slice(), name.clone())).collect(),
            names: self.names.clone(),
            ..Records::from_bytes(&self.dossiers, api::is_json_lines_name(&self.names.dossiers))
        }
    }
}

fn evaluated(inputs: &EvaluateInputs, records: Option<&RecordSet>) -> Result<api::Evaluated, chiso::Error> {
    let defaults = SourceNames::default();
    let request = EvaluateRequest {
        plan_json: inputs.plan.as_deref(),
        units_csv: inputs.units.as_deref().map(|u| Box::new(u) as Box<dyn std::io::Read>),
        observations_are_json: api::is_json_name(&inputs.observations_name),
        names: SourceNames { observations: &inputs.observations_name, ..defaults },
        strict: inputs.strict,
        as_of: inputs.as_of.as_deref(),
        unit: inputs.unit.as_deref(),
        method: inputs.method.as_deref(),
        pro_rata: inputs.pro_rata,
        input: inputs.input.clone(),
        records: records.map(RecordSet::records),
        ..EvaluateRequest::new(inputs.observations.as_slice())
    };
    api::evaluate(request, today_in_vietnam)
}

/// The library's version.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The built-in plan as JSON text.
#[pyfunction]
fn builtin_plan_json() -> String {
    chiso::builtin::builtin_plan().to_json()
}

/// The evaluation JSON (`chiso evaluate --format json`), or with `by_role` the report by
/// responsible role (`chiso report --by role --format json`). With `records`, the observations
/// they determine are used where no typed one covers the same unit, indicator and period.
#[pyfunction]
#[pyo3(signature = (observations, observations_name, units=None, plan=None, as_of=None, strict=false, unit=None, method=None, pro_rata=false, by_role=false, options=None, records=None))]
#[expect(clippy::too_many_arguments, reason = "the keyword arguments of chiso.evaluate, one each")]
fn evaluate_json(
    py: Python<'_>,
    observations: Vec<u8>,
    observations_name: String,
    units: Option<Vec<u8>>,
    plan: Option<Vec<u8>>,
    as_of: Option<String>,
    strict: bool,
    unit: Option<String>,
    method: Option<String>,
    pro_rata: bool,
    by_role: bool,
    options: Option<&str>,
    records: Option<PyRef<'_, RecordSet>>,
) -> PyResult<String> {
    let input = input_options(options).map_err(|e| core_error(py, &e))?;
    let inputs =
        EvaluateInputs { observations, observations_name, units, plan, as_of, strict, unit, method, pro_rata, input };
    let records = records.as_deref();
    let out = py.detach(|| {
        evaluated(&inputs, records).map(|e| {
            if by_role { chiso::by_role::by_role(&e.evaluation, &e.plan).to_json() } else { e.evaluation.to_json() }
        })
    });
    out.map_err(|e| core_error(py, &e))
}

/// The observations the records determine, per unit and month from `first` to `last`
/// (`YYYY-MM`): the JSON of `chiso derive --format json`.
#[pyfunction]
#[pyo3(signature = (records, first, last, units=None, strict=false, options=None))]
fn derive_json(
    py: Python<'_>,
    records: PyRef<'_, RecordSet>,
    first: &str,
    last: &str,
    units: Option<Vec<u8>>,
    strict: bool,
    options: Option<&str>,
) -> PyResult<String> {
    let input = input_options(options).map_err(|e| core_error(py, &e))?;
    let set: &RecordSet = &records;
    let out = py.detach(|| {
        let range = api::month_range(first, last)?;
        api::derive(range, units.as_deref(), set.records(), &input, strict).map(|d| d.to_json())
    });
    out.map_err(|e| core_error(py, &e))
}

/// The records behind the shortfall of a plan indicator derived from records, for a unit (and
/// its subtree) and a period: the JSON of `chiso explain --indicator … --format json`.
#[pyfunction]
#[pyo3(signature = (records, indicator, unit, period, units=None, limit=None, strict=false, options=None))]
#[expect(clippy::too_many_arguments, reason = "the keyword arguments of chiso.explain_indicator, one each")]
fn explain_indicator_json(
    py: Python<'_>,
    records: PyRef<'_, RecordSet>,
    indicator: &str,
    unit: &str,
    period: &str,
    units: Option<Vec<u8>>,
    limit: Option<usize>,
    strict: bool,
    options: Option<&str>,
) -> PyResult<String> {
    let input = input_options(options).map_err(|e| core_error(py, &e))?;
    let set: &RecordSet = &records;
    let out = py.detach(|| {
        let target = ExplainTarget { indicator, unit, period, limit };
        api::explain_indicator(target, units.as_deref(), set.records(), &input, strict).map(|s| s.to_json())
    });
    out.map_err(|e| core_error(py, &e))
}

/// The scorecard JSON of a counts JSON (`chiso score766 --counts FILE --format json`).
#[pyfunction]
#[pyo3(signature = (counts, profile=None, period=None, strict=false))]
fn score_counts_json(
    py: Python<'_>,
    counts: Vec<u8>,
    profile: Option<String>,
    period: Option<String>,
    strict: bool,
) -> PyResult<String> {
    let card = py.detach(|| {
        api::score_counts(counts.as_slice(), "counts.json", profile.as_deref(), period.as_deref(), strict)
            .map(|c| c.to_json())
    });
    card.map_err(|e| core_error(py, &e))
}

/// A Decision 766 session: units and procedures first, then dossier records (bytes pushed in
/// chunks cut anywhere, or a whole file read by the parallel driver), feedback and counts, then
/// `finish_json` (or `finish_series_json` for a range of periods).
#[pyclass(module = "chiso._chiso")]
#[derive(Debug)]
struct Scorer766 {
    session: Score766Session,
}

#[pymethods]
impl Scorer766 {
    #[new]
    #[pyo3(signature = (period, profile=None, strict=false, check_duplicate_ids=true, options=None))]
    fn new(
        py: Python<'_>,
        period: &str,
        profile: Option<&str>,
        strict: bool,
        check_duplicate_ids: bool,
        options: Option<&str>,
    ) -> PyResult<Self> {
        let input = input_options(options).map_err(|e| core_error(py, &e))?;
        let session = Score766Builder::new(period)
            .profile(profile)
            .strict(strict)
            .check_duplicate_ids(check_duplicate_ids)
            .input(input)
            .build()
            .map_err(|e| core_error(py, &e))?;
        Ok(Self { session })
    }

    /// Whether the session scores a range of periods (finish it with `finish_series_json`).
    #[getter]
    fn is_series(&self) -> bool {
        self.session.is_series()
    }

    fn load_units(&mut self, py: Python<'_>, csv: Vec<u8>) -> PyResult<()> {
        let session = &mut self.session;
        py.detach(|| session.load_units(csv.as_slice())).map_err(|e| core_error(py, &e))
    }

    fn load_procedures(&mut self, py: Python<'_>, csv: Vec<u8>) -> PyResult<()> {
        let session = &mut self.session;
        py.detach(|| session.load_procedures(csv.as_slice())).map_err(|e| core_error(py, &e))
    }

    #[pyo3(signature = (data, json_lines=false))]
    fn load_feedback(&mut self, py: Python<'_>, data: Vec<u8>, json_lines: bool) -> PyResult<()> {
        let format = if json_lines { RecordFormat::JsonLines } else { RecordFormat::Csv };
        let session = &mut self.session;
        py.detach(|| session.load_feedback(data.as_slice(), format)).map_err(|e| core_error(py, &e))
    }

    fn load_counts(&mut self, py: Python<'_>, json: Vec<u8>) -> PyResult<()> {
        let session = &mut self.session;
        py.detach(|| session.load_counts(json.as_slice())).map_err(|e| core_error(py, &e))
    }

    /// The next bytes of a dossier CSV, header first, cut anywhere.
    fn push_csv(&mut self, py: Python<'_>, chunk: Vec<u8>) -> PyResult<()> {
        let session = &mut self.session;
        py.detach(|| session.push_csv(&chunk)).map_err(|e| core_error(py, &e))
    }

    /// A whole dossier file (CSV, or JSON lines for `.jsonl`/`.ndjson`), read by the core's
    /// parallel driver with `jobs` threads (default: the machine's cores).
    #[pyo3(signature = (path, jobs=None))]
    fn read_dossiers(&mut self, py: Python<'_>, path: PathBuf, jobs: Option<usize>) -> PyResult<()> {
        let name = path.display().to_string();
        let file = std::fs::File::open(&path).map_err(|e| raise(py, "io", &format!("{name}: {e}")))?;
        let jobs =
            jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get)).max(1);
        let format = RecordFormat::from_name(&name);
        let session = &mut self.session;
        py.detach(|| session.read_dossiers(std::io::BufReader::new(file), format, jobs, &mut |_| {}))
            .map_err(|e| core_error(py, &e))
    }

    /// The session as a partial (README, "Partials"): bytes that `load` (here or in another
    /// process), `chiso score766 merge`, libchiso and the WASM package read back. The session is
    /// unchanged.
    fn save<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let session = &self.session;
        let bytes = py.detach(|| session.save_partial()).map_err(|e| core_error(py, &e))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A session rebuilt from a partial named `name` in errors (`partial_corrupt`,
    /// `partial_version`).
    #[staticmethod]
    #[pyo3(signature = (data, name="partial"))]
    fn load(py: Python<'_>, data: Vec<u8>, name: &str) -> PyResult<Self> {
        let session = py.detach(|| Score766Session::load_partial(&data, name)).map_err(|e| core_error(py, &e))?;
        Ok(Self { session })
    }

    /// Merges `other` into this session (`other` is spent): `partial_mismatch` for another
    /// profile, period or context when either came from a partial.
    fn merge(&mut self, py: Python<'_>, mut other: PyRefMut<'_, Self>) -> PyResult<()> {
        let (session, theirs) = (&mut self.session, &mut other.session);
        py.detach(|| session.merge(theirs)).map_err(|e| core_error(py, &e))
    }

    /// Lists, instead of scoring, the records behind `metric`'s shortfall for `unit` (and its
    /// subtree), at most `limit` of them (all without): set before the first record.
    #[pyo3(signature = (unit, metric, limit=None))]
    fn set_explain(&mut self, py: Python<'_>, unit: String, metric: String, limit: Option<u64>) -> PyResult<()> {
        self.session.set_explain(ExplainRequest { unit, metric, limit }).map_err(|e| core_error(py, &e))
    }

    /// Finishes a session opened with `set_explain`: the JSON of `chiso score766 explain
    /// --format json`.
    fn explain_json(&mut self, py: Python<'_>) -> PyResult<String> {
        let session = &mut self.session;
        py.detach(|| session.explain().map(|e| e.to_json())).map_err(|e| core_error(py, &e))
    }

    /// Finishes and scores: the scorecard JSON (`chiso score766 --format json`).
    fn finish_json(&mut self, py: Python<'_>) -> PyResult<String> {
        let session = &mut self.session;
        py.detach(|| session.finish().map(|c| c.to_json())).map_err(|e| core_error(py, &e))
    }

    /// Finishes a range: the series JSON (`chiso score766 --period A..B --format json`).
    fn finish_series_json(&mut self, py: Python<'_>) -> PyResult<String> {
        let session = &mut self.session;
        py.detach(|| session.finish_series().map(|s| s.to_json())).map_err(|e| core_error(py, &e))
    }
}

/// The module.
#[pymodule]
fn _chiso(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ChisoError", m.py().get_type::<ChisoError>())?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(builtin_plan_json, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_json, m)?)?;
    m.add_function(wrap_pyfunction!(score_counts_json, m)?)?;
    m.add_function(wrap_pyfunction!(derive_json, m)?)?;
    m.add_function(wrap_pyfunction!(explain_indicator_json, m)?)?;
    m.add_class::<RecordSet>()?;
    m.add_class::<Scorer766>()?;
    Ok(())
}
