//! Decision 766/QĐ-TTg: the monthly service-quality scorecard of every unit.
//!
//! - [`profile`]: the versions of the index as data (`portal-2026`, `decision-2022`);
//! - [`counts`]: per-unit numerators and denominators, read from a counts JSON file;
//! - [`scorecard`]: counts → points per metric, group and unit, and ranks;
//! - [`records`]: dossier, procedure and feedback records and how one is classified;
//! - [`aggregate`]: records → counts in one streaming pass, in parallel, mergeable.

pub mod counts;
pub mod profile;
pub mod scorecard;

pub use counts::{Counts, Ratio, Reported, UnitCounts};
pub use profile::{DEFAULT_PROFILE, GroupDef, MetricDef, PROFILE_NAMES, Profile, ProfileError, Rule, ZeroDenominator};
pub use scorecard::{GroupScore, MetricScore, Missing, Scorecard, UnitScore, score};
