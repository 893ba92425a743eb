//! `--format xlsx` end to end.
//!
//! The ignored tests open the workbooks with LibreOffice headless (every sheet converted to CSV,
//! once with the raw values and once as shown) and compare them with the JSON output of the same
//! command: the sample town's evaluation, its Decision 766 scorecard and a series. They need
//! `soffice`; `.ci/stages/35-xlsx.sh` installs it when missing and runs them with `--ignored`, so
//! that a machine without it fails there rather than skipping. The others (`-o` rules) always run.
#![expect(clippy::unwrap_used, reason = "helpers of tests: a failure is a panic")]
#![expect(clippy::indexing_slicing, reason = "tests index the tables they read")]
#![expect(clippy::panic, reason = "a test fails by panicking, with what it found")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chiso::labels::{Lang, StatusLabel, Word, localize};
use serde_json::Value;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample");

fn chiso(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, String::from_utf8(out.stderr).unwrap())
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = chiso(&all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_slice(&out).unwrap()
}

/// A scratch folder of this test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("chiso-xlsx-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the workbook of `args` with `--format xlsx -o FILE` and returns its sheets as
/// LibreOffice reads them: (raw values, values as shown), each by sheet name.
type Sheets = BTreeMap<String, Vec<Vec<String>>>;

fn workbook(scratch: &Scratch, args: &[&str]) -> (Vec<String>, Sheets, Sheets) {
    let file = scratch.path("book.xlsx");
    let mut all = args.to_vec();
    all.extend(["--format", "xlsx", "-o", &file]);
    let (code, out, err) = chiso(&all);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "nothing on stdout with -o FILE");
    let raw = libreoffice(scratch, &file, false);
    let shown = libreoffice(scratch, &file, true);
    // LibreOffice names each file `book-<sheet>.csv`: the sheet order is not in the names, so the
    // names are returned sorted, and each test checks its set.
    (raw.keys().cloned().collect(), raw, shown)
}

/// Every sheet of `file` as CSV through `soffice --headless --convert-to` (token 12 = -1: each
/// sheet to its own file, LibreOffice 7.2 and later; token 9: the values as shown or raw).
fn libreoffice(scratch: &Scratch, file: &str, shown: bool) -> Sheets {
    let out = scratch.path(if shown { "shown" } else { "raw" });
    let profile = format!("file://{}", scratch.path("profile"));
    let _ = std::fs::remove_dir_all(&out);
    let filter = format!("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,{shown},false,false,-1");
    let status = Command::new("soffice")
        .args([&format!("-env:UserInstallation={profile}"), "--headless", "--convert-to", &filter, "--outdir", &out])
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("soffice cannot run ({e}): install libreoffice-calc-nogui"));
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
    let mut sheets = Sheets::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().strip_prefix("book-").unwrap().to_owned();
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&path).unwrap();
        let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
        sheets.insert(name, rows);
    }
    assert!(!sheets.is_empty(), "soffice wrote no sheet into {out}");
    sheets
}

/// A column of a table by its header.
fn col(table: &[Vec<String>], header: Word, lang: Lang) -> usize {
    table[0].iter().position(|h| h == header.get(lang)).unwrap_or_else(|| panic!("no column {header:?}"))
}

/// A raw percentage cell (`90.48%`, `100%`) as a number of percent.
fn percent(cell: &str) -> f64 {
    cell.strip_suffix('%').unwrap_or_else(|| panic!("`{cell}` is not a percentage")).parse().unwrap()
}

