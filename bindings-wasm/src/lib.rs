//! WebAssembly bindings of chiso for browsers and Node (`wasm-bindgen --target web`).
//!
//! The JS API (names are part of the contract; see `README.md`):
//! - `version()`, `builtinPlan()`, `units(unitsCsv)`;
//! - `evaluate({ plan?, unitsCsv?, observationsCsv, asOf? })` returning the evaluation document of
//!   `formats.md`, and `evaluateJson(...)` returning the exact text the CLI prints;
//! - misuse throws `ChisoError` (an `Error` subclass with a stable `code`); rejected rows come back
//!   as data in `rejected`.
//!
//! Every result is the core's own JSON parsed by `JSON.parse`, so JS sees the CLI's values exactly.
#![deny(missing_docs)]

mod error;
mod js;
pub mod request;

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
}

/// The library's version (the crate's, as the CLI's `--version` prints).
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
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

/// Reads `units.csv` into a list of units in tree order, for drawing the unit tree.
#[wasm_bindgen]
pub fn units(units_csv: BytesInput) -> Result<UnitListObject, ChisoError> {
    let bytes = js::bytes(&units_csv, "unitsCsv", false).map_err(throw)?;
    let json = request::unit_list(&bytes).map_err(throw)?;
    Ok(js::parse_json(&json).map_err(throw)?.unchecked_into())
}

fn evaluate_text(input: &JsValue) -> Result<String, Failure> {
    let inputs = Inputs {
        plan: js::bytes_field(input, "plan", true)?,
        units: js::bytes_field(input, "unitsCsv", false)?,
        observations: js::bytes_field(input, "observationsCsv", false)?
            .ok_or_else(|| Failure::argument("`observationsCsv` is required"))?,
        as_of: js::string_field(input, "asOf")?,
        strict: js::bool_field(input, "strict")?,
        unit: js::string_field(input, "unit")?,
        method: js::string_field(input, "method")?,
        min_rank_denominator: js::count_field(input, "minRankDenominator")?,
    };
    // Only read the clock when no date was given: the evaluation itself stays pure.
    let today =
        if inputs.as_of.is_some() { chiso::date::Date::from_days_since_epoch(0) } else { js::today_in_vietnam() };
    Ok(request::evaluate(&inputs, today)?.to_json())
}

fn throw(f: Failure) -> ChisoError {
    JsValue::from(f).unchecked_into()
}
