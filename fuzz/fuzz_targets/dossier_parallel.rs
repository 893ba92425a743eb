//! Arbitrary bytes through the parallel file driver with tiny blocks (so that a few bytes make
//! many blocks and pieces) and 1 to 4 workers: the same aggregate, rejected rows included, as the
//! push API, whatever the number of workers.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use chiso::score766::aggregate_dossier_csv_in_blocks;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let ctx = common::context(selector & 1 == 0);
    let block = usize::from(selector >> 1) % 64 + 1;
    if body.is_empty() {
        // An empty file has no header (an error); pushing nothing to the push API is no CSV at all.
        let empty = aggregate_dossier_csv_in_blocks(body, "dossiers.csv", &ctx, false, 1, block, &mut |_| {});
        assert!(empty.is_err(), "an empty file was read");
        return;
    }
    let pushed = common::push(&ctx, &[body]).map(|a| common::normalised(&ctx, a));
    // 1 to 4 workers, from the selector.
    for jobs in [usize::from(selector >> 7) + 1 + usize::from(selector >> 6 & 1) * 2] {
        let parallel = aggregate_dossier_csv_in_blocks(body, "dossiers.csv", &ctx, false, jobs, block, &mut |_| {})
            .ok()
            .map(|a| common::normalised(&ctx, a));
        if let (Some(p), Some(q)) = (&pushed, &parallel) {
            assert_eq!(p, q, "{jobs} workers, blocks of {block} bytes");
        }
        assert_eq!(pushed.is_some(), parallel.is_some(), "{jobs} workers: one failed, not the other");
    }
});
