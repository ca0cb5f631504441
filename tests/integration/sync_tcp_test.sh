#!/usr/bin/env bash
# Sync with real shelterctl processes on loopback: serve + sync between two tablets, the
# one-round-trip in-sync check, a tablet of another shelter relaying what it cannot read (its
# files hold no canary), a bundle carried to HQ, a rogue municipality refused, a damaged bundle
# refused. Usage: sync_tcp_test.sh SHELTERCTL
set -u
ctl=$1
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
export SHELTER_TEST_FAST_KDF=1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
run() { local what=$1; shift; if "$@" >"$tmp/out" 2>"$tmp/err"; then ok; else bad "$what: $(cat "$tmp/err")"; fi; }
json() { /usr/bin/python3 -c "import json,sys; d=json.loads(open('$tmp/out').read().splitlines()[-1]); print($1)"; }

# serve DIR: starts a one-session server on a free port, sets $port.
serve() {
  local dir=$1 log="$tmp/serve.$RANDOM"
  echo 5678 | "$ctl" --data "$dir" --json serve --listen 0 --bind 127.0.0.1 --sessions 1 --timeout 20 >"$log" 2>&1 &
  pids+=($!)
  serve_pid=$!
  serve_log=$log
  port=""
  for _ in $(seq 100); do
    port=$(/usr/bin/python3 -c "import json; print(json.loads(open('$log').readline())['listening'])" 2>/dev/null) && break
    sleep 0.1
  done
  [ -n "$port" ] || { bad "server did not start: $(cat "$log")"; return 1; }
}

A="$tmp/admin"
run "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
run "shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$(dirname "$0")/../../assets/demo/shelters.csv'"
for t in t1 t2; do
  run "enroll $t" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$tmp/$t' --label $t"
done
run "enroll relay" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000002 --to '$tmp/relay' --label relay"
run "enroll hq" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --role hq --to '$tmp/hq' --label hq"

canary="カナリア同期"
hh="{\"members\":[{\"name\":\"$canary 太郎\",\"kana\":\"かなりあ たろう\",\"dob\":\"1980-04-01\",\"sex\":\"male\",\"head\":true}]}"
run "register on t1" sh -c "printf '5678\n%s\n' '$hh' | '$ctl' --data '$tmp/t1' register - --checkin"

# t1 -> t2 over TCP.
serve "$tmp/t2"
run "sync t1->t2" sh -c "echo 5678 | '$ctl' --data '$tmp/t1' --json sync --peer 127.0.0.1:$port"
[ "$(json 'd["segments_sent"]')" -ge 1 ] && ok || bad "t1 sent no segments: $(cat "$tmp/out")"
wait "$serve_pid"
run "search on t2" sh -c "echo 5678 | '$ctl' --data '$tmp/t2' --json search かなりあ"
[ "$(json 'len(d)')" = 1 ] && ok || bad "t2 did not get the registration: $(cat "$tmp/out")"

# Already in sync: one round trip after the handshake, nothing sent.
serve "$tmp/t2"
run "sync again" sh -c "echo 5678 | '$ctl' --data '$tmp/t1' --json sync --peer 127.0.0.1:$port"
[ "$(json 'd["in_sync"]')" = True ] && ok || bad "second sync not in sync: $(cat "$tmp/out")"
[ "$(json 'd["bytes_out"] + d["bytes_in"] - d["handshake_bytes"]')" -le 100 ] && ok || bad "in-sync check over 100 bytes: $(cat "$tmp/out")"
wait "$serve_pid"

