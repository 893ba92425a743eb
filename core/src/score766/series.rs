//! A series: the scorecards of consecutive periods (`2026-01..2026-08`), and per unit the total
//! and each group's score period by period with the change from the period before.
//!
//! The scorecards are composed, not rebuilt: each is exactly the scorecard of its period alone
//! (the session checks that with tests), and this module only reads their totals and group
//! scores. Choices:
//!
//! - A change is `score − previous score`, exact in hundredths (both are sums of rounded metric
//!   scores), `null` for the first period and wherever the unit is absent from either period (a
//!   neighbourhood is listed only in periods it handled something; a counts file may name units
//!   in one period only).
//! - Units are listed in the scorecards' own order (the units file's depth-first order, or by id
//!   without one): every period's list is in the series in its order, a unit missing from some
//!   periods (an idle neighbourhood, a unit only one counts file names) included; where no
//!   period orders two units, the one seen first goes first.
//! - Groups follow the unit's groups in its first listed period (the profile's order); a group
//!   code missing from a period's scorecard is `null` there.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use serde::{Deserialize, Serialize};

use super::scorecard::{Scorecard, UnitScore};
use crate::exact::Hundredths;
use crate::period::Period;

/// The scorecards of consecutive periods under one profile, and each unit's scores across them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    /// The profile's name.
    pub profile: String,
    /// The periods, first to last.
    pub periods: Vec<Period>,
    /// One full scorecard per period, in the order of `periods`.
    pub scorecards: Vec<Scorecard>,
    /// Per unit: its total and group scores per period, and their changes.
    pub changes: Vec<UnitSeries>,
}

/// One unit across the periods of a series. Every list has one entry per period of the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSeries {
    /// The unit's id.
    pub unit: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The level it is ranked within (as in the scorecards).
    pub level: String,
    /// Its total per period; `null` where the unit is not in that period's scorecard.
    pub totals: Vec<Option<Hundredths>>,
    /// Per period: whether every metric had its input (`complete` of the scorecard; an
    /// incomplete unit's total counts missing metrics as 0, so its change says little); `null`
    /// where the unit is absent.
    pub complete: Vec<Option<bool>>,
    /// Total minus the previous period's; `null` for the first period and where either is absent.
    #[serde(deserialize_with = "signed")]
    pub total_changes: Vec<Option<Hundredths>>,
    /// Its groups, in the profile's order.
    pub groups: Vec<GroupSeries>,
}

/// One group of one unit across the periods of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSeries {
    /// The group code.
    pub code: String,
    /// Its score per period; `null` where the unit (or the group) is absent.
    pub scores: Vec<Option<Hundredths>>,
    /// Score minus the previous period's; `null` for the first period and where either is absent.
    #[serde(deserialize_with = "signed")]
    pub changes: Vec<Option<Hundredths>>,
}

/// Reads changes, which may be negative (a [`Hundredths`] alone reads only non-negative values).
fn signed<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Option<Hundredths>>, D::Error> {
    let numbers = Vec::<Option<serde_json::Number>>::deserialize(d)?;
    numbers
        .into_iter()
        .map(|n| {
            n.map(|n| {
                let text = n.to_string();
                let (negative, digits) = text.strip_prefix('-').map_or((false, text.as_str()), |t| (true, t));
                let d: crate::exact::Decimal = digits.parse().map_err(serde::de::Error::custom)?;
                let h = d.to_hundredths().ok_or_else(|| serde::de::Error::custom("more than two decimals"))?;
                Ok(Hundredths(if negative { -h } else { h }))
            })
            .transpose()
        })
        .collect()
}

/// Each value minus the one before it; `None` for the first and where either is absent.
fn changes(values: &[Option<Hundredths>]) -> Vec<Option<Hundredths>> {
    let mut out = Vec::with_capacity(values.len());
    let mut previous = None;
    for v in values {
        out.push(match (previous, v) {
            (Some(Hundredths(a)), Some(Hundredths(b))) => Some(Hundredths(b.saturating_sub(a))),
            _ => None,
        });
        previous = *v;
    }
    out
}

