#!/usr/bin/env bash
# C ABI: the header is what the pinned cbindgen generates; the C suite passes with
# -fsanitize=address,undefined and under valgrind; libchiso installs as a system library (SONAME,
# links, pkg-config); the C, Python ctypes and Java (JNA) examples run against the installed prefix.
# Installs what it needs (gcc, g++, make, valgrind, pkg-config, cbindgen, OpenJDK, JNA) only when
# missing.
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
# A system library's layout: libchiso.so.VERSION, its SONAME link libchiso.so.MAJOR, libchiso.so;
# a program linked through pkg-config records the SONAME, not the development link.
version=$(pkg-config --modversion chiso)
[ -f "$prefix/lib/libchiso.so.$version" ] && [ "$(readlink "$prefix/lib/libchiso.so.${version%%.*}")" = "libchiso.so.$version" ]
[ "$(readlink "$prefix/lib/libchiso.so")" = "libchiso.so.${version%%.*}" ]
readelf -d "$prefix/lib/libchiso.so.$version" | grep -q "Library soname: \[libchiso.so.${version%%.*}\]"
readelf -d "$prefix/header_alone" | grep -q "Shared library: \[libchiso.so.${version%%.*}\]"
echo "install: libchiso.so.$version, SONAME libchiso.so.${version%%.*}, recorded by programs linked through pkg-config"

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

# Java through JNA (Debian's OpenJDK and libjna-java), against the installed prefix: the golden
# scorecard, byte for byte.
if ! command -v javac >/dev/null || [ ! -f /usr/share/java/jna.jar ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless libjna-java >/dev/null
fi
javac -cp /usr/share/java/jna.jar -d "$prefix/java" examples/java/ScoreDossiers.java
golden766=core/tests/golden/score766/sample-town-records
java -cp "/usr/share/java/jna.jar:$prefix/java" -Djna.library.path="$prefix/lib" ScoreDossiers "$(cat "$golden766/period")" \
  "$golden766/dossiers.csv" "$golden766/units.csv" "$golden766/procedures.csv" "$golden766/feedback.csv" \
  "$golden766/counts.json" | cmp - <(cat "$golden766/expected.json"; echo)
if java -cp "/usr/share/java/jna.jar:$prefix/java" -Djna.library.path="$prefix/lib" ScoreDossiers 2026-13 \
  "$golden766/dossiers.csv" 2>"$prefix/java.err"; then
  echo "the Java example accepted a bad period" >&2; exit 1
fi
grep -q "^score_dossiers: period: invalid_argument: " "$prefix/java.err"
echo "examples/java (JNA): the golden scorecard, byte for byte; errors carry libchiso's codes"

# The throughput programs, small and in debug: both sides must give the same scorecard.
cargo build -p chiso-c --locked --quiet --example push_dossiers_rust
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -I bindings-c/include bindings-c/bench/push_dossiers.c \
  "$prefix/lib/libchiso.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -o "$prefix/push_dossiers"
c_digest=$("$prefix/push_dossiers" "$sample" 5000 | sed -n 's/.*digest //p')
rust_digest=$("$target/debug/examples/push_dossiers_rust" "$sample" 5000 | sed -n 's/.*digest //p')
[ -n "$c_digest" ] && [ "$c_digest" = "$rust_digest" ]
echo "bench programs: C and Rust give the same scorecard ($c_digest)"
