#!/usr/bin/env bash
# C ABI: the header is what the pinned cbindgen generates; the C suite passes with
# -fsanitize=address,undefined and under valgrind; the C example and the Python ctypes example run.
# Installs what it needs (gcc, g++, make, valgrind, pkg-config, cbindgen) only when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

target=${CARGO_TARGET_DIR:-$PWD/target}
CBINDGEN_VERSION=$(sed -n "s/^CBINDGEN_VERSION=//p" bindings-c/gen_header.sh)
missing=()
for tool in gcc g++ make valgrind pkg-config; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc g++ make valgrind pkg-config >/dev/null
fi
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked --quiet
fi

bash bindings-c/gen_header.sh --verify
bash bindings-c/tests/run.sh

# Install into a scratch prefix (reusing the debug build) and build against it through pkg-config.
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
PROFILE=debug bash bindings-c/install.sh "$prefix"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion chiso)" = "$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)" ]
# shellcheck disable=SC2046 # pkg-config prints several flags
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror bindings-c/tests/header_alone.c $(pkg-config --cflags --libs chiso) \
  -Wl,-rpath,"$prefix/lib" -o "$prefix/header_alone" && "$prefix/header_alone"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror bindings-c/tests/header_alone.c $(pkg-config --cflags chiso) \
  "$prefix/lib/libchiso.a" $(pkg-config --libs-only-other --libs-only-l --static chiso | sed 's/-lchiso//') \
  -o "$prefix/header_alone_static" && "$prefix/header_alone_static"
echo "pkg-config: chiso $(pkg-config --modversion chiso) links shared and static"

# The C example and the Python ctypes example on the sample town: the same scorecard.
make -s -C examples/c clean score_dossiers
sample=examples/cli/sample
args=(2026-09 "$sample/dossiers.csv" "$sample/units.csv" "$sample/procedures.csv" "$sample/feedback.csv")
examples/c/score_dossiers "${args[@]}" >"$prefix/from_c.json"
CHISO_LIB="$prefix/lib/libchiso.so" python3 examples/python/score_dossiers.py "${args[@]}" >"$prefix/from_python.json"
cmp "$prefix/from_c.json" "$prefix/from_python.json"
grep -q '"unit": "tt-phu-my"' "$prefix/from_c.json"
echo "examples/c and examples/python: identical scorecards of the sample town"
cargo build -p chiso-cli --locked --quiet
CHISO_LIB="$prefix/lib/libchiso.so" CHISO_CLI="$target/debug/chiso" \
  python3 -m unittest discover -s examples/python
make -s -C examples/c clean

# The throughput programs, small and in debug: both sides must give the same scorecard.
cargo build -p chiso-c --locked --quiet --example push_dossiers_rust
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -I bindings-c/include bindings-c/bench/push_dossiers.c \
  "$prefix/lib/libchiso.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o "$prefix/push_dossiers"
c_digest=$("$prefix/push_dossiers" "$sample" 5000 | sed -n 's/.*digest //p')
rust_digest=$("$target/debug/examples/push_dossiers_rust" "$sample" 5000 | sed -n 's/.*digest //p')
[ -n "$c_digest" ] && [ "$c_digest" = "$rust_digest" ]
echo "bench programs: C and Rust give the same scorecard ($c_digest)"
