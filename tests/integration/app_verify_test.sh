#!/usr/bin/env bash
# shelter-app's certificate check (証明書の確認), headless: shelterctl makes one certificate per
# outcome (valid, tampered, unknown key, key not allowed, key expired, key withdrawn, revoked,
# superseded by a reissue, torn QR), the tablet imports the signed trust and status lists, and the
# app reads each certificate from the test camera (`scan`), from pasted text and from files (PDF,
# PNG; typed as a path, or picked by tapping through the folders of a USB stick). Every outcome's
# mark is expected on screen and shot in Japanese and English; the result is gone once the screen
# is left.
# Usage: app_verify_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}
py=/usr/bin/python3
forger="$src/tests/integration/cert_independent_verify.py"
for tool in pdftoppm; do
  command -v $tool >/dev/null || { echo "FAIL: $tool is missing (poppler-utils; tools/dev installs it)"; exit 1; }
done
$py -c "import cbor2, nacl.signing" 2>/dev/null || { echo "FAIL: $py lacks cbor2/nacl (python3-cbor2, python3-nacl)"; exit 1; }
A="$tmp/data/admin"
T="$tablet"
step() {  # step WHAT CMD...: stdout in $tmp/out; a failure stops the test (nothing to check)
  local what=$1; shift
  if ! "$@" >"$tmp/out" 2>"$tmp/err"; then echo "FAIL: set-up: $what: $(cat "$tmp/err")"; exit 1; fi
}
jget() { $py -c "import json,sys; d=json.load(open('$tmp/out')); print($1)"; }
admin() { step "$1" sh -c "echo 2580 | '$ctl' --data '$A' --json $2"; }

# --- the municipality office: a disaster, an assessed household, four issuing keys in turn
admin "disaster" "disaster add --name 令和7年8月の大雨 --date 2025-08-10 --kind flood"
hh='{"address":"東京都千代田区麹町二丁目八番","members":[{"name":"山田 太郎","kana":"やまだ たろう","head":true},{"name":"山田 花子","kana":"やまだ はなこ"}]}'
step "register" sh -c "printf '2580\n%s\n' '$hh' | '$ctl' --data '$A' --json register - --shelter E1310100000001"
H=$(jget 'd["household"]')
admin "assess" "assess $H --disaster 令和7年8月の大雨 --level 大規模半壊 --flood 床上 --date 2025-08-12"
new_key() {  # new_key TYPES LABEL [TITLE]: a new issuing key on the office device, trusted; sets KEY, KID
  admin "key-new" "cert key-new"
  KEY=$(jget 'd["public_key"]'); KID=$(jget 'd["kid"]')
  admin "trust add $2" "trust add --key $KEY --types $1 --label $2${3:+ --title $3}"
}
hisai() { admin "issue hisai" "cert issue --type hisai --household $H --disaster 令和7年8月の大雨 --note カーポート損壊"; jget 'd["jdv1"]'; }
new_key hisai 千代田区-旧鍵1;   K1=$KEY; EXPIRED=$(hisai)
new_key hisai 千代田区-旧鍵2;   K2=$KEY; NOT_ALLOWED=$(hisai)
new_key hisai 千代田区-紛失端末; KID3=$KID; WITHDRAWN=$(hisai)
new_key risai,hisai 千代田区税務課 千代田区長
admin "issue risai" "cert issue --type risai --household $H --members -o '$tmp/risai.pdf'"
VALID=$(jget 'd["jdv1"]')
admin "issue risai 2" "cert issue --type risai --household $H"
REVOKED=$(jget 'd["jdv1"]'); RSERIAL=$(jget 'd["serial"]')
SUPERSEDED=$(hisai)
SSERIAL=$(jget 'd["serial"]')
admin "reissue" "cert reissue $SSERIAL"
REISSUED=$(jget 'd["jdv1"]')
admin "revoke" "cert revoke $RSERIAL --reason error"

