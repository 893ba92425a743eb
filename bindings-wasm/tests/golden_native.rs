//! The golden vectors, natively: the core's output must equal the checked-in `expected.json`, which
//! the Node, browser and package suites compare the WASM output with. `BLESS=1` rewrites them.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use chiso::date::Date;
use chiso_wasm::request::{Inputs, evaluate};

#[test]
fn golden_vectors_match_the_core() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let read = |name: &str| std::fs::read(dir.join(name)).ok();
        let args: serde_json::Value = serde_json::from_slice(&read("args.json").unwrap()).unwrap();
        let inputs = Inputs {
            plan: read("plan.json"),
            units: read("units.csv"),
            observations: read("observations.csv").unwrap(),
            as_of: args["asOf"].as_str().map(str::to_owned),
            ..Inputs::default()
        };
        let got = evaluate(&inputs, Date::new(2000, 1, 1).unwrap()).unwrap().to_json() + "\n";
        let expected_path = dir.join("expected.json");
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&expected_path, &got).unwrap();
        }
        assert_eq!(got, std::fs::read_to_string(&expected_path).unwrap(), "{}", dir.display());
        seen += 1;
    }
    assert!(seen > 0);
}
