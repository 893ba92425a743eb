//! Results grouped by who must act: section VI of the plan assigns each task to a role (radio
//! officer, culture-society official, office-statistics official, police, mass organisations,
//! khóm …), and each indicator names its `responsible` roles in the plan data.
//!
//! The report is the current state: for each unit and target, the result of the latest period
//! that has begun by the as-of date (this year for a yearly target, the milestone for a `by`
//! target once it is due, …). Each role lists the results of the indicators it is responsible
//! for, most urgent first: [`URGENCY`] orders the statuses, then the plan's order of indicators,
//! then the units in the evaluation's order (the tree). An indicator with several roles is listed
//! under each; one with none is listed under `unassigned`; a role with no indicator is listed
//! with none, so that a report shows every role the plan names.

use std::collections::HashMap;

use serde::Serialize;

use crate::evaluate::{EvalResult, Evaluation, Status};
use crate::plan::{Plan, Role};

/// Statuses from the most to the least urgent for the role that must act: a trend moving away,
/// a projection falling short, a closed period missed, then data to fix or supply, then what is
/// open, then what is fine.
pub const URGENCY: [Status; 10] = [
    Status::OffTrack,
    Status::AtRisk,
    Status::NotMet,
    Status::Invalid,
    Status::InsufficientData,
    Status::NoData,
    Status::InProgress,
    Status::OnTrack,
    Status::MetEarly,
    Status::Met,
];

/// The statuses that call for action now (`off_track`, `at_risk`, `not_met`): a role's
/// `attention` count.
pub const NEEDS_ACTION: [Status; 3] = [Status::OffTrack, Status::AtRisk, Status::NotMet];

fn urgency(status: Status) -> usize {
    URGENCY.iter().position(|s| *s == status).unwrap_or(URGENCY.len())
}

/// One role and the current results it is responsible for, most urgent first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleGroup<'a> {
    /// The role (id and names).
    #[serde(flatten)]
    pub role: &'a Role,
    /// How many of `results` call for action now ([`NEEDS_ACTION`]).
    pub attention: usize,
    /// The results, most urgent first.
    pub results: Vec<&'a EvalResult>,
}

/// An evaluation grouped by responsible role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleReport<'a> {
    /// The plan's id.
    pub plan: &'a str,
    /// The as-of date.
    pub as_of: crate::date::Date,
    /// Every role of the plan, in the plan's order.
    pub roles: Vec<RoleGroup<'a>>,
    /// Current results of indicators that name no role (or only roles the plan does not list).
    pub unassigned: Vec<&'a EvalResult>,
}

impl RoleReport<'_> {
    /// The report as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The current result of each unit and target: the latest period begun by the as-of date.
fn current(evaluation: &Evaluation) -> Vec<&EvalResult> {
    let mut latest: HashMap<(&str, &str), &EvalResult> = HashMap::new();
    let mut order: Vec<(&str, &str)> = Vec::new();
    for r in &evaluation.results {
        if r.period.first_day() > evaluation.as_of {
            continue;
        }
        let key = (r.unit.as_str(), r.target.as_str());
        match latest.get(&key) {
            Some(seen) if seen.period.last_day() >= r.period.last_day() => {}
            Some(_) => {
                latest.insert(key, r);
            }
            None => {
                order.push(key);
                latest.insert(key, r);
            }
        }
    }
    order.into_iter().filter_map(|k| latest.get(&k).copied()).collect()
}

/// Groups `evaluation` (made with `plan`) by the roles responsible for its indicators.
#[must_use]
pub fn by_role<'a>(evaluation: &'a Evaluation, plan: &'a Plan) -> RoleReport<'a> {
    let indicator_order: HashMap<&str, usize> =
        plan.indicators.iter().enumerate().map(|(i, ind)| (ind.id.as_str(), i)).collect();
    let mut current = current(evaluation);
    // A stable sort: units keep the evaluation's (tree) order within an indicator and status.
    current.sort_by_key(|r| (urgency(r.status), indicator_order.get(r.indicator.as_str()).copied()));
    let responsible = |r: &EvalResult| plan.indicator(&r.indicator).map_or(&[][..], |i| i.responsible.as_slice());
    let roles = plan
        .roles
        .iter()
        .map(|role| {
            let results: Vec<&EvalResult> =
                current.iter().copied().filter(|r| responsible(r).contains(&role.id)).collect();
            let attention = results.iter().filter(|r| NEEDS_ACTION.contains(&r.status)).count();
            RoleGroup { role, attention, results }
        })
        .collect();
    let unassigned = current
        .iter()
        .copied()
        .filter(|r| !responsible(r).iter().any(|id| plan.roles.iter().any(|role| role.id == *id)))
        .collect();
    RoleReport { plan: &evaluation.plan, as_of: evaluation.as_of, roles, unassigned }
}
