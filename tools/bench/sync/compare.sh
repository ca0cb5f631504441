#!/usr/bin/env bash
# Side-by-side sync benchmark (reference workload: R records on 3 tablets, 2 % edited offline, 20
# records edited by all three, syncs 0↔1, 1↔2, 0↔1): shelterkit against Yjs and Automerge on the
# same seeded trace. Prints each peer's figures and ratios against Yjs measured in the same run.
# Usage: tools/bench/sync/compare.sh [BUILD_DIR] [RECORDS] [SEED]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-"$here/../../../build"}
records=${2:-5000}
seed=${3:-1}
bench="$build/tools/shelter-sync-bench"
[ -x "$bench" ] || { echo "error: $bench not built" >&2; exit 1; }
(cd "$here" && [ -d node_modules/yjs ] || npm ci --no-audit --no-fund >/dev/null)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
node "$here/workload.mjs" "$seed" "$records" >"$out/trace.json"
node "$here/peers.mjs" "$out/trace.json" >"$out/results.jsonl"
"$bench" "$out/trace.json" 1 >>"$out/results.jsonl"
"$bench" "$out/trace.json" 10 >>"$out/results.jsonl"
/usr/bin/python3 - "$out/results.jsonl" "$records" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
yjs = rows[0]
# Time to converge over a shelter Wi-Fi link: 20 ms one way, 5 Mbit/s, plus the CPU spent.
def converge_ms(r): return r["roundTrips"] * 40 + r["bytes"] * 8 / 5e6 * 1000 + r["cpu_ms"]
print(f"sync benchmark: {sys.argv[2]} records, 3 tablets, 2 % edited offline, 20 records edited by all three")
print(f"{'peer':38} {'bytes':>9} {'RTT':>4} {'CPU ms':>8} {'converge ms':>11} {'kept':>7} {'idle B/check':>12} {'idle B/h':>9}")
for r in rows:
    print(f"{r['peer']:38} {r['bytes']:9d} {r['roundTrips']:4d} {r['cpu_ms']:8.1f} {converge_ms(r):11.1f} "
          f"{r['hot_values_kept']:3d}/{r['hot_values_written']:<3d} {r['idle_check_bytes']:12d} {r['idle_check_bytes'] * 60:9d}"
          + ("" if r["converged"] else "  NOT CONVERGED"))
for r in rows[1:]:
    print(f"ratio {r['peer']} / yjs: bytes {r['bytes'] / yjs['bytes']:.2f}x, CPU {r['cpu_ms'] / max(yjs['cpu_ms'], 0.001):.2f}x, "
          f"converge {converge_ms(r) / converge_ms(yjs):.2f}x, idle {r['idle_check_bytes'] / max(yjs['idle_check_bytes'], 1):.2f}x")
for r in rows:
    if "initial_sync" in r:
        i = r["initial_sync"]
        print(f"{r['peer']}: first sync of {i['segments']} segments ({sys.argv[2]} records) to a new tablet: "
              f"{i['bytes']} B, {i['cpu_ms']:.0f} ms CPU (both ends), {i['wall_ms']:.0f} ms wall")
        break
for r in rows:
    if "idle_check_bytes_after_handshake" in r:
        print(f"{r['peer']}: idle check {r['idle_check_bytes_after_handshake']} B after a "
              f"{r['idle_check_bytes'] - r['idle_check_bytes_after_handshake']} B Noise handshake with certificates")
        break
# Figure lines for tools/bench/all (tools/bench/figure.hpp): the first shelterkit row is the one
# the design's target is for (every edit committed as it is made).
ours = next(r for r in rows if r["peer"].startswith("shelterkit"))
def figure(name, value, unit, anchor, target, met):
    ratio = "%.2f" % (value / anchor) if anchor not in ("-", 0) else "-"
    print(f"figure\t{name}\t{value}\t{unit}\t{anchor}\t{ratio}\t{target}\t{'met' if met else 'missed'}")
figure(f"sync bytes, offline day ({sys.argv[2]} records) vs Yjs", ours["bytes"], "B", yjs["bytes"],
       "<= 0.8x anchor", ours["bytes"] <= 0.8 * yjs["bytes"])
figure("sync concurrent values kept", ours["hot_values_kept"], "", "-",
       f"= {ours['hot_values_written']}", ours["hot_values_kept"] == ours["hot_values_written"])
idle = ours.get("idle_check_bytes_after_handshake", ours["idle_check_bytes"])
figure("sync in-sync check after the handshake", idle, "B", "-", "<= 100 B", idle <= 100)
PY
