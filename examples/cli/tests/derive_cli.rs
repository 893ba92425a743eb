//! `chiso derive`, `chiso evaluate` with records and `chiso explain --indicator`, end to end.
//!
//! The derived numbers are recounted here from the same files by a separate, simple reading (the
//! csv crate and the rules of formats.md), never by the code under test.
#![expect(clippy::unwrap_used, reason = "helpers of tests: a failure is a panic")]
#![expect(clippy::indexing_slicing, reason = "tests index known JSON and CSV")]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chiso(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-derive-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

/// A generated province: 3 communes of 3 khóm, agencies, 60 procedures, a quarter of dossiers.
fn province(name: &str, bad_rows: &str) -> PathBuf {
    let out = dir(name);
    let (code, _, err) = chiso(&[
        "generate",
        "--dossiers",
        "6000",
        "--units",
        "3",
        "--neighbourhoods",
        "3",
        "--procedures",
        "60",
        "--period",
        "2025-Q3",
        "--bad-rows",
        bad_rows,
        "--seed",
        "7",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    out
}

fn records_args(d: &Path) -> Vec<String> {
    ["--dossiers", "dossiers.csv", "--procedures", "procedures.csv", "--feedback", "feedback.csv", "--units", "units.csv"]
        .iter()
        .map(|a| if a.ends_with(".csv") { path(d, a) } else { (*a).to_owned() })
        .collect()
}

fn rows(file: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(file).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers.iter().zip(r.iter()).map(|(h, v)| (h.trim_start_matches('\u{feff}').to_owned(), v.to_owned())).collect()
        })
        .collect()
}

type Key = (String, String, String);

/// The observations of `chiso derive --format csv`, by (unit, indicator, period).
fn derived(text: &str) -> BTreeMap<Key, (u64, u64, String)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().last(), Some("source"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let key = (r[0].to_owned(), r[1].to_owned(), r[2].to_owned());
            (key, (r[3].parse().unwrap(), r[4].parse().unwrap(), r[8].to_owned()))
        })
        .collect()
}

/// A CSV boolean (formats.md: `1`/`0`, `true`/`false`, empty = false).
fn yes(text: &str) -> bool {
    text == "1" || text.eq_ignore_ascii_case("true")
}

/// The month (`YYYY-MM`) of a received date in Vietnam time: a time without an offset is local;
/// `Z` is UTC, seven hours behind (the generator writes only these and `+07:00`).
fn local_month(text: &str) -> String {
    let month = text[..7].to_owned();
    if !text.ends_with('Z') {
        assert!(text.len() <= 19 || text.ends_with("+07:00"), "{text}");
        return month;
    }
    let (year, mon): (i32, u32) = (text[..4].parse().unwrap(), text[5..7].parse().unwrap());
    let (day, hour): (u32, u32) = (text[8..10].parse().unwrap(), text[11..13].parse().unwrap());
    let days = match mon {
        2 if year % 4 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if hour + 7 >= 24 && day == days {
        return if mon == 12 { format!("{}-01", year + 1) } else { format!("{year}-{:02}", mon + 1) };
    }
    month
}

/// The satisfaction field indicator of a procedure's field, if one the plan names.
fn field_indicator(field: &str) -> Option<&'static str> {
    match field.to_lowercase().as_str() {
        "đất đai" => Some("satisfaction_land"),
        "xây dựng" => Some("satisfaction_construction"),
        "đầu tư" => Some("satisfaction_investment"),
        _ => None,
    }
}

/// The expected observations, recounted from the files (the dossier and procedure indicators).
fn recount(d: &Path, months: &[&str]) -> BTreeMap<Key, (u64, u64)> {
    let procedures: HashMap<String, HashMap<String, String>> =
        rows(&path(d, "procedures.csv")).into_iter().map(|p| (p["procedure"].clone(), p)).collect();
    let mut out: BTreeMap<Key, (u64, u64)> = BTreeMap::new();
    let mut add = |unit: &str, indicator: &str, month: &str, num: bool| {
        let e = out.entry((unit.to_owned(), indicator.to_owned(), month.to_owned())).or_default();
        e.0 += u64::from(num);
        e.1 += 1;
    };
    for r in rows(&path(d, "dossiers.csv")) {
        let month = local_month(&r["received_at"]);
        let month = month.as_str();
        if !months.contains(&month) {
            continue;
        }
        let p = &procedures[&r["procedure"]];
        let online = r["channel"] == "online";
        let fully = online && (!yes(&p["paper_result"]) || yes(&r["e_result"]));
        add(&r["unit"], "dossiers_fully_online", month, fully);
        if online && !r["rating"].is_empty() {
            let satisfied = r["rating"] == "satisfied";
            add(&r["unit"], "satisfaction", month, satisfied);
            if let Some(ind) = field_indicator(&p["field"]) {
                add(&r["unit"], ind, month, satisfied);
                add(&r["unit"], "satisfaction_land_construction_investment", month, satisfied);
            }
        }
    }
    let units = rows(&path(d, "units.csv"));
    for u in &units {
        let own = procedures.values().filter(|p| {
            yes(&p["eligible_full"])
                && (p["authority_level"] == u["level"] || (p["authority_level"].is_empty() && u["parent"].is_empty()))
        });
        let (num, den) = own.fold((0, 0), |(n, d), p| (n + u64::from(p["service_level"] == "full"), d + 1));
        if den > 0 {
            for m in months {
                out.insert((u["id"].clone(), "procedures_full_online".to_owned(), (*m).to_owned()), (num, den));
            }
        }
    }
    out
}

