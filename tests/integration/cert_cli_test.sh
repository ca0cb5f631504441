#!/usr/bin/env bash
# Certificates end to end with shelterctl: a disaster, an assessment, issuing keys on two devices,
# the signed trust list, 罹災証明書 / 被災証明書 / 避難証明 issued as PDF + JDV1 QR, verified on the
# other device from the QR text, the rasterized page and the PDF, checked by an independent
# COSE/CBOR implementation (Debian's python3-cbor2 + python3-nacl), and every failure reason.
# Usage: cert_cli_test.sh SHELTERCTL SOURCE_DIR
set -u
ctl=$1
src=$2
py=/usr/bin/python3
verifier="$src/tests/integration/cert_independent_verify.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SHELTER_TEST_FAST_KDF=1
for tool in pdftotext pdftoppm; do
  command -v $tool >/dev/null || { echo "FAIL: $tool is missing (poppler-utils; tools/dev installs it)"; exit 1; }
done
$py -c "import cbor2, nacl.signing" 2>/dev/null || { echo "FAIL: $py lacks cbor2/nacl (python3-cbor2, python3-nacl)"; exit 1; }
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect_ok() { local what=$1; shift; if "$@" >"$tmp/out" 2>"$tmp/err"; then ok; else bad "$what: $(cat "$tmp/err")"; fi; }
expect_fail() {  # expect_fail WHAT PATTERN CMD...: non-zero exit and PATTERN on stderr
  local what=$1 pattern=$2; shift 2
  if "$@" >"$tmp/out" 2>"$tmp/err"; then bad "$what: succeeded"; return; fi
  grep -q -- "$pattern" "$tmp/err" && ok || bad "$what: stderr was: $(cat "$tmp/err")"
}
jget() { $py -c "import json,sys; d=json.load(open('$tmp/out')); print($1)"; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }

A="$tmp/admin"; T="$tmp/tablet"
# --- set-up: municipality, shelter, disaster, a tablet
expect_ok "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
expect_ok "shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
expect_ok "disaster add" sh -c "echo 1234 | '$ctl' --data '$A' disaster add --name 令和7年8月の大雨 --date 2025-08-10 --kind flood"
expect_ok "enroll" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$T'"
hh='{"address":"東京都千代田区麹町二丁目八番","members":[{"name":"山田 太郎","kana":"やまだ たろう","head":true},{"name":"山田 花子","kana":"やまだ はなこ"}]}'
# The municipality office registers and assesses this household; the shelter tablet another one.
expect_ok "register (office)" sh -c "printf '1234\n%s\n' '$hh' | '$ctl' --data '$A' --json register - --shelter E1310100000001"
H=$(jget 'd["household"]')
expect_ok "register (tablet)" sh -c "printf '5678\n%s\n' '$hh' | '$ctl' --data '$T' --json register - --checkin"
HT=$(jget 'd["household"]')

# --- assessment: first survey, then a re-survey supersedes it
expect_ok "assess first" sh -c "echo 1234 | '$ctl' --data '$A' assess $H --disaster 令和7年8月の大雨 --level hankai --flood below_floor --date 2025-08-12"
expect_ok "assess resurvey" sh -c "echo 1234 | '$ctl' --data '$A' assess $H --disaster 令和7年8月の大雨 --level 大規模半壊 --flood 床上 --stage resurvey --date 2025-08-20"
expect_fail "assess bad level" "unknown damage level" sh -c "echo 1234 | '$ctl' --data '$A' assess $H --disaster 令和7年8月の大雨 --level big"
expect_ok "assess history" sh -c "echo 1234 | '$ctl' --data '$A' --json assess history $H"
check "history keeps both surveys, the re-survey current" [ "$(jget '[(a["level"], a["current"]) for a in d]')" = "[('hankai', False), ('daikibo_hankai', True)]" ]

# --- issuing keys and the trust list
expect_ok "office key" sh -c "echo 1234 | '$ctl' --data '$A' --json cert key-new"
KA=$(jget 'd["public_key"]'); KIDA=$(jget 'd["kid"]')
expect_ok "tablet key" sh -c "echo 5678 | '$ctl' --data '$T' --json cert key-new"
KT=$(jget 'd["public_key"]')
expect_ok "trust office key" sh -c "echo 1234 | '$ctl' --data '$A' trust add --key $KA --types risai,hisai --label 千代田区税務課"
expect_ok "trust tablet key" sh -c "echo 1234 | '$ctl' --data '$A' --json trust add --key $KT --types hinan --label 麹町小-tablet"
check "serial prefixes differ" [ "$(jget 'd["serial_prefix"]')" = K002 ]
expect_fail "trust add on a tablet" "may not" sh -c "echo 5678 | '$ctl' --data '$T' trust add --key $KT --types risai"
expect_ok "trust export" "$ctl" --data "$A" trust export -o "$tmp/trust.cbor"
cp "$tmp/trust.cbor" "$tmp/forged.cbor"; printf 'X' | dd of="$tmp/forged.cbor" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_fail "forged trust list" "" "$ctl" --data "$T" trust import "$tmp/forged.cbor"
expect_ok "trust import" "$ctl" --data "$T" trust import "$tmp/trust.cbor"
expect_ok "trust show" "$ctl" --data "$T" --json trust show
"$ctl" --data "$T" --json trust show > "$tmp/trust.json"
check "trust show names the root public key (the verifier page's config.json)" \
  [ "$(jget 'len(bytes.fromhex(d["root_public_key"])), d["municipality"]')" = "32 131016" ]

