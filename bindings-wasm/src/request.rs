//! Evaluation inputs as plain Rust values, and the evaluation itself, free of JS so that native
//! tests can check it byte for byte against the core.

use chiso::api::{EvaluateRequest, SourceNames};
use chiso::date::Date;
use chiso::evaluate::Evaluation;

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
    /// `YYYY-MM-DD`; `None` for today in Vietnam.
    pub as_of: Option<String>,
    /// Stop at the first rejected row.
    pub strict: bool,
    /// Only report this unit.
    pub unit: Option<String>,
    /// A projection method for every target.
    pub method: Option<String>,
    /// The smallest denominator for a unit to be ranked.
    pub min_rank_denominator: Option<u64>,
    /// Judge open recurring periods against the share of the period elapsed.
    pub pro_rata: bool,
    /// How the units and observations are read when they are real exports: the JSON of
    /// `chiso::api::InputOptions::from_json` (libchiso's options, a column map file's keys).
    pub input: Option<Vec<u8>>,
    /// Dossier records beside the observations (CSV, a workbook, or JSON lines told by their
    /// content): the observations they determine are used where none is typed.
    pub dossiers: Option<Vec<u8>>,
    /// `procedures.csv`, with `dossiers`.
    pub procedures: Option<Vec<u8>>,
    /// Feedback records (CSV or JSON lines), with `dossiers`.
    pub feedback: Option<Vec<u8>>,
}

/// Whether bytes are JSON lines rather than CSV or a workbook: their first character (after a
/// byte order mark and blanks) opens an object.
fn is_json_lines(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// The records of `inputs`, when dossiers were given.
fn records(inputs: &Inputs) -> Option<chiso::api::Records<'_>> {
    let dossiers = inputs.dossiers.as_deref()?;
    Some(chiso::api::Records {
        procedures_csv: inputs.procedures.as_deref(),
        feedback: inputs.feedback.as_deref(),
        feedback_json_lines: inputs.feedback.as_deref().is_some_and(is_json_lines),
        ..chiso::api::Records::from_bytes(dossiers, is_json_lines(dossiers))
    })
}

/// The input options of their JSON (`None`: the defaults).
pub fn input_options(json: Option<&[u8]>) -> Result<chiso::api::InputOptions, Failure> {
    let options = chiso::api::InputOptions::from_json(json.unwrap_or_default(), "inputOptions");
    Ok(options.map_err(chiso::Error::from)?)
}

/// Evaluates `inputs` through the core's request, as the CLI and libchiso do; `today` is called
/// only when the inputs name no date.
pub fn evaluate(inputs: &Inputs, today: impl FnOnce() -> Date) -> Result<Evaluation, Failure> {
    Ok(evaluated(inputs, today)?.evaluation)
}

/// The evaluation grouped by the plan's responsible roles (`chiso report --by role`), as JSON.
pub fn by_role(inputs: &Inputs, today: impl FnOnce() -> Date) -> Result<String, Failure> {
    let evaluated = evaluated(inputs, today)?;
    Ok(chiso::by_role::by_role(&evaluated.evaluation, &evaluated.plan).to_json())
}

/// The evaluation of `inputs` with its plan and unit tree (for reports and workbooks).
pub(crate) fn evaluated(inputs: &Inputs, today: impl FnOnce() -> Date) -> Result<chiso::api::Evaluated, Failure> {
    let request = EvaluateRequest {
        plan_json: inputs.plan.as_deref(),
        units_csv: inputs.units.as_deref().map(|u| Box::new(u) as Box<dyn std::io::Read>),
        strict: inputs.strict,
        as_of: inputs.as_of.as_deref(),
        unit: inputs.unit.as_deref(),
        method: inputs.method.as_deref(),
        min_rank_denominator: inputs.min_rank_denominator,
        pro_rata: inputs.pro_rata,
        input: input_options(inputs.input.as_deref())?,
        records: records(inputs),
        ..EvaluateRequest::new(inputs.observations.as_slice())
    };
    Ok(chiso::api::evaluate(request, today)?)
}

/// The observations the records of `inputs` determine from `from` to `to` (`YYYY-MM`), as the
/// JSON of `chiso derive --format json`.
pub fn derive(inputs: &Inputs, from: &str, to: &str) -> Result<String, Failure> {
    let range = chiso::api::month_range(from, to)?;
    let records = records(inputs).ok_or_else(|| Failure::argument("`dossiersCsv` is required"))?;
    let options = input_options(inputs.input.as_deref())?;
    Ok(chiso::api::derive(range, inputs.units.as_deref(), records, &options, inputs.strict)?.to_json())
}

/// The records behind a derived indicator's shortfall for (indicator, unit, period), as the JSON
/// of `chiso explain --indicator … --format json`.
pub fn explain(
    inputs: &Inputs,
    (indicator, unit, period): (&str, &str, &str),
    limit: Option<usize>,
) -> Result<String, Failure> {
    let records = records(inputs).ok_or_else(|| Failure::argument("`dossiersCsv` is required"))?;
    let options = input_options(inputs.input.as_deref())?;
    let target = chiso::api::ExplainTarget { indicator, unit, period, limit };
    Ok(chiso::api::explain_indicator(target, inputs.units.as_deref(), records, &options, inputs.strict)?.to_json())
}

