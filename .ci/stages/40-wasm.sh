#!/usr/bin/env bash
# WASM: installs its tools idempotently (wasm32 target, the wasm-bindgen CLI at the lockfile's
# version, Chromium + chromedriver, npm tools), builds the package (release + wasm-opt) and prints
# its sizes, then runs wasm-bindgen-test in Node and in headless Chromium, the package's Node tests,
# tsc over the generated types, and the dashboard driven by Playwright (screenshots in
# target/dashboard-screenshots).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
wasm_dir="$root/bindings-wasm"
export PATH="$HOME/.cargo/bin:$PATH"

# --- tools ---------------------------------------------------------------------------------------
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
want=$(cargo pkgid --locked wasm-bindgen | sed 's/.*[@#]//')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "installing wasm-bindgen-cli $want (had: ${have:-none})"
  # Not --locked: the CLI's own lockfile pins a crate version this registry lacks (toolchain.md).
  cargo install wasm-bindgen-cli --version "$want" --force
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi
# npm ci again only when the lockfile changed since the last install (or nothing is installed).
(cd "$wasm_dir" && { [ node_modules/.package-lock.json -nt package-lock.json ] && npm ls --depth=0 >/dev/null 2>&1 \
  || npm ci --no-audit --no-fund; })

# --- lints of the wasm32-only code (the test suites are cfg'd out of the native clippy run) -------
cargo clippy -p chiso-wasm --all-targets --target wasm32-unknown-unknown --locked -- -D warnings

# --- package -------------------------------------------------------------------------------------
bash "$wasm_dir/scripts/build-pkg.sh"

# --- wasm-bindgen-test: Node (tests/node.rs) and headless Chromium (tests/browser.rs) ------------
log=$(mktemp)
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p chiso-wasm --target wasm32-unknown-unknown --locked --tests \
  2>&1 | tee "$log"
# A skipped suite prints "0 passed": make sure both engines really ran their suites.
grep -q "test runs_in_headless_chromium ... ok" "$log" || { echo "the Chromium suite did not run" >&2; exit 1; }
grep -q "test runs_in_node ... ok" "$log" || { echo "the Node suite did not run" >&2; exit 1; }
rm -f "$log"

# --- the package from Node, its types, the dashboard ---------------------------------------------
(cd "$wasm_dir" && node --test tests/*.test.mjs)
(cd "$wasm_dir/ts" && ../node_modules/.bin/tsc -p tsconfig.json)
echo "tsc --noEmit: the generated .d.ts and ts/uses-every-export.ts type-check"
# The page and the golden scorecard are compared with the CLI's own output: build the `chiso` binary.
cargo build -p chiso-cli --locked
# The shared Decision 766 golden scorecard (which the Node and browser suites compare Scorer766 with)
# is byte-identical to `chiso score766 --format json` on the same files.
golden766="$root/core/tests/golden/score766/sample-town-records"
(cd "$golden766" && "$target/debug/chiso" score766 --format json --period "$(cat period)" \
  --dossiers dossiers.csv --units units.csv --procedures procedures.csv --feedback feedback.csv \
  --counts counts.json 2>/dev/null) | cmp - <(cat "$golden766/expected.json"; echo)
echo "score766 golden: the CLI's scorecard equals core/tests/golden/score766/sample-town-records/expected.json"
bash "$root/examples/dashboard/build.sh"
CHISO_BIN="$target/debug/chiso" SCREENSHOTS="$root/target/dashboard-screenshots" \
  node --test "$root/examples/dashboard/tests/"*.test.mjs
echo "dashboard screenshots: $root/target/dashboard-screenshots"
