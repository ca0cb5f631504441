#!/usr/bin/env bash
# Certificates end to end with shelterctl: a disaster, an assessment, issuing keys on two devices,
# the signed trust list, 罹災証明書 / 被災証明書 / 避難証明 issued as PDF + JDV1 QR, verified on the
# other device from the QR text, the rasterized page and the PDF, checked by an independent
# COSE/CBOR implementation (Debian's python3-cbor2 + python3-nacl), and every failure reason. The
# issuer (municipality name, 団体コード, title) is signed from the trust list and printed from the
# claims with the verify URL; cert verify shows it, the members and a revocation's date and
# reason, also from list files alone (--trust, --status, --root) without a data directory.
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
jfirst() { $py -c "import json,sys; d=json.loads(open('$tmp/out').readline()); print($1)"; }  # a refusal's output
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

# --- issuing keys and the trust list (with the verifier page's address certificates print)
URL=https://www.city.chiyoda.lg.jp/shelterkit/verify/
expect_fail "verify URL that is no address" "http(s) address" sh -c "echo 1234 | '$ctl' --data '$A' municipality set --verify-url 'javascript:alert(1)'"
expect_ok "verify URL" sh -c "echo 1234 | '$ctl' --data '$A' municipality set --verify-url $URL"
expect_ok "office key" sh -c "echo 1234 | '$ctl' --data '$A' --json cert key-new"
KA=$(jget 'd["public_key"]'); KIDA=$(jget 'd["kid"]')
expect_ok "tablet key" sh -c "echo 5678 | '$ctl' --data '$T' --json cert key-new"
KT=$(jget 'd["public_key"]')
expect_ok "trust office key" sh -c "echo 1234 | '$ctl' --data '$A' trust add --key $KA --types risai,hisai --label 千代田区税務課 --title 千代田区長"
expect_ok "trust tablet key" sh -c "echo 1234 | '$ctl' --data '$A' --json trust add --key $KT --types hinan --label 麹町小-tablet --title 千代田区長"
KIDT=$(jget 'd["kid"]')
check "serial prefixes differ" [ "$(jget 'd["serial_prefix"]')" = K002 ]
expect_fail "trust add on a tablet" "may not" sh -c "echo 5678 | '$ctl' --data '$T' trust add --key $KT --types risai"
expect_ok "trust export" "$ctl" --data "$A" trust export -o "$tmp/trust.cbor"
cp "$tmp/trust.cbor" "$tmp/forged.cbor"; printf 'X' | dd of="$tmp/forged.cbor" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_fail "forged trust list" "" "$ctl" --data "$T" trust import "$tmp/forged.cbor"
expect_ok "trust import" "$ctl" --data "$T" trust import "$tmp/trust.cbor"
expect_ok "trust show" "$ctl" --data "$T" --json trust show
"$ctl" --data "$T" --json trust show > "$tmp/trust.json"
check "trust show: root key, municipality name, verify URL, titles" [ "$(jget 'len(d["root_public_key"]), d["municipality_name"], d["verify_url"], d["keys"][0]["title"]')" = "64 千代田区 $URL 千代田区長" ]
ROOT=$(jget 'd["root_public_key"]')

# --- issuing: the tablet may sign only 避難証明
expect_fail "tablet issues 罹災" "may not issue a risai" sh -c "echo 5678 | '$ctl' --data '$T' cert issue --type risai --household $HT"
expect_ok "tablet issues 避難証明" sh -c "echo 5678 | '$ctl' --data '$T' --json cert issue --type hinan --household $HT -o '$tmp/hinan.pdf'"
HINAN=$(jget 'd["jdv1"]')
expect_fail "a title given at issue is refused" "trust add" sh -c "echo 1234 | '$ctl' --data '$A' cert issue --type risai --household $H --issuer-title 内閣総理大臣"
expect_ok "office issues 罹災" sh -c "echo 1234 | '$ctl' --data '$A' --json cert issue --type risai --household $H --members -o '$tmp/risai.pdf' --print"
RISAI=$(jget 'd["jdv1"]'); RSERIAL=$(jget 'd["serial"]')
check "the issuer is in the claims" [ "$(jget 'd["issuer_title"], d["municipality_name"], d["issuer"]')" = "千代田区長 千代田区 131016" ]
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
for want in 罹災証明書 "山田 太郎" 東京都千代田区麹町二丁目八番 大規模半壊 "$RSERIAL" 千代田区長 "山田 花子" \
    "千代田区（団体コード 131016）" "$URL"; do
  grep -q -- "$want" "$tmp/risai.txt" && ok || bad "pdftotext lacks '$want'"
done
pdftotext "$tmp/hinan.pdf" - | grep -q 避難証明書 && ok || bad "避難証明 PDF text"
pdftoppm -gray -r 150 -singlefile "$tmp/risai.pdf" "$tmp/page"
expect_ok "verify the page image" "$ctl" --data "$T" --json cert verify "$tmp/page.pgm"
check "page image valid" [ "$(jget 'd["status"], d["certificate"]["serial"]')" = "valid $RSERIAL" ]
expect_ok "verify the PDF" "$ctl" --data "$T" cert verify "$tmp/risai.pdf"
for want in "発行者: 千代田区長（千代田区、団体コード 131016）" "世帯構成員: 山田 花子"; do
  grep -q -- "$want" "$tmp/out" && ok || bad "cert verify text lacks '$want': $(cat "$tmp/out")"
