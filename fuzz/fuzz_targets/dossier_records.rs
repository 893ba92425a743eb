//! Arbitrary bytes as a dossier CSV pushed in chunks of random sizes (the push API of the CLI and
//! of `chiso_scorer_push_csv`): never a panic, and the same aggregate as one push. The first
//! byte picks the chunk sizes and whether units and procedures are known.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let ctx = common::context(selector & 1 == 0);
    let whole = common::push(&ctx, &[body]);
    let chunked = common::push(&ctx, &common::chunks(body, selector));
    assert_eq!(whole, chunked, "chunk boundaries changed the aggregate");
    // Scoring what was read must not panic either, nor reading the same bytes as JSON lines.
    if let Some(mut s) = common::scorer(&ctx) {
        if s.push_csv(body).is_ok() {
            let _ = s.finish();
        }
    }
    if let Some(mut j) = common::scorer(&ctx) {
        for c in common::chunks(body, selector.wrapping_add(1)) {
            let _ = j.push_jsonl(c);
        }
        let _ = j.finish();
    }
});
