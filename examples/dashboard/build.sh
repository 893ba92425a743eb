#!/usr/bin/env bash
# Makes examples/dashboard servable: copies the built package (bindings-wasm/pkg, from
# bindings-wasm/scripts/build-pkg.sh) into vendor/ and the bundled sample town into sample/. Both
# folders are build output (gitignored), so the sample files live only in examples/cli/sample.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -f "$root/bindings-wasm/pkg/chiso_wasm_bg.wasm" ] || bash "$root/bindings-wasm/scripts/build-pkg.sh"
rm -rf "$here/vendor" "$here/sample"
mkdir -p "$here/vendor" "$here/sample"
cp -r "$root/bindings-wasm/pkg" "$here/vendor/chiso-wasm"
cp "$root/examples/cli/sample/"*.csv "$root/examples/cli/sample/"*.json "$here/sample/"
echo "dashboard ready: python3 -m http.server 8000 --bind 127.0.0.1 --directory $here  →  http://127.0.0.1:8000/"
