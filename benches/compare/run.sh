#!/usr/bin/env bash
# Side-by-side benchmark: chiso vs DuckDB vs Polars on the same generated dossiers.csv.
#
#   benches/compare/run.sh [1M|10M|<number of dossiers>]     (default 1M)
#   SHAPE=export benches/compare/run.sh [1M|10M|N]   the same dossiers also in the export shape:
#       chiso on both shapes, DuckDB on the export shape -> results-export-<scale>.md
#
# Installs duckdb and polars (pip) and GNU time (apt) if missing, builds the release `chiso`,
# generates the data with `chiso generate` into $DATA_DIR (default /tmp/chiso-compare-<scale>),
# runs compare.py, writes benches/compare/results-<scale>.md, and deletes the data unless
# KEEP_DATA=1 (10M dossiers take about 1.2 GB). UNITS=N sets the number of communes (default:
# about 100 per million dossiers a year, at most 200 as in a real province, i.e. 200 communes and
# 1 762 units for 1M or 10M dossiers in a month); REPEAT=N the runs per engine (default 3).
set -euo pipefail

scale="${1:-1M}"
case "$scale" in
  1M) dossiers=1000000 ;;
  10M) dossiers=10000000 ;;
  *[!0-9]*) echo "usage: $0 [1M|10M|N]" >&2; exit 2 ;;
  *) dossiers="$scale" ;;
esac
period="${PERIOD:-2025-07}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
label="$scale${UNITS:+-units$UNITS}"
data="${DATA_DIR:-/tmp/chiso-compare-$label}"

python3 -c 'import duckdb, polars' 2>/dev/null || python3 -m pip install --quiet duckdb polars
if ! /usr/bin/time -v true >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends time >/dev/null \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends time >/dev/null; }
fi

cargo build --quiet --release -p chiso-cli --manifest-path "$root/Cargo.toml"
chiso="${CARGO_TARGET_DIR:-$root/target}/release/chiso"

rm -rf "$data" "$data-export"
"$chiso" generate --dossiers "$dossiers" --period "$period" --seed 0 ${UNITS:+--units "$UNITS"} --out "$data"
cleanup() { if [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$data" "$data-export"; fi; }
trap cleanup EXIT

if [ "${SHAPE:-canonical}" = export ]; then
  # The same dossiers (same seed and counts) in the export shape: chiso on both shapes side by side,
  # DuckDB on the export shape. Polars is left out (ENGINES adds it back).
  "$chiso" generate --dossiers "$dossiers" --period "$period" --seed 0 ${UNITS:+--units "$UNITS"} \
    --shape export --out "$data-export"
  python3 "$here/compare.py" --data "$data" --export-data "$data-export" --period "$period" --chiso "$chiso" \
    --engines "${ENGINES:-chiso}" --label "$label" --repeat "${REPEAT:-3}" \
    --markdown "$here/results-export-$label.md"
else
  python3 "$here/compare.py" --data "$data" --period "$period" --chiso "$chiso" \
    --label "$label" --repeat "${REPEAT:-3}" --markdown "$here/results-$label.md"
fi
