//! The Rust side of the `chiso_scorer_push_dossiers` throughput comparison (`bench/run.sh`): the
//! same synthetic dossiers as `bench/push_dossiers.c`, pushed into the core's `Scorer` directly.
//!
//! Usage: `push_dossiers_rust SAMPLE_DIR RECORDS` (SAMPLE_DIR holds units.csv and procedures.csv).
//! Prints the records per second and a digest of the scorecard, to check both sides did the same
//! work.
#![expect(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "a benchmark program")]

use std::sync::Arc;
use std::time::Instant;

use chiso_core::score766::{DossierRecord, ProcedureTable, Profile, RecordContext, ScoreOptions, Scorer};
use chiso_core::units::UnitTree;

const UNITS: [&str; 5] = ["tt-phu-my", "khom-trung-thanh", "khom-thi-1", "khom-thi-2", "khom-long-hoa"];
const CHANNELS: [&str; 3] = ["online", "direct", "postal"];
const RATINGS: [&str; 4] = ["satisfied", "", "unsatisfied", ""];

/// Dossier `i` of the synthetic set (the same formulas as `synthetic_dossier` in push_dossiers.c).
fn synthetic(i: u64) -> DossierRecord {
    let day = 1 + i % 28;
    let flags = i.wrapping_mul(2_654_435_761) >> 7;
    let flag = |k: u32| if (flags >> k) & 1 == 1 { "1" } else { "0" }.to_owned();
    let late = i % 13 == 0;
    DossierRecord {
        dossier_id: format!("HS-{i:08}"),
        unit: UNITS[(i % 5) as usize].to_owned(),
        procedure: format!("1.{:06}", 1 + (i * 7) % 36),
        received_at: format!("2026-09-{day:02}T{:02}:{:02}:00", 7 + i % 10, i % 60),
        due_at: format!("2026-09-{:02}", day + 2),
        finished_at: if i % 9 == 0 { String::new() } else { format!("2026-09-{:02}T16:00:00", (day + i % 4).min(30)) },
        channel: CHANNELS[(i % 3) as usize].to_owned(),
        supplement_requests: if late { "1" } else { "0" }.to_owned(),
        supplement_days: if late { "1.5" } else { "" }.to_owned(),
        e_result: flag(0),
        digitized: flag(1),
        reused_data: flag(2),
        shared_storage: flag(3),
        citizen_data: flag(4),
        synced: flag(5),
        fee: flag(6),
        paid_online: flag(7),
        complaint: flag(8),
        rating: RATINGS[(i % 4) as usize].to_owned(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).expect("usage: push_dossiers_rust SAMPLE_DIR RECORDS");
    let n: u64 = args.get(2).and_then(|a| a.parse().ok()).expect("RECORDS");
    let mut rejected = Vec::new();
    let units = std::fs::read(format!("{dir}/units.csv")).unwrap();
    let procedures = std::fs::read(format!("{dir}/procedures.csv")).unwrap();
    let units = UnitTree::from_csv(&units[..], "units.csv", false, &mut rejected).unwrap();
    let procedures = ProcedureTable::from_csv(&procedures[..], "procedures.csv", false, &mut rejected).unwrap();
    let context = Arc::new(RecordContext::new(Some(units), Some(procedures)));
    let options = ScoreOptions {
        profile: Profile::default(),
        period: "2026-09".parse().unwrap(),
        strict: false,
        source: "dossiers.csv".to_owned(),
        check_duplicate_ids: true,
    };
    let mut scorer = Scorer::new(options, context);
    scorer.add_rejections(rejected);
    let records: Vec<DossierRecord> = (0..n).map(synthetic).collect();
    let started = Instant::now();
    for record in &records {
        scorer.push_record(record).unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let json = scorer.finish().unwrap().to_json();
    #[expect(clippy::cast_precision_loss, reason = "a rate for display")]
    let rate = n as f64 / seconds;
    println!("rust   Scorer::push_record          {n} records in {seconds:.3} s: {:.2} M records/s", rate / 1e6);
    println!("rust   scorecard: {} bytes, digest {:016x}", json.len(), fnv1a(json.as_bytes()));
}

/// FNV-1a, to compare the two scorecards without printing them.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}