# --- the shelter tablet's key may sign 避難証明 only
step "tablet key" sh -c "echo 1357 | '$ctl' --data '$T' --staff lead --json cert key-new"
KT=$(jget 'd["public_key"]')
admin "trust tablet" "trust add --key $KT --types hinan --label 麹町小-tablet-1"
step "trust export" "$ctl" --data "$A" trust export -o "$tmp/trust1.cbor"
step "trust import" "$ctl" --data "$T" trust import "$tmp/trust1.cbor"
step "roster" sh -c "echo 1357 | '$ctl' --data '$T' --staff lead --json roster"
HT=$(jget 'next(p["household"] for p in d if p["event"]=="arrive" and p["place"]=="shelter")')
HT_NAME=$(jget 'next(p["name"] for p in d if p["household"]=="'$HT'")')
step "issue hinan" sh -c "echo 1357 | '$ctl' --data '$T' --staff lead --json cert issue --type hinan --household $HT"
HINAN=$(jget 'd["jdv1"]')

# --- later changes on the admin device, then the lists the tablet holds
admin "expire key 1" "trust add --key $K1 --types hisai --label 千代田区-旧鍵1 --from 2024-04-01 --until 2025-03-31"
admin "narrow key 2" "trust add --key $K2 --types risai --label 千代田区-旧鍵2"
admin "withdraw key 3" "trust withdraw --kid $KID3"
step "trust export 2" "$ctl" --data "$A" trust export -o "$tmp/trust2.cbor"
step "trust import 2" "$ctl" --data "$T" trust import "$tmp/trust2.cbor"
step "publish status" sh -c "echo 2580 | '$ctl' --data '$A' trust publish-status -o '$tmp/status.cbor'"
step "import status" "$ctl" --data "$T" trust import "$tmp/status.cbor"
for v in EXPIRED NOT_ALLOWED WITHDRAWN VALID REVOKED SUPERSEDED REISSUED HINAN; do
  case "${!v}" in JDV1:*) ;; *) echo "FAIL: set-up: no certificate for $v"; exit 1 ;; esac
