//! Decision 766: scoring counts, and the streaming `Scorer766`, on the core's session API. The
//! Rust half here is free of JS so that native tests check it against the core's own calls.

use chiso::api::{Names766, RecordFormat, Score766Builder, Score766Session};
use chiso::score766::Scorecard;

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
}

/// Starts the core session on `inputs`: every check (period, profile, the counts' period) is the
/// core's, as in the CLI and the C library.
pub fn start(inputs: &ScorerInputs) -> Result<Score766Session, Failure> {
    Ok(Score766Builder::new(&inputs.period)
        .profile(inputs.profile.as_deref())
        .strict(inputs.strict)
        .units(inputs.units.as_deref())
        .procedures(inputs.procedures.as_deref())
        .counts(inputs.counts.as_deref())
        .feedback(inputs.feedback.as_deref(), RecordFormat::Csv)
        .build()?)
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
    }
}
