//! Decision 766 natively: `Scorer766`'s path (chunks cut anywhere, pushed into the core's `Scorer`)
//! gives the same scorecard as the CLI's path (the parallel file driver), and both equal the shared
//! golden case `core/tests/golden/score766/sample-town-records`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::path::Path;
use std::sync::Arc;

use chiso::score766::{Counts, ProcedureTable, Profile, RecordContext, ScoreOptions, Scorer, aggregate_dossier_csv};
use chiso::units::UnitTree;
use chiso_wasm::score::{ScorerInputs, Streaming};

/// What `chiso score766 --dossiers … --units … --procedures … --feedback … --counts …` computes.
fn like_the_cli(sample: &Path, period: &str) -> String {
    let read = |f: &str| std::fs::read(sample.join(f)).unwrap();
    let mut rejected = Vec::new();
    let units = UnitTree::from_csv(read("units.csv").as_slice(), "units.csv", false, &mut rejected).unwrap();
    let procedures =
        ProcedureTable::from_csv(read("procedures.csv").as_slice(), "procedures.csv", false, &mut rejected).unwrap();
    let context = Arc::new(RecordContext::new(Some(units), Some(procedures)));
    let options = ScoreOptions {
        profile: Profile::default(),
        period: period.parse().unwrap(),
        strict: false,
        source: "dossiers.csv".into(),
    };
    let mut scorer = Scorer::new(options, Arc::clone(&context));
    scorer.add_rejections(rejected);
    let aggregate =
        aggregate_dossier_csv(read("dossiers.csv").as_slice(), "dossiers.csv", &context, false, 2, &mut |_| {})
            .unwrap();
    scorer.add_aggregate(aggregate);
    scorer.read_feedback_csv(read("feedback.csv").as_slice(), "feedback.csv").unwrap();
    let mut counts_rejected = Vec::new();
    let counts = Counts::from_json(&read("counts.json"), "counts.json", false, &mut counts_rejected).unwrap();
    scorer.add_rejections(counts_rejected);
    scorer.set_counts(counts, "counts.json");
    scorer.finish().unwrap().to_json()
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
        let mut s = Streaming::new(ScorerInputs {
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
