#!/usr/bin/env bash
# shelter-app's certificate, damage-assessment and issuing-key screens, headless.
# On a shelter tablet whose issuing key the office trusts for 避難証明: issued with no printer
# (--printer none), the certificate is kept as a 0600 PDF in DATA/certificates (0700) that
# shelterctl verifies, with the same serial; the QR on the screen decodes to the same JDV1 text as
# the PDF's; print again keeps the serial and issue (no new record); reissue makes issue 2; revoke
# with a reason shows as revoked in `cert list`. What core refuses is refused with core's reason:
# no 罹災証明書 or survey is offered to the tablet, a staff account cannot revoke or make a key. A
# lead makes a new issuing key in the settings; read from the screen's QR and trusted, it signs the
# next certificate. On the office (admin) device: a 2次 survey recorded in the app supersedes the
# 1次, a 罹災証明書 with members and a 被災証明書 are issued from it, and the office's screens pass
# the layout audit at 1024x600 and 200 % text in every language. Shots in Japanese and English.
# Usage: app_certs_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}
py=/usr/bin/python3
A="$tmp/data/admin"
T="$tablet"
step() {  # step WHAT CMD...: stdout in $tmp/out; a failure stops the test (nothing to check)
  local what=$1; shift
  if ! "$@" >"$tmp/out" 2>"$tmp/err"; then echo "FAIL: set-up: $what: $(cat "$tmp/err")"; exit 1; fi
}
jget() { $py -c "import json,sys; d=json.load(open('$tmp/out')); print($1)"; }
lead() { step "$1" sh -c "echo 1357 | '$ctl' --data '$T' --staff lead --json $2"; }

# --- the office trusts the tablet's new issuing key for 避難証明; the tablet takes the list
lead "key-new" "cert key-new"
KT=$(jget 'd["public_key"]')
step "trust add" sh -c "echo 2580 | '$ctl' --data '$A' --json trust add --key $KT --types hinan --label 麹町小-tablet-1"
step "trust export" "$ctl" --data "$A" trust export -o "$tmp/trust.cbor"
step "trust import" "$ctl" --data "$T" trust import "$tmp/trust.cbor"
lead "roster" "roster"
HT=$(jget 'next(p["household"] for p in d if p["event"]=="arrive" and p["place"]=="shelter")')
NAME=$(jget 'next(p["name"] for p in d if p["household"]=="'$HT'")')
certs() {  # the household's certificates as "serial issue status" lines
  lead "cert list" "cert list"
  jget '"\n".join("%s %s %s" % (c["serial"], c["issue_no"], c["status"]) for c in d if c["household"]=="'$HT'")'
}
open_hh="click login.staff.lead
pin 1357
click login.submit
click nav.search
click search.query
type $NAME
key Return
click result.0.open
expect hh.certs"

# --- 1 (ja): issued from the household screen without a printer, shown, printed again
cat >"$tmp/issue.script" <<S
$open_hh
click hh.cert.hinan
expect certs.qr
expect certs.shown.type.hinan
expect certs.shown.issue=1
expect certs.shown.status=issued
expect certs.shown.file
shot certs_issued
click certs.print
expect certs.shown.issue=1
expect certs.shown.file
absent certs.error
absent certs.type.risai
click certs.back
expect certs.list.0=issued
expect certs.type.hinan
shot certs_list
quit
S
run_app ja "$tmp/issue.script" --lang ja --printer none || exit 1
list=$(certs)
[ "$(echo "$list" | grep -c .)" -eq 1 ] || bad "print again made a new certificate: $list"
read -r SERIAL ISSUE STATUS <<<"$list"
[ "$ISSUE $STATUS" = "1 issued" ] || bad "the issued certificate is '$list'"
pdf="$T/certificates/$SERIAL-1.pdf"
if [ ! -f "$pdf" ]; then
  bad "no PDF kept at certificates/$SERIAL-1.pdf: $(ls "$T/certificates" 2>&1)"
