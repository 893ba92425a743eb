#!/usr/bin/env bash
# Fuzz the record readers for a short while: no panic, and chunked / parallel reads agree.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
cd fuzz
for target in $(cargo +nightly fuzz list); do
    echo "fuzzing ${target}"
    cargo +nightly fuzz run "${target}" -- -max_total_time=15
done
