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
target="${CARGO_TARGET_DIR:-$root/target}"
work="$target/browser-bench"
sample="$root/examples/cli/sample"
mkdir -p "$work"
cd "$root"
[ -f "$root/bindings-wasm/pkg/chiso_wasm_bg.wasm" ] || bash "$root/bindings-wasm/scripts/build-pkg.sh"
cargo build -q --release -p chiso-cli --locked
rm -rf "$work/pkg"
cp -r "$root/bindings-wasm/pkg" "$work/pkg"
# The CLI runs inside data/ on files named as the binding names them, so the outputs can be compared
# byte for byte (file names appear in rejections).
mkdir -p "$work/data" && cp "$sample/units.csv" "$sample/procedures.csv" "$work/data/"
cp "$here/bench.html" "$work/"
if [ ! -f "$work/data/dossiers.csv" ] || [ "$sample/dossiers.csv" -nt "$work/data/dossiers.csv" ] || [ "$(($(wc -l < "$work/data/dossiers.csv") - 1))" != "$rows" ]; then
  python3 "$here/make-dossiers.py" "$sample/dossiers.csv" "$work/data/dossiers.csv" "$rows"
fi
size=$(stat -c %s "$work/data/dossiers.csv")
echo "file: $rows rows, $size bytes"

native() {
  local jobs=$1 best=
  for _ in 1 2 3; do
    local t0 t1 ms
    t0=$(date +%s%N)
    (cd "$work/data" && "$target/release/chiso" score766 --format json --period "$period" --jobs "$jobs" \
      --dossiers dossiers.csv --units units.csv --procedures procedures.csv > "$work/native.json" 2>/dev/null)
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
if cmp -s "$work/native.json" <(cat "$work/browser.json"; echo); then
  echo "scorecards: the browser's is byte-identical to the CLI's"
fi
python3 - "$work/browser.json" "$work/native.json" <<'PY'
import json, sys
b, n = (json.load(open(p)) for p in sys.argv[1:3])
total = lambda d: len(d["rejected"]) + d.get("rejected_omitted", 0)
scores = lambda d: {k: v for k, v in d.items() if k not in ("rejected", "rejected_omitted")}
same_scores = scores(b) == scores(n)
print(f"scorecards: units, groups, metrics and ranks {'identical' if same_scores else 'DIFFER'}; "
      f"rejected rows {total(b)} in the browser, {total(n)} natively"
      + ("" if b["rejected"] == n["rejected"] else " (the bounded list of rejected rows is not the same subset)"))
sys.exit(0 if same_scores and total(b) == total(n) else 1)
PY
python3 - "$result" "$native1" "$native_all" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); n1 = int(sys.argv[2]); nall = int(sys.argv[3])
print(f"ratio browser/native (1 thread): {r['memoryMs'] / n1:.2f} from memory, {r['streamMs'] / n1:.2f} streamed")
print(f"ratio browser/native (all threads): {r['memoryMs'] / nall:.2f} from memory, {r['streamMs'] / nall:.2f} streamed")
PY