else
  [ "$(stat -c %a "$pdf")" = 600 ] || bad "the PDF's mode is $(stat -c %a "$pdf"), not 600"
  [ "$(stat -c %a "$T/certificates")" = 700 ] || bad "the folder's mode is $(stat -c %a "$T/certificates")"
  "$ctl" --data "$T" --json cert verify "$pdf" 2>/dev/null | head -1 >"$tmp/out"
  [ "$(jget 'd["status"]')" = valid ] || bad "the kept PDF does not verify: $(cat "$tmp/out")"
  [ "$(jget 'd["certificate"]["serial"]')" = "$SERIAL" ] || bad "the kept PDF's serial is $(jget 'd.get("certificate",{}).get("serial")'), not $SERIAL"
  "$ctl" --data "$T" cert verify "$pdf" 2>/dev/null | grep -q "$SERIAL" || bad "cert verify's text does not name $SERIAL"
fi
# The QR on the screen is the certificate: the same JDV1 text as the record's.
shot="$tmp/ja/certs_issued.png"
check_png "$shot"
screen_text=$("$ctl" qr decode "$shot" 2>&1)
"$ctl" --data "$T" --json cert verify "$screen_text" 2>/dev/null | head -1 >"$tmp/out"
[ "$(jget 'd["certificate"]["serial"]' 2>/dev/null)" = "$SERIAL" ] || bad "the screen's QR is not certificate $SERIAL: ${screen_text:0:60}"
pdftoppm -png -r 150 -singlefile "$pdf" "$tmp/pdf_page" 2>/dev/null &&
  [ "$("$ctl" qr decode "$tmp/pdf_page.png" 2>&1)" = "$screen_text" ] ||
  bad "the screen's QR and the PDF's differ"

