//! `explain` on a generated province: for every Decision 766 metric counted from records (both
//! built-in profiles), for the province, a commune, a neighbourhood and a department, the records
//! listed are exactly `denominator − numerator` of the scorecard of the same records, each in the
//! unit's subtree and the period; a limit keeps the totals and the first rows; a metric from the
//! counts file is refused, naming where its number comes from.
#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "a test: a failure is a panic")]

use std::collections::{BTreeMap, BTreeSet};

use chiso::api::{ErrorCode, RecordFormat, Score766Builder};
use chiso::period::Period;
use chiso::score766::{ExplainRequest, Explanation, Profile, RECORDLESS, Scorecard};
use chiso_tools::generate::{Generator, GeneratorConfig};

struct Inputs {
    units: Vec<u8>,
    procedures: Vec<u8>,
    dossiers: Vec<u8>,
    feedback: Vec<u8>,
}

fn generate() -> Inputs {
    let period = Period::Month(2026, 9);
    let config = GeneratorConfig {
        seed: 11,
        communes: 3,
        neighbourhoods_per_commune: 3,
        procedures: 60,
        feedback: 300,
        bad_row_fraction: 0.01,
        outside_period_fraction: 0.03,
        ..GeneratorConfig::new(4_000, period)
    };
    let g = Generator::new(config);
    let mut i = Inputs { units: Vec::new(), procedures: Vec::new(), dossiers: Vec::new(), feedback: Vec::new() };
    g.write_units(&mut i.units).unwrap();
    g.write_procedures(&mut i.procedures).unwrap();
    g.write_dossiers(&mut i.dossiers).unwrap();
    g.write_feedback(&mut i.feedback).unwrap();
    i
}

fn builder<'a>(i: &'a Inputs, profile: &str) -> Score766Builder<'a> {
    Score766Builder::new("2026-09")
        .profile(Some(profile))
        .units(Some(&i.units))
        .procedures(Some(&i.procedures))
        .feedback(Some(&i.feedback), RecordFormat::Csv)
}

fn scorecard(i: &Inputs, profile: &str) -> Scorecard {
    let mut s = builder(i, profile).build().unwrap();
    s.push_csv(&i.dossiers).unwrap();
    s.finish().unwrap()
}

fn explain(i: &Inputs, profile: &str, unit: &str, metric: &str, limit: Option<u64>) -> Explanation {
    let request = ExplainRequest { unit: unit.to_owned(), metric: metric.to_owned(), limit };
    let mut s = builder(i, profile).explain(request).build().unwrap();
    // Cut in two chunks anywhere, as a stream.
    let (a, b) = i.dossiers.split_at(i.dossiers.len() / 3);
    s.push_csv(a).unwrap();
    s.push_csv(b).unwrap();
    s.explain().unwrap()
}

/// Each unit's parent, from `units.csv` (id, name, parent, level …).
fn parents(units: &[u8]) -> BTreeMap<String, (Option<String>, String)> {
    let mut reader = csv::Reader::from_reader(units);
    let header: Vec<String> =
        reader.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_owned()).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, parent, level) = (at("id"), at("parent"), at("level"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let p = Some(r[parent].to_owned()).filter(|p| !p.is_empty());
            (r[id].to_owned(), (p, r[level].to_owned()))
        })
        .collect()
}

fn is_below(parents: &BTreeMap<String, (Option<String>, String)>, unit: &str, root: &str) -> bool {
    let mut cur = Some(unit.to_owned());
    while let Some(u) = cur {
        if u == root {
            return true;
        }
        cur = parents.get(&u).and_then(|(p, _)| p.clone());
    }
    false
}

#[test]
fn every_metric_lists_exactly_its_shortfall() {
    let i = generate();
    let tree = parents(&i.units);
    let listed = scorecard(&i, "portal-2026");
    // The busiest unit of a level (a neighbourhood is listed only when it has records).
    let by_level = |level: &str| {
        let of_level = listed.units.iter().filter(|u| u.level == level);
        let busiest =
            of_level.max_by_key(|u| u.groups.iter().flat_map(|g| &g.metrics).map(|m| m.denominator).sum::<u64>());
        busiest.map(|u| u.unit.clone()).unwrap()
    };
    let province = tree.iter().find(|(_, (p, _))| p.is_none()).map(|(id, _)| id.clone()).unwrap();
    // The province is the parent of the communes and agencies (the generator files no dossier
    // under a neighbourhood).
    let units = [province, by_level("commune"), by_level("agency")];
    let mut reasons = BTreeSet::new();
    let mut nonzero = 0;
    for profile in ["portal-2026", "decision-2022"] {
        let card = scorecard(&i, profile);
        for unit in &units {
            let scored = card.units.iter().find(|u| &u.unit == unit).unwrap();
            for m in Profile::named(profile).unwrap().metrics.iter().filter(|m| !RECORDLESS.contains(&m.code.as_str()))
            {
                let e = explain(&i, profile, unit, &m.code, None);
                let s = scored.groups.iter().flat_map(|g| &g.metrics).find(|s| s.code == m.code).unwrap();
                let what = format!("{profile} {unit} {}", m.code);
                assert_eq!((e.numerator, e.denominator), (s.numerator, s.denominator), "{what}");
                assert_eq!(e.total_shortfall, e.denominator - e.numerator, "{what}");
                assert_eq!((e.listed, e.items.len() as u64), (e.total_shortfall, e.total_shortfall), "{what}");
                nonzero += usize::from(e.total_shortfall > 0);
                for item in &e.items {
                    reasons.insert(item.reason);
                    if let Some(u) = &item.unit {
                        assert!(is_below(&tree, u, unit), "{what}: {item:?}");
                    }
                }
                // Rows in reading order, none twice.
                let rows: Vec<u64> = e.items.iter().filter_map(|x| x.row).collect();
                assert!(rows.windows(2).all(|w| w[0] < w[1]), "{what}");
            }
        }
    }
    // The data exercise the lists: most metrics fall short somewhere, with many reasons.
    assert!(nonzero > 30, "{nonzero}");
    assert!(reasons.len() >= 12, "{reasons:?}");
}

