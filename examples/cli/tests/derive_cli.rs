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
    [
        "--dossiers",
        "dossiers.csv",
        "--procedures",
        "procedures.csv",
        "--feedback",
        "feedback.csv",
        "--units",
        "units.csv",
    ]
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
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.trim_start_matches('\u{feff}').to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

type Key = (String, String, String);

/// The observations of `chiso derive --format csv`, by (unit, indicator, period).
fn derived(text: &str) -> BTreeMap<Key, (u64, u64, String)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().next_back(), Some("source"));
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
    let mut score =
        vec!["score766".to_owned(), "--period".into(), "2025-07..2025-09".into(), "--format".into(), "json".into()];
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
        in_range +=
            u64::from(r.get(3).is_some_and(|t| ["2025-07", "2025-08", "2025-09"].iter().any(|m| t.starts_with(m))));
    }
    // Rows rejected are in or out of the range; those in it are at most all of them.
    assert!(total + bad >= in_range && total <= in_range, "{total} {bad} {in_range}");
    std::fs::remove_dir_all(&d).unwrap();
}

/// The units of `unit`'s subtree in a units file.
fn subtree(units: &[HashMap<String, String>], unit: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::from([unit.to_owned()]);
    loop {
        let more: Vec<String> = units
            .iter()
            .filter(|u| out.contains(&u["parent"]) && !out.contains(&u["id"]))
            .map(|u| u["id"].clone())
            .collect();
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

/// Dossiers for the bundled sample town's khóm, chosen so that the plan's statuses all appear:
/// per (unit, month): (dossiers, filed online). Procedure 1.000004 returns no paper result, so
/// online is the channel alone.
fn sample_town_records() -> String {
    let mut plan: Vec<(&str, String, u32, u32)> = Vec::new();
    for m in 1..=12 {
        // Met in 2025 (met early by mid-2025); 75 % in 2026, on track pro rata.
        plan.push(("khom-thi-1", format!("2025-{m:02}"), 10, 10));
        // Falling through 2025 (off track by mid-2025, not met), 50 % in 2026 (at risk pro rata).
        plan.push(("khom-thi-2", format!("2025-{m:02}"), 10, 9u32.saturating_sub(m).max(3)));
        // Rising through the first half of 2025, short of 80 %.
        plan.push((
            "khom-long-hoa",
            format!("2025-{m:02}"),
            10,
            [5, 6, 7, 7, 8, 8].get(m as usize - 1).copied().unwrap_or(8),
        ));
    }
    for m in 1..=11 {
        plan.push(("khom-thi-1", format!("2026-{m:02}"), 20, 15));
        plan.push(("khom-thi-2", format!("2026-{m:02}"), 10, 5));
    }
    let mut out = String::from("dossier_id,unit,procedure,received_at,due_at,finished_at,channel,rating\n");
    let mut id = 0;
    for (unit, month, n, online) in plan {
        for i in 0..n {
            id += 1;
            let channel = if i < online { "online" } else { "direct" };
            let rating = if i % 3 == 0 { "satisfied" } else { "" };
            let line = format!("d{id},{unit},1.000004,{month}-10,{month}-20,{month}-12,{channel},{rating}\n");
            out.push_str(&line);
        }
    }
    // Khóm Trung Thạnh's only dossiers cannot be read (due before received): invalid, not no data.
    out.push_str("bad1,khom-trung-thanh,1.000004,2025-03-10,2025-03-01,,online,\n");
    out.push_str("bad2,khom-trung-thanh,1.000004,2026-03-10,2026-03-01,,online,\n");
    out
}

fn evaluate_records(d: &Path, observations: &str, extra: &[&str]) -> serde_json::Value {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let units = sample.join("units.csv").display().to_string();
    let procedures = sample.join("procedures.csv").display().to_string();
    let mut args = vec![
        "evaluate",
        "--observations",
        observations,
        "--units",
        &units,
        "--procedures",
        &procedures,
        "--format",
        "json",
    ];
    let dossiers = path(d, "dossiers.csv");
    args.extend(["--dossiers", &dossiers]);
    args.extend(extra);
    let (code, out, err) = chiso(&args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn evaluate_with_records_alone_reaches_every_status_on_the_sample_town() {
    let d = dir("statuses");
    std::fs::write(d.join("dossiers.csv"), sample_town_records()).unwrap();
    let empty = path(&d, "observations.csv");
    std::fs::write(&empty, "unit,indicator,period,numerator,denominator\n").unwrap();
    let runs: [&[&str]; 3] =
        [&["--as-of", "2026-11-28"], &["--as-of", "2026-11-28", "--pro-rata"], &["--as-of", "2025-06-30"]];
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for extra in runs {
        let v = evaluate_records(&d, &empty, extra);
        for r in v["results"].as_array().unwrap() {
            let status = r["status"].as_str().unwrap().to_owned();
            let what = format!("{} {} {} {:?}", r["unit"], r["indicator"], r["period"], extra);
            seen.entry(status).or_default().push(what);
            // With no typed observation, every value is derived from the records.
            if !r["numerator"].is_null() {
                assert_eq!(r["source"], "derived", "{r}");
                assert!(r["rule"].is_string(), "{r}");
            }
        }
    }
    let statuses = [
        "met",
        "not_met",
        "met_early",
        "on_track",
        "at_risk",
        "off_track",
        "in_progress",
        "insufficient_data",
        "no_data",
        "invalid",
    ];
    for status in statuses {
        assert!(seen.contains_key(status), "{status} never reached: {:?}", seen.keys().collect::<Vec<_>>());
    }
    let trung_thanh = &seen["invalid"];
    assert!(trung_thanh.iter().any(|w| w.contains("khom-trung-thanh") && w.contains("dossiers_fully_online")));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_typed_observation_wins_over_the_derived_one() {
    let d = dir("typed");
    std::fs::write(d.join("dossiers.csv"), sample_town_records()).unwrap();
    let typed = path(&d, "observations.csv");
    std::fs::write(
        &typed,
        "unit,indicator,period,numerator,denominator\n\
         khom-thi-2,dossiers_fully_online,2025,9,10\n\
         khom-thi-1,dossiers_fully_online,2025-03,7,10\n",
    )
    .unwrap();
    let v = evaluate_records(&d, &typed, &["--as-of", "2026-11-28"]);
    let find = |unit: &str, period: &str| {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["unit"] == unit && r["indicator"] == "dossiers_fully_online" && r["period"] == period)
            .unwrap()
            .clone()
    };
    // The whole year typed: the records' 2025 months for Khóm Thị 2 are not used.
    let r = find("khom-thi-2", "2025");
    assert_eq!((r["numerator"].as_u64(), r["denominator"].as_u64()), (Some(9), Some(10)));
    assert_eq!(r["source"], "typed");
    assert!(r.get("rule").is_none() || r["rule"].is_null());
    // One month typed: it replaces that month only (11 derived months of 10/10, and 7/10).
    let r = find("khom-thi-1", "2025");
    assert_eq!((r["numerator"].as_u64(), r["denominator"].as_u64()), (Some(117), Some(120)));
    assert_eq!(r["source"], "mixed");
    assert_eq!(r["rule"], "online_dossiers");
    // Derived only where nothing was typed; the town rolls both up.
    assert_eq!(find("khom-long-hoa", "2025")["source"], "derived");
    assert_eq!(find("tt-phu-my", "2025")["source"], "mixed");
    // The table says it in words, the CSV in two columns.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let units = sample.join("units.csv").display().to_string();
    let dossiers = path(&d, "dossiers.csv");
    let base =
        ["evaluate", "--observations", &typed, "--units", &units, "--dossiers", &dossiers, "--as-of", "2026-11-28"];
    let (code, out, err) = chiso(&[&base[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0, "{err}");
    let header = out.lines().next().unwrap();
    assert!(header.ends_with(",source,rule"), "{header}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("khom-long-hoa,dossiers_fully_online,") && l.ends_with(",derived,online_dossiers"))
    );
    let (_, out, _) = chiso(&[&base[..], &["--format", "table", "--lang", "en"]].concat());
    assert!(out.contains("derived from records (online_dossiers)"), "{out}");
    let (_, out, _) = chiso(&[&base[..], &["--format", "table", "--lang", "vi"]].concat());
    assert!(out.contains("suy ra từ hồ sơ (online_dossiers)"), "{out}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn derive_output_reads_back_as_observations() {
    // `chiso derive -o` then `chiso evaluate --observations`: the `source` column is read, so the
    // results say `derived` as they do with the records themselves.
    let d = dir("roundtrip");
    std::fs::write(d.join("dossiers.csv"), sample_town_records()).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let units = sample.join("units.csv").display().to_string();
    let procedures = sample.join("procedures.csv").display().to_string();
    let dossiers = path(&d, "dossiers.csv");
    let observations = path(&d, "derived.csv");
    let (code, _, err) = chiso(&[
        "derive",
        "--dossiers",
        &dossiers,
        "--procedures",
        &procedures,
        "--units",
        &units,
        "--from",
        "2025-01",
        "--to",
        "2026-11",
        "-o",
        &observations,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("692") && err.contains("due_at"), "{err}");
    let from_file = |extra: &[&str]| {
        let mut args = vec!["evaluate", "--observations", &observations, "--units", &units, "--as-of", "2026-11-28"];
        args.extend(extra);
        args.extend(["--format", "json"]);
        let (code, out, err) = chiso(&args);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let read = from_file(&[]);
    let empty = path(&d, "empty.csv");
    std::fs::write(&empty, "unit,indicator,period,numerator,denominator\n").unwrap();
    let direct = evaluate_records(&d, &empty, &["--as-of", "2026-11-28"]);
    let key = |v: &serde_json::Value| -> BTreeSet<String> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| !r["numerator"].is_null())
            .map(|r| {
                format!(
                    "{} {} {} {} {} {} {}",
                    r["unit"], r["indicator"], r["period"], r["numerator"], r["denominator"], r["source"], r["rule"]
                )
            })
            .collect()
    };
    assert_eq!(key(&read), key(&direct));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn the_monthly_766_total_is_the_scorecards_counts_included() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let file = |name: &str| sample.join(name).display().to_string();
    let inputs = [
        "--dossiers".to_owned(),
        file("dossiers.csv"),
        "--procedures".into(),
        file("procedures.csv"),
        "--feedback".into(),
        file("feedback.csv"),
        "--units".into(),
        file("units.csv"),
        "--counts".into(),
        file("counts.json"),
    ];
    let mut args: Vec<String> = ["derive", "--from", "2026-10", "--to", "2026-10"].map(str::to_owned).to_vec();
    args.extend(inputs.iter().cloned());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = chiso(&argv);
    assert_eq!(code, 0, "{err}");
    let got = derived(&out);
    let mut args: Vec<String> = ["score766", "--period", "2026-10", "--format", "json"].map(str::to_owned).to_vec();
    args.extend(inputs.iter().cloned());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, card, _) = chiso(&argv);
    let card: serde_json::Value = serde_json::from_str(&card).unwrap();
    let total = (card["units"][0]["total"].as_f64().unwrap() * 100.0).round() as u64;
    assert_eq!(card["units"][0]["complete"], true);
    let key = ("tt-phu-my".to_owned(), "service_quality_improves".to_owned(), "2026-10".to_owned());
    assert_eq!(got[&key].0, total);
    assert_eq!(got[&key].1, 10_000);
}

#[test]
fn usage_errors_say_what_to_give() {
    let (code, _, err) = chiso(&["derive", "--from", "2026-01", "--to", "2026-02", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("give `--dossiers FILE`"), "{err}");
    let (code, _, err) = chiso(&["derive", "--dossiers", "-", "--from", "2026-01", "--to", "2026-02", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("it is read twice"), "{err}");
    let d = dir("usage");
    std::fs::write(d.join("dossiers.csv"), sample_town_records()).unwrap();
    let dossiers = path(&d, "dossiers.csv");
    let (code, _, err) =
        chiso(&["derive", "--dossiers", &dossiers, "--from", "2026-03", "--to", "2026-01", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("month range `2026-03..2026-01`"), "{err}");
    let (code, _, err) = chiso(&["derive", "--dossiers", &dossiers, "--from", "2026", "--to", "2027", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("YYYY-MM"), "{err}");
    // `--strict` stops at the first rejected row, located.
    let (code, _, err) =
        chiso(&["derive", "--dossiers", &dossiers, "--from", "2025-01", "--to", "2026-12", "--strict", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("rejected_row") && err.contains("due_at"), "{err}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_workbook_or_a_semicolon_export_derives_as_the_csv_file() {
    let d = dir("shapes");
    let csv = sample_town_records();
    std::fs::write(d.join("dossiers.csv"), &csv).unwrap();
    // The same records as a workbook under a title block, and as a `;` export (both told apart
    // by the readers every input goes through).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Hồ sơ").unwrap();
    sheet.write_string(0, 0, "DANH SÁCH HỒ SƠ").unwrap();
    for (r, line) in csv.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write_string(u32::try_from(r + 2).unwrap(), u16::try_from(c).unwrap(), cell).unwrap();
        }
    }
    std::fs::write(d.join("dossiers.xlsx"), book.save_to_buffer().unwrap()).unwrap();
    std::fs::write(d.join("dossiers-semicolon.csv"), csv.replace(',', ";")).unwrap();
    let units = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/units.csv").display().to_string();
    let run = |file: &str, extra: &[&str]| {
        let dossiers = path(&d, file);
        let mut args =
            vec!["derive", "--dossiers", &dossiers, "--units", &units, "--from", "2025-01", "--to", "2026-12"];
        args.extend(extra);
        let (code, out, err) = chiso(&args);
        assert_eq!(code, 0, "{file}: {err}");
        out
    };
    let expected = run("dossiers.csv", &[]);
    assert!(expected.lines().count() > 50);
    assert_eq!(run("dossiers.xlsx", &["--sheet", "Hồ sơ"]), expected);
    assert_eq!(run("dossiers-semicolon.csv", &[]), expected);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn records_over_many_years_evaluate_with_the_last_sixty_monthly_totals() {
    let d = dir("years");
    let dossiers =
        "dossier_id,unit,procedure,received_at,channel\nold,k,P,2019-01-10,online\nnew,k,P,2026-10-10,direct\n";
    std::fs::write(d.join("dossiers.csv"), dossiers).unwrap();
    let empty = path(&d, "observations.csv");
    std::fs::write(&empty, "unit,indicator,period,numerator,denominator\n").unwrap();
    let dossiers = path(&d, "dossiers.csv");
    let (code, out, err) = chiso(&[
        "evaluate",
        "--observations",
        &empty,
        "--dossiers",
        &dossiers,
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let quality: Vec<&serde_json::Value> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["indicator"] == "service_quality_improves" && !r["numerator"].is_null())
        .collect();
    // 2026 has October's total; 2019 is outside the last 60 months, and before the plan.
    assert_eq!(quality.len(), 1, "{quality:?}");
    assert_eq!(quality[0]["period"], "2026");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn the_explain_table_speaks_both_languages() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let file = |name: &str| sample.join(name).display().to_string();
    let (dossiers, units) = (file("dossiers.csv"), file("units.csv"));
    let base = [
        "explain",
        "--indicator",
        "dossiers_fully_online",
        "--unit",
        "tt-phu-my",
        "--period",
        "2026-10",
        "--dossiers",
        &dossiers,
        "--units",
        &units,
        "--limit",
        "2",
    ];
    let (code, out, _) = chiso(&[&base[..], &["--lang", "en"]].concat());
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("dossiers_fully_online, tt-phu-my, 2026-10: ") && lines[0].ends_with(" short"),
        "{out}"
    );
    assert!(lines[1].split_whitespace().eq(["Record", "Unit", "Procedure", "Period", "Reason"]), "{out}");
    assert!(lines[2].contains(", row "), "{out}");
    assert!(lines.last().unwrap().contains("more records"), "{out}");
    let (_, out, _) = chiso(&[&base[..], &["--lang", "vi"]].concat());
    assert!(out.contains("Bản ghi") && out.contains("dòng") && out.contains("thiếu"), "{out}");
    let (_, out, _) = chiso(&[&base[..], &["--format", "csv"]].concat());
    assert!(out.starts_with("\u{feff}record,id,unit,procedure,month,reason,reason_label,source,row"), "{out}");
    assert_eq!(out.lines().count(), 3);
}
