//! Arbitrary bytes as each table the C library and the CLI read: units, procedures and feedback
//! CSV, feedback JSON lines, observations CSV and JSON. No reader may panic; with `strict` the
//! first rejection is the error; the rows a reader lists are rows of the input.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use chiso::builtin::builtin_plan;
use chiso::observation::{Context, Observations};
use chiso::score766::ProcedureTable;
use chiso::units::UnitTree;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let strict = selector & 1 == 1;
    // Rows are line numbers: none can be past the last line (+1 for a last line without end).
    let lines = u64::try_from(body.iter().filter(|b| **b == b'\n' || **b == b'\r').count()).unwrap_or(u64::MAX) + 1;
    let mut rejected = Vec::new();
    match selector >> 1 & 3 {
        0 => {
            let _ = UnitTree::from_csv(body, "units.csv", strict, &mut rejected);
        }
        1 => {
            let _ = ProcedureTable::from_csv(body, "procedures.csv", strict, &mut rejected);
        }
        2 => {
            let ctx = common::context(true);
            if let Some(mut s) = common::scorer(&ctx) {
                let _ = s.read_feedback_csv(body, "feedback.csv");
                let _ = s.read_feedback_jsonl(body, "feedback.jsonl");
                let _ = s.finish();
            }
        }
        _ => {
            let plan = builtin_plan();
            let mut units_rejected = Vec::new();
            let units = UnitTree::from_csv(common::UNITS.as_bytes(), "units.csv", false, &mut units_rejected).ok();
            let ctx = Context { plan: &plan, units: units.as_ref() };
            if let Ok(o) = Observations::from_csv(body, "observations.csv", ctx, strict) {
                rejected.extend(o.rejected);
            }
            let _ = Observations::from_json(body, "observations.json", ctx, strict);
        }
    }
    for r in &rejected {
        assert!(r.row <= lines, "row {} of {lines} lines: {r}", r.row);
    }
});
