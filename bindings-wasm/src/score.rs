//! Decision 766: scoring counts, and the streaming `Scorer766` that reads dossier CSV in chunks.
//! The Rust half here is free of JS so that native tests check it against the core's own calls.

use std::sync::Arc;

use chiso::input::{InputError, Rejection};
use chiso::period::Period;
use chiso::score766::{Counts, ProcedureTable, Profile, RecordContext, ScoreOptions, Scorecard, Scorer, score};
use chiso::units::UnitTree;

use crate::error::Failure;

/// File names used in rejections: the CLI's when given files of these names.
pub mod names {
    /// The dossier stream.
    pub const DOSSIERS: &str = "dossiers.csv";
    /// The unit tree.
    pub const UNITS: &str = "units.csv";
    /// The procedures.
    pub const PROCEDURES: &str = "procedures.csv";
    /// The feedback records.
    pub const FEEDBACK: &str = "feedback.csv";
    /// The counts file.
    pub const COUNTS: &str = "counts.json";
}

fn input(e: InputError) -> Failure {
    Failure { code: e.code(), message: e.to_string() }
}

fn profile(name: Option<&str>) -> Result<Profile, Failure> {
    match name {
        None => Ok(Profile::default()),
        Some(n) => Profile::named(n).map_err(|e| Failure { code: e.code(), message: e.to_string() }),
    }
}

/// Scores a counts JSON document (formats.md, "Decision 766 counts") under a profile.
pub fn score_counts(json: &[u8], profile_name: Option<&str>) -> Result<Scorecard, Failure> {
    let profile = profile(profile_name)?;
    let mut rejected = Vec::new();
    let counts = Counts::from_json(json, names::COUNTS, false, &mut rejected).map_err(input)?;
    Ok(score(&profile, &counts, rejected))
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
    /// `feedback.csv`, read after the dossiers (as the CLI does).
    pub feedback: Option<Vec<u8>>,
    /// A counts JSON that fills the metrics records cannot give.
    pub counts: Option<Vec<u8>>,
    /// Stop at the first rejected row.
    pub strict: bool,
}

/// A scorer being fed, with what it reads at the end.
#[derive(Debug)]
pub struct Streaming {
    scorer: Scorer,
    feedback: Option<Vec<u8>>,
    counts: Option<Vec<u8>>,
    strict: bool,
}

impl Streaming {
    /// Reads the context (units, procedures) and starts a scorer, as `chiso score766` does.
    pub fn new(inputs: ScorerInputs) -> Result<Self, Failure> {
        let period: Period =
            inputs.period.parse().map_err(|e: chiso::period::PeriodError| Failure::argument(format!("period: {e}")))?;
        let profile = profile(inputs.profile.as_deref())?;
        let mut rejected: Vec<Rejection> = Vec::new();
        let units = inputs
            .units
            .map(|b| UnitTree::from_csv(b.as_slice(), names::UNITS, inputs.strict, &mut rejected))
            .transpose()
            .map_err(input)?;
        let procedures = inputs
            .procedures
            .map(|b| ProcedureTable::from_csv(b.as_slice(), names::PROCEDURES, inputs.strict, &mut rejected))
            .transpose()
            .map_err(input)?;
        let context = Arc::new(RecordContext::new(units, procedures));
        let options = ScoreOptions { profile, period, strict: inputs.strict, source: names::DOSSIERS.to_owned() };
        let mut scorer = Scorer::new(options, context);
        scorer.add_rejections(rejected);
        Ok(Self { scorer, feedback: inputs.feedback, counts: inputs.counts, strict: inputs.strict })
    }

    /// The next bytes of the dossier CSV, cut anywhere.
    pub fn push_csv(&mut self, chunk: &[u8]) -> Result<(), Failure> {
        self.scorer.push_csv(chunk).map_err(input)
    }

    /// Reads feedback and counts, then scores.
    pub fn finish(mut self) -> Result<Scorecard, Failure> {
        if let Some(feedback) = &self.feedback {
            self.scorer.read_feedback_csv(feedback.as_slice(), names::FEEDBACK).map_err(input)?;
        }
        if let Some(json) = &self.counts {
            let mut rejected = Vec::new();
            let counts = Counts::from_json(json, names::COUNTS, self.strict, &mut rejected).map_err(input)?;
            self.scorer.add_rejections(rejected);
            self.scorer.set_counts(counts, names::COUNTS);
        }
        self.scorer.finish().map_err(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNITS: &[u8] = b"id,name,parent,level\nt,Town,,commune\nk1,K1,t,neighbourhood\n";
    const HEADER: &str = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,synced\n";

    fn dossiers(n: usize) -> String {
        let mut s = HEADER.to_owned();
        for i in 0..n {
            let late = if i % 3 == 0 { "2026-08-20" } else { "2026-08-05" };
            s += &format!("d{i},k1,p,2026-08-01,2026-08-10,{late},online,{}\n", i % 2);
        }
        s
    }

    fn inputs() -> ScorerInputs {
        ScorerInputs { period: "2026-08".into(), units: Some(UNITS.to_vec()), ..ScorerInputs::default() }
    }

    #[test]
    fn chunks_cut_anywhere_give_the_whole_file_result() {
        let csv = dossiers(50);
        let mut whole = Streaming::new(inputs()).unwrap();
        whole.push_csv(csv.as_bytes()).unwrap();
        let expected = whole.finish().unwrap().to_json();
        for size in [1, 2, 7, 64, 1000] {
            let mut s = Streaming::new(inputs()).unwrap();
            for chunk in csv.as_bytes().chunks(size) {
                s.push_csv(chunk).unwrap();
            }
            assert_eq!(s.finish().unwrap().to_json(), expected, "chunks of {size}");
        }
        assert!(expected.contains("\"ON_TIME\""));
    }

    #[test]
    fn errors_have_codes() {
        let bad_period = ScorerInputs { period: "2026-13".into(), ..ScorerInputs::default() };
        assert_eq!(Streaming::new(bad_period).unwrap_err().code, "invalid_argument");
        let bad_profile = ScorerInputs { profile: Some("nope".into()), ..inputs() };
        assert_eq!(Streaming::new(bad_profile).unwrap_err().code, "unknown_profile");
        let mut s = Streaming::new(inputs()).unwrap();
        s.push_csv(b"dossier_id\nx\n").unwrap_err();
        assert_eq!(score_counts(b"{", None).unwrap_err().code, "bad_json");
    }

    #[test]
    fn counts_score_like_the_core() {
        let json = br#"{ "period": "2026-08", "units": [ { "unit": "a", "metrics": { "ON_TIME": [2348, 2971] } } ] }"#;
        let card = score_counts(json, Some("portal-2026")).unwrap();
        let mut rejected = Vec::new();
        let counts = Counts::from_json(json, "counts.json", false, &mut rejected).unwrap();
        assert_eq!(card, score(&Profile::named("portal-2026").unwrap(), &counts, rejected));
    }
}