done
TAMPERED=$($py "$forger" tamper "$VALID")
UNKNOWN=$($py "$forger" forge "$VALID")
TORN=${VALID:0:$(( ${#VALID} / 2 ))}
pdftoppm -png -r 150 -singlefile "$tmp/risai.pdf" "$tmp/risai_page"
# A USB stick as the picker finds it: the certificate two folders down, a decoy folder, files the
# verifier cannot read, and a symlink back up that the picker must not offer.
stick="$tmp/usb/STICK"
mkdir -p "$stick/certs/2025" "$stick/photos"
cp "$tmp/risai.pdf" "$stick/certs/2025/risai.pdf"
echo notes >"$stick/certs/readme.doc"
ln -s .. "$stick/certs/2025/loop"
export SHELTER_USB_ROOT="$tmp/usb"

# name:text-variable:expected status; the CLI on the tablet must agree before the app is asked.
cases=(01_valid:VALID:valid 02_tampered:TAMPERED:tampered 03_unknown_key:UNKNOWN:unknown_key
       04_key_not_allowed:NOT_ALLOWED:key_not_allowed 05_key_expired:EXPIRED:key_expired
       06_key_withdrawn:WITHDRAWN:key_withdrawn 07_revoked:REVOKED:revoked
       08_superseded:SUPERSEDED:revoked 09_torn_qr:TORN:malformed 10_hinan_valid:HINAN:valid
       11_reissued_valid:REISSUED:valid)
for c in "${cases[@]}"; do
  IFS=: read -r name var want <<<"$c"
  "$ctl" --data "$T" --json cert verify "${!var}" 2>/dev/null | head -1 >"$tmp/out"  # then the error
  got=$(jget 'd["status"]' 2>/dev/null)
  [ "$got" = "$want" ] || bad "shelterctl on the tablet: $name is '$got', expected '$want'"
done

# --- the app: each certificate from the camera, the valid one also as pasted text and as files
for lang in ja en; do
  s="$tmp/verify_$lang.script"
  {
    echo "click login.staff.lead"; echo "pin 1357"; echo "click login.submit"
    echo "click nav.verify"; echo "expect verify.lists"; echo "shot 00_empty"
    for c in "${cases[@]}"; do
      IFS=: read -r name var want <<<"$c"
      echo "scan ${!var}"; echo "expect verify.result.$want"; echo "shot $name"
      [ "$want" = valid ] || echo "absent verify.result.valid"
      echo "click verify.clear"; echo "absent verify.result.$want"
    done
    # pasted text
    echo "click verify.text"; echo "type $TAMPERED"; echo "click verify.check"
    echo "expect verify.result.tampered"; echo "click verify.clear"
    echo "click verify.text"; echo "type $VALID"; echo "key Return"
    echo "expect verify.result.valid"; echo "shot 12_pasted_valid"; echo "click verify.clear"
    # files: the certificate PDF, its page as PNG, and a file with no QR
    echo "click verify.path"; echo "type $tmp/risai.pdf"; echo "click verify.open"
    echo "expect verify.result.valid"; echo "shot 13_pdf_valid"; echo "click verify.clear"
    echo "click verify.path"; echo "type $tmp/risai_page.png"; echo "click verify.open"
    echo "expect verify.result.valid"; echo "click verify.clear"
    echo "click verify.path"; echo "type $tmp/no-such-file.png"; echo "click verify.open"
    echo "expect verify.error"; echo "shot 14_no_file"; echo "click verify.clear"
    # the picker: by touch from the stick, into the wrong folder and back up, then down to the PDF
    echo "click verify.browse"; echo "expect verify.pick"; echo "click verify.pick.start.0"
    echo "expect verify.pick.entry.certs"; echo "absent verify.pick.entry.risai.pdf"
    echo "click verify.pick.entry.photos"; echo "expect verify.pick.up"
    echo "absent verify.pick.entry.certs"; echo "click verify.pick.up"
    echo "click verify.pick.entry.certs"; echo "absent verify.pick.entry.readme.doc"
    echo "click verify.pick.entry.2025"; echo "absent verify.pick.entry.loop"
    echo "expect verify.pick.entry.risai.pdf"; echo "shot 15_picker"
    echo "click verify.pick.entry.risai.pdf"; echo "expect verify.result.valid"
    echo "absent verify.pick"; echo "shot 16_picked_valid"
    # Clear keeps the folder: the next file is often beside the last one
    echo "click verify.clear"; echo "click verify.browse"; echo "expect verify.pick.entry.risai.pdf"
    echo "click verify.pick.close"; echo "absent verify.pick"
    # nothing stays on screen once the clerk leaves
    echo "scan $VALID"; echo "expect verify.result.valid"
    echo "click nav.dashboard"; echo "click nav.verify"; echo "expect verify.lists"
    echo "absent verify.result.valid"; echo "absent verify.clear"
    echo "quit"
  } >"$s"
  run_app "$lang" "$s" --lang "$lang" || continue
  for f in "$tmp/$lang"/*.png; do check_png "$f"; done
  n=$(ls "$tmp/$lang"/*.png | wc -l)
  [ "$n" -eq 17 ] || bad "$lang: $n screenshots, expected 17"
done
if cmp -s "$tmp/ja/01_valid.png" "$tmp/en/01_valid.png"; then bad "ja and en results are identical"; fi

# Without a trust list the screen says so instead of guessing.
rm -rf "$tmp/bare"; mkdir -p "$tmp/bare"
printf 'click login.staff.lead\npin 1357\nclick login.submit\nclick nav.verify\nscan %s\nexpect verify.error\nquit\n' \
  "$VALID" >"$tmp/bare.script"
step "fresh tablet" sh -c "printf '2580\n1357\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$tmp/bare/t' --label t2 --lead lead"
tablet="$tmp/bare/t" run_app bare "$tmp/bare.script" --lang en

# 避難証明 from the household screen: issued on the tablet by core (as shelterctl does), then
# printed; without a printer the clerk is told, and the certificate is on record either way.
count_hinan() {
  echo 1357 | "$ctl" --data "$T" --staff lead --json cert list 2>/dev/null |
    $py -c "import json,sys; print(sum(1 for c in json.load(sys.stdin) if c['type']=='hinan'))"
}
before=$(count_hinan)
printf 'click login.staff.lead\npin 1357\nclick login.submit\nclick nav.search\nclick search.query\ntype %s\nkey Return\nclick result.0.open\nclick hh.cert.hinan\nshot household_issued\nquit\n' \
  "$HT_NAME" >"$tmp/issue.script"
if run_app issue "$tmp/issue.script" --lang ja; then
  check_png "$tmp/issue/household_issued.png"
  after=$(count_hinan)
  [ "$after" = $((before + 1)) ] || bad "the household screen issued no 避難証明 ($before before, $after after)"
fi

if [ -n "$out" ]; then mkdir -p "$out" && cp -r "$tmp/ja" "$tmp/en" "$tmp/issue" "$out/" 2>/dev/null; fi
[ $failed -eq 0 ] && echo "app verify ok (${#cases[@]} certificates x 2 languages, text, PDF, PNG, picked by touch)"
exit $((failed > 0))
