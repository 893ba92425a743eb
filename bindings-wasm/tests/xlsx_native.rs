//! The workbooks of `evaluationXlsx`, `scorecardXlsx` and `seriesXlsx`, natively: byte for byte
//! the core's (and so the CLI's `--format xlsx`) for the same result; a scorecard or series read
//! back from its JSON is the same value, so the bytes do not depend on the way it came. Behind the
//! crate's `xlsx` feature (off by default); `.ci/stages/35-xlsx.sh` runs it.
#![cfg(all(not(target_arch = "wasm32"), feature = "xlsx"))]

use std::path::Path;

use chiso::api::{EvaluateRequest, RecordFormat, Score766Builder};
use chiso::labels::Lang;
use chiso::score766::{Scorecard, Series};
use chiso_wasm::request::Inputs;

fn golden(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/golden").join(path)
}

fn never() -> chiso::date::Date {
    chiso::date::Date::from_days_since_epoch(0)
}

#[test]
fn the_evaluation_workbook_is_the_cores() {
    let dir = golden("evaluate/sample-town");
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let as_of = String::from_utf8(read("as_of")).unwrap().trim().to_owned();
    let inputs = Inputs {
        observations: read("observations.csv"),
        units: Some(read("units.csv")),
        as_of: Some(as_of.clone()),
        ..Inputs::default()
    };
    let (observations, units) = (read("observations.csv"), read("units.csv"));
    let request = EvaluateRequest {
        as_of: Some(&as_of),
        ..EvaluateRequest::new(observations.as_slice()).with_units(units.as_slice())
    };
    let evaluated = chiso::api::evaluate(request, never).unwrap();
    for (lang, code) in [(Lang::Vi, None), (Lang::En, Some("en"))] {
        let bytes = chiso_wasm::xlsx::evaluation(&inputs, code, never).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        assert_eq!(bytes, chiso::xlsx_out::evaluation_xlsx(&evaluated, lang).unwrap());
    }
    let bad = chiso_wasm::xlsx::evaluation(&inputs, Some("fr"), never).unwrap_err();
    assert_eq!(bad.code, "invalid_argument");
}

#[test]
fn a_scorecard_and_a_series_from_their_json_give_the_cores_workbooks() {
    let dir = golden("score766/sample-town-records");
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let (units, procedures) = (read("units.csv"), read("procedures.csv"));
    let session = |period: &str| {
        let mut s = Score766Builder::new(period).units(Some(&units)).procedures(Some(&procedures)).build().unwrap();
        s.push_csv(&read("dossiers.csv")).unwrap();
        s.load_feedback(read("feedback.csv").as_slice(), RecordFormat::Csv).unwrap();
        s
    };
    let card = session("2026-10").finish().unwrap();
    let json = card.to_json();
    assert_eq!(serde_json::from_str::<Scorecard>(&json).unwrap(), card, "the JSON is the whole scorecard");
    let bytes = chiso_wasm::xlsx::scorecard(json.as_bytes(), Some("en")).unwrap();
    assert_eq!(bytes, chiso::xlsx_out::scorecard_xlsx(&card, Lang::En).unwrap());
    let series = session("2026-09..2026-10").finish_series().unwrap();
    let json = series.to_json();
    assert_eq!(serde_json::from_str::<Series>(&json).unwrap(), series, "the JSON is the whole series");
    let bytes = chiso_wasm::xlsx::series(json.as_bytes(), None).unwrap();
    assert_eq!(bytes, chiso::xlsx_out::series_xlsx(&series, Lang::Vi).unwrap());
    let bad = chiso_wasm::xlsx::scorecard(b"{\"units\": 3}", None).unwrap_err();
    assert_eq!(bad.code, "invalid_argument");
}
