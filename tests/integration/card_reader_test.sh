#!/usr/bin/env bash
# shelterctl card status / card read over the real PC/SC stack: a private pcscd with vsmartcard's
# vpcd driver (two readers) and the virtual My Number Card of virtual_mynumber_card.py, for every
# outcome: success (rare kanji, a non-BMP character, U+3000, a long full-width address), wrong PIN,
# locked (63C0, 6983, 6984), no reader, no card, not a My Number Card, card pulled out mid-read,
# digest mismatch, the card in the second of two readers, 20 reads back to back (each meets the last
# one's card reset). Checks that EF 0001 is never selected, that the card is reset at disconnect,
# and that the PIN appears in no output.
# The PC/SC set-up (a private pcscd, vpcd, the virtual card) is pcsc_env.sh.
#
# usage: card_reader_test.sh SHELTERCTL SOURCE_DIR [--bench K]
set -uo pipefail

shelterctl=$(readlink -f "$1")
src=$(readlink -f "$2")
bench=0
[ "${3:-}" = "--bench" ] && bench=${4:-20}
card_py="$src/tests/integration/virtual_mynumber_card.py"
python=/usr/bin/python3

fail() { echo "FAIL: $*"; exit 1; }

source "$src/tests/integration/pcsc_env.sh"

# run NAME PIN ARGS...: runs shelterctl with PIN on stdin; sets $out, $err, $rc.
all_outputs="$work/all-outputs"
run() {
  local name=$1 pin=$2
  shift 2
  # A here-string, not a pipe: a command that reads no PIN must not fail the run with SIGPIPE.
  "$shelterctl" "$@" <<<"$pin" >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
  out=$(cat "$work/$name.out")
  err=$(cat "$work/$name.err")
  cat "$work/$name.out" "$work/$name.err" >>"$all_outputs"
}

failures=0
check() {  # check DESCRIPTION CONDITION...
  local what=$1
  shift
  if "$@"; then
    echo "ok   $what"
  else
    echo "FAIL $what"
    echo "     rc=$rc stdout=$out"
    echo "     stderr=$err"
    failures=$((failures + 1))
  fi
}
has() { grep -qF -- "$2" <<<"$1"; }
expect_outcome() {  # expect_outcome DESCRIPTION OUTCOME
  check "$1" test "$rc" -ne 0
  check "$1: stderr names $2" has "$err" "error: $2"
  check "$1: prints no card data" bash -c '! grep -q "\"name\"" <<<"$0"' "$out"
}

PIN=7391
NAME1="髙橋　𠮷男"
ADDR1="北海道札幌市中央区北一条西２丁目１番地１　札幌市役所本庁舎第一別館１２３４号室気付、𠮷田コーポ９８７６５４３２１０－１２３４５６７８９０"
NAME2="𠮷田　花子"
ADDR2="東京都千代田区千代田１－１"

if [ "$bench" -gt 0 ]; then
  start_pcscd "$work/conf-vpcd"
  start_card 1 --pin $PIN --name "$NAME1" --address "$ADDR1"
  "$python" - "$shelterctl" "$PIN" "$bench" "$card_log" <<'EOF'
import statistics, subprocess, sys, time
ctl, pin, k, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def apdus():
    with open(log) as f:
        return sum(1 for line in f if not line.startswith("#"))

def timed(args, stdin=b""):
    t = time.perf_counter()
    r = subprocess.run([ctl] + args, input=stdin, capture_output=True)
    ms = (time.perf_counter() - t) * 1000
    if r.returncode != 0:
        sys.exit("FAIL: %s: %s" % (args, r.stderr.decode()))
    return ms

# Interleaved rounds, so that load from elsewhere on the machine hits all three alike. pcscd
# powers an idle card down, so each round first wakes it with an unmeasured status.
pin_line = (pin + "\n").encode()
timed(["card", "read", "--wait", "5", "--json"], pin_line)  # warm up
runs = {"start": [], "status": [], "read": []}
counts = {"status": 0, "read": 0}
for _ in range(k):
    runs["start"].append(timed(["--help"]))
    timed(["card", "status"])
    before = apdus()
    runs["status"].append(timed(["card", "status", "--json"]))
    counts["status"] = apdus() - before
    before = apdus()
    runs["read"].append(timed(["card", "read", "--json"], pin_line))
    counts["read"] = apdus() - before
