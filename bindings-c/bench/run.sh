#!/usr/bin/env bash
# Throughput of chiso_scorer_push_dossiers (C, through the ABI) against the same aggregation called
# from Rust (Scorer::push_record), on the same synthetic dossiers: release builds, RUNS alternating
# runs of each, best of each reported; both scorecards must be identical (same digest).
# Usage: bindings-c/bench/run.sh [RECORDS] [RUNS] [BATCH]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
records=${1:-1000000}
runs=${2:-5}
batch=${3:-1024}
cargo build -p chiso-c --release --locked --quiet
cargo build -p chiso-c --release --locked --quiet --example push_dossiers_rust
target=${CARGO_TARGET_DIR:-$root/target}
out="$target/c-bench"
mkdir -p "$out"
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -I bindings-c/include bindings-c/bench/push_dossiers.c \
  "$target/release/libchiso.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o "$out/push_dossiers"
sample=examples/cli/sample
c_best=0 rust_best=0 c_digest="" rust_digest=""
for _ in $(seq "$runs"); do
  c=$("$out/push_dossiers" "$sample" "$records" "$batch")
  r=$("$target/release/examples/push_dossiers_rust" "$sample" "$records")
  c_rate=$(echo "$c" | sed -n 's/.*: \([0-9.]*\) M records\/s.*/\1/p')
  r_rate=$(echo "$r" | sed -n 's/.*: \([0-9.]*\) M records\/s.*/\1/p')
  c_digest=$(echo "$c" | sed -n 's/.*digest //p')
  r_digest=$(echo "$r" | sed -n 's/.*digest //p')
  c_best=$(python3 -c "print(max($c_best, $c_rate))")
  rust_best=$(python3 -c "print(max($rust_best, $r_rate))")
done
if [ "$c_digest" != "$r_digest" ]; then
  echo "bench: the C and Rust scorecards differ ($c_digest, $r_digest)" >&2
  exit 1
fi
echo "$records synthetic dossiers, best of $runs runs, identical scorecards ($c_digest):"
echo "  C    chiso_scorer_push_dossiers (batches of $batch): $c_best M records/s"
echo "  Rust Scorer::push_record:                         $rust_best M records/s"
python3 -c "print(f'  C / Rust: {$c_best / $rust_best:.2f}')"
