#!/usr/bin/env bash
# Partials across front ends (README, "Partials"): one generated dossier file split three ways;
# part 1 scored by the CLI (`--partial-out`), part 2 by a C program through libchiso
# (`chiso_scorer_save`), part 3 by the WASM package in Node (`Scorer766.save`); then the three
# partials merged by each front end in turn (`chiso score766 merge`, `chiso_scorer_load` + merge,
# `Scorer766.load` + merge, the Python wheel's `Scorer766.load` + merge): every series JSON is
# byte-identical to one CLI pass over the whole file. Installs nothing: it uses the CLI and
# libchiso (stages 10 and 30), the package (40) and maturin (45), building what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
here="$root/.ci/partials"
cargo build -p chiso-cli -p chiso-c --locked --quiet
[ -f bindings-wasm/pkg/index.js ] || bash bindings-wasm/scripts/build-pkg.sh
chiso="$target/debug/chiso"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -I bindings-c/include "$here/partials.c" \
  "$target/debug/libchiso.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o "$work/partials"

# 15 000 dossiers over a quarter, some rows bad on purpose (their rejections must come out alike).
"$chiso" generate --dossiers 15000 --seed 55 --period 2025-Q3 --bad-rows 0.004 --output "$work/g" >/dev/null
range=2025-07..2025-09
# Each part keeps the whole file's line numbers (the other rows blank) and its name, dossiers.csv, so
# that a rejected row is listed as one pass lists it.
for part in 1 2 3; do
  mkdir -p "$work/p$part"
  awk -v part="$part" 'NR == 1 { print; next } { print ((NR % 3) + 1 == part ? $0 : "") }' \
    "$work/g/dossiers.csv" > "$work/p$part/dossiers.csv"
done
context=(--units "$work/g/units.csv" --procedures "$work/g/procedures.csv")
(cd "$work/g" && "$chiso" score766 --dossiers dossiers.csv "${context[@]}" --period "$range" --format json \
  -o "$work/whole.json" 2>/dev/null)
(cd "$work/p1" && "$chiso" score766 --dossiers dossiers.csv "${context[@]}" --period "$range" --format json \
  --partial-out "$work/1.partial" -o /dev/null 2>/dev/null)
(cd "$work/p2" && "$work/partials" save "$range" "$work/g/units.csv" "$work/g/procedures.csv" dossiers.csv \
  "$work/2.partial")
(cd "$work/p3" && node "$here/partials.mjs" save "$range" "$work/g/units.csv" "$work/g/procedures.csv" \
  dossiers.csv "$work/3.partial")
# The whole file's series lists rejected rows: the parts must list them alike.
grep -q '"source": "dossiers.csv"' "$work/whole.json" || { echo "55-partials: no rejected row to compare" >&2; exit 1; }
ls -l "$work"/*.partial | awk '{ print $5, $NF }'
partials=("$work/1.partial" "$work/2.partial" "$work/3.partial")

"$chiso" score766 merge "${partials[@]}" --format json -o "$work/cli.json" 2>/dev/null
"$work/partials" merge "$work/c.json" "${partials[@]}"
node "$here/partials.mjs" merge "$work/wasm.json" "${partials[@]}"
# Python: the wheel built by maturin (stage 45's tools) into a venv of its own, nothing downloaded.
tools="$target/python-tools"
if [ -x "$tools/bin/maturin" ]; then
  "$tools/bin/maturin" build --quiet --manifest-path bindings-python/Cargo.toml --profile dev \
    --out "$work/dist" --interpreter python3 --locked
  python3 -m venv "$work/venv"
  "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --no-deps "$work"/dist/chiso-*.whl
  (cd "$work" && "$work/venv/bin/python" "$here/partials.py" "$work/python.json" "${partials[@]}")
else
  echo "55-partials: no maturin in $tools (stage 45 installs it)" >&2
  exit 1
fi
for front in cli c wasm python; do
  # The CLI ends its JSON with a newline; the libraries' JSON has none.
  if ! cmp -s <(sed -e '$a\' "$work/$front.json") "$work/whole.json"; then
    echo "55-partials: the $front merge differs from one pass over the whole file" >&2
    diff <(sed -e '$a\' "$work/$front.json") "$work/whole.json" | head -20 >&2
    exit 1
  fi
  echo "partials merged by $front: byte-identical to one CLI pass over the whole file"
done
