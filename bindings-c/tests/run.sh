#!/usr/bin/env bash
# Builds libchiso (debug) and runs the C suite:
#   1. the header compiles alone as C11 and as C++, every warning an error;
#   2. the suite with -fsanitize=address,undefined, linked with libchiso.a;
#   3. the suite under valgrind --leak-check=full, linked with libchiso.so;
# and checks that every function of the header is called by some suite.
# Any error or leak fails. Needs gcc, g++ and valgrind.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cargo build -p chiso-c --locked --quiet
target=${CARGO_TARGET_DIR:-$root/target}
lib="$target/debug"
out="$target/c-tests"
mkdir -p "$out"
cflags=(-std=c11 -Wall -Wextra -Wpedantic -Werror -g -pthread -I bindings-c/include)
# What a static Rust library needs from the system (`--print native-static-libs`).
static_libs=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)
golden=core/tests/golden
# The library's SONAME is libchiso.so.MAJOR (build.rs): the programs linked with -lchiso below look
# for that name at run time, which cargo does not lay out (install.sh does, for an install).
major=$(sed -n 's/^version = "\([0-9]*\)\..*"$/\1/p' Cargo.toml | head -n 1)
ln -sfn libchiso.so "$lib/libchiso.so.$major"

# Every function of the header is called by some suite.
untested=0
for fn in $(grep -o 'chiso_[a-z0-9_]*(' bindings-c/include/chiso.h | tr -d '(' | sort -u); do
  if ! grep -q "$fn(" bindings-c/tests/test_*.c; then
    echo "run.sh: no C suite calls $fn" >&2
    untested=1
  fi
done
[ $untested = 0 ]

gcc "${cflags[@]}" bindings-c/tests/header_alone.c -L"$lib" -lchiso -Wl,-rpath,"$lib" -o "$out/header_alone_c"
g++ -x c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -I bindings-c/include \
  bindings-c/tests/header_alone.c -L"$lib" -lchiso -Wl,-rpath,"$lib" -o "$out/header_alone_cpp"
"$out/header_alone_c"
"$out/header_alone_cpp"
echo "header: compiles alone as C11 and as C++"

for source in bindings-c/tests/test_*.c; do
  suite=$(basename "$source" .c)
  gcc "${cflags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    "$source" "$lib/libchiso.a" "${static_libs[@]}" -o "$out/${suite}_asan"
  ASAN_OPTIONS=detect_leaks=1 "$out/${suite}_asan" "$golden"
  echo "$suite: passed under AddressSanitizer and UndefinedBehaviorSanitizer"

  gcc "${cflags[@]}" "$source" -L"$lib" -lchiso -Wl,-rpath,"$lib" -o "$out/$suite"
  # The split tests cut every byte under the sanitizers above, every 7th here (test_scorer.c).
  CHISO_SPLIT_STEP=7 valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=1 "$out/$suite" "$golden"
  echo "$suite: passed under valgrind, no errors, no leaks"
done
