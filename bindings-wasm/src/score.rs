//! Decision 766: scoring counts, and the streaming `Scorer766`, on the core's session API. The
//! Rust half here is free of JS so that native tests check it against the core's own calls.

use chiso::api::{Names766, RecordFormat, Score766Builder, Score766Session};
use chiso::score766::{ExplainRequest, Scorecard};

use crate::error::Failure;

/// Scores a counts JSON document (formats.md, "Decision 766 counts") under a profile.
pub fn score_counts(json: &[u8], profile_name: Option<&str>) -> Result<Scorecard, Failure> {
    Ok(chiso::api::score_counts(json, &Names766::default().counts, profile_name, None, false)?)
}

/// What a `Scorer766` is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScorerInputs {
    /// The period scored: `YYYY-MM` (also `YYYY-Qn` or `YYYY`).
    pub period: String,
    /// The profile's name; `None` for the default.
    pub profile: Option<String>,
    /// `units.csv`.
    pub units: Option<Vec<u8>>,
    /// `procedures.csv`.
    pub procedures: Option<Vec<u8>>,
    /// `feedback.csv`.
    pub feedback: Option<Vec<u8>>,
    /// A counts JSON that fills the metrics records cannot give; its period must be the scorer's
    /// or lie within it.
    pub counts: Option<Vec<u8>>,
    /// Stop at the first rejected row.
    pub strict: bool,
    /// How the tabular inputs are read when they are real exports (the JSON of
    /// `chiso::api::InputOptions::from_json`).
    pub input: Option<Vec<u8>>,
    /// Explain one number rather than score: finished by `explain()`.
    pub explain: Option<ExplainRequest>,
}

/// Starts the core session on `inputs`: every check (period, profile, the counts' period) is the
/// core's, as in the CLI and the C library.
pub fn start(inputs: &ScorerInputs) -> Result<Score766Session, Failure> {
    let builder = Score766Builder::new(&inputs.period)
        .profile(inputs.profile.as_deref())
        .strict(inputs.strict)
        .input(crate::request::input_options(inputs.input.as_deref())?)
        .units(inputs.units.as_deref())
        .procedures(inputs.procedures.as_deref())
        .counts(inputs.counts.as_deref());
    let builder = match &inputs.explain {
        Some(request) => builder.explain(request.clone()),
        None => builder,
    };
    Ok(builder.feedback(inputs.feedback.as_deref(), RecordFormat::Csv).build()?)
}

/// Reads a whole dossier file (CSV, or the bytes of an `.xlsx` workbook) into the session.
pub fn read_dossiers(session: &mut Score766Session, bytes: &[u8]) -> Result<(), Failure> {
    Ok(session.read_dossiers(bytes, RecordFormat::Csv, 1, &mut |_| {})?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chiso::ErrorCode;

    const UNITS: &[u8] = b"id,name,parent,level\nt,Town,,commune\nk1,K1,t,neighbourhood\n";
    fn inputs() -> ScorerInputs {
        ScorerInputs { period: "2026-08".into(), units: Some(UNITS.to_vec()), ..ScorerInputs::default() }
    }

    #[test]
    fn errors_have_the_core_codes() {
        let bad_period = ScorerInputs { period: "2026-13".into(), ..ScorerInputs::default() };
        assert_eq!(start(&bad_period).unwrap_err().code, ErrorCode::InvalidArgument);
        let bad_profile = ScorerInputs { profile: Some("nope".into()), ..inputs() };
        assert_eq!(start(&bad_profile).unwrap_err().code, ErrorCode::UnknownProfile);
        // A counts file of another period: refused, as the CLI and the C library refuse it.
        let july = ScorerInputs { counts: Some(br#"{ "period": "2026-07", "units": [] }"#.to_vec()), ..inputs() };
        assert_eq!(start(&july).unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(score_counts(b"{", None).unwrap_err().code, ErrorCode::BadJson);
        let late = ScorerInputs { input: Some(br#"{"header_row": 0}"#.to_vec()), ..inputs() };
        assert_eq!(start(&late).unwrap_err().code, ErrorCode::InvalidInput);
        // A metric from the counts file cannot be explained.
        let request = ExplainRequest { unit: "t".into(), metric: "PUBLISH_ON_TIME".into(), limit: None };
        let from_counts = ScorerInputs { explain: Some(request), ..inputs() };
        let err = start(&from_counts).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
        assert!(err.message.contains("comes from the counts file"), "{}", err.message);
    }

    #[test]
    fn explains_the_late_dossiers_of_a_unit_and_its_neighbourhoods() {
        let request = ExplainRequest { unit: "t".into(), metric: "ON_TIME".into(), limit: Some(1) };
        let mut session = start(&ScorerInputs { explain: Some(request), ..inputs() }).unwrap();
        session
            .push_csv(
                b"dossier_id,unit,procedure,received_at,due_at,finished_at
d1,k1,p,2026-08-01,2026-08-03,2026-08-09
d2,t,p,2026-08-02,2026-08-03,2026-08-02
d3,k1,p,2026-08-05,2026-08-06,2026-08-20
",
            )
            .unwrap();
        let e = session.explain().unwrap();
        assert_eq!((e.numerator, e.denominator, e.total_shortfall, e.listed), (1, 3, 2, 1));
        assert_eq!((e.items[0].id.as_str(), e.items[0].row), ("d1", Some(2)));
    }

    #[test]
    fn a_dossier_workbook_is_read_whole() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/exports");
        let (csv, xlsx) =
            (std::fs::read(dir.join("dossiers.csv")).unwrap(), std::fs::read(dir.join("dossiers.xlsx")).unwrap());
        let period = ScorerInputs { period: "2026-08".into(), ..ScorerInputs::default() };
        let mut whole = start(&period).unwrap();
        whole.push_csv(&csv).unwrap();
        let expected = whole.finish().unwrap().to_json();
        let mut sheet = start(&period).unwrap();
        read_dossiers(&mut sheet, &xlsx).unwrap();
        assert_eq!(sheet.finish().unwrap().to_json(), expected);
    }
}