# --- issuing: the tablet may sign only 避難証明
expect_fail "tablet issues 罹災" "may not issue a risai" sh -c "echo 5678 | '$ctl' --data '$T' cert issue --type risai --household $HT"
expect_ok "tablet issues 避難証明" sh -c "echo 5678 | '$ctl' --data '$T' --json cert issue --type hinan --household $HT -o '$tmp/hinan.pdf'"
HINAN=$(jget 'd["jdv1"]')
expect_ok "office issues 罹災" sh -c "echo 1234 | '$ctl' --data '$A' --json cert issue --type risai --household $H --members -o '$tmp/risai.pdf' --issuer-title 千代田区長 --print"
RISAI=$(jget 'd["jdv1"]'); RSERIAL=$(jget 'd["serial"]')
check "罹災証明書 carries the re-survey's level" [ "$(jget 'd["level"], d["flood"]')" = "daikibo_hankai above_floor" ]
if lpstat -d 2>/dev/null | grep -q "^system default destination:"; then
  check "printed" [ "$(jget 'd["printed"]')" = True ]
else
  check "no printer: said so, PDF kept" [ "$(jget 'd["printed"]')" = False ]
fi
expect_ok "office issues 被災" sh -c "echo 1234 | '$ctl' --data '$A' --json cert issue --type hisai --household $H --note カーポート損壊"
HISAI=$(jget 'd["jdv1"]'); HSERIAL=$(jget 'd["serial"]')

# --- the PDF: Japanese text extractable, the QR decodes from the rasterized page
pdftotext "$tmp/risai.pdf" "$tmp/risai.txt"
for want in 罹災証明書 "山田 太郎" 東京都千代田区麹町二丁目八番 大規模半壊 "$RSERIAL" 千代田区長 "山田 花子"; do
  grep -q -- "$want" "$tmp/risai.txt" && ok || bad "pdftotext lacks '$want'"
done
pdftotext "$tmp/hinan.pdf" - | grep -q 避難証明書 && ok || bad "避難証明 PDF text"
pdftoppm -gray -r 150 -singlefile "$tmp/risai.pdf" "$tmp/page"
expect_ok "verify the page image" "$ctl" --data "$T" --json cert verify "$tmp/page.pgm"
check "page image valid" [ "$(jget 'd["status"], d["certificate"]["serial"]')" = "valid $RSERIAL" ]
expect_ok "verify the PDF" "$ctl" --data "$T" cert verify "$tmp/risai.pdf"
echo "$HINAN" > "$tmp/hinan.txt"
expect_ok "verify 避難証明 from a text file on the office" "$ctl" --data "$A" cert verify "$tmp/hinan.txt"

# --- the independent implementation agrees
for cert in "$RISAI" "$HINAN" "$HISAI"; do
  $py "$verifier" verify "$tmp/trust.json" "$cert" > "$tmp/out" || bad "independent verifier crashed"
  check "independent: valid, canonical CBOR, within 280 bytes" \
    [ "$(jget 'd["valid"] and d["canonical"] and d["wire_bytes"] <= 280 and d["iss"] == "131016"')" = True ]
done
$py "$verifier" verify "$tmp/trust.json" "$RISAI" > "$tmp/out"
check "independent: 罹災証明書 claims" [ "$(jget 'd["type"], d["serial"], d["head_name"], d["level"]')" = "1 $RSERIAL 山田 太郎 1" ]

# --- failures, each with its reason
TAMPERED=$($py "$verifier" tamper "$RISAI")
expect_fail "tampered" "tampered" "$ctl" --data "$T" cert verify "$TAMPERED"
$py "$verifier" verify "$tmp/trust.json" "$TAMPERED" > "$tmp/out"
check "independent: tampered is invalid too" [ "$(jget 'd["valid"]')" = False ]
expect_fail "unknown key" "unknown_key" "$ctl" --data "$T" cert verify "$($py "$verifier" forge "$RISAI")"
expect_fail "malformed" "malformed" "$ctl" --data "$T" cert verify "JDV1:!!!"
expect_fail "not JDV1" "malformed" "$ctl" --data "$T" cert verify "HC1:NCFOXN"

