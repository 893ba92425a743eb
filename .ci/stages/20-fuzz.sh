#!/usr/bin/env bash
# Fuzz every reader and the session API for a few seconds each: no panic, chunked / parallel /
# one-pass reads agree, calls out of order get their codes,
# and the differential CSV target agrees with the csv crate. The long run is in fuzz/README.md.
#
# The machine has one (stable) Rust toolchain: cargo-fuzz runs on it with RUSTC_BOOTSTRAP=1 and
# without a sanitizer (the core forbids unsafe code; libFuzzer's coverage needs no nightly).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
cd fuzz
bash seed-corpora.sh
seconds=${FUZZ_SECONDS:-5}
log=$(mktemp)
for target in $(cargo fuzz list); do
    echo "fuzzing ${target} for ${seconds} s"
    status=0
    cargo fuzz run --sanitizer none "${target}" "corpus/${target}" -- \
        -max_total_time="${seconds}" -dict=dict/chiso.dict -max_len=8192 >"${log}" 2>&1 || status=$?
    grep -E '^Done' "${log}" || true
    if [ "${status}" -ne 0 ]; then
        tail -n 40 "${log}"
        echo "fuzz target ${target} failed (status ${status}): see fuzz/artifacts/${target}" >&2
        exit 1
    fi
done
rm -f "${log}"
