//! Arbitrary bytes as feedback CSV and JSON lines, procedures CSV, units CSV and counts JSON:
//! no reader may panic, and a scorecard can always be made from what was accepted.
#![no_main]

use std::sync::Arc;

use chiso::score766::{Counts, ProcedureTable, Profile, RecordContext, ScoreOptions, Scorer, score};
use chiso::units::UnitTree;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut rejected = Vec::new();
    let _ = ProcedureTable::from_csv(data, "procedures.csv", false, &mut rejected);
    let _ = UnitTree::from_csv(data, "units.csv", false, &mut rejected);
    if let Ok(counts) = Counts::from_json(data, "counts.json", false, &mut rejected) {
        for profile in [Profile::portal_2026(), Profile::decision_2022()] {
            let card = score(&profile, &counts, Vec::new());
            for u in &card.units {
                assert_eq!(u.total.0, u.groups.iter().map(|g| g.score.0).sum::<i64>());
            }
        }
    }
    let Ok(period) = "2025-07".parse() else { return };
    let mut s = Scorer::new(ScoreOptions::new(period), Arc::new(RecordContext::new(None, None)));
    let _ = s.read_feedback_csv(data, "feedback.csv");
    let _ = s.read_feedback_jsonl(data, "feedback.jsonl");
    let _ = s.read_dossiers_jsonl(data, "dossiers.jsonl");
    let _ = s.finish();
});
