//! Decision 766/QĐ-TTg: the monthly service-quality scorecard of every unit.
//!
//! - [`profile`]: the versions of the index as data (`portal-2026`, `decision-2022`);
//! - [`counts`]: per-unit numerators and denominators, read from a counts JSON file;
//! - [`scorecard`]: counts → points per metric, group and unit, and ranks;
//! - [`records`]: dossier, procedure and feedback records and how one is classified;
//! - [`aggregate`]: records → counts per unit and month, mergeable in any order;
//! - [`scorer`]: the streaming push API and the parallel file driver.

pub mod aggregate;
pub mod counts;
mod csvscan;
pub mod profile;
pub mod records;
pub mod scorecard;
pub mod scorer;
#[cfg(test)]
mod tests;

pub use aggregate::{CountsOutcome, DossierAggregate, RECORDLESS, RecordContext};
pub use counts::{Counts, Ratio, Reported, UnitCounts};
pub use profile::{DEFAULT_PROFILE, GroupDef, MetricDef, PROFILE_NAMES, Profile, ProfileError, Rule, ZeroDenominator};
pub use records::{DossierRecord, FeedbackRecord, Procedure, ProcedureTable, ServiceLevel};
pub use scorecard::{GroupScore, MetricScore, Missing, Scorecard, UnitScore, score};
pub use scorer::{ScoreOptions, Scorer, aggregate_dossier_csv};
