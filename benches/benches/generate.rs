//! The generator's own speed: dossier rows formatted per second, into a sink.

use std::hint::black_box;

use chiso::period::Period;
use chiso_tools::generate::{Generator, GeneratorConfig};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn generate(c: &mut Criterion) {
    let rows = 200_000;
    let generator = Generator::new(GeneratorConfig::new(rows, Period::Month(2025, 7)));
    let mut group = c.benchmark_group("generate");
    group.throughput(Throughput::Elements(rows));
    group.bench_function("dossiers_200k_to_sink", |b| {
        b.iter(|| black_box(generator.write_dossiers(std::io::sink()).map(|s| s.bytes).unwrap_or(0)));
    });
    group.bench_function("dossiers_200k_to_sink_2_threads", |b| {
        b.iter(|| black_box(generator.write_dossiers_parallel(std::io::sink(), 2).map(|s| s.bytes).unwrap_or(0)));
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