/// `units.csv` as `{ "units": [...], "rejected": [...] }`, units in tree order.
pub fn unit_list(bytes: &[u8]) -> Result<String, Failure> {
    let mut rejected = Vec::new();
    let tree = chiso::units::UnitTree::from_csv(bytes, SourceNames::default().units, false, &mut rejected)
        .map_err(chiso::Error::from)?;
    let units: Vec<&chiso::units::Unit> = tree.preorder().into_iter().filter_map(|i| tree.unit(i)).collect();
    let doc = serde_json::json!({ "units": units, "rejected": rejected });
    serde_json::to_string(&doc).map_err(|e| Failure::internal(e.to_string()))
}

#[cfg(test)]
mod records_tests {
    use super::*;

    #[test]
    fn records_beside_observations_are_derived_and_say_so() {
        let dossiers =
            b"dossier_id,unit,procedure,received_at,channel\nd1,k1,P,2026-03-10,online\nd2,k1,P,2026-03-11,direct\n";
        let inputs = Inputs {
            observations: b"unit,indicator,period,numerator,denominator\n".to_vec(),
            as_of: Some("2026-11-28".into()),
            dossiers: Some(dossiers.to_vec()),
            ..Inputs::default()
        };
        let json = evaluate(&inputs, || Date::from_days_since_epoch(0)).unwrap().to_json();
        assert!(json.contains("\"source\": \"derived\""), "{json}");
        assert!(json.contains("\"rule\": \"online_dossiers\""), "{json}");
        // The same bytes as JSON lines.
        let lines = br#"{"dossier_id":"d1","unit":"k1","procedure":"P","received_at":"2026-03-10","channel":"online"}
{"dossier_id":"d2","unit":"k1","procedure":"P","received_at":"2026-03-11","channel":"direct"}
"#;
        let as_lines = Inputs { dossiers: Some(lines.to_vec()), ..inputs.clone() };
        assert_eq!(evaluate(&as_lines, || Date::from_days_since_epoch(0)).unwrap().to_json(), json);
        // The observations, and the one dossier behind the shortfall.
        let derived = derive(&inputs, "2026-01", "2026-12").unwrap();
        assert!(derived.contains("\"source\": \"online_dossiers\""), "{derived}");
        let listed = explain(&inputs, ("dossiers_fully_online", "k1", "2026"), None).unwrap();
        assert!(listed.contains("\"id\": \"d2\"") && !listed.contains("\"id\": \"d1\""), "{listed}");
        let points = explain(&inputs, ("service_quality_improves", "k1", "2026"), None).unwrap_err();
        assert_eq!(points.code, crate::error::Code::Core(chiso::ErrorCode::InvalidArgument));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chiso::ErrorCode;

    const OBS: &[u8] = b"unit,indicator,period,numerator,denominator\nk1,dossiers_fully_online,2025,812,1000\n";

    fn today() -> Date {
        Date::new(2026, 11, 28).unwrap()
    }

    #[test]
    fn without_a_date_the_callers_today_is_used() {
        let inputs = Inputs { observations: OBS.to_vec(), ..Inputs::default() };
        let ours = evaluate(&inputs, today).unwrap().to_json();
        assert!(ours.contains("\"as_of\": \"2026-11-28\""));
        let dated = Inputs { as_of: Some("2026-11-28".into()), ..inputs };
        assert_eq!(evaluate(&dated, || Date::new(2000, 1, 1).unwrap()).unwrap().to_json(), ours);
    }

    #[test]
    fn input_options_are_the_cores() {
        let export = "DV;indicator;period;numerator;denominator\nk1;dossiers_fully_online;2025;812;1.000\n";
        let options = br#"{"columns": {"unit": "DV"}, "delimiter": ";", "decimal_comma": true}"#;
        let inputs = Inputs { observations: export.into(), input: Some(options.to_vec()), ..Inputs::default() };
        let canonical = Inputs { observations: OBS.to_vec(), ..Inputs::default() };
        assert_eq!(evaluate(&inputs, today).unwrap().to_json(), evaluate(&canonical, today).unwrap().to_json());
        let bad = Inputs { input: Some(br#"{"columns": {"nope": "x"}}"#.to_vec()), ..canonical };
        assert_eq!(evaluate(&bad, today).unwrap_err().code, ErrorCode::InvalidInput);
    }

    #[test]
    fn arguments_fail_with_codes() {
        let bad_date = Inputs { observations: OBS.to_vec(), as_of: Some("2026-13-01".into()), ..Inputs::default() };
        assert_eq!(evaluate(&bad_date, today).unwrap_err().code, ErrorCode::InvalidArgument);
        let bad_method = Inputs { observations: OBS.to_vec(), method: Some("cubic".into()), ..Inputs::default() };
        assert_eq!(evaluate(&bad_method, today).unwrap_err().code, ErrorCode::InvalidArgument);
        let bad_plan = Inputs { observations: OBS.to_vec(), plan: Some(b"{".to_vec()), ..Inputs::default() };
        assert_eq!(evaluate(&bad_plan, today).unwrap_err().code, ErrorCode::BadJson);
        let no_column = Inputs { observations: b"unit,period\nk1,2025\n".to_vec(), ..Inputs::default() };
        assert_eq!(evaluate(&no_column, today).unwrap_err().code, ErrorCode::MissingColumn);
    }
}
