#!/usr/bin/env bash
# Benchmark (not run in CI): the Decision 766 scorecard of generated dossiers by DataFusion + chiso
# (`score766` in a SQL query, bindings-datafusion) over CSV and over Parquet, against the CLI
# (`chiso score766`) over the same CSV. Prints each time and the ratios to the CLI, and checks
# that every run printed the CLI's scorecard.
#
#   benches/datafusion/run.sh [1M|10M|<number of dossiers>]     (default 10M)
#
# Release builds (the workspace's release profile; LTO=false CODEGEN_UNITS=16 shortens the long
# DataFusion build: CARGO_PROFILE_RELEASE_LTO and _CODEGEN_UNITS are set from them for both
# binaries alike). The data
# go to $DATA_DIR (default /tmp/chiso-df-<scale>: 10M dossiers are about 1.3 GB of CSV plus the
# Parquet files) and are deleted unless KEEP_DATA=1. PARTITIONS sets DataFusion's target
# partitions and the CLI's --jobs (default: the number of cores); REPEAT the runs (default 3,
# the best is kept).
set -euo pipefail

scale="${1:-10M}"
case "$scale" in
  1M) dossiers=1000000 ;;
  10M) dossiers=10000000 ;;
  *[!0-9]*) echo "usage: $0 [1M|10M|N]" >&2; exit 2 ;;
  *) dossiers="$scale" ;;
esac
period="${PERIOD:-2025-07}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${DATA_DIR:-/tmp/chiso-df-$scale}"
partitions="${PARTITIONS:-$(nproc)}"
repeat="${REPEAT:-3}"
target="${CARGO_TARGET_DIR:-$root/target}"

export CARGO_PROFILE_RELEASE_LTO="${LTO:-fat}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CODEGEN_UNITS:-1}"
cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p chiso-cli
cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p chiso-datafusion --example score766_query
chiso="$target/release/chiso"
query="$target/release/examples/score766_query"

rm -rf "$data"
cleanup() { if [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$data"; fi; }
trap cleanup EXIT
"$chiso" generate --dossiers "$dossiers" --period "$period" --seed 0 --out "$data" >/dev/null
"$query" to-parquet "$data/dossiers.csv" "$data/parquet"
echo "$dossiers dossiers: CSV $(du -sh "$data/dossiers.csv" | cut -f1), Parquet $(du -sh "$data/parquet" | cut -f1) in $(ls "$data/parquet" | wc -l) files; $partitions partitions / jobs"

# The best of $repeat runs of a command, in seconds; its stdout goes to $2.
best() {
  local out="$1"; shift
  local best_s="" s t0
  for _ in $(seq "$repeat"); do
    t0=$(date +%s.%N)
    "$@" >"$out"
    s=$(echo "$(date +%s.%N) - $t0" | bc)
    if [ -z "$best_s" ] || [ "$(echo "$s < $best_s" | bc)" = 1 ]; then best_s=$s; fi
  done
  printf '%.2f' "$best_s"
}

units="$data/units.csv"; procedures="$data/procedures.csv"
cli=$(best "$data/cli.json" "$chiso" score766 --dossiers "$data/dossiers.csv" --units "$units" --procedures "$procedures" \
  --period "$period" --format json --jobs "$partitions")
df_csv=$(best "$data/df-csv.json" "$query" score "$period" "$units" "$procedures" csv "$data/dossiers.csv" "$partitions" 2>/dev/null)
df_parquet=$(best "$data/df-parquet.json" "$query" score "$period" "$units" "$procedures" parquet "$data/parquet" "$partitions" 2>/dev/null)
for run in df-csv df-parquet; do
  cmp -s "$data/cli.json" "$data/$run.json" || { echo "$run: the scorecard differs from the CLI's" >&2; exit 1; }
done
ratio() { echo "scale=2; $1 / $cli" | bc; }
printf '%-34s %8s %8s\n' "run ($dossiers dossiers)" seconds "x CLI"
printf '%-34s %8s %8s\n' "chiso score766 (CSV)" "$cli" 1.00
printf '%-34s %8s %8s\n' "DataFusion + score766 (CSV)" "$df_csv" "$(ratio "$df_csv")"
printf '%-34s %8s %8s\n' "DataFusion + score766 (Parquet)" "$df_parquet" "$(ratio "$df_parquet")"
