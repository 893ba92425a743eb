//! Decision 766/QĐ-TTg: the monthly service-quality scorecard of every unit.
//!
//! - [`Profile`]: the versions of the index as data (`portal-2026`, `decision-2022`);
//! - [`Counts`]: per-unit numerators and denominators, read from a counts JSON file;
//! - [`score`] and [`Scorecard`]: counts → points per metric, group and unit, and ranks;
//! - [`Gain`] and [`points_to_gain`]: per metric, the points lost and the fewest additional
//!   numerator units that gain the next point and the maximum, cheapest first per unit;
//! - [`DossierRecord`], [`ProcedureTable`], [`FeedbackRecord`]: the records and how one is
//!   classified;
//! - [`DossierAggregate`]: records → counts per unit and month, mergeable in any order;
//! - [`Scorer`]: the streaming push API; [`aggregate_dossier_csv`]: the parallel file driver;
//! - [`Explanation`]: the records behind one metric's shortfall for one unit (`explain`);
//! - [`Series`]: the scorecards of consecutive periods, with each unit's change from one to the next.
//!
//! Each type has one path, here: the submodules are private.
//!
//! # Readings where the specification is silent
//!
//! - Dossier CSV: `dossier_id`, `unit`, `procedure` and `received_at` are required columns, the
//!   others default when absent; a column the reader uses named twice in the header is an error
//!   (which one would be meant?). Records, line ends (LF, CRLF or CR alone), quotes and the
//!   recovery from an unterminated quote follow [`crate::tabular::scan`], as in every CSV reader.
//!   A field that is not UTF-8 is rejected as such, naming its column.
//! - A `dossier_id` already counted is counted again (the score is what the data say) and listed
//!   in the scorecard's `warnings` with the row where it first occurred (issue 13): the first
//!   occurrence is the lowest row of the stream, the same for any number of workers and however
//!   the stream is cut; memory is one 16-byte slot per dossier (a 64-bit hash of the id and the
//!   row), with the odds of a false warning from a hash collision in the `ids` module
//!   (`aggregate/ids.rs`). A `finished_at` before `received_at` is rejected like a due date before it.
//!   Channels, ratings, `about` and booleans are read case-insensitively; `supplement_days` takes
//!   up to 9 decimals and at most 1 000 000 days, compared exactly (never through a float).
//! - A dossier's `finished_at` is used as is, even if it falls after the end of its month.
//! - `ONLINE_SERVICES_USED` counts a procedure used when it has at least one dossier that is
//!   online as `ONLINE_DOSSIERS` counts it (an online filing without the required electronic
//!   result does not count).
//! - A procedure with an empty `authority_level` belongs to every unit; without a units file,
//!   every procedure belongs to every unit. Without a procedures file, procedures are accepted as
//!   named, have no paper result, and the five distinct-procedure metrics are missing.
//! - Without a feedback file, the feedback metrics are missing (so scored by their
//!   zero-denominator default) rather than counted as zero feedback. Feedback with no `due_at`
//!   is on time; empty `about` counts as `other`.
//! - Average processing days: `finished_at − received_at` over the period's finished dossiers,
//!   supplement time not subtracted, kept exactly as seconds / dossiers.
//! - A counts file alongside records: its other metrics are ignored, its units outside the units
//!   file are rejected, and its values are not rolled up (they are already totals).
//! - Ranks: competition ranking by the exact total (and per group) among units of the same
//!   level; a unit without a known level is ranked among units of the same depth in its parent
//!   links. Units are listed in the units file's depth-first order, or sorted by id without one.
//! - Only the first 10 000 rejected rows (lowest rows) of the records are kept in detail;
//!   the others are counted in `rejected_omitted`, so that a file of bad rows cannot exhaust
//!   memory.

mod aggregate;
mod counts;
mod explain;
mod gain;
mod parallel;
pub mod partial;
mod profile;
#[cfg(test)]
mod reader_tests;
mod records;
mod scorecard;
mod scorer;
mod series;
#[cfg(test)]
mod shape_tests;
#[cfg(test)]
mod tests;

pub(crate) use aggregate::{Classified, counter};
pub use aggregate::{CountsOutcome, DossierAggregate, RECORDLESS, RecordContext};
pub use counts::{Counts, PUBLISHED_FULL, Ratio, Reported, UnitCounts};
pub(crate) use explain::Explainer;
pub use explain::{ExplainItem, ExplainRequest, ExplainSource, Explanation, Shortfall};
pub use gain::{Gain, points_to_gain};
#[doc(hidden)]
pub use parallel::aggregate_blocks as aggregate_dossier_csv_in_blocks;
pub use parallel::aggregate_dossier_csv;
pub use partial::{FORMAT_VERSION as PARTIAL_FORMAT_VERSION, PartialError, PartialHeader};
pub use profile::{
    Arithmetic, DEFAULT_PROFILE, GroupDef, MetricDef, PROFILE_NAMES, Profile, ProfileError, Rule, ZeroDenominator,
};
pub use records::{
    DOSSIER_COLUMNS, DOSSIER_FIELDS, DossierRecord, FeedbackRecord, Procedure, ProcedureTable, ServiceLevel,
};
pub(crate) use records::{
    DOSSIER_REQUIRED, FEEDBACK_COLUMNS, FEEDBACK_REQUIRED, FieldError, PROCEDURE_OPTIONAL, PROCEDURE_REQUIRED,
};
pub use scorecard::{GroupScore, MetricScore, MetricStatus, Missing, Scorecard, UnitScore, score, score_owned};
pub(crate) use scorer::for_each_json_line;
pub use scorer::{PeriodCounts, ScoreOptions, Scorer};
pub use series::{GroupSeries, Series, UnitSeries};

/// The JSON Schema of an input or output of this module, by name: `counts` (the counts JSON),
/// `dossier` and `feedback` (one JSON lines record), `profile`. `None` for another name. Only with
/// the `schema` feature.
#[cfg(feature = "schema")]
#[must_use]
pub fn json_schema(name: &str) -> Option<String> {
    let schema = match name {
        "counts" => schemars::schema_for!(Counts),
        "dossier" => schemars::schema_for!(DossierRecord),
        "feedback" => schemars::schema_for!(FeedbackRecord),
        "profile" => schemars::schema_for!(Profile),
        _ => return None,
    };
    serde_json::to_string_pretty(&schema).ok()
}

#[cfg(all(test, feature = "schema"))]
mod schema_tests {
    #[test]
    fn schemas_print() {
        for name in ["counts", "dossier", "feedback", "profile"] {
            let text = super::json_schema(name).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(v.get("properties").is_some() || v.get("$defs").is_some(), "{name}: {text}");
        }
        assert!(super::json_schema("x").is_none());
        let counts = super::json_schema("counts").unwrap();
        assert!(counts.contains("\"metrics\"") && counts.contains("\"array\""), "{counts}");
    }
}