start, status, read = (statistics.median(runs[x]) for x in ("start", "status", "read"))
n_status, n_read = counts["status"], counts["read"]
print("card read: %d APDUs, %.1f ms (median of %d)" % (n_read, read, k))
print("card status (anchor: connect + %d APDUs): %.1f ms (median of %d)" % (n_status, status, k))
print("process start (anchor: shelterctl --help): %.1f ms (median of %d)" % (start, k))
print("ratio read/status: %.2f; per APDU beyond status: %.2f ms"
      % (read / status, (read - status) / max(1, n_read - n_status)))
print("figure\tMy Number Card read (%d APDUs)\t%.1f\tms\t%.1f\t%.2f\t-\tinfo"
      % (n_read, read, status, read / status))
EOF
  exit $?
fi

# --- no reader ----------------------------------------------------------------------------------
run no_service $PIN card read --json
expect_outcome "no PC/SC service" no_reader
check "no PC/SC service: --json prints the error as JSON" has "$out" '"error":"no_reader'
start_pcscd "$work/conf-empty"
run no_reader $PIN card read
expect_outcome "pcscd without readers" no_reader
stop_pcscd

start_pcscd "$work/conf-vpcd"
grep -q "Virtual PCD 00 01" "$work/pcscd.log" || sleep 0.5

# --- no card ------------------------------------------------------------------------------------
run no_card $PIN card read --wait 1
expect_outcome "two readers, no card" no_card

# --- success, card in the second of two readers -------------------------------------------------
start_card 1 --pin $PIN --name "$NAME1" --address "$ADDR1" --birth 19450815 --sex 2
run status_second "" card status --json --wait 5
check "card status finds the card in the second reader" has "$out" '"reader":"Virtual PCD 00 01"'
check "card status reports 3 tries without a PIN" has "$out" '"tries_left":3'
check "card status sent no VERIFY with data" bash -c '! grep -q "^0020008004" "$0"' "$card_log"
run read_second $PIN card read --json --wait 5
check "card read --json succeeds" test "$rc" -eq 0
check "card read --json prints exactly the four fields" "$python" -c '
import json, sys
d = json.loads(sys.argv[1])
want = {"name": sys.argv[2], "address": sys.argv[3], "birth_date": "1945-08-15", "sex": "female"}
sys.exit(0 if d == want else "got %r" % d)' "$out" "$NAME1" "$ADDR1"
check "tries left are shown on stderr before the PIN" has "$err" "PIN tries left: 3"
# vpcd passes the reset on without waiting for the card, so give the log a moment.
# (pcscd may power the idle card down later: look at the first event after the last APDU).
check "the card was reset after the read" bash -c '
  for _ in $(seq 40); do
    event=$(awk "!/^#/ { last = NR; next } NR == last + 1 { ev = \$0 } END { print ev }" "$0")
    [ "$event" = "# reset" ] && exit 0
    sleep 0.05
  done
  tail -4 "$0"; exit 1' "$card_log"
run read_human $PIN card read --wait 5
check "card read (text) succeeds" test "$rc" -eq 0
check "card read (text) shows the name" has "$out" "name:       $NAME1"
check "card read (text) shows the address" has "$out" "address:    $ADDR1"
stop_card

