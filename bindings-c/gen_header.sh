#!/usr/bin/env bash
# Writes include/chiso.h from the crate's source with the pinned cbindgen.
# --verify: regenerate into a temporary file and fail on any difference with the checked-in header.
set -euo pipefail
cd "$(dirname "$0")"
CBINDGEN_VERSION=0.29.4
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
  echo "gen_header.sh: needs cbindgen $CBINDGEN_VERSION: cargo install cbindgen --version $CBINDGEN_VERSION --locked" >&2
  exit 1
fi
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
cbindgen --quiet --config cbindgen.toml --crate chiso-c --output "$generated"
if [ "${1:-}" = --verify ]; then
  if ! diff -u include/chiso.h "$generated"; then
    echo "gen_header.sh: include/chiso.h is out of date: run bindings-c/gen_header.sh and commit it" >&2
    exit 1
  fi
  echo "gen_header.sh: include/chiso.h is up to date"
else
  cp "$generated" include/chiso.h
fi
