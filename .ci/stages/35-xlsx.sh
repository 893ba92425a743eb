#!/usr/bin/env bash
# Excel out: the `--format xlsx` workbooks of the sample town (evaluation, Decision 766 scorecard,
# a series) opened by LibreOffice headless, every sheet converted to CSV and compared with the JSON
# output of the same command (examples/cli/tests/xlsx_cli.rs, its ignored tests). Installs
# LibreOffice Calc (Debian's libreoffice-calc-nogui) only when `soffice` is missing; the check
# fails, never skips, when soffice cannot run.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v soffice >/dev/null; then
  t0=$(date +%s)
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 libreoffice-calc-nogui >/dev/null
  echo "installed LibreOffice in $(( $(date +%s) - t0 )) s"
fi
soffice --version
cargo test -p chiso-cli --locked --test xlsx_cli -- --ignored
# The WASM package's workbook functions (its `xlsx` feature, off by default: it almost doubles the
# package), natively: byte for byte the core's workbooks.
cargo test -p chiso-wasm --locked --features xlsx --test xlsx_native
