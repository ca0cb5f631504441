#!/usr/bin/env bash
# shelter-hq commands against what broke in a drill: `anpi` as a counts-only account (role staff)
# is refused and audits nothing; `ingest FILE.skb` takes a bundle; a bundle imported with
# `shelterctl bundle import` into the HQ device while `shelter-hq serve` runs reaches HQ's tables
# at the next sync session (answered "already held"); `report ingest` refuses a 20000x20000 image
# from its header, quickly.
# Usage: hq_cli_test.sh SHELTERCTL SHELTER_HQ SOURCE_DIR
set -u
ctl=$1 hq=$2 src=$3
py=/usr/bin/python3
source "$(dirname "$0")/cli_common.sh"
hq_pid=""
cleanup() {
  [ -n "$hq_pid" ] && kill -9 "$hq_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
persons() {
  "$hq" --data "$tmp/hq" summary --json |
    $py -c 'import json,sys; print(json.load(sys.stdin)["population"]["persons"])'
}
audits() { $py -c "import sqlite3; print(sqlite3.connect('$tmp/hq/hq.db').execute('select count(*) from anpi_audit').fetchone()[0])"; }

echo 5678 >"$tmp/pin"
A="$tmp/admin"
run "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
run "shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
run "enroll t1" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$tmp/t1' --label t1"
run "enroll hq" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --role hq --to '$tmp/hq' --label hq"
run "viewer account" sh -c "printf '5678\n1111\n' | '$ctl' --data '$tmp/hq' --staff lead staff add --handle viewer --role staff"
register() {  # register N: a one-person household, checked in
  hh="{\"members\":[{\"name\":\"本部 太郎$1\",\"kana\":\"ほんぶ たろう\",\"dob\":\"1975-05-0$1\",\"sex\":\"male\",\"head\":true}]}"
  run "register $1" sh -c "printf '5678\n%s\n' '$hh' | '$ctl' --data '$tmp/t1' register - --checkin"
}
register 1
register 2

# --- ingest FILE.skb: a bundle is taken, not refused as a malformed segment file
run "bundle export 1" sh -c "echo 5678 | '$ctl' --data '$tmp/t1' bundle export '$tmp/one.skb'"
if echo 5678 | "$hq" --data "$tmp/hq" ingest "$tmp/one.skb" >"$tmp/out" 2>"$tmp/err"; then
  grep -q "new" "$tmp/out" && ok || bad "ingest of a bundle: $(cat "$tmp/out")"
else
  bad "shelter-hq ingest refused a bundle: $(cat "$tmp/err")"
fi
[ "$(persons)" = 2 ] && ok || bad "after ingesting the bundle HQ counts $(persons) persons, want 2"

# --- anpi: a counts-only account is refused by the HQ library, an HQ lead is answered
if echo 1111 | "$hq" --data "$tmp/hq" --user viewer anpi '本部 太郎1' --asker family >"$tmp/out" 2>"$tmp/err"; then
  bad "anpi answered a counts-only account: $(cat "$tmp/out")"
else
  grep -q "permission denied.*counts only" "$tmp/err" && ok || bad "viewer anpi: $(cat "$tmp/err")"
  grep -q "本部" "$tmp/out" && bad "viewer anpi printed a name" || ok
fi
[ "$(audits)" = 0 ] && ok || bad "the refused lookup left $(audits) audit rows"
run "lead anpi" sh -c "echo 5678 | '$hq' --data '$tmp/hq' --user lead anpi '本部 太郎1' --asker family"
grep -q "本部 太郎1" "$tmp/out" && ok || bad "lead anpi: $(cat "$tmp/out")"
[ "$(audits)" = 1 ] && ok || bad "the lead's lookup: $(audits) audit rows, want 1"

# --- a bundle imported with shelterctl while shelter-hq serve runs reaches the tables
log="$tmp/serve.log"
"$hq" --data "$tmp/hq" serve --listen 0 --bind 127.0.0.1 --json --timeout 60 <<<5678 >"$log" 2>&1 &
hq_pid=$!
port=""
for _ in $(seq 200); do
  port=$($py -c "import json; print(json.loads(open('$log').readline())['listening'])" 2>/dev/null) && break
  sleep 0.1
done
[ -n "$port" ] || { bad "shelter-hq serve did not start: $(cat "$log")"; exit 1; }
register 3
run "bundle export 2" sh -c "echo 5678 | '$ctl' --data '$tmp/t1' bundle export '$tmp/two.skb'"
run "bundle import on HQ" sh -c "echo 5678 | '$ctl' --data '$tmp/hq' --staff lead bundle import '$tmp/two.skb'"
run "t1 -> hq" sh -c "'$ctl' --data '$tmp/t1' --json sync --peer 127.0.0.1:$port <'$tmp/pin'"
for _ in $(seq 100); do grep -q '"peer"' "$log" && break; sleep 0.1; done
[ "$(persons)" = 3 ] && ok || bad "after the import and a sync HQ counts $(persons) persons, want 3"
kill -TERM "$hq_pid"
wait "$hq_pid" && ok || bad "serve did not stop cleanly: $(tail -3 "$log")"
hq_pid=""

# --- report ingest: a huge image is refused from its header, in well under a second's decode
printf 'P5\n20000 20000\n255\n' >"$tmp/huge.pgm"
head -c 65536 /dev/zero >>"$tmp/huge.pgm"
start=$(date +%s%N)
if "$hq" --data "$tmp/hq" report ingest "$tmp/huge.pgm" >"$tmp/out" 2>"$tmp/err"; then
  bad "a 20000x20000 image was accepted"
else
  grep -q "image dimensions" "$tmp/err" && ok || bad "huge image: $(cat "$tmp/err")"
fi
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 3000 ] && ok || bad "refusing the huge image took $ms ms"

finish hq_cli