/// The units of all scorecards, each once, in the order they share: every scorecard lists its
/// units in one common order (the unit tree's, or by id), so each pair of units listed one after
/// the other in some scorecard is a constraint, and the constraints are sorted topologically, the
/// unit seen first going first where they leave a choice. Every scorecard's list is then in the
/// result in its own order. Scorecards that disagree (not the session's) leave the units of a
/// cycle in the order they were first seen.
fn unit_order(cards: &[Scorecard]) -> Vec<&str> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    let mut after: Vec<Vec<usize>> = Vec::new();
    let mut before_count: Vec<usize> = Vec::new();
    for card in cards {
        let mut previous: Option<usize> = None;
        for u in &card.units {
            let id = *index.entry(u.unit.as_str()).or_insert_with(|| {
                names.push(u.unit.as_str());
                after.push(Vec::new());
                before_count.push(0);
                names.len() - 1
            });
            if let Some(p) = previous.filter(|p| *p != id) {
                if let (Some(list), Some(count)) = (after.get_mut(p), before_count.get_mut(id)) {
                    list.push(id);
                    *count += 1;
                }
            }
            previous = Some(id);
        }
    }
    // Kahn's algorithm, the unit first seen first among those ready.
    let mut ready: BinaryHeap<Reverse<usize>> =
        before_count.iter().enumerate().filter(|(_, c)| **c == 0).map(|(id, _)| Reverse(id)).collect();
    let mut placed = vec![false; names.len()];
    let mut order = Vec::with_capacity(names.len());
    while let Some(Reverse(id)) = ready.pop() {
        order.extend(names.get(id));
        if let Some(p) = placed.get_mut(id) {
            *p = true;
        }
        for next in after.get(id).map_or(&[][..], Vec::as_slice) {
            if let Some(count) = before_count.get_mut(*next) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    ready.push(Reverse(*next));
                }
            }
        }
    }
    order.extend(names.iter().zip(&placed).filter(|(_, p)| !**p).map(|(n, _)| *n));
    order
}

impl Series {
    /// The series of `scorecards`, one per period in order, under `profile`.
    #[must_use]
    pub fn new(profile: String, scorecards: Vec<Scorecard>) -> Self {
        let periods = scorecards.iter().map(|c| c.period).collect();
        let index: Vec<HashMap<&str, &UnitScore>> =
            scorecards.iter().map(|c| c.units.iter().map(|u| (u.unit.as_str(), u)).collect()).collect();
        let changes = unit_order(&scorecards)
            .into_iter()
            .filter_map(|unit| {
                let per_period: Vec<Option<&UnitScore>> = index.iter().map(|m| m.get(unit).copied()).collect();
                let first = per_period.iter().flatten().next()?;
                let totals: Vec<Option<Hundredths>> = per_period.iter().map(|u| u.map(|u| u.total)).collect();
                let complete = per_period.iter().map(|u| u.map(|u| u.complete)).collect();
                let groups = first
                    .groups
                    .iter()
                    .map(|g| {
                        let scores: Vec<Option<Hundredths>> = per_period
                            .iter()
                            .map(|u| u.and_then(|u| u.groups.iter().find(|x| x.code == g.code)).map(|x| x.score))
                            .collect();
                        GroupSeries { code: g.code.clone(), changes: changes(&scores), scores }
                    })
                    .collect();
                Some(UnitSeries {
                    unit: first.unit.clone(),
                    name: first.name.clone(),
                    level: first.level.clone(),
                    total_changes: changes(&totals),
                    totals,
                    complete,
                    groups,
                })
            })
            .collect();
        Self { profile, periods, scorecards, changes }
    }