# --- 2 (en): from the household's certificate list, reissue then revoke with a reason
cat >"$tmp/later.script" <<S
$open_hh
click hh.certs
expect certs.list.0=issued
click certs.list.0.open
expect certs.shown.issue=1
click certs.reissue
expect certs.shown.issue=2
expect certs.shown.file
shot certs_reissued
click certs.revoke
expect certs.reason.fraud
shot certs_revoke_reasons
click certs.reason.error
expect certs.shown.status=revoked
absent certs.reissue
absent certs.print
shot certs_revoked
click certs.back
expect certs.list.0=revoked
quit
S
run_app en "$tmp/later.script" --lang en --printer none || exit 1
list=$(certs)
[ "$list" = "$SERIAL 2 revoked" ] || bad "after reissue and revoke the record is '$list', expected '$SERIAL 2 revoked'"
lead "cert list" "cert list"
[ "$(jget 'next(c["reason"] for c in d if c["serial"]=="'$SERIAL'")')" = error ] || bad "the revocation's reason is not 'error'"
[ -f "$T/certificates/$SERIAL-2.pdf" ] || bad "the reissue's PDF was not kept"
[ "$(stat -c %a "$T/certificates/$SERIAL-2.pdf" 2>/dev/null)" = 600 ] || bad "the reissue's PDF is not 0600"
for f in "$tmp/en"/*.png; do check_png "$f"; done
if cmp -s "$tmp/ja/certs_issued.png" "$tmp/en/certs_reissued.png"; then bad "ja and en shots are identical"; fi

# --- a staff account may issue 避難証明 but not revoke it: core refuses, the screen says so
cat >"$tmp/staff.script" <<S
click login.staff.s-sato
pin 4444
click login.submit
click nav.search
click search.query
type $NAME
key Return
click result.0.open
click hh.certs
expect certs.type.hinan
absent certs.type.risai
click certs.issue
expect certs.shown.issue=1
click certs.revoke
click certs.reason.duplicate
expect certs.error
expect certs.shown.status=issued
shot certs_refused
quit
S
run_app staff "$tmp/staff.script" --lang en --printer none
[ "$(certs | grep -c ' 1 issued$')" -eq 1 ] || bad "the staff account's 避難証明 is not on record as issued: $(certs)"

# --- a new issuing key made in the app's settings: a staff account is refused by core; the
# lead's key, read from the screen's QR, is trusted by the office and signs the next 避難証明
printf 'click login.staff.s-sato\npin 4444\nclick login.submit\nclick-if nav.menu\nclick nav.settings\nexpect settings.key.hex\nclick settings.key.new\nclick settings.key.confirm\nexpect settings.key.error\nshot key_refused\nquit\n' >"$tmp/key_staff.script"
run_app key_staff "$tmp/key_staff.script" --lang en --printer none
printf 'click login.staff.lead\npin 1357\nclick login.submit\nclick-if nav.menu\nclick nav.settings\nexpect settings.key.hex\nclick settings.key.new\nexpect settings.key.confirm\nclick settings.key.confirm\nabsent settings.key.confirm\nexpect settings.key.qr\nabsent settings.key.error\nshot key_new\nquit\n' >"$tmp/key_lead.script"
if run_app key_lead "$tmp/key_lead.script" --lang ja --printer none; then
  KN=$("$ctl" qr decode "$tmp/key_lead/key_new.png" 2>&1)
  case "$KN" in [0-9a-f]*) [ ${#KN} -eq 64 ] || bad "the key QR is not a public key: $KN" ;; *) bad "the key QR does not decode: $KN" ;; esac
  [ "$KN" != "$KT" ] || bad "the app made no new key"
  step "trust new key" sh -c "echo 2580 | '$ctl' --data '$A' --json trust add --key $KN --types hinan --label 麹町小-tablet-1b"
  PREFIX=$(jget 'd["serial_prefix"]')
  step "trust export 2" "$ctl" --data "$A" trust export -o "$tmp/trust2.cbor"
  step "trust import 2" "$ctl" --data "$T" trust import "$tmp/trust2.cbor"
  printf '%s\nclick hh.cert.hinan\nexpect certs.shown.file\nquit\n' "$open_hh" >"$tmp/new_key_issue.script"
  run_app new_key_issue "$tmp/new_key_issue.script" --lang ja --printer none
  NEWEST=$(certs | grep -c "^$PREFIX-")
  [ "$NEWEST" -eq 1 ] || bad "no certificate signed with the new key ($PREFIX): $(certs)"
  npdf=$(ls "$T/certificates/$PREFIX"-*.pdf 2>/dev/null | head -1)
  "$ctl" --data "$T" --json cert verify "$npdf" 2>/dev/null | head -1 >"$tmp/out"
  [ "$(jget 'd["status"]' 2>/dev/null)" = valid ] || bad "the new key's certificate does not verify: $(cat "$tmp/out")"
fi

# --- the municipality office (admin device, its key trusted for 罹災証明書): an assessed household
admin() { step "$1" sh -c "echo 2580 | '$ctl' --data '$A' --json $2"; }
admin "disaster" "disaster add --name 令和7年8月の大雨 --date 2025-08-10 --kind flood"
hh='{"address":"東京都千代田区麹町二丁目八番","members":[{"name":"山田 太郎","kana":"やまだ たろう","head":true},{"name":"山田 花子","kana":"やまだ はなこ"}]}'
step "register" sh -c "printf '2580\n%s\n' '$hh' | '$ctl' --data '$A' --json register - --shelter E1310100000001"
H=$(jget 'd["household"]')
admin "assess" "assess $H --disaster 令和7年8月の大雨 --level 大規模半壊 --flood 床上 --date 2025-08-12"
admin "office key" "cert key-new"
KA=$(jget 'd["public_key"]')
admin "trust office" "trust add --key $KA --types risai,hisai,hinan --label 千代田区税務課 --title 千代田区長"
cat >"$tmp/office.script" <<S
click login.staff.admin
pin 2580
click login.submit
click nav.search
click search.query
type やまだ
key Return
click result.0.open
click hh.assess
expect assess.history.0=first.daikibo_hankai.current
click assess.stage.second
click assess.level.zenkai
click assess.flood.above_floor
click assess.surveyor
type 税務課2班
click assess.record
expect assess.history.1=second.zenkai.current
expect assess.history.0=first.daikibo_hankai
shot assess
click assess.back
click hh.certs
expect certs.type.hisai
click certs.type.risai
click certs.members
click certs.issue
expect certs.shown.type.risai
expect certs.shown.level.zenkai
expect certs.shown.file
shot certs_risai
click certs.back
click certs.type.hisai
click certs.disaster.0
click certs.damage_note
type カーポート損壊
click certs.issue
expect certs.shown.type.hisai
expect certs.shown.issue=1
shot certs_hisai
quit
S
tablet="$A" run_app office "$tmp/office.script" --lang ja --printer none
admin "assess history" "assess history $H"
[ "$(jget '"/".join("%s.%s.%s" % (a["stage"], a["level"], a.get("surveyor", "")) for a in d)')" = \
  "first.daikibo_hankai.admin/second.zenkai.税務課2班" ] || bad "the app's survey is not in the history: $(cat "$tmp/out")"
# A shelter tablet is not offered the survey (core would refuse it).
printf '%s\nclick hh.save\nabsent hh.assess\nquit\n' "$open_hh" >"$tmp/no_assess.script"
run_app no_assess "$tmp/no_assess.script" --lang ja --printer none
rpdf=$(ls "$A"/certificates/*.pdf 2>/dev/null | head -1)
[ "$(ls "$A"/certificates/*.pdf 2>/dev/null | wc -l)" -eq 2 ] || bad "the office kept $(ls "$A"/certificates | wc -l) PDFs, expected 2"
echo 2580 | "$ctl" --data "$A" --json cert list >"$tmp/out" 2>/dev/null
[ "$(jget '",".join(sorted(c["type"] for c in d if c["household"]=="'$H'"))')" = hisai,risai ] ||
  bad "the office's certificates are not one 罹災 and one 被災: $(cat "$tmp/out")"
if [ -z "$rpdf" ]; then
  bad "the office kept no 罹災証明書 PDF"
else
  "$ctl" --data "$A" --json cert verify "$rpdf" 2>/dev/null | head -1 >"$tmp/out"
  [ "$(jget 'd["status"]')/$(jget 'd["certificate"]["type"]')" = valid/risai ] ||
    bad "the office's PDF is not a valid 罹災証明書: $(head -c 300 "$tmp/out")"
fi

# --- the office's screens at the narrowest size and 200 % text in every language: the layout
# audit (as integration/app_layout does for the tablet's tour) finds nothing cut off
langs=$($py -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' "$src/assets/i18n/languages.json")
{
  printf 'click login.staff.admin\npin 2580\nclick login.submit\nexpect nav.logout\n'
  for l in $langs; do
    printf 'click lang\nclick lang.%s\nclick-if nav.menu\nclick nav.search\n' "$l"
    # the query and its results stay when the language changes: typed once
    [ "$l" = "${langs%% *}" ] && printf 'click search.query\ntype やまだ\nkey Return\n'
    printf 'click result.0.open\nclick hh.assess\naudit %s/assess\n' "$l"
    printf 'click assess.back\nclick hh.certs\naudit %s/certs\nclick certs.list.0.open\n' "$l"
    printf 'expect certs.qr\naudit %s/cert_shown\nclick certs.revoke\naudit %s/cert_revoke\n' "$l" "$l"
    printf 'click certs.revoke\nclick certs.back\nclick certs.household\n'
  done
  echo quit
} >"$tmp/audit.script"
printf 'text_scale=200\n' >"$A/settings.conf"; chmod 600 "$A/settings.conf"
if tablet="$A" run_app audit "$tmp/audit.script" --lang ja --printer none --size 1024x600 --idle-logout 0; then
  grep -q 'frames audited, no problem' "$tmp/audit.log" || bad "office screens: the audit did not run"
else
  grep '^layout ' "$tmp/audit.log" | head -20
fi

if [ -n "$out" ]; then mkdir -p "$out" && cp -r "$tmp/ja" "$tmp/en" "$tmp/staff" "$tmp/office" "$tmp/key_staff" "$tmp/key_lead" "$out/" 2>/dev/null; fi
[ $failed -eq 0 ] && echo "app certs ok (issued $SERIAL without a printer: kept, verified, QR on screen; printed again, reissued, revoked)"
exit $((failed > 0))