/// The JSON's number, or the `—` of an unknown value.
fn number_or_unknown(v: &Value) -> String {
    if v.is_null() { "—".to_owned() } else { v.to_string() }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn sorted(words: &[Word], lang: Lang) -> Vec<String> {
    let mut names: Vec<String> = words.iter().map(|w| w.get(lang).to_owned()).collect();
    names.sort();
    names
}

#[test]
#[ignore = "needs LibreOffice (soffice): .ci/stages/35-xlsx.sh runs it"]
fn the_sample_evaluation_opens_in_libreoffice_with_the_json_values() {
    let scratch = Scratch::new("evaluation");
    for lang in Lang::ALL {
        let args = ["report", "--as-of", "2026-11-28", "--lang", lang.as_str()];
        let expected = json(&args);
        let (names, raw, shown) = workbook(&scratch, &args);
        let words = [Word::SheetResults, Word::ByRoleShort, Word::SheetCharts, Word::SheetRejected, Word::SheetMissing];
        assert_eq!(names, sorted(&words, lang));
        check_roles(&raw[Word::ByRoleShort.get(lang)], lang);
        let results = &raw[Word::SheetResults.get(lang)];
        let as_shown = &shown[Word::SheetResults.get(lang)];
        let json_results = expected["results"].as_array().unwrap();
        assert_eq!(results.len(), json_results.len() + 1);
        let [num, den, value, threshold, status, gap, deadline] = [
            Word::Numerator,
            Word::Denominator,
            Word::Value,
            Word::ThresholdColumn,
            Word::Status,
            Word::Gap,
            Word::Deadline,
        ]
        .map(|w| col(results, w, lang));
        for (row, r) in results.iter().zip(as_shown).skip(1).zip(json_results) {
            let ((row, shown_row), r) = (row, r);
            assert_eq!(row[0], r["unit"].as_str().unwrap());
            assert_eq!(row[2], r["indicator"].as_str().unwrap());
            assert_eq!(row[4], r["target"].as_str().unwrap());
            assert_eq!(row[5], r["period"].as_str().unwrap());
            assert_eq!(row[num], number_or_unknown(&r["numerator"]));
            assert_eq!(row[den], number_or_unknown(&r["denominator"]));
            assert_eq!(row[gap], number_or_unknown(&r["gap"]));
            match r["percent"].as_f64() {
                Some(p) => {
                    assert!(close(percent(&row[value]), p), "{} vs {p}", row[value]);
                    // Formatted as a percentage with two decimals.
                    assert_eq!(shown_row[value], format!("{p:.2}%"));
                }
                None => assert_eq!(row[value], "—"),
            }
            if let Some(t) = r["threshold"].as_f64() {
                assert!(close(percent(&row[threshold]), t), "{} vs {t}", row[threshold]);
            }
            let label = StatusLabel::from_key(r["status"].as_str().unwrap()).unwrap().get(lang);
            assert_eq!(row[status], label);
            assert_eq!(row[deadline], r["deadline"].as_str().unwrap());
        }
        check_rejected(&raw[Word::SheetRejected.get(lang)], &expected["rejected"], lang, 0);
        let missing = &raw[Word::SheetMissing.get(lang)];
        let no_value: Vec<&Value> = json_results.iter().filter(|r| r["percent"].is_null()).collect();
        assert_eq!(missing.len(), no_value.len() + 1);
        for (row, r) in missing.iter().skip(1).zip(no_value) {
            assert_eq!(
                [&row[0], &row[2], &row[4]],
                [&r["unit"], &r["indicator"], &r["period"]].map(|v| v.as_str().unwrap())
            );
        }
        // The charts' data: the first unit's values, each the result's of that period.
        let charts = &raw[Word::SheetCharts.get(lang)];
        assert!(charts.len() > 1);
        for row in charts.iter().skip(1) {
            let result =
                json_results.iter().find(|r| r["unit"] == row[2] && r["indicator"] == row[0] && r["period"] == row[3]);
            if let Some(p) = result.and_then(|r| r["percent"].as_f64()) {
                assert!(close(percent(&row[4]), p));
            }
        }
    }
}

/// The "who must act" sheet against `chiso report --by role --format json`: the same rows, role by
/// role, most urgent first.
fn check_roles(sheet: &[Vec<String>], lang: Lang) {
    let by_role = json(&["report", "--by", "role", "--as-of", "2026-11-28", "--lang", lang.as_str()]);
    let expected: Vec<(String, String)> = by_role["roles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            let label = g["label"][lang.as_str()].as_str().unwrap().to_owned();
            g["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |r| (label.clone(), r["unit"].as_str().unwrap().to_owned()))
        })
        .collect();
    let got: Vec<(String, String)> = sheet.iter().skip(1).map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(got, expected);
}

/// The rejected rows and warnings sheet against the JSON's `rejected` (from column `first`).
fn check_rejected(sheet: &[Vec<String>], rejected: &Value, lang: Lang, first: usize) {
    let rejected = rejected.as_array().unwrap();
    let listed: Vec<&Vec<String>> = sheet.iter().skip(1).filter(|r| r[0] == Word::RejectedOne.get(lang)).collect();
    assert_eq!(listed.len(), rejected.len());
    for (row, r) in listed.iter().zip(rejected) {
        assert_eq!(row[first + 1], r["source"].as_str().unwrap());
        assert_eq!(row[first + 2], r["row"].to_string());
        assert_eq!(row[first + 3], r["column"].as_str().unwrap_or(""));
        assert_eq!(row[first + 4], localize(r["reason"].as_str().unwrap(), lang));
    }
}

fn records_args(period: &str) -> Vec<String> {
    let file = |name: &str| format!("{SAMPLE}/{name}");
    let mut args: Vec<String> = ["score766", "--period", period].iter().map(|s| (*s).to_owned()).collect();
    for (flag, name) in [
        ("--dossiers", "dossiers.csv"),
        ("--units", "units.csv"),
        ("--procedures", "procedures.csv"),
        ("--feedback", "feedback.csv"),
    ] {
        args.extend([flag.to_owned(), file(name)]);
    }
    args
}

#[test]
#[ignore = "needs LibreOffice (soffice): .ci/stages/35-xlsx.sh runs it"]
fn the_sample_scorecard_opens_in_libreoffice_with_the_json_values() {
    let scratch = Scratch::new("scorecard");
    let lang = Lang::Vi;
    let mut args = records_args("2026-10");
    args.extend(["--counts".to_owned(), format!("{SAMPLE}/counts.json")]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let expected = json(&args);
    let (names, raw, shown) = workbook(&scratch, &args);
    let words = [Word::SheetScorecard, Word::SheetDetail, Word::SheetCharts, Word::SheetRejected, Word::SheetMissing];
    assert_eq!(names, sorted(&words, lang));
    let scores = &raw[Word::SheetScorecard.get(lang)];
    let units = expected["units"].as_array().unwrap();
    assert_eq!(scores.len(), units.len() + 1);
    for (row, u) in scores.iter().skip(1).zip(units) {
        assert_eq!(row[0], u["unit"].as_str().unwrap());
        assert_eq!(row[4], u["rank"].as_u64().map(|r| r.to_string()).unwrap_or_default());
        assert!(close(row[5].parse().unwrap(), u["total"].as_f64().unwrap()));
        for (i, g) in u["groups"].as_array().unwrap().iter().enumerate() {
            assert!(close(row[6 + 2 * i].parse().unwrap(), g["score"].as_f64().unwrap()));
        }
    }
    let detail = &raw[Word::SheetDetail.get(lang)];
    let detail_shown = &shown[Word::SheetDetail.get(lang)];
    let [num, den, pct, points, max] =
        [Word::Numerator, Word::Denominator, Word::Percent, Word::Points, Word::MaxPoints]
            .map(|w| col(detail, w, lang));
    let metrics: Vec<&Value> = units
        .iter()
        .flat_map(|u| u["groups"].as_array().unwrap())
        .flat_map(|g| g["metrics"].as_array().unwrap())
        .collect();
    assert_eq!(detail.len(), metrics.len() + 1);
    for ((row, shown_row), m) in detail.iter().zip(detail_shown).skip(1).zip(metrics) {
        assert_eq!(row[3], m["code"].as_str().unwrap());
        if m["status"] == "scored" {
            assert_eq!(row[num], m["numerator"].to_string());
            assert_eq!(row[den], m["denominator"].to_string());
        } else {
            assert_eq!([&row[num], &row[den]], ["—", "—"]);
        }
        match m["percent"].as_f64() {
            Some(p) => {
                assert!(close(percent(&row[pct]), p));
                assert_eq!(shown_row[pct], format!("{p:.2}%"));
            }
            None => assert_eq!(row[pct], "—"),
        }
        assert!(close(row[points].parse().unwrap(), m["score"].as_f64().unwrap()));
        assert!(close(row[max].parse().unwrap(), m["max"].as_f64().unwrap()));
        assert_eq!(shown_row[points], format!("{:.2}", m["score"].as_f64().unwrap()));
    }
    check_rejected(&raw[Word::SheetRejected.get(lang)], &expected["rejected"], lang, 0);
}

#[test]
#[ignore = "needs LibreOffice (soffice): .ci/stages/35-xlsx.sh runs it"]
fn a_series_opens_in_libreoffice_with_the_json_values() {
    let scratch = Scratch::new("series");
    let lang = Lang::En;
    let mut args = records_args("2026-09..2026-10");
    args.extend(["--lang".to_owned(), "en".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let expected = json(&args);
    let (names, raw, _) = workbook(&scratch, &args);
    let words = [Word::SheetSeries, Word::SheetDetail, Word::SheetCharts, Word::SheetRejected, Word::SheetMissing];
    assert_eq!(names, sorted(&words, lang));
    let rows = &raw[Word::SheetSeries.get(lang)];
    let periods: Vec<&str> = expected["periods"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let mut expected_rows = Vec::new();
    for u in expected["changes"].as_array().unwrap() {
        for (i, period) in periods.iter().enumerate() {
            let total = &u["totals"][i];
            if total.is_null() {
                continue;
            }
            let change = &u["total_changes"][i];
            expected_rows.push((u["unit"].as_str().unwrap(), *period, total.as_f64().unwrap(), change.as_f64()));
        }
    }
    assert_eq!(rows.len(), expected_rows.len() + 1);
    for (row, (unit, period, total, change)) in rows.iter().skip(1).zip(expected_rows) {
        assert_eq!([row[0].as_str(), row[3].as_str()], [unit, period]);
        assert!(close(row[5].parse().unwrap(), total));
        match change {
            Some(c) => assert!(close(row[6].parse().unwrap(), c)),
            None => assert_eq!(row[6], ""),
        }
    }
}

#[test]
fn xlsx_needs_an_output_file_and_writes_standard_output_only_when_asked() {
    let (code, out, err) = chiso(&["report", "--as-of", "2026-11-28", "--format", "xlsx"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("[invalid_argument]") && err.contains("-o"), "{err}");
    let (code, _, err) =
        chiso(&["score766", "--counts", &format!("{SAMPLE}/counts.json"), "--format", "xlsx", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("`--format xlsx` needs `-o FILE`"), "{err}");
    let (code, out, err) = chiso(&["report", "--as-of", "2026-11-28", "--format", "xlsx", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(b"PK\x03\x04"), "a zip container");
}

#[test]
fn output_writes_any_format_to_a_file() {
    let scratch = Scratch::new("output");
    let path = scratch.path("out.json");
    let (code, stdout, err) = chiso(&["report", "--as-of", "2026-11-28", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let (code, nothing, err) = chiso(&["report", "--as-of", "2026-11-28", "--format", "json", "-o", &path]);
    assert_eq!(code, 0, "{err}");
    assert!(nothing.is_empty());
    assert_eq!(std::fs::read(&path).unwrap(), stdout);
    // The sample report's Decision 766 section goes to the file too.
    let table = scratch.path("out.txt");
    let (code, nothing, err) = chiso(&["--as-of", "2026-11-28", "-o", &table]);
    assert_eq!(code, 0, "{err}");
    assert!(nothing.is_empty());
    let (_, stdout, _) = chiso(&["--as-of", "2026-11-28"]);
    assert_eq!(std::fs::read(&table).unwrap(), stdout);
    let counts = format!("{SAMPLE}/counts.json");
    let json_path = scratch.path("card.json");
    let (code, _, err) = chiso(&["score766", "--counts", &counts, "--format", "json", "--output", &json_path]);
    assert_eq!(code, 0, "{err}");
    let (_, stdout, _) = chiso(&["score766", "--counts", &counts, "--format", "json"]);
    assert_eq!(std::fs::read(&json_path).unwrap(), stdout);
    let bad = Path::new(&scratch.0).join("no/such/dir/x.xlsx");
    let (code, _, err) = chiso(&["report", "--as-of", "2026-11-28", "--format", "xlsx", "-o", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("[io]"), "{err}");
}
