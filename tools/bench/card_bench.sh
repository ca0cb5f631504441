#!/usr/bin/env bash
# My Number Card read over the real PC/SC stack (private pcscd + vpcd + the virtual card): APDUs
# and wall time of `shelterctl card read`, against `card status` (connect + 3 APDUs) and process
# start measured in the same run.
# usage: tools/bench/card_bench.sh [BUILD_DIR] [K]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-"$root/build"}
exec bash "$root/tests/integration/card_reader_test.sh" "$build/tools/shelterctl" "$root" --bench "${2:-20}"
