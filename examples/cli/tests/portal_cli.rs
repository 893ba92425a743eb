//! `chiso portal` end to end on the captured Phú Thọ responses: the check's last line, the counts,
//! a disagreement's exit status, a malformed file's located error.
#![expect(clippy::unwrap_used, reason = "helpers of tests: a failure is a panic")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn chiso(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn data(view: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../core/tests/portal/phu-tho-2026-08")
        .join(view)
        .display()
        .to_string()
}

/// A copy of the `all` view in a fresh folder, with `edit` applied to one endpoint's response.
fn edited_copy(tag: &str, endpoint: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-portal-{tag}-{}", std::process::id())).join("view");
    for e in ["transparency", "dvc-progress-tree", "formality-online-payment-tree"] {
        std::fs::create_dir_all(dir.join(e)).unwrap();
        let text = std::fs::read_to_string(Path::new(&data("all")).join(e).join("month.json")).unwrap();
        let text = if e == endpoint { edit(text) } else { text };
        std::fs::write(dir.join(e).join("month.json"), text).unwrap();
    }
    dir
}

#[test]
fn check_reproduces_every_recomputable_value_and_ends_with_the_summary() {
    let (code, out, err) = chiso(&["portal", "check", &data("all")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().last(), Some("3118 of 3281 published values reproduced, 163 not recomputable"), "{out}");
    assert!(out.contains("3118 trên 3281 giá trị công bố được tính lại khớp"), "{out}");
    let (code, out, _) = chiso(&["portal", "check", &data("procedure-2.000815"), "--lang", "en", "--format", "md"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# Check of the national portal's published scores — period 2026-08"), "{out}");
    assert_eq!(out.lines().last(), Some("2298 of 2461 published values reproduced, 163 not recomputable"));
    let (code, out, _) = chiso(&["portal", "check", &data("all"), "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["reproduced"], 3118);
    assert_eq!(v["items"][0]["path"], "data.overview.metrics[0].score");
}

#[test]
fn import_writes_the_counts_of_every_unit() {
    let out_file = std::env::temp_dir().join(format!("chiso-portal-counts-{}.json", std::process::id()));
    let (code, _, err) = chiso(&["portal", "import", &data("all"), "--out", &out_file.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(v["period"], "2026-08");
    assert_eq!(v["units"].as_array().unwrap().len(), 164);
    assert_eq!(v["units"][0]["metrics"]["E_CERTIFIED_COPY"], "full");
    assert_eq!(v["units"][0]["metrics"]["ON_TIME"], serde_json::json!([144_625, 184_513]));
    assert_eq!(v["units"][1]["parent"], v["units"][0]["unit"]);
    // The counts score back to the published values: Thanh Thủy's payment group (the portal's
    // arithmetic) and the province's 100 points.
    let (code, out, err) = chiso(&["score766", "--counts", &out_file.display().to_string(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let card: serde_json::Value = serde_json::from_str(&out).unwrap();
    let units = card["units"].as_array().unwrap();
    let thanh_thuy = units.iter().find(|u| u["name"] == "UBND xã Thanh Thủy").unwrap();
    assert_eq!(thanh_thuy["groups"][4]["score"], serde_json::json!(5.99));
    assert_eq!(units[0]["total"], serde_json::json!(59.92));
    assert_eq!(units[0]["groups"][3]["metrics"][6]["status"], "published");
    // The period is read from the folder's name, or given.
    let (code, _, err) = chiso(&["portal", "import", env!("CARGO_MANIFEST_DIR")]);
    assert_eq!(code, 1);
    assert!(err.contains("[invalid_argument]") && err.contains("--period"), "{err}");
}

#[test]
fn a_disagreement_fails_with_both_values_and_the_counts() {
    // Thanh Thủy's payment score 5.99 made 5.97.
    let dir = edited_copy("disagree", "formality-online-payment-tree", |t| {
        t.replacen("\"totalScore\":5.99", "\"totalScore\":5.97", 1)
    });
    let (code, out, err) =
        chiso(&["portal", "check", &dir.display().to_string(), "--period", "2026-08", "--lang", "en"]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("[invalid_input]: 1 published value(s) disagree"), "{err}");
    let line = out.lines().find(|l| l.contains("Thanh Thủy")).unwrap();
    assert!(line.contains("5.97") && line.contains("5.99") && line.contains("PAID_ONLINE 295/377"), "{line}");
}

#[test]
fn a_malformed_response_is_a_located_error() {
    let dir =
        edited_copy("malformed", "dvc-progress-tree", |t| t.replacen("\"totalOnTime\":486", "\"totalOnTime\":-486", 1));
    let (code, _, err) = chiso(&["portal", "check", &dir.display().to_string(), "--period", "2026-08", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("dvc-progress-tree/month.json: at `data.children[1].totalOnTime`: expected a non-negative whole number, found `-486`"),
        "{err}"
    );
    let dir = edited_copy("truncated", "transparency", |t| t[..t.len() / 2].to_owned());
    let (code, _, err) = chiso(&["portal", "check", &dir.display().to_string(), "--period", "2026-08"]);
    assert_eq!(code, 1);
    assert!(err.contains("[bad_json]: transparency/month.json: dòng 1"), "{err}");
}

#[test]
fn a_folder_of_several_periods_gives_the_one_of_the_period_asked() {
    let dir = edited_copy("periods", "", |t| t);
    std::fs::write(dir.join("transparency").join("quarter.json"), "{ not json").unwrap();
    let dir_text = dir.display().to_string();
    let (code, out, err) = chiso(&["portal", "check", &dir_text, "--period", "2026-08", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("not recomputable\n"), "{out}");
    let (code, _, err) = chiso(&["portal", "check", &dir_text, "--period", "2026-Q3", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("[bad_json]: transparency/quarter.json: line 1"), "{err}");
    std::fs::rename(dir.join("transparency").join("quarter.json"), dir.join("transparency").join("other.json"))
        .unwrap();
    let (code, _, err) = chiso(&["portal", "check", &dir_text, "--period", "2026-Q3", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("2 JSON files (month.json, other.json), none named for the period's kind"), "{err}");
}
