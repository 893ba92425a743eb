//! `chiso score766` end to end: counts in, the scorecard JSON out; records in; errors as one line.
#![expect(clippy::unwrap_used, reason = "helpers of tests: a failure is a panic")]

use std::process::Command;

fn chiso(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("chiso-score766-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn scores_a_counts_file_as_json() {
    let counts = temp(
        "counts.json",
        r#"{ "period": "2026-08", "units": [ { "unit": "p", "metrics": { "ON_TIME": [2348, 2971], "DOSSIER_SYNC": [3, 2] } } ] }"#,
    );
    let (code, out, err) = chiso(&["score766", "--counts", &counts, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["profile"], "portal-2026");
    assert_eq!(v["period"], "2026-08");
    let tdgq = &v["units"][0]["groups"][1];
    assert_eq!(tdgq["code"], "TDGQ");
    assert_eq!(tdgq["score"], serde_json::json!(15.81));
    assert_eq!(tdgq["metrics"][0]["percent"], serde_json::json!(79.03));
    assert_eq!(v["rejected"][0]["row"], 1);
    assert!(err.contains("dòng 1, cột `DOSSIER_SYNC`: tử số 3 lớn hơn mẫu số 2"), "{err}");
    let (code, out, _) = chiso(&["score766", "--counts", &counts, "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("\u{feff}unit,"));
}

#[test]
fn scores_records_and_reports_bad_rows() {
    let dossiers = temp(
        "dossiers.csv",
        "dossier_id,unit,procedure,received_at,due_at,finished_at\nd1,a,P,2025-07-01,2025-07-10,2025-07-05\nd2,b,P,2025-07-40,,\n",
    );
    let (code, out, err) = chiso(&["score766", "--dossiers", &dossiers, "--period", "2025-07", "--format", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("| unit |"), "{out}");
    assert!(err.contains("dòng 3, cột `received_at`: `2025-07-40` không phải một ngày có trên lịch"), "{err}");
    let (code, _, err) = chiso(&["score766", "--dossiers", &dossiers, "--period", "2025-07", "--strict"]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("chiso: lỗi [rejected_row]: "), "{err}");
    let (_, _, err) = chiso(&["score766", "--lang", "en", "--dossiers", &dossiers, "--period", "2025-07", "--strict"]);
    assert!(err.starts_with("chiso: error [rejected_row]: "), "{err}");
    let (code, _, err) = chiso(&["score766", "--dossiers", &dossiers]);
    assert_eq!(code, 1);
    assert!(err.contains("--period"), "{err}");
}

/// A unit named like a formula cannot run in a spreadsheet: both CSV outputs neutralise it, and
/// numbers (a negative among them) stay numbers.
#[test]
fn csv_outputs_neutralise_formulas() {
    let evil = "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"";
    let observations = temp(
        "formula-observations.csv",
        &format!("unit,indicator,period,numerator,denominator\n{evil},adults_using,2025,10,20\n"),
    );
    let (code, out, err) =
        chiso(&["evaluate", "--observations", &observations, "--as-of", "2026-11-28", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| r.starts_with("\"'=HYPERLINK(")), "{out}");
    let dossiers = temp(
        "formula-dossiers.csv",
        &format!(
            "dossier_id,unit,procedure,received_at,due_at,finished_at\nd1,{evil},P,2025-07-01,2025-07-10,2025-07-05\nd2,+b,P,2025-07-02,2025-07-10,2025-07-05\n"
        ),
    );
    let (code, out, err) = chiso(&["score766", "--dossiers", &dossiers, "--period", "2025-07", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().any(|l| l.starts_with("\"'=HYPERLINK(")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("'+b,")), "{out}");
    assert!(!out.lines().skip(1).any(|l| l.starts_with('=') || l.starts_with('+')), "{out}");
}

/// A duplicate `dossier_id` is counted and shown as a located warning, in both languages, and
/// listed in the JSON whatever the number of jobs.
#[test]
fn a_duplicate_dossier_id_is_a_located_warning() {
    let mut text = "dossier_id,unit,procedure,received_at,due_at,finished_at\n".to_owned();
    for i in 0..60 {
        text.push_str(&format!("HS-{},a,P,2025-07-01,2025-07-10,2025-07-05\n", i % 5));
    }
    let dossiers = temp("duplicate-dossiers.csv", &text);
    let run = |lang: &str, jobs: &str| {
        chiso(&[
            "score766",
            "--lang",
            lang,
            "--jobs",
            jobs,
            "--dossiers",
            &dossiers,
            "--period",
            "2025-07",
            "--format",
            "json",
        ])
    };
    let (code, out, err) = run("en", "1");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("duplicate-dossiers.csv: row 7, column `dossier_id`: dossier_id `HS-0` already at row 2"),
        "{err}"
    );
    assert!(err.contains("… and 5 more warnings"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["warnings"].as_array().unwrap().len(), 55);
    assert_eq!(v["warnings"][0]["row"], 7);
    assert_eq!(v["warnings"][0]["column"], "dossier_id");
    assert_eq!(v["units"][0]["groups"][1]["metrics"][0]["denominator"], 60, "counted as given");
    for jobs in ["2", "4"] {
        assert_eq!(run("en", jobs).1, out, "--jobs {jobs}");
    }
    let (_, _, err) = run("vi", "2");
    assert!(err.contains("dòng 7, cột `dossier_id`: mã hồ sơ `HS-0` đã có ở dòng 2"), "{err}");
    assert!(err.contains("… và 5 cảnh báo khác"), "{err}");
}

/// A file is checked for repeated ids compactly and read a second time for the rows where they
/// first occur; standard input is read once with the exact table: the same warnings either way.
#[test]
fn a_file_read_twice_and_standard_input_give_the_same_warnings() {
    use std::io::Write;
    let mut text = "dossier_id,unit,procedure,received_at,due_at,finished_at\n".to_owned();
    for i in 0..3000 {
        // Repeats near and far, a quoted id over two lines, and rejected rows (not counted, so
        // never the first occurrence) sharing an id with later counted ones.
        let id = match i % 7 {
            0 => format!("HS-{}", i / 3),
            1 => "\"HS\nX\"".to_owned(),
            _ => format!("HS-{i}"),
        };
        let received = if i % 11 == 0 { "2025-13-01" } else { "2025-07-01" };
        text.push_str(&format!("{id},a,P,{received},2025-07-10,2025-07-05\n"));
    }
    let dossiers = temp("repeats.csv", &text);
    for jobs in ["1", "2"] {
        let args = ["score766", "--jobs", jobs, "--period", "2025-07", "--format", "json", "--dossiers"];
        let (code, from_file, err) = chiso(&[&args[..], &[dossiers.as_str()]].concat());
        assert_eq!(code, 0, "{err}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_chiso"))
            .args([&args[..], &["-"]].concat())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut pipe = child.stdin.take().unwrap();
        let input = text.clone();
        let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        let from_stdin = String::from_utf8(out.stdout).unwrap();
        let warnings = |json: &str| {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            v["warnings"].as_array().unwrap().len()
        };
        assert!(warnings(&from_file) > 500, "--jobs {jobs}");
        // The source is named after the file or `stdin`; everything else is the same.
        assert_eq!(from_file.replace(&dossiers, "stdin"), from_stdin, "--jobs {jobs}");
    }
}

fn sample(file: &str) -> String {
    format!("{}/sample/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// The sample town's records with its context, for `period` (and `extra` arguments).
fn sample_run(period: &str, extra: &[&str]) -> (i32, String, String) {
    let files = [sample("dossiers.csv"), sample("units.csv"), sample("procedures.csv"), sample("feedback.csv")];
    let mut args = vec!["score766", "--dossiers", &files[0], "--units", &files[1], "--procedures", &files[2]];
    args.extend(["--feedback", &files[3], "--period", period]);
    args.extend(extra);
    chiso(&args)
}

#[test]
fn a_range_prints_a_unit_by_period_matrix_with_changes() {
    let counts = sample("counts.json");
    let (code, out, err) = sample_run("2026-08..2026-10", &["--counts", &counts, "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Decision 766 series — profile portal-2026, periods 2026-08..2026-10\n"), "{out}");
    let row = out.lines().find(|l| l.starts_with("tt-phu-my")).unwrap();
    assert!(row.contains("72.13* (+56.38)") && row.contains("82.52 (+10.39)"), "{row}");
    assert!(out.contains("\nTDGQ — timeliness\n"), "{out}");
    assert!(out.contains("16.89 (-0.16)"), "{out}");
    // The rejected rows are the records': told once, not once per period.
    assert_eq!(err.matches("row 795").count(), 1, "{err}");
    let (code, md, _) = sample_run("2026-09..2026-10", &["--counts", &counts, "--format", "md"]);
    assert_eq!(code, 0);
    assert!(md.starts_with("## Chuỗi điểm Quyết định 766"), "{md}");
    assert!(md.contains("| unit | level | 2026-09 | 2026-10 |\n| --- | --- | ---: | ---: |\n"), "{md}");
    assert!(md.contains("### MDHL — Mức độ hài lòng"), "{md}");
    let (code, csv, _) = sample_run("2026-09..2026-10", &["--counts", &counts, "--format", "csv"]);
    assert_eq!(code, 0);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("\u{feff}unit,name,level,period,complete,total,total_change,CKMB,CKMB_change")
    );
    assert!(lines.next().unwrap().starts_with("tt-phu-my,Thị trấn Phú Mỹ,commune,2026-09,false,72.13,,"), "{csv}");
    assert!(lines.next().unwrap().starts_with("tt-phu-my,Thị trấn Phú Mỹ,commune,2026-10,true,82.52,10.39,"), "{csv}");
}

#[test]
fn the_series_json_holds_each_period_scorecard_as_scored_alone() {
    let counts = sample("counts.json");
    let (code, out, err) = sample_run("2026-Q3..2026-Q4", &["--counts", &counts, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let series: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(series["periods"], serde_json::json!(["2026-Q3", "2026-Q4"]));
    assert_eq!(series["changes"][0]["unit"], "tt-phu-my");
    assert!(series["changes"][0]["total_changes"][0].is_null());
    for (i, period) in ["2026-Q3", "2026-Q4"].iter().enumerate() {
        // The October counts lie within the fourth quarter only.
        let with = if *period == "2026-Q4" { vec!["--counts", counts.as_str()] } else { vec![] };
        let (code, alone, err) = sample_run(period, &[&with[..], &["--format", "json"]].concat());
        assert_eq!(code, 0, "{err}");
        let alone: serde_json::Value = serde_json::from_str(&alone).unwrap();
        assert_eq!(series["scorecards"][i], alone, "{period}");
    }
}

#[test]
fn bad_ranges_and_counts_are_one_line_errors() {
    for (range, en) in [
        ("2026-01..2026-Q3", "are not periods of one kind"),
        ("2026-08..2026-01", "the first period `2026-08` is after the last `2026-01`"),
        ("2020-01..2026-01", "has 73 periods, over the limit of 60"),
    ] {
        let (code, _, err) = sample_run(range, &["--lang", "en"]);
        assert_eq!(code, 1, "{range}");
        assert!(err.starts_with("chiso: error [invalid_argument]: period: "), "{err}");
        assert!(err.contains(en), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let (_, _, err) = sample_run("2026-08..2026-01", &[]);
    assert!(err.contains("kỳ đầu `2026-08` nằm sau kỳ cuối `2026-01`"), "{err}");
    let counts = sample("counts.json");
    let (code, _, err) = sample_run("2026-09..2026-10", &["--counts", &counts, "--counts", &counts, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("[misuse]") && err.contains("counts for `2026-10` were already loaded"), "{err}");
    let (code, _, err) = sample_run("2026-07..2026-09", &["--counts", &counts, "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("[invalid_input]") && err.contains("`2026-07..2026-09`"), "{err}");
    let (code, _, err) = chiso(&["score766", "--counts", &counts, "--counts", &counts]);
    assert_eq!(code, 1);
    assert!(err.contains("một tệp `--counts`"), "{err}");
}

#[test]
fn counts_files_alone_make_a_series_over_a_range() {
    let october = sample("counts.json");
    let september = temp(
        "counts-2026-09.json",
        r#"{ "period": "2026-09", "units": [ { "unit": "tt-phu-my", "metrics": { "PUBLISH_ON_TIME": [1, 3] } } ] }"#,
    );
    let (code, out, err) = chiso(&[
        "score766",
        "--counts",
        &october,
        "--counts",
        &september,
        "--period",
        "2026-09..2026-10",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    let row = out.lines().find(|l| l.starts_with("tt-phu-my")).unwrap();
    // PUBLISH_ON_TIME alone in September: 1/3 of 6 points; every other metric missing.
    assert!(row.contains("2.00*"), "{row}");
    let (code, json, _) = chiso(&[
        "score766",
        "--counts",
        &september,
        "--counts",
        &october,
        "--period",
        "2026-08..2026-10",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["scorecards"][0]["units"], serde_json::json!([]));
    let (_, alone, _) = chiso(&["score766", "--counts", &october, "--format", "json"]);
    assert_eq!(v["scorecards"][2], serde_json::from_str::<serde_json::Value>(&alone).unwrap());
}

/// The points to gain: per unit, cheapest first, in the table (both languages), the Markdown and
/// the CSV.
#[test]
fn lists_the_points_to_gain_cheapest_first() {
    let counts = temp(
        "gain-counts.json",
        r#"{ "period": "2026-08", "units": [ { "unit": "p", "name": "Phường P", "metrics": {
            "ON_TIME": [1100, 1234], "PUBLISH_ON_TIME": [3, 4], "PROCEDURES_PAID_ONLINE": [7, 12],
            "DOSSIER_SYNC": [1234, 1234], "SHARED_STORAGE": [0, 0] } } ] }"#,
    );
    let (code, out, err) = chiso(&["score766", "--counts", &counts, "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    let section = &out[out.find("Points to gain — Phường P (p)").expect(&out)..];
    let lines: Vec<String> = section.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    assert!(lines[1].contains("+units for next point") && lines[1].contains("+units to max"), "{section}");
    // 1 publication for 1.50 points, 3 fee procedures for 0.54, 62 dossiers on time for a point.
    assert!(lines[2].contains("(PUBLISH_ON_TIME)") && lines[2].ends_with("4.50 / 6 1.50 +1 +1"), "{section}");
    assert!(lines[3].contains("(PROCEDURES_PAID_ONLINE)") && lines[3].ends_with("+3 +3"), "{section}");
    assert!(lines[4].contains("(ON_TIME)") && lines[4].ends_with("17.83 / 20 2.17 +62 +134"), "{section}");
    // Full metrics are not listed; a zero denominator comes last, with no count to move.
    assert!(!section.contains("DOSSIER_SYNC"), "{section}");
    assert!(lines.last().unwrap().ends_with("— (no denominator) —"), "{section}");
    let (_, out, _) = chiso(&["score766", "--counts", &counts]);
    assert!(out.contains("Điểm có thể tăng — Phường P (p)") && out.contains("Cần thêm để tăng 1 điểm"), "{out}");
    let (_, out, _) = chiso(&["score766", "--counts", &counts, "--format", "md", "--lang", "en"]);
    assert!(out.contains("### Points to gain — Phường P (p)"), "{out}");
    assert!(out.contains("| Dossiers handled on time (ON_TIME) | 17.83 / 20 | 2.17 | +62 | +134 |"), "{out}");
    let (_, out, _) = chiso(&["score766", "--counts", &counts, "--format", "csv"]);
    let mut rows = out.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let row: Vec<&str> = rows.next().unwrap().split(',').collect();
    let cell = |name: &str| row[header.iter().position(|h| *h == name).expect(name)];
    assert_eq!([cell("ON_TIME_lost"), cell("ON_TIME_next_point"), cell("ON_TIME_to_max")], ["2.17", "62", "134"]);
    assert_eq!([cell("DOSSIER_SYNC_lost"), cell("DOSSIER_SYNC_next_point")], ["0.00", ""]);
}

#[test]
fn missing_and_invalid_metrics_score_nothing_and_leave_units_unranked() {
    let golden =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../core/tests/golden/score766/missing-and-invalid/counts.json");
    let (code, out, err) = chiso(&["score766", "--counts", golden, "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("note: 18 unit metric(s) missing, scored 0; incomplete units are not ranked"), "{err}");
    assert!(err.contains("note: 2 unit metric(s) invalid (their only rows were rejected), scored 0"), "{err}");
    // Columns are separated by two spaces or more: unit, level, rank, total, six groups, complete.
    let row = |unit: &str| {
        let line = out.lines().find(|l| l.starts_with(unit)).unwrap();
        line.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(row("payment-only")[2..4], ["—", "10.00"]);
    assert_eq!(row("payment-only").last().unwrap(), "18 missing, 0 invalid");
    assert_eq!(row("bad-feedback").last().unwrap(), "0 missing, 2 invalid");
    assert_eq!(row("complete (")[2..4], ["1", "74.54"]);
    let (_, out, _) = chiso(&["score766", "--counts", golden, "--rank-incomplete", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ranks: Vec<&serde_json::Value> = v["units"].as_array().unwrap().iter().map(|u| &u["rank"]).collect();
    assert_eq!(ranks, [&serde_json::json!(2), &serde_json::json!(3), &serde_json::json!(1)]);
    assert_eq!(v["ranked_incomplete"], serde_json::json!(true));
    let (_, out, _) = chiso(&["score766", "--counts", golden, "--format", "csv"]);
    let payment = out.lines().find(|l| l.starts_with("payment-only")).unwrap();
    assert!(payment.contains(",commune,,10.00,false,PUBLISH_ON_TIME PUBLIC_UPDATE_ON_TIME"), "{payment}");
}

/// `--no-duplicate-check` turns the duplicate-id warnings off (national-scale runs); the scores
/// do not change.
#[test]
fn the_duplicate_check_can_be_turned_off() {
    let text = "dossier_id,unit,procedure,received_at\nHS-1,a,P,2025-07-01\nHS-1,a,P,2025-07-02\n";
    let dossiers = temp("dup-off.csv", text);
    let run = |extra: &[&str]| {
        let mut args = vec!["score766", "--dossiers", &dossiers, "--period", "2025-07", "--format", "json"];
        args.extend_from_slice(extra);
        let (code, out, _) = chiso(&args);
        assert_eq!(code, 0);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let (on, off) = (run(&[]), run(&["--no-duplicate-check"]));
    assert_eq!(on["warnings"].as_array().unwrap().len(), 1);
    assert_eq!(off["warnings"], serde_json::json!([]));
    assert_eq!(on["units"], off["units"]);
    for jobs in ["1", "2"] {
        assert_eq!(run(&["--no-duplicate-check", "--jobs", jobs])["warnings"], serde_json::json!([]));
    }
}
