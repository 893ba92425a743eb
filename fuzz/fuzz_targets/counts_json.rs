//! Arbitrary bytes as a counts JSON file: no panic, and a scorecard made from what was accepted
//! adds up (a unit's total is the sum of its groups) under every profile.
#![no_main]

use chiso::score766::{Counts, Profile, score};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut rejected = Vec::new();
    if let Ok(counts) = Counts::from_json(data, "counts.json", false, &mut rejected) {
        for profile in [Profile::portal_2026(), Profile::decision_2022()] {
            let card = score(&profile, &counts, Vec::new());
            for u in &card.units {
                assert_eq!(u.total.0, u.groups.iter().map(|g| g.score.0).sum::<i64>());
            }
        }
    }
    let _ = Counts::from_json(data, "counts.json", true, &mut rejected);
});
