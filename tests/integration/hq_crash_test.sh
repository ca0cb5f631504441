#!/usr/bin/env bash
# shelter-hq survives kill -9 during ingest: every segment it acknowledged is in its log after
# the crash, the store catches up from the log on restart, and ingesting everything again ends
# with each person counted exactly once.
#   hq_crash_test.sh SHELTER_HQ SHELTER_HQ_BENCH
set -euo pipefail
hq=$1 bench=$2
work=$(mktemp -d)
pid=
# Never `kill 0`: that would signal this whole process group (the test runner too).
trap 'if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bench" --keep "$work" --shelters 40 --people 40000 >/dev/null
[ -s "$work/segments.bin" ] || fail "the generator wrote no segments"
people=40000

# Ingest in the background and kill -9 it once it has acknowledged some segments.
echo 5678 >"$work/pin"
"$hq" --data "$work/hq" ingest --progress "$work/segments.bin" <"$work/pin" >"$work/out" 2>&1 &
pid=$!  # shelter-hq itself, not a subshell
for _ in $(seq 600); do
  acked=$(grep -c '^ack ' "$work/out" 2>/dev/null || true)
  [ "${acked:-0}" -ge 5 ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
kill -0 "$pid" 2>/dev/null && fail "shelter-hq still runs after kill -9"
acked=$(grep '^ack ' "$work/out" | tail -1 | cut -d' ' -f2)
[ -n "$acked" ] || fail "no segment was acknowledged before the kill: $(cat "$work/out")"
echo "killed after $acked acknowledged segments"

# Restart: the store applies what the log holds.
echo 5678 | "$hq" --data "$work/hq" replay >/dev/null
held=$(echo 5678 | "$hq" --data "$work/hq" ingest "$work/segments.bin" | grep '^total' )
echo "after restart: $held"
# Segments already held are not new: at least the acknowledged ones were kept.
new=$(echo "$held" | sed -E 's/.* ([0-9]+) new.*/\1/')
all=$(echo "$held" | sed -E 's/total: ([0-9]+) segments.*/\1/')
[ $((all - new)) -ge "$acked" ] || fail "only $((all - new)) segments survived, $acked were acknowledged"
[ "$new" -gt 0 ] || echo "note: the kill came after the last segment (fast machine); recovery still checked"
summary=$("$hq" --data "$work/hq" summary --json)
persons=$(echo "$summary" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["population"]["persons"])')
[ "$persons" = "$people" ] || fail "expected $people people, HQ counts $persons"

again=$(echo 5678 | "$hq" --data "$work/hq" ingest "$work/segments.bin")
case "$again" in *", 0 new"*) ;; *) fail "re-ingest added segments: $again" ;; esac
persons=$("$hq" --data "$work/hq" summary --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["population"]["persons"])')
[ "$persons" = "$people" ] || fail "re-ingest changed the count to $persons"
echo "PASS: $acked acknowledged segments survived kill -9; $people people counted once"