# Revocation and reissue travel in the signed status list.
expect_ok "revoke" sh -c "echo 1234 | '$ctl' --data '$A' cert revoke $RSERIAL --reason error"
expect_ok "reissue 被災" sh -c "echo 1234 | '$ctl' --data '$A' --json cert reissue $HSERIAL"
HISAI2=$(jget 'd["jdv1"]')
check "reissue keeps the number" [ "$(jget 'd["serial"], d["issue_no"]')" = "$HSERIAL 2" ]
expect_ok "publish status" sh -c "echo 1234 | '$ctl' --data '$A' trust publish-status -o '$tmp/status.cbor'"
expect_ok "import status" "$ctl" --data "$T" trust import "$tmp/status.cbor"
expect_fail "revoked" "revoked" "$ctl" --data "$T" cert verify "$RISAI"
expect_fail "superseded paper" "reissue" "$ctl" --data "$T" cert verify "$HISAI"
expect_ok "reissued paper" "$ctl" --data "$T" --json cert verify "$HISAI2"
check "revocation data checked" [ "$(jget 'd["revocation_checked"]')" = True ]

# The admin narrows the tablet key to 被災 only: its 避難証明 is then signed by a key not allowed.
expect_ok "narrow tablet key" sh -c "echo 1234 | '$ctl' --data '$A' trust add --key $KT --types hisai"
expect_ok "withdraw office key" sh -c "echo 1234 | '$ctl' --data '$A' trust withdraw --kid $KIDA"
expect_ok "trust export 2" "$ctl" --data "$A" trust export -o "$tmp/trust2.cbor"
expect_ok "trust import 2" "$ctl" --data "$T" trust import "$tmp/trust2.cbor"
expect_fail "older trust list refused" "newer" "$ctl" --data "$T" trust import "$tmp/trust.cbor"
expect_fail "key not allowed" "key_not_allowed" "$ctl" --data "$T" cert verify "$HINAN"
expect_fail "key withdrawn" "key_withdrawn" "$ctl" --data "$T" cert verify "$HISAI2"

# --- the lists travel by sync: a second tablet never imports a file
T2="$tmp/tablet2"
expect_ok "enroll tablet 2" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$T2'"
sync_admin_to_t2() {  # a one-session server on tablet 2, the admin device dials it
  echo 5678 | "$ctl" --data "$T2" --json serve --listen 0 --bind 127.0.0.1 --sessions 1 --timeout 30 >"$tmp/serve.log" 2>&1 &
  local spid=$! port=""
  for _ in $(seq 100); do
    port=$($py -c "import json; print(json.loads(open('$tmp/serve.log').readline())['listening'])" 2>/dev/null) && break
    sleep 0.1
  done
  [ -n "$port" ] || { bad "tablet 2 did not serve: $(cat "$tmp/serve.log")"; kill $spid; return; }
  expect_ok "admin -> tablet 2" sh -c "echo 1234 | '$ctl' --data '$A' sync --peer 127.0.0.1:$port"
  wait $spid
}
expect_ok "rotated office key" sh -c "echo 1234 | '$ctl' --data '$A' --json cert key-new"
KA2=$(jget 'd["public_key"]')
expect_ok "trust rotated key" sh -c "echo 1234 | '$ctl' --data '$A' trust add --key $KA2 --types hisai --label 千代田区税務課-2"
expect_ok "issue with the rotated key" sh -c "echo 1234 | '$ctl' --data '$A' --json cert issue --type hisai --household $H --note 塀の倒壊"
HISAI3=$(jget 'd["jdv1"]'); H3SERIAL=$(jget 'd["serial"]')
expect_fail "tablet 2 before any sync" "no trust list" "$ctl" --data "$T2" cert verify "$HISAI3"
sync_admin_to_t2
expect_ok "new key verifies on tablet 2 after sync" "$ctl" --data "$T2" cert verify "$HISAI3"
expect_ok "trust show on tablet 2" "$ctl" --data "$T2" --json trust show
check "tablet 2 holds the newest trust list" [ "$(jget 'd["version"]')" = 5 ]
check "and the status list" [ "$(jget 'd["status_list"]["version"]')" = 2 ]  # revoke, publish-status
expect_ok "revoke on the admin" sh -c "echo 1234 | '$ctl' --data '$A' --json cert revoke $H3SERIAL --reason error"
check "revoking on the admin publishes the status list" [ "$(jget 'd["status_list_version"]')" = 3 ]
sync_admin_to_t2
expect_fail "revoked on tablet 2 after sync" "revoked" "$ctl" --data "$T2" cert verify "$HISAI3"
expect_fail "tablet 1 (files only, no sync) does not know the rotated key" "unknown_key" "$ctl" --data "$T" cert verify "$HISAI3"
expect_fail "an older trust list file is still refused on tablet 2" "newer" "$ctl" --data "$T2" trust import "$tmp/trust.cbor"

echo "cert cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
