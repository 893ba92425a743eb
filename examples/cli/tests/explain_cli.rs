//! `chiso score766 explain` end to end on a generated province: for every metric counted from
//! records, the JSON lists exactly denominator − numerator of the scorecard `chiso score766`
//! prints for the same files; a limit keeps the totals; the table, CSV and workbook are written;
//! a metric from the counts file is refused, naming where its number comes from.
#![expect(clippy::unwrap_used, reason = "a test: a failure is a panic")]

use std::path::PathBuf;
use std::process::Command;

fn chiso(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, String::from_utf8(out.stderr).unwrap())
}

/// A small generated province in a directory of its own.
fn province() -> PathBuf {
    static MADE: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut made = MADE.lock().unwrap();
    let dir = std::env::temp_dir().join(format!("chiso-explain-{}", std::process::id()));
    if !*made {
        *made = true;
        let d = dir.display().to_string();
        let args = ["generate", "--dossiers", "3000", "--units", "3", "--neighbourhoods", "2", "--procedures", "50"];
        let (code, _, err) = chiso(&[&args[..], &["--period", "2026-09", "--seed", "5", "--output", &d]].concat());
        assert_eq!(code, 0, "{err}");
    }
    dir
}

fn files(dir: &std::path::Path) -> Vec<String> {
    ["dossiers", "units", "procedures", "feedback"]
        .iter()
        .flat_map(|f| [format!("--{f}"), dir.join(format!("{f}.csv")).display().to_string()])
        .collect()
}

fn json(args: &[String]) -> serde_json::Value {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = chiso(&args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn every_record_metric_lists_exactly_its_shortfall() {
    let dir = province();
    let f = files(&dir);
    let score = [&["score766".to_owned()], &f[..], &["--period", "2026-09", "--format", "json"].map(str::to_owned)[..]]
        .concat();
    let card = json(&score);
    let recordless = ["PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL", "E_CERTIFIED_COPY"];
    let mut checked = 0;
    for unit in ["tinh", "xa-00001"] {
        let scored = card["units"].as_array().unwrap().iter().find(|u| u["unit"] == unit).unwrap();
        for m in scored["groups"].as_array().unwrap().iter().flat_map(|g| g["metrics"].as_array().unwrap()) {
            let code = m["code"].as_str().unwrap();
            if recordless.contains(&code) {
                continue;
            }
            let tail = ["--unit", unit, "--metric", code, "--period", "2026-09", "--format", "json"].map(str::to_owned);
            let e = json(&[&["score766".to_owned(), "explain".to_owned()], &f[..], &tail[..]].concat());
            assert_eq!((&e["numerator"], &e["denominator"]), (&m["numerator"], &m["denominator"]), "{unit} {code}");
            let short = m["denominator"].as_u64().unwrap() - m["numerator"].as_u64().unwrap();
            assert_eq!(e["total_shortfall"], short, "{unit} {code}");
            assert_eq!(e["items"].as_array().unwrap().len() as u64, short, "{unit} {code}");
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * 17);
}

#[test]
fn limit_formats_and_refusals() {
    let dir = province();
    let f = files(&dir);
    let base = |extra: &[&str]| {
        let tail = ["--unit", "tinh", "--metric", "ON_TIME", "--period", "2026-09"];
        [
            &["score766".to_owned(), "explain".to_owned()],
            &f[..],
            &tail.map(str::to_owned)[..],
            &extra.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()[..],
        ]
        .concat()
    };
    let all = json(&base(&["--format", "json"]));
    let some = json(&base(&["--format", "json", "--limit", "3"]));
    assert_eq!(some["total_shortfall"], all["total_shortfall"]);
    assert_eq!(some["listed"], 3);
    assert_eq!(some["items"].as_array().unwrap()[..], all["items"].as_array().unwrap()[..3]);
    // The table in English: the heading with the counts, a row per record with its reason.
    let args = base(&["--limit", "3", "--lang", "en"]);
    let (code, out, err) = chiso(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    let out = String::from_utf8(out).unwrap();
    let head = format!("Records behind ON_TIME of tinh, 2026-09: {}/{}", all["numerator"], all["denominator"]);
    assert!(out.starts_with(&head), "{out}");
    assert!(out.contains("(3 of "), "{out}");
    assert!(out.contains("late: "), "{out}");
    // The heading, the column names, the rule, three records.
    assert_eq!(out.lines().count(), 3 + 3, "{out}");
    // CSV: a header and one line per record.
    let args = base(&["--format", "csv", "--limit", "4"]);
    let (_, out, _) = chiso(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("\u{feff}file,row,id,unit,procedure,reason,reason_text,"), "{out}");
    assert_eq!(out.lines().count(), 5);
    // The workbook.
    let xlsx = dir.join("explain.xlsx").display().to_string();
    let args = base(&["--format", "xlsx", "-o", &xlsx]);
    let (code, _, err) = chiso(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK\x03\x04"));
    // A metric from the counts file.
    let mut args = base(&["--lang", "en"]);
    let at = args.iter().position(|a| a == "ON_TIME").unwrap();
    args[at] = "PUBLISH_ON_TIME".to_owned();
    let (code, _, err) = chiso(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 1);
    assert!(err.contains("[invalid_argument]") && err.contains("comes from the counts file"), "{err}");
    // In Vietnamese by default.
    args.retain(|a| a != "--lang" && a != "en");
    let (_, _, err) = chiso(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("lấy từ tệp số đếm"), "{err}");
}
