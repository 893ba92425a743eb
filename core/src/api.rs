//! One-call entry points shared by the CLI and the C and WASM bindings, so that all of them give
//! byte-identical JSON for the same input.

use crate::builtin::builtin_plan;
use crate::date::Date;
use crate::evaluate::{Evaluation, Options, evaluate};
use crate::input::InputError;
use crate::observation::{Context, Observations};
use crate::plan::{Plan, PlanError};
use crate::units::UnitTree;

/// Any error of the one-call API, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The plan is not usable.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// An input file cannot be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// An argument is not valid (a date, a name).
    #[error("{0}")]
    Argument(String),
}

impl Error {
    /// A stable code for the C and JS bindings (`missing_column`, `bad_json`, `invalid_plan`, …).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Plan(e) => e.code(),
            Self::Input(e) => e.code(),
            Self::Argument(_) => "invalid_argument",
        }
    }
}

/// The inputs of an evaluation, as bytes.
#[derive(Debug, Clone, Copy)]
pub struct EvaluateRequest<'a> {
    /// Plan JSON; `None` for the built-in plan.
    pub plan_json: Option<&'a [u8]>,
    /// `units.csv`; `None` for a flat list of the observed units.
    pub units_csv: Option<&'a [u8]>,
    /// `observations.csv` (or a JSON array when `observations_are_json`).
    pub observations: &'a [u8],
    /// Whether `observations` is JSON.
    pub observations_are_json: bool,
    /// Names used in error messages and rejections.
    pub names: SourceNames<'a>,
    /// Stop at the first rejected row.
    pub strict: bool,
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
    text.parse().map_err(|e: crate::date::DateError| Error::Argument(format!("as-of date: {e}")))
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

/// Reads every input and evaluates.
pub fn evaluate_request(request: &EvaluateRequest<'_>, options: &Options) -> Result<Evaluation, Error> {
    evaluate_request_with_inputs(request, options).map(|e| e.evaluation)
}

/// Reads every input and evaluates, keeping the plan and the unit tree for a report.
pub fn evaluate_request_with_inputs(request: &EvaluateRequest<'_>, options: &Options) -> Result<Evaluated, Error> {
    let plan = load_plan(request.plan_json, request.names.plan)?;
    let mut unit_rejections = Vec::new();
    let units = match request.units_csv {
        Some(bytes) => Some(UnitTree::from_csv(bytes, request.names.units, request.strict, &mut unit_rejections)?),
        None => None,
    };
    let ctx = Context { plan: &plan, units: units.as_ref() };
    let observations = if request.observations_are_json {
        Observations::from_json(request.observations, request.names.observations, ctx, request.strict)?
    } else {
        Observations::from_csv(request.observations, request.names.observations, ctx, request.strict)?
    };
    let units = units.unwrap_or_else(|| UnitTree::flat(observations.accepted.iter().map(|o| o.unit.clone())));
    if let Some(only) = &options.unit {
        if units.index(only).is_none() {
            return Err(Error::Argument(format!("unknown unit `{only}`")));
        }
    }
    let mut evaluation = evaluate(&plan, &units, &observations, options);
    unit_rejections.append(&mut evaluation.rejected);
    evaluation.rejected = unit_rejections;
    Ok(Evaluated { evaluation, plan, units })
}
