//! Results grouped by who must act (issue 10 part 3), on the sample town.
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use chiso::api::EvaluateRequest;
use chiso::by_role::{NEEDS_ACTION, URGENCY, by_role};
use chiso::evaluate::{Evaluation, Status};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/evaluate/sample-town");

fn sample(as_of: &str) -> (Evaluation, chiso::plan::Plan) {
    let observations = std::fs::read(format!("{DIR}/observations.csv")).unwrap();
    let units = std::fs::read(format!("{DIR}/units.csv")).unwrap();
    let request = EvaluateRequest {
        as_of: Some(as_of),
        ..EvaluateRequest::new(observations.as_slice()).with_units(units.as_slice())
    };
    let evaluated = chiso::api::evaluate(request, || unreachable!("a date is given")).unwrap();
    (evaluated.evaluation, evaluated.plan)
}

#[test]
fn every_role_lists_its_indicators_current_results_most_urgent_first() {
    let (evaluation, plan) = sample("2026-11-28");
    let report = by_role(&evaluation, &plan);
    assert_eq!(report.roles.len(), plan.roles.len(), "every role of the plan, even one without indicators");
    let mut listed = 0;
    for group in &report.roles {
        for r in &group.results {
            let ind = plan.indicator(&r.indicator).unwrap();
            assert!(ind.responsible.contains(&group.role.id), "{} under {}", r.indicator, group.role.id);
            assert!(r.period.first_day() <= evaluation.as_of, "a period not begun: {}", r.period);
        }
        let ranks: Vec<usize> =
            group.results.iter().map(|r| URGENCY.iter().position(|s| *s == r.status).unwrap()).collect();
        assert!(ranks.is_sorted(), "{}: {ranks:?}", group.role.id);
        let attention = group.results.iter().filter(|r| NEEDS_ACTION.contains(&r.status)).count();
        assert_eq!(group.attention, attention);
        listed += group.results.len();
    }
    assert!(listed > 0);
    // The finance and planning official has budget tasks, no indicator: listed, empty.
    let finance = report.roles.iter().find(|g| g.role.id == "finance_planning_official").unwrap();
    assert!(finance.results.is_empty());
    // Each (unit, target) once per role, and its latest begun period: 2026 for a yearly target.
    let office = report.roles.iter().find(|g| g.role.id == "office_statistics_official").unwrap();
    let staff: Vec<_> = office.results.iter().filter(|r| r.target == "staff_informed.yearly").collect();
    assert!(!staff.is_empty());
    assert!(staff.iter().all(|r| r.period.to_string() == "2026"), "{staff:?}");
    let mut keys: Vec<_> = office.results.iter().map(|r| (&r.unit, &r.target)).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "one current result per unit and target");
    // Led by what is off track or at risk, where there is any.
    let police = report.roles.iter().find(|g| g.role.id == "town_police").unwrap();
    if police.results.iter().any(|r| matches!(r.status, Status::OffTrack | Status::AtRisk)) {
        assert!(matches!(police.results[0].status, Status::OffTrack | Status::AtRisk));
    }
    let json = report.to_json();
    assert!(json.contains("\"attention\"") && json.contains("\"label\""), "{json}");
}

#[test]
fn an_indicator_without_a_known_role_is_unassigned() {
    let (evaluation, mut plan) = sample("2026-11-28");
    for ind in &mut plan.indicators {
        if ind.id == "users_eid_verified" {
            ind.responsible = vec!["nobody_listed".to_owned()];
        }
    }
    let report = by_role(&evaluation, &plan);
    assert!(!report.unassigned.is_empty());
    assert!(report.unassigned.iter().all(|r| r.indicator == "users_eid_verified"));
    let police = report.roles.iter().find(|g| g.role.id == "town_police").unwrap();
    assert!(police.results.iter().all(|r| r.indicator != "users_eid_verified"));
}