    /// The series as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes the series as pretty JSON to `out`, byte for byte what [`Self::to_json`] returns,
    /// without holding the text in memory. `out` should be buffered.
    pub fn write_json<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, self).map_err(std::io::Error::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score766::{Counts, Profile, score};

    fn card(period: &str, units: &[(&str, u64)]) -> Scorecard {
        let units: Vec<String> = units
            .iter()
            .map(|(u, on_time)| format!(r#"{{ "unit": "{u}", "metrics": {{ "ON_TIME": [{on_time}, 100] }} }}"#))
            .collect();
        let json = format!(r#"{{ "period": "{period}", "units": [{}] }}"#, units.join(","));
        let mut rejected = Vec::new();
        let counts = Counts::from_json(json.as_bytes(), "c.json", false, &mut rejected).unwrap();
        score(&Profile::default(), &counts, rejected)
    }

    #[test]
    fn changes_are_exact_and_null_where_a_unit_is_absent() {
        let cards = vec![
            card("2026-01", &[("a", 50), ("c", 10)]),
            card("2026-02", &[("a", 56), ("b", 1), ("c", 10)]),
            card("2026-03", &[("b", 3), ("c", 7)]),
        ];
        let s = Series::new("portal-2026".to_owned(), cards);
        let units: Vec<&str> = s.changes.iter().map(|u| u.unit.as_str()).collect();
        assert_eq!(units, ["a", "b", "c"]);
        let a = &s.changes[0];
        let tdgq = a.groups.iter().find(|g| g.code == "TDGQ").unwrap();
        // ON_TIME is 20 points linear: 50 % → 10.00, 56 % → 11.20.
        assert_eq!(tdgq.scores, [Some(Hundredths(1000)), Some(Hundredths(1120)), None]);
        assert_eq!(tdgq.changes, [None, Some(Hundredths(120)), None]);
        assert_eq!(a.total_changes[0], None);
        assert_eq!(a.total_changes[2], None);
        let c = &s.changes[2];
        assert_eq!(c.total_changes[1], Some(Hundredths(0)));
        assert_eq!(c.groups.iter().find(|g| g.code == "TDGQ").unwrap().changes[2], Some(Hundredths(-60)));
        assert_eq!(a.complete, [Some(false), Some(false), None], "counts of ON_TIME alone are incomplete");
        let b = &s.changes[1];
        assert_eq!(b.totals[0], None);
        assert_eq!(b.total_changes[1], None);
        assert!(b.total_changes[2].is_some());
        let v: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        assert_eq!(v["periods"], serde_json::json!(["2026-01", "2026-02", "2026-03"]));
        assert_eq!(v["changes"][0]["groups"][1]["changes"], serde_json::json!([null, 1.2, null]));
        assert_eq!(v["changes"][2]["groups"][1]["changes"][2], serde_json::json!(-0.6));
        let back: Series = serde_json::from_str(&s.to_json()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn unit_order_keeps_the_common_order() {
        let cards = vec![
            card("2026-01", &[("a", 1), ("d", 1)]),
            card("2026-02", &[("b", 1), ("d", 1), ("e", 1)]),
            card("2026-03", &[("a", 1), ("c", 1), ("d", 1)]),
        ];
        assert_eq!(unit_order(&cards), ["a", "b", "c", "d", "e"]);
        assert!(unit_order(&[]).is_empty());
    }

    proptest::proptest! {
        /// Whatever units each period lists (subsets of one common order), every unit is listed
        /// once, each period's list keeps its order, and each change is the difference of the
        /// two totals it sits between.
        #[test]
        fn every_unit_once_in_each_periods_order(present in proptest::collection::vec(proptest::collection::vec(proptest::bool::ANY, 6), 1..5), on_time in 0u64..=100) {
            let names = ["a", "b", "c", "d", "e", "f"];
            let cards: Vec<Scorecard> = present
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let units: Vec<(&str, u64)> =
                        names.iter().zip(row).filter(|(_, p)| **p).map(|(n, _)| (*n, (on_time + 7 * i as u64) % 101)).collect();
                    card(&format!("2026-{:02}", i + 1), &units)
                })
                .collect();
            let order = unit_order(&cards);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            sorted.dedup();
            proptest::prop_assert_eq!(sorted.len(), order.len());
            let union: std::collections::BTreeSet<&str> = cards.iter().flat_map(|c| c.units.iter().map(|u| u.unit.as_str())).collect();
            proptest::prop_assert_eq!(order.len(), union.len());
            for c in &cards {
                let positions: Vec<usize> = c.units.iter().map(|u| order.iter().position(|o| *o == u.unit).unwrap()).collect();
                proptest::prop_assert!(positions.windows(2).all(|w| w[0] < w[1]));
            }
            let s = Series::new("portal-2026".to_owned(), cards);
            for u in &s.changes {
                for i in 0..u.totals.len() {
                    let expected = match (i.checked_sub(1).and_then(|j| u.totals[j]), u.totals[i]) {
                        (Some(a), Some(b)) => Some(Hundredths(b.0 - a.0)),
                        _ => None,
                    };
                    proptest::prop_assert_eq!(u.total_changes[i], expected);
                }
            }
        }
    }
}
