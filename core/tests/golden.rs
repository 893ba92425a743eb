//! Golden vectors: inputs with their expected JSON, shared with the C and WASM suites so that all
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
