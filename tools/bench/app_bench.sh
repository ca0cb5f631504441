#!/usr/bin/env bash
# shelter-app figures against the design's budget (first frame <= 500 ms, idle CPU <= 1 %,
# RSS <= 150 MB with a 5,000-person shelter), each next to an anchor measured in the same run:
# the same app on the same data dir, idle at its login screen with nothing loaded.
# Headless (SDL offscreen, software renderer). Usage: tools/bench/app_bench.sh [BUILD_DIR] [PEOPLE]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-"$root/build"}
people=${2:-5000}
app="$build/ui/shelter-app"
seed="$build/tools/shelter-seed"
for b in "$app" "$seed"; do [ -x "$b" ] || { echo "missing $b: build first"; exit 1; }; done
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
echo 5678 | "$seed" "$tmp/shelter" "$people" >/dev/null
hz=$(getconf CLK_TCK)

printf 'hold\n' >"$tmp/idle.script"
printf 'click login.staff.lead\npin 5678\nclick login.submit\nexpect nav.dashboard\nclick nav.needs\nclick nav.dashboard\nhold\n' \
  >"$tmp/loaded.script"

# measure NAME SCRIPT: runs the app until the script holds, then samples RSS and 10 s of CPU.
measure() {
  local name=$1 script=$2
  "$app" --headless --first-frame --data "$tmp/shelter/tablet" --script "$script" \
    >"$tmp/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q "script: holding" "$tmp/$name.log" && break; sleep 0.1; done
  grep -q "script: holding" "$tmp/$name.log" || { echo "$name: app did not settle"; cat "$tmp/$name.log"; exit 1; }
  sleep 1
  local t0 t1 w0 w1
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); w0=$(date +%s.%N)
  sleep 10
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat"); w1=$(date +%s.%N)
  eval "${name}_rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
  eval "${name}_cpu=$(echo "($t1 - $t0) / $hz / ($w1 - $w0) * 100" | bc -l)"
  eval "${name}_ff=$(sed -n 's/^first frame: \([0-9]*\) ms.*/\1/p' "$tmp/$name.log")"
  eval "${name}_ffcpu=$(sed -n 's/^first frame: .*cpu \([0-9]*\) ms.*/\1/p' "$tmp/$name.log")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
measure idle "$tmp/idle.script"
measure loaded "$tmp/loaded.script"

load=$(cut -d' ' -f1 /proc/loadavg)
echo "shelter-app headless, $people people ($(nproc) cores, load average $load)"
printf '  %-44s %10s %10s %8s %s\n' "figure" "value" "anchor" "ratio" "target"
row() { printf '  %-44s %10s %10s %8s %s\n' "$1" "$2" "$3" "$4" "$5"; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
row "time to first frame (wall)" "${loaded_ff} ms" "${idle_ff} ms" "$(ratio "$loaded_ff" "$idle_ff")" "<= 500 ms"
row "  process CPU at first frame" "${loaded_ffcpu} ms" "${idle_ffcpu} ms" "$(ratio "$loaded_ffcpu" "$idle_ffcpu")" ""
row "idle CPU over 10 s, logged in (dashboard)" "$(printf '%.2f' "$loaded_cpu") %" "$(printf '%.2f' "$idle_cpu") %" "-" "<= 1 %"
row "RSS, $people people loaded" "$((loaded_rss / 1024)) MB" "$((idle_rss / 1024)) MB" "$(ratio "$loaded_rss" "$idle_rss")" "<= 150 MB"
