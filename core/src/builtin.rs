//! The built-in plan: the catalogue of `plan.md`, from the town plan under district plan
//! 537/KH-UBND of 13/3/2025, kept as plan JSON (`builtin/plan.json`, the bytes `chiso plan`
//! prints) and compiled in.
//!
//! Every 2025 target without a 2030 successor is maintained through 2030 (`maintain_until`); this
//! is our reading of a plan that is silent on what happens after 2025.

use crate::plan::{Labels, Plan};

/// The built-in plan as JSON, exactly as [`builtin_plan`] reads it.
pub const BUILTIN_PLAN_JSON: &str = include_str!("builtin/plan.json");

/// The id of the built-in plan.
pub const BUILTIN_PLAN_ID: &str = "ke-hoach-dvctt-thi-tran-2025-2030";

/// The field indicators that break `satisfaction_land_construction_investment` down.
pub const FIELD_SATISFACTION: [&str; 3] = ["satisfaction_land", "satisfaction_construction", "satisfaction_investment"];

/// The built-in plan, read and validated from [`BUILTIN_PLAN_JSON`] by [`Plan::from_json`], the
/// reader every plan file goes through.
///
/// The JSON is compiled in, so it reads the same in every build and a test reading it covers them
/// all; the empty plan this would return if it did not read is never reached.
#[must_use]
pub fn builtin_plan() -> Plan {
    Plan::from_json(BUILTIN_PLAN_JSON.as_bytes(), "builtin/plan.json").unwrap_or_else(|_| Plan {
        id: BUILTIN_PLAN_ID.to_owned(),
        title: Labels::new("", ""),
        source: String::new(),
        subject_groups: Vec::new(),
        roles: Vec::new(),
        indicators: Vec::new(),
        overrides: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::Percent;
    use crate::plan::Schedule;

    const CATALOGUE: [&str; 17] = [
        "staff_informed",
        "operators_trained",
        "portal_campaign",
        "guides_published",
        "outlets_active",
        "web_section",
        "community_team_trained",
        "procedures_full_online",
        "users_eid_verified",
        "dossiers_fully_online",
        "adults_using",
        "satisfaction",
        "satisfaction_land_construction_investment",
        "feedback_adopted",
        "students_trained",
        "service_quality_improves",
        "score766_published",
    ];

    #[test]
    fn the_file_reads_and_validates() {
        // Not through `builtin_plan`, whose fallback would hide an error.
        let plan = Plan::from_json(BUILTIN_PLAN_JSON.as_bytes(), "builtin/plan.json").unwrap();
        assert_eq!(plan, builtin_plan());
        assert_eq!(plan.id, BUILTIN_PLAN_ID);
        let combined = plan.indicator("satisfaction_land_construction_investment").unwrap();
        assert_eq!(combined.breakdown, FIELD_SATISFACTION);
        for id in FIELD_SATISFACTION {
            assert!(plan.indicator(id).is_some(), "{id}");
        }
    }

    #[test]
    fn has_every_catalogue_row_and_validates() {
        let plan = builtin_plan();
        plan.validate("builtin").unwrap();
        for id in CATALOGUE {
            assert!(plan.indicator(id).is_some(), "{id}");
        }
        // A 2025 target with a 2030 successor is not maintained; one without is, through 2030.
        let adults = plan.indicator("adults_using").unwrap();
        assert!(adults.targets.iter().all(|t| matches!(t.schedule, Schedule::By { maintain_until: None, .. })));
        let dossiers = plan.indicator("dossiers_fully_online").unwrap();
        assert!(matches!(dossiers.targets[0].schedule, Schedule::By { maintain_until: Some(2030), .. }));
        assert_eq!(dossiers.targets[0].threshold, Some(Percent::whole(80)));
    }

    #[test]
    fn json_round_trip() {
        let plan = builtin_plan();
        let json = plan.to_json();
        let back = Plan::from_json(json.as_bytes(), "plan.json").unwrap();
        assert_eq!(back, plan);
        // The file is the plan's own pretty JSON, so `chiso plan` prints it unchanged.
        assert_eq!(format!("{json}\n"), BUILTIN_PLAN_JSON);
    }
}
