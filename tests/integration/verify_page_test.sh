#!/usr/bin/env bash
# The public certificate verifier page end to end in headless Chromium: build the page, make a
# municipality with shelterctl and 50 certificates of the three types whose fates cover every
# verdict (valid, revoked, superseded by a reissue, withdrawn key, expired key, key not allowed,
# unknown key: forged and another municipality's root, tampered, malformed), publish the page
# with config.json (the root key from `shelterctl trust show --json`) and an older trust list,
# then verify_page_test.mjs updates the lists from a JTL1 QR photo and a status list file,
# checks each certificate (pasted text, the camera, a PDF, a photo) and compares every verdict with
# `shelterctl cert verify`, checks that an invalid certificate shows no claim, that nothing is
# requested outside 127.0.0.1, and that the page verifies offline once the server is stopped;
# then, on a municipality made in node, the keys later versions add (names, titles, reasons).
# Before the browser, verify_diff_test.mjs compares the page's modules with shelterctl on 456
# damaged and rewritten certificates.
# The printed 罹災証明書 the camera reads is the one the tablet app issued and kept as a PDF on the
# office device (shelter-app headless, no printer).
# usage: verify_page_test.sh SHELTERCTL SOURCE_DIR BUILD_DIR [SHELTER_APP]
set -uo pipefail

ctl=$1
src=$2
build=$3
app=${4:-}
out="$build/verify-test"
py=/usr/bin/python3
data="$src/tests/integration/verify_page_data.py"
export SHELTER_TEST_FAST_KDF=1

fail() {
  echo "FAIL: $*"
  exit 1
}

command -v node >/dev/null || fail "node is missing (tools/dev installs nodejs)"
[ -x /usr/bin/chromium ] ||
  fail "no /usr/bin/chromium: install Debian's chromium package (tools/dev does)"
command -v pdftoppm >/dev/null || fail "pdftoppm is missing (poppler-utils; tools/dev installs it)"
$py -c "import cbor2, nacl.signing" 2>/dev/null ||
  fail "$py lacks cbor2/nacl (python3-cbor2, python3-nacl; tools/dev installs them)"

rm -rf "$out"
mkdir -p "$out/certs"
node "$src/assets/verify/build.mjs" "$out/site" "$build/npm-verify" >"$out/build.log" 2>&1 ||
  fail "the page did not build: $(tail -n 5 "$out/build.log")"

A="$out/admin"
T="$out/tablet"
B="$out/fake-city"
run() {  # run PIN ARGS...: shelterctl with the PIN on stdin, JSON on $out/last.json
  local pin=$1
  shift
  echo "$pin" | "$ctl" --json "$@" >"$out/last.json" 2>"$out/last.err" ||
    fail "shelterctl $*: $(cat "$out/last.err")"
}
jget() { $py -c "import json; print(json.load(open('$out/last.json'))$1)"; }

# --- the municipality, a shelter tablet, a disaster, two households
run 1234 --data "$A" init --code 131016 --name 千代田区
run 1234 --data "$A" shelter import "$src/assets/demo/shelters.csv"
run 1234 --data "$A" disaster add --name 令和7年8月の大雨 --date 2025-08-10 --kind flood
printf '1234\n5678\n' | "$ctl" --data "$A" device enroll --shelter E1310100000001 --to "$T" \
  >/dev/null 2>"$out/last.err" || fail "device enroll: $(cat "$out/last.err")"
hh='{"address":"東京都千代田区麹町二丁目八番","members":[{"name":"山田 太郎","kana":"やまだ たろう","head":true},{"name":"山田 花子","kana":"やまだ はなこ"}]}'
printf '1234\n%s\n' "$hh" | "$ctl" --data "$A" --json register - --shelter E1310100000001 \
  >"$out/last.json" || fail "register (office)"
H=$(jget '["household"]')
printf '5678\n%s\n' "$hh" | "$ctl" --data "$T" --json register - --checkin >"$out/last.json" ||
  fail "register (tablet)"
HT=$(jget '["household"]')
run 1234 --data "$A" assess "$H" --disaster 令和7年8月の大雨 --level 大規模半壊 --flood 床上 --date 2025-08-12

n=0
keep() {  # keep NAME TEXT: one certificate for the page
  n=$((n + 1))
  printf '%s\n' "$2" >"$out/certs/$(printf %02d $n)-$1.txt"
}
issue() {  # issue NAME PIN DATA TYPE [ARGS...]: issues, keeps the JDV1 text, sets $serial
  local name=$1 pin=$2 dir=$3 type=$4
  shift 4
  local hh=$H
  [ "$dir" = "$T" ] && hh=$HT
  run "$pin" --data "$dir" cert issue --type "$type" --household "$hh" "$@"
  serial=$(jget '["serial"]')
  keep "$name" "$(jget '["jdv1"]')"
}
trust_key() {  # trust_key DATA PIN TYPES LABEL [TITLE]: a new issuing key on DATA, on the trust list
  run "$2" --data "$1" cert key-new
  kid=$(jget '["kid"]')
  run 1234 --data "$A" trust add --key "$(jget '["public_key"]')" --types "$3" --label "$4" \
    ${5:+--title "$5"}
  "$ctl" --data "$A" trust export -o "$out/trust.cbor" >/dev/null || fail "trust export"
  "$ctl" --data "$T" trust import "$out/trust.cbor" >/dev/null || fail "trust import"
}

