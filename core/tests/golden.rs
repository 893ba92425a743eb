//! Golden vectors (`evaluate/`, `score766/`): inputs with their expected JSON, shared with the C and WASM suites so that all
//! three give identical bytes. `CHISO_BLESS=1 cargo test --test golden` rewrites the expected
//! files after a deliberate change (review the diff before committing it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::path::Path;

use chiso::api::{EvaluateRequest, SourceNames, evaluate_request};
use chiso::evaluate::Options;

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
            observations: &observations,
            observations_are_json: false,
            names: SourceNames::default(),
            strict: false,
        };
        let options = Options::new(as_of.trim().parse().unwrap());
        let evaluation = evaluate_request(&request, &options).unwrap();
        check(&dir, &evaluation.to_json());
        cases += 1;
    }
    assert!(cases >= 2, "the golden folder lost its cases");
}

/// Scores one `score766/<case>/` folder: records (with `period`) or a counts file alone.
fn score766_case(dir: &Path) -> String {
    use chiso::score766::{Counts, ProcedureTable, Profile, RecordContext, ScoreOptions, Scorer, score};
    let read = |name: &str| std::fs::read(dir.join(name)).ok();
    let line = |name: &str| read(name).map(|b| String::from_utf8(b).unwrap().trim().to_owned());
    let profile = Profile::named(line("profile").as_deref().unwrap_or("portal-2026")).unwrap();
    let Some(dossiers) = read("dossiers.csv") else {
        let mut rejected = Vec::new();
        let counts = Counts::from_json(&read("counts.json").unwrap(), "counts.json", false, &mut rejected).unwrap();
        return score(&profile, &counts, rejected).to_json();
    };
    let mut rejected = Vec::new();
    let units = read("units.csv")
        .map(|b| chiso::units::UnitTree::from_csv(b.as_slice(), "units.csv", false, &mut rejected).unwrap());
    let procedures = read("procedures.csv")
        .map(|b| ProcedureTable::from_csv(b.as_slice(), "procedures.csv", false, &mut rejected).unwrap());
    let mut options = ScoreOptions::new(line("period").unwrap().parse().unwrap());
    options.profile = profile;
    let mut scorer = Scorer::new(options, std::sync::Arc::new(RecordContext::new(units, procedures)));
    scorer.add_rejections(rejected);
    scorer.push_csv(&dossiers).unwrap();
    if let Some(f) = read("feedback.csv") {
        scorer.read_feedback_csv(f.as_slice(), "feedback.csv").unwrap();
    }
    if let Some(c) = read("counts.json") {
        let mut rejected = Vec::new();
        let counts = Counts::from_json(&c, "counts.json", false, &mut rejected).unwrap();
        scorer.add_rejections(rejected);
        scorer.set_counts(counts, "counts.json");
    }
    scorer.finish().unwrap().to_json()
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
}
