//! Plan JSON round trip over generated plans.
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use chiso::date::Date;
use chiso::exact::Percent;
use chiso::period::Granularity;
use chiso::plan::{
    Comparison, Indicator, Labels, Method, Override, Plan, Rollup, Schedule, SubjectGroup, Target, TimeAggregation,
};
use proptest::prelude::*;

fn target(i: usize, j: usize) -> impl Strategy<Value = Target> {
    let cmp = prop_oneof![
        Just(Comparison::AtLeast),
        Just(Comparison::AtMost),
        Just(Comparison::Above),
        Just(Comparison::Below),
        Just(Comparison::Improves)
    ];
    let schedule = prop_oneof![
        (2020i32..2035, 1u8..=12, proptest::option::of(0i32..10)).prop_map(|(y, m, keep)| Schedule::By {
            by: Date::new(y, m, 28).unwrap(),
            maintain_until: keep.map(|k| y + k),
        }),
        (
            prop_oneof![Just(Granularity::Year), Just(Granularity::Quarter), Just(Granularity::Month)],
            2020i32..2030,
            0i32..6
        )
            .prop_map(|(every, from, len)| Schedule::Every { every, from, to: from + len }),
    ];
    (cmp, 0u64..=1_000_000, schedule).prop_map(move |(comparison, units, schedule)| Target {
        id: format!("ind{i}.t{j}"),
        comparison,
        threshold: (comparison != Comparison::Improves).then_some(Percent::from_units(units)),
        schedule,
    })
}

fn indicator(i: usize) -> impl Strategy<Value = Indicator> {
    (
        proptest::collection::vec(Just(()), 0..3),
        "[a-zA-Zà-ỹ ]{0,20}",
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(Method::Linear), Just(Method::GrowthRatio), Just(Method::Logit)],
    )
        .prop_flat_map(move |(ts, label, sum, meeting, projection)| {
            let targets: Vec<_> = (0..ts.len()).map(|j| target(i, j)).collect();
            (targets, Just(label), Just(sum), Just(meeting), Just(projection))
        })
        .prop_map(move |(targets, label, sum, meeting, projection)| Indicator {
            id: format!("ind{i}"),
            label: Labels::new(&label, "x"),
            plan_ref: "II.2".to_owned(),
            subject_group: "g".to_owned(),
            numerator: Labels::new("tử", "num"),
            denominator: Labels::new("mẫu", "den"),
            time: if sum { TimeAggregation::Sum } else { TimeAggregation::Last },
            rollup: if meeting { Rollup::UnitsMeeting } else { Rollup::RatioOfSums },
            activity: meeting,
            sampled: !sum,
            projection,
            responsible: Vec::new(),
            breakdown: Vec::new(),
            targets,
        })
}

fn plan() -> impl Strategy<Value = Plan> {
    (1usize..6).prop_flat_map(|n| (0..n).map(indicator).collect::<Vec<_>>()).prop_map(|indicators| {
        let overrides = indicators
            .iter()
            .flat_map(|i| i.targets.iter())
            .filter(|t| t.threshold.is_some())
            .take(1)
            .map(|t| Override {
                unit: "u".to_owned(),
                target: t.id.clone(),
                threshold: Percent::whole(95),
                source: "tỉnh".to_owned(),
            })
            .collect();
        Plan {
            id: "p".to_owned(),
            title: Labels::new("Kế hoạch", "Plan"),
            source: String::new(),
            subject_groups: vec![SubjectGroup { id: "g".to_owned(), label: Labels::new("nhóm", "group") }],
            roles: Vec::new(),
            indicators,
            overrides,
        }
    })
}

proptest! {
    #[test]
    fn plans_round_trip_through_json(plan in plan()) {
        let json = plan.to_json();
        let back = Plan::from_json(json.as_bytes(), "plan.json");
        prop_assert!(back.is_ok(), "{:?}\n{}", back, json);
        prop_assert_eq!(back.unwrap(), plan);
    }
}
