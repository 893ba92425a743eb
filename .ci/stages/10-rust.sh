#!/usr/bin/env bash
# Rust: formatting, lints, every test of the workspace, docs without warnings.
# The workspace includes bindings-datafusion (DataFusion 55, parquet + sql features only): its
# clippy, tests (Parquet, CSV, GROUP BY, golden vectors through a query) and docs run here, in the
# one target directory; its benchmark (benches/datafusion/run.sh, release) is not run in CI.
set -euo pipefail
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
