#!/usr/bin/env bash
# Python: builds the abi3 wheel of bindings-python with maturin (in the shared target directory, the
# dev profile the other stages built the core in), installs it into a fresh virtual environment
# with pytest, pandas and polars, and runs the pytest suite (the shared golden vectors among them).
# maturin lives in a tools environment under target/, installed only when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
tools="$target/python-tools"
if ! "$tools/bin/maturin" --version >/dev/null 2>&1; then
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.9,<2"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# --profile dev: the core is already built in it by the Rust stage; a release build would compile
# every crate a second time (the wheel's speed is the core's, measured in the benches).
"$tools/bin/maturin" build --quiet --manifest-path bindings-python/Cargo.toml --profile dev --out "$work/dist" \
  --interpreter python3 --locked
ls "$work/dist"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$work"/dist/chiso-*.whl pytest pandas polars
# From outside the source tree, so that the installed wheel is what is imported.
(cd "$work" && CHISO_REQUIRE_FRAMES=1 "$work/venv/bin/python" -m pytest -q "$root/bindings-python/tests")
