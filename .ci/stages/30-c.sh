#!/usr/bin/env bash
# C ABI: the header is what the pinned cbindgen generates; the C suite passes with
# -fsanitize=address,undefined and under valgrind; the C example and the Python ctypes example run.
# Installs what it needs (gcc, g++, valgrind, pkg-config, cbindgen) only when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

CBINDGEN_VERSION=$(sed -n "s/^CBINDGEN_VERSION=//p" bindings-c/gen_header.sh)
missing=()
for tool in gcc g++ valgrind pkg-config; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc g++ valgrind pkg-config >/dev/null
fi
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked --quiet
fi

bash bindings-c/gen_header.sh --verify
bash bindings-c/tests/run.sh
