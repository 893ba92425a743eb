//! Arbitrary bytes as one saved response of the national portal (the first byte picks the
//! endpoint): no panic, and the check's outcomes add up to the published values it lists.
#![no_main]

use chiso::api::{PortalFile, portal_check};
use chiso::portal::{Endpoint, Outcome};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, response)) = data.split_first() else { return };
    let endpoints = Endpoint::ALL;
    let endpoint = endpoints[usize::from(selector) % endpoints.len()].folder();
    // Alone, and beside an empty response of another endpoint.
    let other = endpoints[(usize::from(selector) + 1) % endpoints.len()].folder();
    let empty = br#"{"data": {"overview": {"departmentId": "p"}, "evaluation": []}}"#;
    for files in [vec![PortalFile::from((endpoint, response))], vec![
        PortalFile::from((endpoint, response)),
        PortalFile::from((other, &empty[..])),
    ]] {
        if let Ok(report) = portal_check(files, "2026-08", None) {
            let count = |o: Outcome| report.items.iter().filter(|i| i.outcome == o).count();
            assert_eq!(report.total, report.items.len());
            assert_eq!(
                report.total,
                count(Outcome::Reproduced) + count(Outcome::Disagreement) + count(Outcome::NotRecomputable)
            );
            let _ = report.render(chiso::labels::Lang::Vi, true);
        }
    }
});
