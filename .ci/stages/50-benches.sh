#!/usr/bin/env bash
# Benches compile (criterion), and the DuckDB / Polars queries of the side-by-side comparison
# agree with hand-computed counts. The comparison itself is a benchmark: benches/compare/run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Compiling is what CI checks here, so it skips the optimisations a real bench run wants.
CARGO_PROFILE_BENCH_LTO=false CARGO_PROFILE_BENCH_CODEGEN_UNITS=16 CARGO_PROFILE_BENCH_OPT_LEVEL=1 \
    cargo bench --workspace --no-run --locked
if ! python3 -c "import duckdb, polars" >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check duckdb polars
fi
python3 benches/compare/test_compare.py
