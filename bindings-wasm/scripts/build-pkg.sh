#!/usr/bin/env bash
# Builds the npm package into bindings-wasm/pkg: release wasm32 build, `wasm-bindgen --target web`,
# wasm-opt (npm `binaryen`; Debian's is too old for browsers), then package.json, index.js and
# index.d.ts. Prints the .wasm raw and gzip sizes. Needs the tools .ci/stages/40-wasm.sh installs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
pkg="$here/pkg"
cd "$root"
cargo build -p chiso-wasm --target wasm32-unknown-unknown --release --locked
rm -rf "$pkg"
wasm-bindgen --target web --out-dir "$pkg" --out-name chiso_wasm \
  "${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/release/chiso_wasm.wasm"
raw_before=$(stat -c %s "$pkg/chiso_wasm_bg.wasm")
wasm_opt="$here/node_modules/.bin/wasm-opt"
if [ -x "$wasm_opt" ]; then
  # The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must keep them.
  "$wasm_opt" -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$pkg/chiso_wasm_bg.wasm" -o "$pkg/chiso_wasm_bg.opt.wasm"
  mv "$pkg/chiso_wasm_bg.opt.wasm" "$pkg/chiso_wasm_bg.wasm"
else
  echo "wasm-opt not found (run npm ci in bindings-wasm): the .wasm is not optimised" >&2
fi
# The raw exports that take an externref are typed `any` by wasm-bindgen; nothing calls them
# directly, and `unknown` keeps `any` out of the package's types.
sed -i -E 's/\(a: any\)/(a: unknown)/g; s/: any([,;)])/: unknown\1/g' "$pkg/chiso_wasm.d.ts" "$pkg/chiso_wasm_bg.wasm.d.ts"
if grep -nwE 'any' "$pkg"/*.d.ts | grep -vE '^\S+:[0-9]+:\s*(\*|//)'; then
  echo "the package's TypeScript types contain any" >&2; exit 1
fi
# The error class lives in a wasm-bindgen snippet whose folder name is a hash: re-export it.
snippet=$(cd "$pkg" && find snippets -name chiso_error.js | head -n 1)
[ -n "$snippet" ] || { echo "snippet chiso_error.js missing" >&2; exit 1; }
cat > "$pkg/index.js" <<JS
export * from "./chiso_wasm.js";
export { default } from "./chiso_wasm.js";
export { ChisoError } from "./$snippet";
JS
cat > "$pkg/index.d.ts" <<'TS'
export * from "./chiso_wasm.js";
export { default } from "./chiso_wasm.js";
TS
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
cat > "$pkg/package.json" <<JSON
{
  "name": "chiso-wasm",
  "version": "$version",
  "description": "chiso in WebAssembly: evaluate online-public-service plans and score Decision 766",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./index.js",
  "types": "./index.d.ts",
  "exports": {
    ".": { "types": "./index.d.ts", "default": "./index.js" },
    "./chiso_wasm_bg.wasm": "./chiso_wasm_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["index.js", "index.d.ts", "chiso_wasm.js", "chiso_wasm.d.ts", "chiso_wasm_bg.wasm", "chiso_wasm_bg.wasm.d.ts", "snippets"],
  "sideEffects": false
}
JSON
cp "$here/README.md" "$pkg/README.md" 2>/dev/null || true
raw=$(stat -c %s "$pkg/chiso_wasm_bg.wasm")
gz=$(gzip -9 -c "$pkg/chiso_wasm_bg.wasm" | wc -c)
echo "chiso_wasm_bg.wasm: $raw bytes raw ($raw_before before wasm-opt), $gz bytes gzip -9"
echo "$raw $gz" > "$pkg/.sizes"
