//! Golden vectors (`evaluate/`, `score766/`): inputs with their expected JSON, shared with the C and WASM suites so that all
//! three give identical bytes. `CHISO_BLESS=1 cargo test --test golden` rewrites the expected
//! files after a deliberate change (review the diff before committing it).
#![expect(clippy::unwrap_used, clippy::panic, reason = "a test fails by panicking")]

use std::path::Path;

use chiso::api::{EvaluateRequest, Score766Builder, score_counts};

fn check(dir: &Path, actual: &str) {
    let expected_path = dir.join("expected.json");
    if std::env::var_os("CHISO_BLESS").is_some() {
        std::fs::write(&expected_path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&expected_path).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
    assert!(expected == actual, "{}: output differs from expected.json", dir.display());
}

#[test]
fn evaluate_golden_vectors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/evaluate");
    let mut cases = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let read = |name: &str| std::fs::read(dir.join(name)).ok();
        let units = read("units.csv");
        let plan = read("plan.json");
        let observations = read("observations.csv").unwrap();
        let as_of = String::from_utf8(read("as_of").unwrap()).unwrap();
        let request = EvaluateRequest {
            plan_json: plan.as_deref(),
            units_csv: units.as_deref(),
            as_of: Some(as_of.trim()),
            ..EvaluateRequest::new(&observations)
        };
        let evaluation = chiso::api::evaluate(&request, || unreachable!("the case gives its date")).unwrap().evaluation;
        check(&dir, &evaluation.to_json());
        cases += 1;
    }
    assert!(cases >= 2, "the golden folder lost its cases");
}

/// Scores one `score766/<case>/` folder through the session API the CLI, C and WASM call: records
/// (with `period`) or a counts file alone.
fn score766_case(dir: &Path) -> String {
    use chiso::api::RecordFormat;
    let read = |name: &str| std::fs::read(dir.join(name)).ok();
    let line = |name: &str| read(name).map(|b| String::from_utf8(b).unwrap().trim().to_owned());
    let profile = line("profile");
    let Some(dossiers) = read("dossiers.csv") else {
        let counts = read("counts.json").unwrap();
        return score_counts(counts.as_slice(), "counts.json", profile.as_deref(), None, false).unwrap().to_json();
    };
    let (units, procedures, feedback, counts) =
        (read("units.csv"), read("procedures.csv"), read("feedback.csv"), read("counts.json"));
    let mut session = Score766Builder::new(&line("period").unwrap())
        .profile(profile.as_deref())
        .units(units.as_deref())
        .procedures(procedures.as_deref())
        .counts(counts.as_deref())
        .build()
        .unwrap();
    session.push_csv(&dossiers).unwrap();
    if let Some(f) = feedback {
        session.load_feedback(f.as_slice(), RecordFormat::Csv).unwrap();
    }
    session.finish().unwrap().to_json()
}

#[test]
fn score766_golden_vectors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/score766");
    let mut cases = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        check(&dir, &score766_case(&dir));
        cases += 1;
    }
    assert!(cases >= 3, "the golden folder lost its cases");
    // The worked example of score766.md, worked by hand there: the golden file must say 74.54.
    let worked: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("worked-example/expected.json")).unwrap()).unwrap();
    assert_eq!(worked["units"][0]["total"], serde_json::json!(74.54));
    let groups: Vec<f64> =
        worked["units"][0]["groups"].as_array().unwrap().iter().map(|g| g["score"].as_f64().unwrap()).collect();
    assert_eq!(groups, vec![12.18, 17.83, 9.52, 9.16, 7.96, 17.89]);
    // Zero is not unknown (score766.md), worked by hand: publication = full points (74.54 as in
    // the worked example, whose E_CERTIFIED_COPY was [0, 0] with a full default); only the
    // payment group supplied = 6 + 2 + 2; two rejected feedback metrics = 100 − 6 − 6.
    let gaps: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("missing-and-invalid/expected.json")).unwrap()).unwrap();
    let unit = |i: usize, key: &str| gaps["units"][i][key].clone();
    let totals: Vec<serde_json::Value> = (0..3).map(|i| unit(i, "total")).collect();
    assert_eq!(totals, [serde_json::json!(74.54), serde_json::json!(10), serde_json::json!(88)]);
    let ranks: Vec<serde_json::Value> = (0..3).map(|i| unit(i, "rank")).collect();
    assert_eq!(ranks, [serde_json::json!(1), serde_json::Value::Null, serde_json::Value::Null]);
    assert_eq!(unit(1, "missing").as_array().unwrap().len(), 18);
    assert_eq!(unit(2, "invalid"), serde_json::json!(["FEEDBACK_ON_TIME", "FEEDBACK_SATISFIED"]));
    // Records without a feedback file: the feedback metrics are missing, not 12 free points.
    let records: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("sample-town-no-feedback/expected.json")).unwrap()).unwrap();
    assert_eq!(records["units"][0]["missing"], serde_json::json!(["FEEDBACK_ON_TIME", "FEEDBACK_SATISFIED"]));
    assert_eq!(records["units"][0]["complete"], serde_json::json!(false));
}