#[test]
fn derived_numbers_recount_independently_on_a_generated_province() {
    let d = province("recount", "0");
    let months = ["2025-07", "2025-08", "2025-09"];
    let mut args = vec!["derive".to_owned(), "--from".into(), "2025-07".into(), "--to".into(), "2025-09".into()];
    args.extend(records_args(&d));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = chiso(&args);
    assert_eq!(code, 0, "{err}");
    let got = derived(&out);
    let expected = recount(&d, &months);
    let ours: BTreeMap<Key, (u64, u64)> = got
        .iter()
        .filter(|((_, ind, _), _)| ind != "service_quality_improves")
        .map(|(k, (n, d, _))| (k.clone(), (*n, *d)))
        .collect();
    assert_eq!(ours, expected);
    for ind in ["dossiers_fully_online", "procedures_full_online", "satisfaction", "satisfaction_land"] {
        assert!(ours.keys().any(|(_, i, _)| i == ind), "{ind} derived");
    }
    // Each rule named: the source column.
    assert!(got.iter().all(|((_, ind, _), (_, _, src))| match ind.as_str() {
        "dossiers_fully_online" => src == "online_dossiers",
        "procedures_full_online" => src == "full_online_procedures",
        "satisfaction" => src == "online_dossier_ratings",
        "service_quality_improves" => src == "score766_total",
        _ => src == "online_dossier_ratings_by_field",
    }));
    // service_quality_improves: each commune's monthly total as `chiso score766` scores it.
    for month in months {
        let mut args = vec!["score766".to_owned(), "--period".into(), month.into(), "--format".into(), "json".into()];
        args.extend(records_args(&d));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, card, err) = chiso(&args);
        assert_eq!(code, 0, "{err}");
        let card: serde_json::Value = serde_json::from_str(&card).unwrap();
        let mut communes = 0;
        for u in card["units"].as_array().unwrap().iter().filter(|u| u["level"] == "commune") {
            let key = (u["unit"].as_str().unwrap().to_owned(), "service_quality_improves".to_owned(), month.to_owned());
            let total = (u["total"].as_f64().unwrap() * 100.0).round() as u64;
            assert_eq!(got.get(&key).map(|(n, d, _)| (*n, *d)), Some((total, 10_000)), "{key:?}");
            communes += 1;
        }
        assert_eq!(communes, 3);
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn bad_rows_are_located_as_the_scorer_locates_them_and_not_counted() {
    let d = province("bad", "0.02");
    let mut args = vec!["derive".to_owned(), "--from".into(), "2025-07".into(), "--to".into(), "2025-09".into()];
    args.extend(records_args(&d));
    args.extend(["--format".into(), "json".into(), "--lang".into(), "en".into()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = chiso(&argv);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rejected = v["rejected"].as_array().unwrap();
    assert!(!rejected.is_empty());
    assert!(rejected.iter().all(|r| r["row"].as_u64().unwrap() > 1 && r["source"].as_str().unwrap().ends_with(".csv")));
    assert!(err.contains("rejected"), "{err}");
    // The dossier rows rejected are the scorer's, row for row.
    let mut score = vec!["score766".to_owned(), "--period".into(), "2025-07..2025-09".into(), "--format".into(), "json".into()];
    score.extend(records_args(&d));
    let argv: Vec<&str> = score.iter().map(String::as_str).collect();
    let (_, card, _) = chiso(&argv);
    let card: serde_json::Value = serde_json::from_str(&card).unwrap();
    let rows = |list: &[serde_json::Value]| -> BTreeSet<(String, u64)> {
        list.iter().map(|r| (r["source"].as_str().unwrap().to_owned(), r["row"].as_u64().unwrap())).collect()
    };
    assert_eq!(rows(rejected), rows(card["scorecards"][0]["rejected"].as_array().unwrap()));
    // Every dossier counted once: the denominators of dossiers_fully_online add up to the rows read
    // in the range, less the rejected dossier rows.
    let total: u64 = v["observations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["indicator"] == "dossiers_fully_online")
        .map(|o| o["denominator"].as_u64().unwrap())
        .sum();
    let dossiers = path(&d, "dossiers.csv");
    let bad = rejected.iter().filter(|r| r["source"] == dossiers.as_str()).count() as u64;
    let mut in_range = 0u64;
    for r in csv::ReaderBuilder::new().flexible(true).from_path(&dossiers).unwrap().records() {
        let Ok(r) = r else { continue };
        in_range += u64::from(r.get(3).is_some_and(|t| ["2025-07", "2025-08", "2025-09"].iter().any(|m| t.starts_with(m))));
    }
    // Rows rejected are in or out of the range; those in it are at most all of them.
    assert!(total + bad >= in_range && total <= in_range, "{total} {bad} {in_range}");
    std::fs::remove_dir_all(&d).unwrap();
}

/// The units of `unit`'s subtree in a units file.
fn subtree(units: &[HashMap<String, String>], unit: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::from([unit.to_owned()]);
    loop {
        let more: Vec<String> =
            units.iter().filter(|u| out.contains(&u["parent"]) && !out.contains(&u["id"])).map(|u| u["id"].clone()).collect();
        if more.is_empty() {
            return out;
        }
        out.extend(more);
    }
}

#[test]
fn explain_lists_exactly_denominator_minus_numerator() {
    let d = province("explain", "0.01");
    let mut args = vec!["derive".to_owned(), "--from".into(), "2025-07".into(), "--to".into(), "2025-09".into()];
    args.extend(records_args(&d));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, out, _) = chiso(&argv);
    let got = derived(&out);
    let units = rows(&path(&d, "units.csv"));
    let commune = units.iter().find(|u| u["level"] == "commune").unwrap()["id"].clone();
    let indicators = [
        "dossiers_fully_online",
        "procedures_full_online",
        "satisfaction",
        "satisfaction_land_construction_investment",
        "satisfaction_land",
        "satisfaction_construction",
        "satisfaction_investment",
    ];
    let mut listed = 0;
    for (unit, period, months) in
        [("tinh", "2025-Q3", vec!["2025-07", "2025-08", "2025-09"]), (commune.as_str(), "2025-08", vec!["2025-08"])]
    {
        let below = subtree(&units, unit);
        for ind in indicators {
            let mut args = vec![
                "explain".to_owned(),
                "--indicator".into(),
                ind.into(),
                "--unit".into(),
                unit.into(),
                "--period".into(),
                period.into(),
                "--format".into(),
                "json".into(),
            ];
            args.extend(records_args(&d));
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, out, err) = chiso(&argv);
            assert_eq!(code, 0, "{ind}: {err}");
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            let (num, den) = (v["numerator"].as_u64().unwrap(), v["denominator"].as_u64().unwrap());
            assert_eq!(v["items"].as_array().unwrap().len() as u64, den - num, "{ind} {unit} {period}");
            assert_eq!(v["omitted"], 0);
            // The same numbers as the derived observations of the subtree over the period (a
            // stock, procedures_full_online, is its last month's).
            let mut sum = (0, 0);
            for ((u, i, m), (n, dd, _)) in &got {
                let last = ind != "procedures_full_online" || m == months.last().unwrap();
                if i == ind && below.contains(u) && months.contains(&m.as_str()) && last {
                    sum = (sum.0 + n, sum.1 + dd);
                }
            }
            assert_eq!((num, den), sum, "{ind} {unit} {period}");
            listed += u64::from(den > num);
        }
    }
    assert!(listed >= 10, "most cases have a shortfall to list: {listed}");
    // A limit lists fewer and counts the rest; points are not records.
    let mut args: Vec<String> =
        ["explain", "--indicator", "dossiers_fully_online", "--unit", "tinh", "--period", "2025", "--limit", "3"]
            .map(str::to_owned)
            .to_vec();
    args.extend(records_args(&d));
    args.extend(["--format".into(), "json".into()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, out, _) = chiso(&argv);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 3);
    let short = v["denominator"].as_u64().unwrap() - v["numerator"].as_u64().unwrap();
    assert_eq!(v["omitted"].as_u64().unwrap(), short - 3);
    args[2] = "service_quality_improves".to_owned();
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, err) = chiso(&argv);
    assert_eq!(code, 1);
    assert!(err.contains("score766 explain"), "{err}");
    std::fs::remove_dir_all(&d).unwrap();
}
