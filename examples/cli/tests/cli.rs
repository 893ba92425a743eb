//! The `chiso` command, run as a user would.
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn no_arguments_reports_on_the_sample_town() {
    let out = chiso(&["--as-of", "2026-11-28"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Thị trấn Phú Mỹ (tt-phu-my)"), "{stdout}");
    for status in [
        "đạt sớm",
        "không đạt",
        "đúng tiến độ",
        "có nguy cơ",
        "chậm tiến độ",
        "đang thực hiện",
        "thiếu số liệu",
        "số liệu không hợp lệ",
    ] {
        assert!(stdout.contains(status), "missing status {status}");
    }
    // The sample town's Decision 766 scorecard for its latest month follows.
    assert!(
        stdout.contains("Chỉ số phục vụ theo Quyết định 766/QĐ-TTg — Thị trấn Phú Mỹ (tt-phu-my), 2026-10"),
        "{stdout}"
    );
    assert!(stdout.contains("Hồ sơ giải quyết đúng hạn"), "{stdout}");
    // …and the town's points to gain, cheapest first.
    assert!(stdout.contains("Điểm có thể tăng — Thị trấn Phú Mỹ (tt-phu-my)"), "{stdout}");
    // Rejected sample rows are warnings with their row numbers, in the report's language.
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("chiso: cảnh báo: dòng bị loại: sample/observations.csv: dòng 320, cột `numerator`"),
        "{stderr}"
    );
    let bare = chiso(&[]);
    assert!(bare.status.success());
    let en = chiso(&["--lang", "en", "--as-of", "2026-11-28"]);
    assert!(text(&en.stdout).contains("on track"));
    assert!(
        text(&en.stderr).contains("chiso: warning: rejected sample/observations.csv: row 320"),
        "{}",
        text(&en.stderr)
    );
}

#[test]
fn evaluate_json_matches_the_golden_vector() {
    let golden = root().join("core/tests/golden/evaluate/sample-town");
    let out = chiso(&[
        "evaluate",
        "--units",
        golden.join("units.csv").to_str().unwrap(),
        "--observations",
        golden.join("observations.csv").to_str().unwrap(),
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = std::fs::read_to_string(golden.join("expected.json")).unwrap();
    let stdout = text(&out.stdout);
    // The file names differ (the golden run names its sources generically), so compare the values.
    let a: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let b: serde_json::Value = serde_json::from_str(&expected).unwrap();
    assert_eq!(a["results"], b["results"]);
    assert_eq!(a["as_of"], "2026-11-28");
    assert_eq!(a["rejected"].as_array().unwrap().len(), 4);
    assert_eq!(a["rejected"][0]["row"], 320);
}

#[test]
fn csv_opens_in_excel_and_md_is_a_table() {
    let csv = chiso(&["report", "--as-of", "2026-11-28", "--format", "csv"]);
    assert!(csv.stdout.starts_with("\u{feff}unit,indicator,".as_bytes()));
    let md = text(&chiso(&["report", "--as-of", "2026-11-28", "--format", "md", "--lang", "en"]).stdout);
    assert!(md.contains("| Indicator | Period |"), "{md}");
    let one = text(&chiso(&["report", "--as-of", "2026-11-28", "--unit", "khom-thi-1", "--format", "json"]).stdout);
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert!(v["results"].as_array().unwrap().iter().all(|r| r["unit"] == "khom-thi-1"));
}

#[test]
fn errors_are_one_clear_line() {
    let out = chiso(&["evaluate", "--observations", "/nonexistent.csv"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("chiso: lỗi [io]: không đọc được `/nonexistent.csv`"), "{err}");
    let out = chiso(&["evaluate", "--lang", "en", "--observations", "/nonexistent.csv"]);
    let err = text(&out.stderr);
    assert!(err.starts_with("chiso: error [io]: cannot read `/nonexistent.csv`"), "{err}");
    let dir = std::env::temp_dir().join(format!("chiso-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("obs.csv");
    std::fs::write(&bad, "unit,period\nx,2025\n").unwrap();
    let out = chiso(&["evaluate", "--observations", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.starts_with("chiso: lỗi [missing_column]: ") && err.contains("`indicator`"), "{err}");
    let out = chiso(&["report", "--as-of", "2026-02-30"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.starts_with("chiso: lỗi [invalid_argument]: ") && err.contains("2026-02-30"), "{err}");
    // A time where a day is expected says so (it was "not a date", hinting that times are read).
    let out = chiso(&["report", "--as-of", "2026-11-28T10:00"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("có giờ trong ngày; ở đây chỉ cần ngày"), "{}", text(&out.stderr));
    let out = chiso(&["report", "--lang", "en", "--as-of", "2026-11-28T10:00"]);
    assert!(text(&out.stderr).contains("has a time of day; a date alone is expected here"), "{}", text(&out.stderr));
}

/// A Vietnamese run says everything in Vietnamese: a rejected row's reason and a whole-file error,
/// not only their prefix; `--lang en` prints the English of the JSON `reason` and of the message.
#[test]
fn rejections_and_errors_speak_the_run_language() {
    let dir = std::env::temp_dir().join(format!("chiso-cli-lang-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let obs = dir.join("observations.csv");
    std::fs::write(&obs, "unit,indicator,period,numerator,denominator\nkhom-thi-1,dossiers_fully_online,2025,11,10\n")
        .unwrap();
    let run = |lang: &str| {
        let out =
            chiso(&["evaluate", "--lang", lang, "--observations", obs.to_str().unwrap(), "--as-of", "2026-01-01"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stderr)
    };
    let vi = run("vi");
    assert!(
        vi.contains("chiso: cảnh báo: dòng bị loại: ")
            && vi.contains("observations.csv: dòng 2, cột `numerator`: 11 lớn hơn mẫu số 10"),
        "{vi}"
    );
    assert!(!vi.contains("is above the denominator"), "{vi}");
    let en = run("en");
    assert!(en.contains("observations.csv: row 2, column `numerator`: 11 is above the denominator 10"), "{en}");

    let bad = dir.join("obs.csv");
    std::fs::write(&bad, "unit,period\nx,2025\n").unwrap();
    let err = |lang: &str| text(&chiso(&["evaluate", "--lang", lang, "--observations", bad.to_str().unwrap()]).stderr);
    let vi = err("vi");
    assert!(
        vi.starts_with("chiso: lỗi [missing_column]: ")
            && vi.contains("obs.csv: dòng tiêu đề không có cột `indicator`"),
        "{vi}"
    );
    let en = err("en");
    assert!(
        en.starts_with("chiso: error [missing_column]: ")
            && en.contains("obs.csv: the header has no `indicator` column"),
        "{en}"
    );
}

#[test]
fn plan_and_schemas_print_json() {
    let plan = chiso(&["plan", "--format", "json"]);
    let back = chiso::plan::Plan::from_json(&plan.stdout, "plan.json").unwrap();
    assert_eq!(back.indicators.len(), 20);
    for which in ["observations", "units", "plan", "result"] {
        let out = chiso(&["schema", which]);
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v.get("$schema").is_some(), "{which}");
    }
}

/// `chiso evaluate` streams its files (and standard input, `-`) into the core: the JSON is byte
/// for byte the golden vectors', which the library computes from bytes in memory.
#[test]
fn evaluate_streams_files_and_stdin_to_the_golden_bytes() {
    use std::io::Write;
    let golden = root().join("core/tests/golden/evaluate");
    let mut cases = 0;
    for entry in std::fs::read_dir(&golden).unwrap() {
        let dir = entry.unwrap().path();
        let expected = std::fs::read_to_string(dir.join("expected.json")).unwrap();
        let as_of = std::fs::read_to_string(dir.join("as_of")).unwrap();
        let mut args =
            vec!["evaluate", "--observations", "observations.csv", "--as-of", as_of.trim(), "--format", "json"];
        if dir.join("units.csv").exists() {
            args.extend(["--units", "units.csv"]);
        }
        let run = |args: &[&str], stdin: Option<&[u8]>| {
            let mut child = Command::new(env!("CARGO_BIN_EXE_chiso"))
                .args(args)
                .current_dir(&dir)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut input = child.stdin.take().unwrap();
            input.write_all(stdin.unwrap_or_default()).unwrap();
            drop(input);
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", text(&out.stderr));
            text(&out.stdout)
        };
        assert_eq!(run(&args, None), format!("{expected}\n"), "{}", dir.display());
        let observations = std::fs::read(dir.join("observations.csv")).unwrap();
        args[2] = "-";
        let piped =
            run(&args, Some(&observations)).replace("\"source\": \"stdin\"", "\"source\": \"observations.csv\"");
        assert_eq!(piped, format!("{expected}\n"), "{} from stdin", dir.display());
        cases += 1;
    }
    assert!(cases >= 2);
}

#[test]
fn report_by_role_in_both_languages() {
    let vi = chiso(&["report", "--by", "role", "--as-of", "2026-11-28"]);
    assert!(vi.status.success(), "{}", text(&vi.stderr));
    let vi = text(&vi.stdout);
    assert!(vi.contains("Theo người chịu trách nhiệm"), "{vi}");
    assert!(vi.contains("Công an thị trấn — 6 cần xử lý ngay"), "{vi}");
    assert!(vi.contains("Công chức Tài chính – Kế hoạch — không có chỉ tiêu nào được giao"), "{vi}");
    // The sample's Decision 766 section belongs to the plain report, not to this view.
    assert!(!vi.contains("Quyết định 766/QĐ-TTg — Thị trấn"), "{vi}");
    let en = text(&chiso(&["report", "--by", "role", "--as-of", "2026-11-28", "--lang", "en"]).stdout);
    assert!(en.contains("Town police — 6 need action now"), "{en}");
    let police = en.split("Town police").nth(1).unwrap();
    let first_row = police.lines().nth(2).unwrap();
    assert!(first_row.contains("off track"), "led by what is off track: {first_row}");
    let json: serde_json::Value =
        serde_json::from_slice(&chiso(&["report", "--by", "role", "--as-of", "2026-11-28", "--format", "json"]).stdout)
            .unwrap();
    let roles = json["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 7);
    assert_eq!(roles[4]["id"], "town_police");
    assert_eq!(roles[4]["attention"], 6);
    let csv = chiso(&["report", "--by", "role", "--as-of", "2026-11-28", "--format", "csv"]).stdout;
    assert!(csv.starts_with("\u{feff}role,role_label,unit,".as_bytes()));
    let md =
        text(&chiso(&["report", "--by", "role", "--as-of", "2026-11-28", "--format", "md", "--lang", "en"]).stdout);
    assert!(md.contains("## Town police — 6 need action now"), "{md}");
}
