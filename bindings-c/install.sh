#!/usr/bin/env bash
# Builds libchiso and installs it under PREFIX (default /usr/local):
#   PREFIX/include/chiso.h, PREFIX/lib/libchiso.so.VERSION with the links libchiso.so.MAJOR (its
#   SONAME) and libchiso.so, PREFIX/lib/libchiso.a, PREFIX/lib/pkgconfig/chiso.pc
# Usage: bindings-c/install.sh [PREFIX]; PROFILE=debug reuses a debug build (the tests do).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
prefix=${1:-/usr/local}
profile=${PROFILE:-release}
case "$profile" in
  release) cargo build -p chiso-c --release --locked --quiet --manifest-path "$root/Cargo.toml" ;;
  debug) cargo build -p chiso-c --locked --quiet --manifest-path "$root/Cargo.toml" ;;
  *) echo "install.sh: PROFILE is release or debug" >&2; exit 2 ;;
esac
target=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
version=$(sed -n 's/^#define CHISO_VERSION "\(.*\)"$/\1/p' "$here/include/chiso.h")
mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
install -m 644 "$here/include/chiso.h" "$prefix/include/chiso.h"
# A system library's layout: the file named for the full version, the SONAME link programs record
# (libchiso.so.MAJOR, set by build.rs), and the development link the linker finds (-lchiso).
major=${version%%.*}
install -m 755 "$target/$profile/libchiso.so" "$prefix/lib/libchiso.so.$version"
ln -sfn "libchiso.so.$version" "$prefix/lib/libchiso.so.$major"
ln -sfn "libchiso.so.$major" "$prefix/lib/libchiso.so"
install -m 644 "$target/$profile/libchiso.a" "$prefix/lib/libchiso.a"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" "$here/chiso.pc.in" >"$prefix/lib/pkgconfig/chiso.pc"
echo "installed chiso $version ($profile) under $prefix"
