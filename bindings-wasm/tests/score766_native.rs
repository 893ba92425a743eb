//! Decision 766 natively: `Scorer766`'s path (chunks cut anywhere, pushed into the core's `Scorer`)
//! gives the same scorecard as the CLI's path (the parallel file driver), and both equal the shared
//! golden case `core/tests/golden/score766/sample-town-records`.
#![cfg(not(target_arch = "wasm32"))]
#![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

use std::path::Path;

use chiso::api::{RecordFormat, Score766Builder};
use chiso_wasm::score::{ScorerInputs, start};

/// What `chiso score766 --dossiers … --units … --procedures … --feedback … --counts …` computes:
/// the core session reading the whole file with the parallel driver.
fn like_the_cli(sample: &Path, period: &str) -> String {
    let read = |f: &str| std::fs::read(sample.join(f)).unwrap();
    let (units, procedures, counts) = (read("units.csv"), read("procedures.csv"), read("counts.json"));
    let mut session = Score766Builder::new(period)
        .units(Some(&units))
        .procedures(Some(&procedures))
        .counts(Some(&counts))
        .build()
        .unwrap();
    session.read_dossiers(read("dossiers.csv").as_slice(), RecordFormat::Csv, 2, &mut |_| {}).unwrap();
    session.load_feedback(read("feedback.csv").as_slice(), RecordFormat::Csv).unwrap();
    session.finish().unwrap().to_json()
}

#[test]
fn streaming_equals_the_cli_path_and_the_golden_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("../core/tests/golden/score766/sample-town-records");
    let read = |f: &str| std::fs::read(sample.join(f)).unwrap();
    let period = std::fs::read_to_string(sample.join("period")).unwrap();
    let period = period.trim();
    let cli = like_the_cli(&sample, period);
    let dossiers = read("dossiers.csv");
    for chunk in [1usize, 4096, 1 << 20] {
        let mut s = start(&ScorerInputs {
            period: period.into(),
            units: Some(read("units.csv")),
            procedures: Some(read("procedures.csv")),
            feedback: Some(read("feedback.csv")),
            counts: Some(read("counts.json")),
            ..ScorerInputs::default()
        })
        .unwrap();
        for c in dossiers.chunks(chunk) {
            s.push_csv(c).unwrap();
        }
        assert!(s.finish().unwrap().to_json() == cli, "chunks of {chunk} differ from the CLI's path");
    }
    assert!(std::fs::read_to_string(sample.join("expected.json")).unwrap() == cli, "differs from expected.json");
}

/// A range: `Scorer766`'s path (chunks) gives the series the CLI's path gives, and its last
/// period's scorecard is the single-period one.
#[test]
fn a_series_streamed_equals_the_cli_path() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/golden/score766/sample-town-records");
    let read = |f: &str| std::fs::read(sample.join(f)).unwrap();
    let period = std::fs::read_to_string(sample.join("period")).unwrap();
    let last: chiso::period::Period = period.trim().parse().unwrap();
    let range = format!("{}..{last}", last.previous().previous());
    let inputs = ScorerInputs {
        period: range.clone(),
        units: Some(read("units.csv")),
        procedures: Some(read("procedures.csv")),
        feedback: Some(read("feedback.csv")),
        counts: Some(read("counts.json")),
        ..ScorerInputs::default()
    };
    let mut cli = start(&inputs).unwrap();
    cli.read_dossiers(read("dossiers.csv").as_slice(), RecordFormat::Csv, 2, &mut |_| {}).unwrap();
    let cli = cli.finish_series().unwrap();
    let mut s = start(&inputs).unwrap();
    assert!(s.is_series());
    for c in read("dossiers.csv").chunks(4096) {
        s.push_csv(c).unwrap();
    }
    let series = s.finish_series().unwrap();
    assert!(series.to_json() == cli.to_json(), "the streamed series differs from the CLI's path");
    assert_eq!(series.periods.len(), 3);
    assert!(series.scorecards[2].to_json() == like_the_cli(&sample, period.trim()));
}