# The relay (another shelter) stores t1's segments without reading them, then a bundle to HQ.
serve "$tmp/relay"
run "sync t1->relay" sh -c "echo 5678 | '$ctl' --data '$tmp/t1' --json sync --peer 127.0.0.1:$port"
wait "$serve_pid"
run "relay search" sh -c "echo 5678 | '$ctl' --data '$tmp/relay' --json search かなりあ"
[ "$(json 'len(d)')" = 0 ] && ok || bad "the relay can read shelter 1: $(cat "$tmp/out")"
if grep -rqa "$canary" "$tmp/relay"; then bad "canary in the relay's files"; else ok; fi
run "bundle export" sh -c "echo 5678 | '$ctl' --data '$tmp/relay' bundle export '$tmp/usb.skb'"
run "bundle import at hq" sh -c "echo 5678 | '$ctl' --data '$tmp/hq' --json bundle import '$tmp/usb.skb'"
[ "$(json 'd["segments_new"]')" -ge 1 ] && ok || bad "hq imported nothing: $(cat "$tmp/out")"
run "hq search" sh -c "echo 5678 | '$ctl' --data '$tmp/hq' --json search かなりあ"
[ "$(json 'len(d)')" = 1 ] && ok || bad "hq cannot see the registration: $(cat "$tmp/out")"
run "bundle import again" sh -c "echo 5678 | '$ctl' --data '$tmp/hq' --json bundle import '$tmp/usb.skb'"
[ "$(json 'd["segments_new"]')" = 0 ] && ok || bad "a replayed bundle added segments"

# A damaged bundle: the flipped segment is refused and reported, the rest is kept, and the import
# exits non-zero (a partly refused bundle is a failure for scripts).
/usr/bin/python3 - "$tmp/usb.skb" "$tmp/bad.skb" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[-80] ^= 0x55  # inside the last segment's signature or ciphertext
open(sys.argv[2], 'wb').write(b)
PY
if sh -c "echo 5678 | '$ctl' --data '$tmp/t2' --json bundle import '$tmp/bad.skb'" >"$tmp/out" 2>"$tmp/err"; then
  bad "a partly refused bundle exited 0: $(cat "$tmp/out")"
else
  grep -q "refused" "$tmp/err" && ok || bad "damaged segment not refused: $(cat "$tmp/err")"
fi

# A device of another municipality is refused by the server.
R="$tmp/rogue-admin"
run "rogue init" sh -c "echo 1234 | '$ctl' --data '$R' init --code 131016 --name 千代田区"
run "rogue shelters" sh -c "echo 1234 | '$ctl' --data '$R' shelter import '$(dirname "$0")/../../assets/demo/shelters.csv'"
run "rogue enroll" sh -c "printf '1234\n5678\n' | '$ctl' --data '$R' device enroll --shelter E1310100000001 --to '$tmp/rogue' --label rogue"
serve "$tmp/t2"
if echo 5678 | "$ctl" --data "$tmp/rogue" sync --peer "127.0.0.1:$port" >"$tmp/out" 2>"$tmp/err"; then
  bad "rogue sync succeeded"
else
  grep -q "not signed by this municipality" "$tmp/err" && ok || bad "rogue: $(cat "$tmp/err")"
fi
wait "$serve_pid"
grep -q '"error"' "$serve_log" && ok || bad "server did not report the refused session: $(cat "$serve_log")"

# Revoking t2: the admin's revocation and new key reach t1 by sync; t1 then refuses t2.
t2id=$("$ctl" --data "$tmp/t2" --json status | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['device'])")
run "revoke t2" sh -c "echo 1234 | '$ctl' --data '$A' --json device revoke $t2id"
[ "$(json 'd["epoch"]')" = 2 ] && ok || bad "revoke did not rotate the key: $(cat "$tmp/out")"
serve "$tmp/t1"
run "admin -> t1" sh -c "echo 1234 | '$ctl' --data '$A' --json sync --peer 127.0.0.1:$port"
wait "$serve_pid"
serve "$tmp/t1"
if echo 5678 | "$ctl" --data "$tmp/t2" sync --peer "127.0.0.1:$port" >"$tmp/out" 2>"$tmp/err"; then
  bad "the revoked tablet could still sync"
else
  ok
fi
wait "$serve_pid"
grep -q "is revoked" "$serve_log" && ok || bad "t1 did not say why: $(cat "$serve_log")"

echo "sync_tcp: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
