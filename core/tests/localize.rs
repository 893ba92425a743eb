//! Every rejection that the golden inputs and the CLI's sample files produce has a Vietnamese text:
//! no English reason passes through `labels::localize`.
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::path::{Path, PathBuf};

use chiso::input::Rejection;
use chiso::labels::{Lang, localize};

fn rejections_in(value: &serde_json::Value, out: &mut Vec<Rejection>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if let (true, Some(list)) = (key == "rejected", v.as_array()) {
                    out.extend(list.iter().map(|r| serde_json::from_value::<Rejection>(r.clone()).unwrap()));
                } else {
                    rejections_in(v, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| rejections_in(v, out)),
        _ => {}
    }
}

fn expected_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            expected_files(&path, out);
        } else if path.file_name().is_some_and(|n| n == "expected.json") {
            out.push(path);
        }
    }
}

fn assert_vietnamese(rejected: &[Rejection], what: &str) {
    for r in rejected {
        let vi = localize(&r.reason, Lang::Vi);
        assert_ne!(vi, r.reason, "{what}: `{}` has no Vietnamese text", r.reason);
        let line = r.to_string_in(Lang::Vi);
        assert!(line.contains(&format!("dòng {}", r.row)) && line.ends_with(vi.as_ref()), "{line}");
        assert_eq!(r.to_string_in(Lang::En), r.to_string());
    }
}

#[test]
fn golden_rejections_are_all_localised() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files = Vec::new();
    expected_files(&root, &mut files);
    let mut count = 0;
    for file in files {
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let mut rejected = Vec::new();
        rejections_in(&json, &mut rejected);
        assert_vietnamese(&rejected, &file.display().to_string());
        count += rejected.len();
    }
    assert!(count >= 5, "the golden vectors lost their rejected rows ({count})");
}

#[test]
fn sample_rejections_are_all_localised() {
    use chiso::api::{EvaluateRequest, RecordFormat, Score766Builder};
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/cli/sample");
    let read = |name: &str| std::fs::read(sample.join(name)).unwrap();
    let (observations, units) = (read("observations.csv"), read("units.csv"));
    let request = EvaluateRequest {
        as_of: Some("2026-12-31"),
        ..EvaluateRequest::new(observations.as_slice()).with_units(units.as_slice())
    };
    let evaluation = chiso::api::evaluate(request, || unreachable!("the request gives its date")).unwrap().evaluation;
    assert!(!evaluation.rejected.is_empty(), "the sample shows rejected rows");
    assert_vietnamese(&evaluation.rejected, "sample observations");

    let (procedures, dossiers, feedback) = (read("procedures.csv"), read("dossiers.csv"), read("feedback.csv"));
    let mut session =
        Score766Builder::new("2026-10").units(Some(&units)).procedures(Some(&procedures)).build().unwrap();
    session.push_csv(&dossiers).unwrap();
    session.load_feedback(feedback.as_slice(), RecordFormat::Csv).unwrap();
    let card = session.finish().unwrap();
    assert!(!card.rejected.is_empty(), "the sample shows rejected records");
    assert_vietnamese(&card.rejected, "sample dossiers");
}