#[test]
fn a_limit_keeps_the_totals_and_the_first_rows() {
    let i = generate();
    let tree = parents(&i.units);
    let province = tree.iter().find(|(_, (p, _))| p.is_none()).map(|(id, _)| id.clone()).unwrap();
    let all = explain(&i, "portal-2026", &province, "ON_TIME", None);
    assert!(all.total_shortfall > 5);
    let some = explain(&i, "portal-2026", &province, "ON_TIME", Some(5));
    assert_eq!(
        (some.numerator, some.denominator, some.total_shortfall),
        (all.numerator, all.denominator, all.total_shortfall)
    );
    assert_eq!((some.listed, some.limit), (5, Some(5)));
    assert_eq!(some.items[..], all.items[..5]);
    let none = explain(&i, "portal-2026", &province, "ON_TIME", Some(0));
    assert_eq!((none.listed, none.total_shortfall), (0, all.total_shortfall));
}

#[test]
fn metrics_not_from_records_are_refused() {
    let i = generate();
    let tree = parents(&i.units);
    let unit = tree.keys().next().unwrap().clone();
    for code in RECORDLESS {
        let request = ExplainRequest { unit: unit.clone(), metric: code.to_owned(), limit: None };
        let err = builder(&i, "portal-2026").explain(request).build().unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert!(err.to_string().contains("comes from the counts file"), "{err}");
        assert!(err.to_string().contains(code), "{err}");
    }
    let request = ExplainRequest { unit: unit.clone(), metric: "FULL_ONLINE_DOSSIERS".to_owned(), limit: None };
    let err = builder(&i, "portal-2026").explain(request).build().unwrap_err();
    assert!(err.to_string().contains("not in profile `portal-2026`"), "{err}");
    let request = ExplainRequest { unit: "nowhere".to_owned(), metric: "ON_TIME".to_owned(), limit: None };
    let err = builder(&i, "portal-2026").explain(request).build().unwrap_err();
    assert!(err.to_string().contains("unit `nowhere`"), "{err}");
    // Feedback metrics need the feedback records.
    let request = ExplainRequest { unit, metric: "FEEDBACK_ON_TIME".to_owned(), limit: None };
    let mut s = Score766Builder::new("2026-09").units(Some(&i.units)).explain(request).build().unwrap();
    s.push_csv(&i.dossiers).unwrap();
    let err = s.explain().unwrap_err();
    assert!(err.to_string().contains("give the feedback file"), "{err}");
    // A range is refused.
    let request = ExplainRequest { unit: "x".to_owned(), metric: "ON_TIME".to_owned(), limit: None };
    let err = Score766Builder::new("2026-08..2026-09").explain(request).build().unwrap_err();
    assert!(err.to_string().contains("one period"), "{err}");
}

#[test]
fn explaining_the_same_records_as_json_lines_or_in_parallel_gives_the_same_list() {
    let i = generate();
    let tree = parents(&i.units);
    let commune = tree.iter().find(|(_, (_, l))| l == "commune").map(|(id, _)| id.clone()).unwrap();
    let streamed = explain(&i, "portal-2026", &commune, "DOSSIER_SATISFIED", None);
    let request = ExplainRequest { unit: commune, metric: "DOSSIER_SATISFIED".to_owned(), limit: None };
    let mut s = builder(&i, "portal-2026").explain(request).build().unwrap();
    s.read_dossiers(i.dossiers.as_slice(), RecordFormat::Csv, 4, &mut |_| {}).unwrap();
    let read = s.explain().unwrap();
    assert_eq!(read, streamed);
    let json = serde_json::to_value(&read).unwrap();
    assert_eq!(json["source"], "dossiers");
    assert_eq!(json["total_shortfall"], read.total_shortfall);
    assert!(json["items"][0]["reason_vi"].is_string());
}

#[test]
fn a_unit_the_scorecard_does_not_list_has_nothing_behind_its_numbers() {
    let i = generate();
    let card = scorecard(&i, "portal-2026");
    let tree = parents(&i.units);
    // A neighbourhood without records in the period: not in the scorecard.
    let idle =
        tree.iter().find(|(id, (_, level))| level == "neighbourhood" && !card.units.iter().any(|u| &u.unit == *id));
    let (idle, _) = idle.unwrap();
    for metric in ["ON_TIME", "ONLINE_SERVICES_USED", "ONLINE_PROCEDURES", "FEEDBACK_ON_TIME"] {
        let e = explain(&i, "portal-2026", idle, metric, None);
        assert_eq!((e.numerator, e.denominator, e.total_shortfall, e.items.len()), (0, 0, 0, 0), "{metric}");
    }
}
