#!/usr/bin/env bash
# Benchmark (not a test): 1 M dossier rows scored in headless Chromium through Scorer766, timed
# against the native CLI (`chiso score766`) on the same file, with the same units and procedures.
# Prints the times and the browser/native ratio. Needs the tools of .ci/stages/40-wasm.sh.
# Usage: bash bindings-wasm/bench/browser-bench.sh [ROWS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rows=${1:-1000000}
period=2026-10
work="$root/target/browser-bench"
sample="$root/examples/cli/sample"
mkdir -p "$work"
cd "$root"
[ -f "$root/bindings-wasm/pkg/chiso_wasm_bg.wasm" ] || bash "$root/bindings-wasm/scripts/build-pkg.sh"
cargo build -q --release -p chiso-cli --locked
rm -rf "$work/pkg" "$work/sample"
cp -r "$root/bindings-wasm/pkg" "$work/pkg"
mkdir -p "$work/sample" && cp "$sample/units.csv" "$sample/procedures.csv" "$work/sample/"
cp "$here/bench.html" "$work/"
if [ ! -f "$work/dossiers-1m.csv" ] || [ "$(($(wc -l < "$work/dossiers-1m.csv") - 1))" != "$rows" ]; then
  python3 "$here/make-dossiers.py" "$sample/dossiers.csv" "$work/dossiers-1m.csv" "$rows"
fi
size=$(stat -c %s "$work/dossiers-1m.csv")
echo "file: $rows rows, $size bytes"

native() {
  local jobs=$1 best=
  for _ in 1 2 3; do
    local t0 t1 ms
    t0=$(date +%s%N)
    "$root/target/release/chiso" score766 --format json --period "$period" --jobs "$jobs" \
      --dossiers "$work/dossiers-1m.csv" --units "$sample/units.csv" --procedures "$sample/procedures.csv" \
      > "$work/native.json" 2>/dev/null
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
native1=$(native 1)
native_all=$(native "$(nproc)")
echo "native CLI: ${native1} ms with 1 thread, ${native_all} ms with $(nproc) threads (best of 3)"

python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "port" "$work/server.log" && break; sleep 0.1; done
port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/server.log" | head -n 1)
result=$(node "$here/browser-bench.mjs" "http://127.0.0.1:$port/" "$period" "$work/browser.json")
echo "browser: $result"
cmp -s "$work/native.json" <(cat "$work/browser.json"; echo) && echo "the browser's scorecard is byte-identical to the CLI's" \
  || echo "WARNING: the browser's scorecard differs from the CLI's"
python3 - "$result" "$native1" "$native_all" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); n1 = int(sys.argv[2]); nall = int(sys.argv[3])
print(f"ratio browser/native (1 thread): {r['memoryMs'] / n1:.2f} from memory, {r['streamMs'] / n1:.2f} streamed")
print(f"ratio browser/native (all threads): {r['memoryMs'] / nall:.2f} from memory, {r['streamMs'] / nall:.2f} streamed")
PY
