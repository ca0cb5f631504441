#!/usr/bin/env bash
# A drill under a lax umask (022) leaves nothing readable by others: data folders 0700, log.db
# and its WAL/SHM, a bundle, a certificate PDF and hq.db 0600.
# Usage: private_files_test.sh SHELTERCTL SHELTER_HQ SOURCE_DIR
set -u
ctl=$1
hq=$2
src=$3
source "$(dirname "$0")/cli_common.sh"
umask 022
mode_is() {  # mode_is WANT PATH...
  local want=$1; shift
  for f in "$@"; do
    if [ ! -e "$f" ]; then bad "missing: $f"; continue; fi
    local got; got=$(stat -c %a "$f")
    [ "$got" = "$want" ] && ok || bad "$f is mode $got, not $want"
  done
}

A="$tmp/city/admin"  # the parent folder is created too
run "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
run "shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
run "disaster" sh -c "echo 1234 | '$ctl' --data '$A' disaster add --name 令和7年8月の大雨 --date 2025-08-10 --kind flood"
run "enroll tablet" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$tmp/tablet' --label t1"
run "enroll hq" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --role hq --to '$tmp/hq' --label hq"
hh='{"members":[{"name":"山田 太郎","kana":"やまだ たろう","head":true}]}'
run "register" sh -c "printf '1234\n%s\n' '$hh' | '$ctl' --data '$A' --json register - --shelter E1310100000001 --checkin"
H=$(json 'd["household"]')
run "key" sh -c "echo 1234 | '$ctl' --data '$A' --json cert key-new"
K=$(json 'd["public_key"]')
run "trust key" sh -c "echo 1234 | '$ctl' --data '$A' trust add --key $K --types hinan --label office"
echo old >"$tmp/cert.pdf"  # an existing file readable by everyone is replaced, not reused
chmod 644 "$tmp/cert.pdf"
run "cert issue" sh -c "echo 1234 | '$ctl' --data '$A' cert issue --type hinan --household $H -o '$tmp/cert.pdf'"
run "bundle export" sh -c "echo 1234 | '$ctl' --data '$A' bundle export '$tmp/usb.skb'"
run "bundle import" sh -c "echo 5678 | '$ctl' --data '$tmp/tablet' bundle import '$tmp/usb.skb'"
run "hq ingest" sh -c "echo 5678 | '$hq' --data '$tmp/hq' ingest '$A'"

mode_is 700 "$tmp/city" "$A" "$tmp/tablet" "$tmp/hq"
mode_is 600 "$A/log.db" "$tmp/tablet/log.db" "$tmp/hq/log.db" "$tmp/hq/hq.db" "$tmp/usb.skb" \
  "$tmp/cert.pdf"
for f in "$A"/log.db-* "$tmp"/tablet/log.db-* "$tmp"/hq/*.db-*; do  # WAL/SHM left behind, if any
  [ -e "$f" ] && mode_is 600 "$f"
done
# Nothing anywhere in the drill's folders is readable by group or others.
wide=$(find "$tmp/city" "$tmp/tablet" "$tmp/hq" "$tmp/usb.skb" "$tmp/cert.pdf" \
  \( -perm -g=r -o -perm -o=r \) -print)
[ -z "$wide" ] && ok || bad "readable by others: $wide"

finish private_files
