//! The Decision 766 records path on generated data: reading dossiers.csv (MB/s, one and two
//! workers), classifying and aggregating records already in memory (records/s), and rolling the
//! aggregate up the unit tree into counts.

#![expect(clippy::unwrap_used, reason = "a bench on a fixture it generated itself fails loudly if that fixture is bad")]

use std::hint::black_box;
use std::sync::Arc;

use chiso::score766::{DossierRecord, ProcedureTable, RecordContext, ScoreOptions, Scorer, aggregate_dossier_csv};
use chiso::units::UnitTree;
use chiso_benches::{Fixture, fixture};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const ROWS: u64 = 200_000;

fn context(f: &Fixture) -> RecordContext {
    let mut rejected = Vec::new();
    let units = UnitTree::from_csv(f.units.as_slice(), "units.csv", true, &mut rejected).unwrap();
    let procedures = ProcedureTable::from_csv(f.procedures.as_slice(), "procedures.csv", true, &mut rejected).unwrap();
    RecordContext::new(Some(units), Some(procedures))
}

fn records(f: &Fixture) -> Vec<DossierRecord> {
    csv::Reader::from_reader(f.dossiers.as_slice()).deserialize().collect::<Result<_, _>>().unwrap()
}

fn score766(c: &mut Criterion) {
    let f = fixture(ROWS).unwrap();
    let ctx = context(&f);

    let mut group = c.benchmark_group("score766_csv");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(f.dossiers.len() as u64));
    for jobs in [1, 2] {
        group.bench_function(format!("dossiers_200k_jobs{jobs}"), |b| {
            b.iter(|| {
                let agg = aggregate_dossier_csv(f.dossiers.as_slice(), "dossiers.csv", &ctx, false, jobs, &mut |_| {});
                black_box(agg.unwrap())
            });
        });
    }
    group.finish();

    let recs = records(&f);
    let ctx = Arc::new(ctx);
    let mut group = c.benchmark_group("score766_records");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS));
    group.bench_function("push_record_200k", |b| {
        b.iter(|| {
            let mut scorer = Scorer::new(ScoreOptions::new(f.period), Arc::clone(&ctx));
            for r in &recs {
                scorer.push_record(r).unwrap();
            }
            black_box(scorer.into_aggregate().unwrap())
        });
    });
    group.finish();

    // From the aggregate of 200k dossiers to per-unit counts rolled up to every ancestor.
    let agg = aggregate_dossier_csv(f.dossiers.as_slice(), "dossiers.csv", &ctx, false, 1, &mut |_| {}).unwrap();
    let mut group = c.benchmark_group("score766_counts");
    group.sample_size(10);
    group.bench_function("rollup_200k", |b| b.iter(|| black_box(agg.counts(&ctx, f.period, None))));
    group.finish();
}

criterion_group!(benches, score766);
criterion_main!(benches);