done
expect_ok "verify --json" "$ctl" --data "$T" --json cert verify "$RISAI"
check "verify --json: issuer and members" [ "$(jget 'd["issuer"]["municipality_name"], d["issuer"]["municipality_code"], d["issuer"]["title"], d["certificate"]["members"]')" = "千代田区 131016 千代田区長 ['山田 花子']" ]
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
check "independent: the issuer in claims 13 and 19" [ "$(jget 'd["issuer_title"], d["municipality_name"]')" = "千代田区長 千代田区" ]
$py "$verifier" lists "$ROOT" "$tmp/trust.cbor" > "$tmp/out" || bad "independent lists crashed"
check "independent: trust list keys 5, 6 and 9" [ "$(jget 'd["municipality_name"], d["verify_url"], d["titles"]')" = "千代田区 $URL ['千代田区長', '千代田区長']" ]

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
TODAY=$(TZ=Asia/Tokyo date +%F)
expect_fail "revoked: date and reason (text)" "revoked" "$ctl" --data "$T" cert verify "$RISAI"
grep -q -- "revoked on $TODAY (reason: error)" "$tmp/out" && ok || bad "revocation date and reason not shown: $(cat "$tmp/out")"
expect_fail "revoked: date and reason (json)" "revoked" "$ctl" --data "$T" --json cert verify "$RISAI"
check "revoked --json: date, reason, issuer" [ "$(jfirst 'd["revocation"]["revoked_on"], d["revocation"]["reason"], d["issuer"]["title"]')" = "$TODAY error 千代田区長" ]
$py "$verifier" lists "$ROOT" "$tmp/trust.cbor" "$tmp/status.cbor" > "$tmp/out" || bad "independent lists crashed"
check "independent: status list reason as the 4th element" [ "$(jget 'd["revocations"]')" = "[['$RSERIAL', 'error'], ['$HSERIAL']]" ]

# --- no data directory: the signed lists as files and the root key by hand
expect_ok "files only: valid" "$ctl" --json cert verify --trust "$tmp/trust.cbor" --status "$tmp/status.cbor" --root "$ROOT" "$HISAI2"
check "files only: valid, revocation checked, issuer shown" [ "$(jget 'd["status"], d["revocation_checked"], d["issuer"]["title"]')" = "valid True 千代田区長" ]
expect_fail "files only: revoked" "revoked" "$ctl" --json cert verify --trust "$tmp/trust.cbor" --status "$tmp/status.cbor" --root "$ROOT" "$RISAI"
check "files only: revocation reason" [ "$(jfirst 'd["revocation"]["reason"]')" = error ]
expect_ok "files only: no status list" "$ctl" cert verify --trust "$tmp/trust.cbor" --root "$ROOT" "$RISAI"
grep -q "no revocation data" "$tmp/out" && ok || bad "files only without --status does not say revocations are unchecked"
expect_fail "files only: --root is needed" "needs --root HEX" "$ctl" cert verify --trust "$tmp/trust.cbor" "$RISAI"
expect_fail "files only: another root key" "not signed by this municipality's root key" "$ctl" cert verify --trust "$tmp/trust.cbor" --root "$KA" "$RISAI"
expect_fail "neither --data nor --trust" "needs --data DIR.*--trust FILE --root" "$ctl" cert verify "$RISAI"

# --- a certificate naming a title its key is no longer listed for (retitled) is refused
expect_ok "retitle tablet key" sh -c "echo 1234 | '$ctl' --data '$A' --json trust retitle --kid $KIDT --title 麹町小学校避難所長"
check "retitled" [ "$(jget 'd["title"]')" = 麹町小学校避難所長 ]
expect_ok "trust export (retitled)" "$ctl" --data "$A" trust export -o "$tmp/trust_retitled.cbor"
expect_fail "forged title refused" "names an issuer its key is not listed for" "$ctl" cert verify --trust "$tmp/trust_retitled.cbor" --root "$ROOT" "$HINAN"
expect_ok "the same certificate under the list it was issued with" "$ctl" cert verify --trust "$tmp/trust.cbor" --root "$ROOT" "$HINAN"

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
check "tablet 2 holds the newest trust list" [ "$(jget 'd["version"]')" = 7 ]  # + verify URL, retitle
check "and the status list" [ "$(jget 'd["status_list"]["version"]')" = 2 ]  # revoke, publish-status
expect_ok "revoke on the admin" sh -c "echo 1234 | '$ctl' --data '$A' --json cert revoke $H3SERIAL --reason error"
check "revoking on the admin publishes the status list" [ "$(jget 'd["status_list_version"]')" = 3 ]
sync_admin_to_t2
expect_fail "revoked on tablet 2 after sync" "revoked" "$ctl" --data "$T2" cert verify "$HISAI3"
expect_fail "tablet 1 (files only, no sync) does not know the rotated key" "unknown_key" "$ctl" --data "$T" cert verify "$HISAI3"
expect_fail "an older trust list file is still refused on tablet 2" "newer" "$ctl" --data "$T2" trust import "$tmp/trust.cbor"

echo "cert cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