# --- success in the first reader; wrong PIN; tries shown; right PIN resets the counter ----------
start_card 0 --pin $PIN --name "$NAME2" --address "$ADDR2" --sex 1
run read_first $PIN card read --json --wait 5
check "card in the first reader" has "$out" "\"name\":\"$NAME2\""
run wrong_pin 1111 card read --json --wait 5
expect_outcome "wrong PIN" wrong_pin
check "wrong PIN: 2 tries left" has "$err" "2 tries left"
run tries_after "" card status --json --wait 5
check "card status shows 2 tries after a wrong PIN" has "$out" '"tries_left":2'
run wrong_pin2 2222 card read --wait 5
check "second wrong PIN: 1 try left" has "$err" "1 tries left"
run pin_format 12345 card read --wait 5
expect_outcome "a PIN of 5 digits" bad_pin_format
run tries_kept "" card status --json --wait 5
check "a malformed PIN uses no try" has "$out" '"tries_left":1'
run right_pin $PIN card read --json --wait 5
check "the right PIN still works with 1 try left" has "$out" "\"name\":\"$NAME2\""
run tries_reset "" card status --json --wait 5
check "a right PIN resets the counter" has "$out" '"tries_left":3'
stop_card

# --- back to back: each connection starts just after the last one's SCARD_RESET_CARD -------------
# That reset reaches the next connection at a random point of its read (SCARD_W_RESET_CARD), which
# used to end the read as card_removed. The card is reconnected and the read restarted instead.
start_card 0 --pin $PIN --name "$NAME2" --address "$ADDR2" --sex 1
b2b_fail=""
for i in $(seq 20); do
  run "b2b_read$i" $PIN card read --json --wait 5
  if [ "$rc" -ne 0 ] || ! has "$out" "\"name\":\"$NAME2\""; then b2b_fail="read $i"; break; fi
  run "b2b_status$i" "" card status --json --wait 5
  if [ "$rc" -ne 0 ] || ! has "$out" '"tries_left":3'; then b2b_fail="status $i"; break; fi
done
check "20 back-to-back reads and statuses succeed, each after the last one's reset${b2b_fail:+ (failed: $b2b_fail)}" \
  test -z "$b2b_fail"
stop_card

# --- locked ---------------------------------------------------------------------------------------
for fault in locked-63c0 locked-6983 locked-6984; do
  start_card 0 --pin $PIN --fault $fault
  run "$fault" $PIN card read --json --wait 5
  expect_outcome "$fault" locked
  check "$fault: the PIN was never sent" bash -c '! grep -q "^0020008004" "$0"' "$card_log"
  stop_card
done
start_card 1 --pin $PIN --tries 1
run last_try 0000 card read --wait 5
expect_outcome "the try that exhausts the counter" locked
stop_card

# --- not a My Number Card -------------------------------------------------------------------------
start_card 0 --fault not-mynumber
run other_card $PIN card read --wait 5
expect_outcome "another kind of card" not_my_number_card
stop_card

# --- card pulled out mid-read ---------------------------------------------------------------------
for n in 3 6 9; do
  start_card 1 --pin $PIN --pull-after $n
  run "pulled$n" $PIN card read --json --wait 5
  expect_outcome "card pulled out after $n APDUs" card_removed
  stop_card
done

# --- digest mismatch ------------------------------------------------------------------------------
start_card 0 --pin $PIN --fault bad-digest --name "$NAME1"
run bad_digest $PIN card read --json --wait 5
expect_outcome "digest mismatch" digest_mismatch
check "digest mismatch: the name is not shown" bash -c '! grep -qF "$1" "$0"' "$work/bad_digest.out" "$NAME1"
stop_card

# --- across every run -----------------------------------------------------------------------------
check "EF 0001 was never selected (nor read by short EF id)" \
  bash -c '! cat "$0"/card*.log | grep -qE "^00a4020c020001|^00b081"' "$work"
for p in $PIN 1111 2222; do
  check "the PIN $p appears in no shelterctl output" bash -c '! grep -qF "$1" "$0"' "$all_outputs" "$p"
done
check "pcscd is still running" kill -0 "$pcscd_pid"

if [ "$failures" -ne 0 ]; then
  echo "--- pcscd log (tail)"; tail -30 "$work/pcscd.log"
  fail "$failures checks failed"
fi
echo "PASS: card reader over pcscd + vpcd ($cards virtual cards)"