# A key whose validity is later moved into the past: its certificates become key_expired.
trust_key "$A" 1234 risai,hisai 税務課-旧
KX=$kid
cp "$out/trust.cbor" "$out/trust-old.cbor"  # the page is published with this older list
issue expired-risai-1 1234 "$A" risai
issue expired-risai-2 1234 "$A" risai --members
issue expired-hisai 1234 "$A" hisai --note 物置の倒壊
# A key that is withdrawn (a lost device): key_withdrawn.
trust_key "$A" 1234 risai,hisai 税務課-紛失
KW=$kid
issue withdrawn-risai-1 1234 "$A" risai
issue withdrawn-risai-2 1234 "$A" risai
issue withdrawn-hisai 1234 "$A" hisai --note 車庫
# The office's current key.
trust_key "$A" 1234 risai,hisai 千代田区税務課 千代田区長
revoke=()
# The first 罹災証明書 is issued in the app by the office's staff, as a worker would, and kept by
# the app as a PDF (no printer here): that PDF is the paper the camera reads.
app_issue_risai() {
  [ -x "$app" ] || fail "shelter-app is not built: the printed certificate must come from the app"
  cat >"$out/app-risai.script" <<S
click login.staff.admin
pin 1234
click login.submit
click nav.search
click search.query
type やまだ
key Return
click result.0.open
click hh.certs
click certs.type.risai
click certs.issue
expect certs.shown.type.risai
expect certs.shown.file
shot app_risai
quit
S
  mkdir -p "$out/app-shots"
  "$app" --headless --data "$A" --script "$out/app-risai.script" --shots "$out/app-shots" \
    --sync-port 0 --no-discovery --lang ja --printer none >"$out/app.log" 2>&1 ||
    fail "shelter-app did not issue the 罹災証明書: $(tail -3 "$out/app.log")"
  local pdf
  pdf=$(ls "$A"/certificates/*.pdf 2>/dev/null | head -1)
  [ -f "$pdf" ] || fail "the app kept no certificate PDF: $(ls "$A" 2>&1)"
  cp "$pdf" "$out/risai.pdf"
  pdftoppm -gray -r 200 -singlefile "$out/risai.pdf" "$out/app-risai" || fail "pdftoppm"
  local text
  text=$("$ctl" qr decode "$out/app-risai.pgm") || fail "the app's PDF holds no readable QR"
  keep risai-1 "$text"
}
app_issue_risai
for i in $(seq 2 10); do
  issue "risai-$i" 1234 "$A" risai $([ $((i % 2)) = 0 ] && echo --members)
  [ "$i" = 5 ] || [ "$i" = 6 ] && revoke+=("$serial")
done
for i in $(seq 9); do
  issue "hisai-$i" 1234 "$A" hisai --note "カーポート損壊 $i" $([ "$i" = 1 ] && echo -o "$out/hisai.pdf")
  [ "$i" = 3 ] && revoke+=("$serial")
  [ "$i" = 4 ] && reissue=$serial
done
# A tablet key whose types are later narrowed to 被災 only: key_not_allowed for its 避難証明.
trust_key "$T" 5678 hinan 麹町小-旧
KN_PUB=$(jget '["public_key"]')
issue not-allowed-hinan-1 5678 "$T" hinan
issue not-allowed-hinan-2 5678 "$T" hinan
trust_key "$T" 5678 hinan 麹町小-tablet
for i in $(seq 10); do
  issue "hinan-$i" 5678 "$T" hinan $([ "$i" = 1 ] && echo -o "$out/hinan.pdf")
done

# --- fates: revoked, a reissue superseding its first paper, expired, withdrawn, narrowed
for s in "${revoke[@]}"; do
  run 1234 --data "$A" cert revoke "$s" --reason error
done
run 1234 --data "$A" cert reissue "$reissue"
keep hisai-reissued "$(jget '["jdv1"]')"
run 1234 --data "$A" trust add --key "$KN_PUB" --types hisai --label 麹町小-旧
run 1234 --data "$A" trust withdraw --kid "$KW"
# The expired key: valid only in 2020 (trust add on a listed key changes its entry).
KX_PUB=$($py -c "import json,sys; print([k['public_key'] for k in json.load(open(sys.argv[1]))['keys'] if k['kid']=='$KX'][0])" \
  <(echo 1234 | "$ctl" --data "$A" --json trust show))
run 1234 --data "$A" trust add --key "$KX_PUB" --types risai,hisai --label 税務課-旧 --from 2020-01-01 --until 2020-12-31
# The status list twice: as JSL1 text (pasted on the page), then a newer version as the file.
run 1234 --data "$A" trust publish-status -o "$out/status-old.txt" --text
run 1234 --data "$A" trust publish-status -o "$out/status.cbor"
"$ctl" --data "$A" trust export -o "$out/trust.cbor" >/dev/null || fail "trust export"

# --- forged, another municipality's, tampered, malformed
first=$(cat "$out/certs/"[0-9][0-9]-risai-3.txt)
keep forged-risai "$($py "$data" forge "$first")"
keep forged-hinan "$($py "$data" forge "$(cat "$out/certs/"[0-9][0-9]-hinan-2.txt)")"
# A fake 千代田区: its own root and keys, the same 団体コード.
run 4321 --data "$B" init --code 131016 --name 千代田区
run 4321 --data "$B" disaster add --name 令和7年8月の大雨 --date 2025-08-10 --kind flood
run 4321 --data "$B" shelter import "$src/assets/demo/shelters.csv"
printf '4321\n8765\n' | "$ctl" --data "$B" device enroll --shelter E1310100000001 \
  --to "$out/fake-tablet" >/dev/null 2>"$out/last.err" || fail "device enroll (B): $(cat "$out/last.err")"
printf '4321\n%s\n' "$hh" | "$ctl" --data "$B" --json register - --shelter E1310100000001 \
  >"$out/last.json" || fail "register (B)"
HB=$(jget '["household"]')
run 4321 --data "$B" cert key-new
run 4321 --data "$B" trust add --key "$(jget '["public_key"]')" --types risai,hisai,hinan
run 4321 --data "$B" cert issue --type hisai --household "$HB" --note 塀 --disaster 令和7年8月の大雨
keep other-root-hisai "$(jget '["jdv1"]')"
keep tampered-risai "$($py "$data" tamper "$first")"
keep tampered-hisai "$($py "$data" tamper "$(cat "$out/certs/"[0-9][0-9]-hisai-5.txt)")"
keep tampered-hinan "$($py "$data" tamper "$(cat "$out/certs/"[0-9][0-9]-hinan-3.txt)")"
keep truncated "$($py "$data" truncate "$first")"
keep garbage 'JDV1:!!!'
keep not-jdv1 'HC1:NCFOXN'
keep empty "JDV1:"
keep other-version "JDV2:${first#JDV1:}"
keep lower-case "$(tr 'A-Z' 'a-z' <<<"$first")"
count=$(ls "$out/certs" | wc -l)
[ "$count" -eq 50 ] || fail "made $count certificates, not 50"

# --- what shelterctl says of each, on a device holding the final lists
"$ctl" --data "$T" trust import "$out/trust.cbor" >/dev/null || fail "trust import (final)"
"$ctl" --data "$T" trust import "$out/status.cbor" >/dev/null || fail "status import"
for f in "$out/certs/"*.txt; do
  "$ctl" --data "$T" --json cert verify "$(cat "$f")" >"${f%.txt}.verify.json" 2>"${f%.txt}.verify.err"
done

# --- the published page: config.json from `trust show --json`, the older trust list
"$ctl" --data "$A" --json trust show >"$out/trust-show.json" || fail "trust show"
$py - "$out/trust-show.json" "$out/site/config.json" <<'PY' || fail "config.json"
import json, sys
show = json.load(open(sys.argv[1]))
json.dump({"municipality_code": show["municipality"], "municipality_name": "千代田区",
           "root_public_key": show["root_public_key"],
           "page_url": "https://www.city.chiyoda.example.jp/shoumei/"},
          open(sys.argv[2], "w"), ensure_ascii=False)
PY
cp "$out/trust-old.cbor" "$out/site/trust_list.cbor"
# The newer trust list as a JTL1 QR code (photographed), the status list as a file.
"$ctl" --data "$A" trust export -o "$out/trust.txt" --text >/dev/null || fail "trust export --text"
[ "$(cat "$out/trust.txt")" = "$($py "$data" list-qr "$out/trust.cbor" JTL1:)" ] ||
  fail "trust export --text is not the JTL1 form of the trust list's bytes"
"$ctl" qr encode "$(cat "$out/trust.txt")" -o "$out/trust-qr.png" --ecc M >/dev/null ||
  fail "qr encode of the trust list"
# The printed 罹災証明書 for the camera, the 避難証明 as a photo, the 被災証明書 as the PDF itself.
pdftoppm -gray -r 200 -singlefile "$out/risai.pdf" "$out/risai-page" || fail "pdftoppm"
pdftoppm -png -r 150 -singlefile "$out/hinan.pdf" "$out/hinan-photo" || fail "pdftoppm"

# The page's decoder beside shelterctl's on hundreds of damaged and rewritten certificates (node).
node "$src/tests/integration/verify_diff_test.mjs" "$out/site" "$out" "$ctl" "$T" ||
  fail "the page's modules and shelterctl disagree on a damaged certificate"
node "$src/tests/integration/verify_page_test.mjs" "$out" "$build/npm-verify" ||
  fail "the page's verdicts differ or it failed in the browser (screenshots in $out)"
echo "PASS: certificate verifier page (screenshots in $out)"
