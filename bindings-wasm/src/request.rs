//! Evaluation inputs as plain Rust values, and the evaluation itself, free of JS so that native
//! tests can check it byte for byte against the core.

use chiso::api::{EvaluateRequest, SourceNames, evaluate_request, parse_as_of};
use chiso::date::Date;
use chiso::evaluate::{Evaluation, Options};
use chiso::plan::Method;

use crate::error::Failure;

/// Everything `evaluate` reads, already taken out of the JS object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Plan JSON; `None` for the built-in plan.
    pub plan: Option<Vec<u8>>,
    /// `units.csv`; `None` for a flat list of the observed units.
    pub units: Option<Vec<u8>>,
    /// `observations.csv`.
    pub observations: Vec<u8>,
    /// `YYYY-MM-DD`; `None` for today in Vietnam (the caller resolves it before [`evaluate`]).
    pub as_of: Option<String>,
    /// Stop at the first rejected row.
    pub strict: bool,
    /// Only report this unit.
    pub unit: Option<String>,
    /// A projection method for every target.
    pub method: Option<String>,
    /// The smallest denominator for a unit to be ranked.
    pub min_rank_denominator: Option<u64>,
}

/// Evaluates `inputs` as of `today` when they name no date; exactly what the CLI computes.
pub fn evaluate(inputs: &Inputs, today: Date) -> Result<Evaluation, Failure> {
    let as_of = match &inputs.as_of {
        Some(text) => parse_as_of(text)?,
        None => today,
    };
    let mut options = Options::new(as_of);
    options.unit.clone_from(&inputs.unit);
    if let Some(method) = &inputs.method {
        options.method = Some(method.parse::<Method>().map_err(Failure::argument)?);
    }
    if let Some(min) = inputs.min_rank_denominator {
        options.min_rank_denominator = min;
    }
    let request = EvaluateRequest {
        plan_json: inputs.plan.as_deref(),
        units_csv: inputs.units.as_deref(),
        observations: &inputs.observations,
        observations_are_json: false,
        names: SourceNames::default(),
        strict: inputs.strict,
    };
    Ok(evaluate_request(&request, &options)?)
}

/// `units.csv` as `{ "units": [...], "rejected": [...] }`, units in tree order.
pub fn unit_list(bytes: &[u8]) -> Result<String, Failure> {
    let mut rejected = Vec::new();
    let tree = chiso::units::UnitTree::from_csv(bytes, SourceNames::default().units, false, &mut rejected)
        .map_err(chiso::api::Error::from)?;
    let units: Vec<&chiso::units::Unit> = tree.preorder().into_iter().filter_map(|i| tree.unit(i)).collect();
    let doc = serde_json::json!({ "units": units, "rejected": rejected });
    serde_json::to_string(&doc).map_err(|e| Failure { code: "internal", message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBS: &[u8] = b"unit,indicator,period,numerator,denominator\nk1,dossiers_fully_online,2025,812,1000\n";

    #[test]
    fn matches_the_core_call() {
        let today = Date::new(2026, 11, 28).unwrap();
        let inputs = Inputs { observations: OBS.to_vec(), ..Inputs::default() };
        let ours = evaluate(&inputs, today).unwrap().to_json();
        let request = EvaluateRequest {
            plan_json: None,
            units_csv: None,
            observations: OBS,
            observations_are_json: false,
            names: SourceNames::default(),
            strict: false,
        };
        let core = evaluate_request(&request, &Options::new(today)).unwrap().to_json();
        assert_eq!(ours, core);
        assert!(ours.contains("\"as_of\": \"2026-11-28\""));
    }

    #[test]
    fn arguments_fail_with_codes() {
        let today = Date::new(2026, 11, 28).unwrap();
        let bad_date = Inputs { observations: OBS.to_vec(), as_of: Some("2026-13-01".into()), ..Inputs::default() };
        assert_eq!(evaluate(&bad_date, today).unwrap_err().code, "invalid_argument");
        let bad_method = Inputs { observations: OBS.to_vec(), method: Some("cubic".into()), ..Inputs::default() };
        assert_eq!(evaluate(&bad_method, today).unwrap_err().code, "invalid_argument");
        let bad_plan = Inputs { observations: OBS.to_vec(), plan: Some(b"{".to_vec()), ..Inputs::default() };
        assert_eq!(evaluate(&bad_plan, today).unwrap_err().code, "bad_json");
        let no_column = Inputs { observations: b"unit,period\nk1,2025\n".to_vec(), ..Inputs::default() };
        assert_eq!(evaluate(&no_column, today).unwrap_err().code, "missing_column");
    }
}
