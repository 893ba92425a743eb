//! Arbitrary bytes as a dossier CSV: the push API must never panic, and must give the same
//! aggregate whether the bytes come in one chunk, in two chunks cut anywhere, or through the
//! parallel driver.
#![no_main]

use std::sync::Arc;

use chiso::score766::{DossierAggregate, ProcedureTable, RecordContext, ScoreOptions, Scorer, aggregate_dossier_csv};
use chiso::units::UnitTree;
use libfuzzer_sys::fuzz_target;

const UNITS: &str = "id,name,parent,level\ntinh,T,,province\nxa-a,A,tinh,commune\nxa-b,B,tinh,commune\n";
const PROCEDURES: &str = "procedure,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,citizen_applicants\nP1,commune,full,1,1,1,1,1\nP2,commune,partial,0,0,0,0,1\nP3,province,none,0,0,1,0,0\n";

fn context(with_tables: bool) -> Arc<RecordContext> {
    if !with_tables {
        return Arc::new(RecordContext::new(None, None));
    }
    let mut rejected = Vec::new();
    let units = UnitTree::from_csv(UNITS.as_bytes(), "units.csv", false, &mut rejected).ok();
    let procedures = ProcedureTable::from_csv(PROCEDURES.as_bytes(), "procedures.csv", false, &mut rejected).ok();
    Arc::new(RecordContext::new(units, procedures))
}

fn push(ctx: &Arc<RecordContext>, chunks: &[&[u8]]) -> Option<DossierAggregate> {
    let Ok(period) = "2025-07".parse() else { return None };
    let mut s = Scorer::new(ScoreOptions::new(period), Arc::clone(ctx));
    for c in chunks {
        s.push_csv(c).ok()?;
    }
    s.into_aggregate().ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let ctx = context(selector & 1 == 0);
    let whole = push(&ctx, &[body]);
    let cut = usize::from(selector) * body.len() / 255;
    let (a, b) = body.split_at(cut.min(body.len()));
    let split = push(&ctx, &[a, b]);
    assert_eq!(whole, split, "a chunk boundary changed the aggregate");
    let jobs = usize::from(selector % 3) + 1;
    let parallel = aggregate_dossier_csv(body, "dossiers.csv", &ctx, false, jobs, &mut |_| {}).ok();
    if let (Some(w), Some(p)) = (&whole, &parallel) {
        assert_eq!(w, p, "the parallel driver changed the aggregate");
    }
    // Scoring what was read must not panic either.
    if let Ok(period) = "2025-07".parse() {
        let mut s = Scorer::new(ScoreOptions::new(period), Arc::clone(&ctx));
        if s.push_csv(body).is_ok() {
            let _ = s.finish();
        }
        let mut j = Scorer::new(ScoreOptions::new(period), Arc::clone(&ctx));
        let _ = j.push_jsonl(a).and_then(|()| j.push_jsonl(b));
        let _ = j.finish();
    }
});
