#!/usr/bin/env bash
# shelterctl end to end, as IT staff and scripts use it: every command, its --json form, and the
# one-line errors for bad input. Usage: shelterctl_cli_test.sh SHELTERCTL SOURCE_DIR
set -u
ctl=$1
src=$2
source "$(dirname "$0")/cli_common.sh"

A="$tmp/admin"; T="$tmp/tablet"
expect_ok "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 13101 --name 千代田区"
grep -q "131016" "$tmp/out" && ok || bad "init should repair the code to 131016"
expect_fail "init twice" "already holds a device" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name x"
expect_fail "PIN in argv" "never passed as arguments" "$ctl" --data "$A" --pin 1234 roster
expect_fail "missing --data" "missing --data" "$ctl" roster
expect_fail "unknown command" "unknown command" "$ctl" --data "$A" frobnicate

# Shelter master data: bad rows reported by line, good rows imported; Shift_JIS and BOM files.
expect_ok "import with bad rows" sh -c "echo 1234 | '$ctl' --data '$A' --json shelter import '$src/tests/data/shelters/opendata_bad_rows.csv'"
[ "$(json_get 'len(d["errors"])')" -ge 1 ] && ok || bad "bad rows not reported"
[ "$(json_get 'd["imported"]')" -ge 1 ] && ok || bad "good rows not imported"
[ "$(json_get 'min(e["line"] for e in d["errors"])')" -ge 2 ] && ok || bad "error lines not numbered"
expect_ok "import Shift_JIS" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/tests/data/shelters/opendata_emergency_sites_sjis.csv'"
expect_ok "import GSI shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
expect_fail "import garbage" "unrecognised header" sh -c "printf 'a,b\n1,2\n' > '$tmp/x.csv'; echo 1234 | '$ctl' --data '$A' shelter import '$tmp/x.csv'"
expect_fail "import missing file" "cannot open" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$tmp/nope.csv'"
expect_ok "shelter list" sh -c "echo 1234 | '$ctl' --data '$A' --json shelter list"
[ "$(json_get 'sum(1 for s in d if s["common_id"]=="E1310100000001")')" = 1 ] && ok || bad "shelter list"

# Devices and staff.
expect_fail "enroll wrong admin PIN" "PIN is wrong" sh -c "printf '9999\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$T'"
expect_ok "enroll" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$T' --label t1"
expect_fail "enroll unknown shelter" "no shelter" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter NOPE --to '$tmp/t2'"
expect_ok "staff add" sh -c "printf '5678\n1111\n' | '$ctl' --data '$T' --staff lead staff add --handle s1 --role staff"
expect_fail "staff add by staff" "may not" sh -c "printf '1111\n2222\n' | '$ctl' --data '$T' --staff s1 staff add --handle s2"
expect_fail "short PIN" "4 to 12 digits" sh -c "printf '5678\n12\n' | '$ctl' --data '$T' --staff lead staff add --handle s3"

# Registration from stdin and from a file; bad JSON is one clear line.
hh='{"address":"東京都千代田区麹町２丁目８","members":[{"name":"髙橋 一郎","kana":"たかはし いちろう","dob":"S30.1.2","sex":"male","head":true,"needs":["ELD"]},{"name":"髙橋 和子","kana":"タカハシ カズコ","dob":"1958/3/4","sex":"female"}]}'
expect_ok "register stdin" sh -c "printf '1111\n%s\n' '$hh' | '$ctl' --data '$T' --staff s1 --json register - --checkin"
person=$(json_get 'd["persons"][0]')
household=$(json_get 'd["household"]')
echo "$hh" > "$tmp/hh.json"
expect_fail "register duplicate" "may already be registered" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 register '$tmp/hh.json'"
expect_ok "register file" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 register --anyway '$tmp/hh.json'"
expect_fail "register bad JSON" "not valid JSON" sh -c "printf '1111\n{nope\n' | '$ctl' --data '$T' --staff s1 register -"
expect_fail "register bad date" "member 1: .dob." sh -c "printf '1111\n%s\n' '{\"members\":[{\"name\":\"x\",\"dob\":\"2023-02-30\"}]}' | '$ctl' --data '$T' --staff s1 register -"
expect_fail "register unknown key" "unknown key" sh -c "printf '1111\n%s\n' '{\"members\":[{\"nmae\":\"x\"}]}' | '$ctl' --data '$T' --staff s1 register -"
grep -q "2023-02-30" "$tmp/err" && bad "error echoed the input value" || ok
# A file over the limit is refused from its size, before a byte is read (8 GiB, sparse).
truncate -s 8G "$tmp/huge.json"
expect_fail "register huge file" "larger than the 1048576 bytes" timeout 20 sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 register '$tmp/huge.json'"
rm -f "$tmp/huge.json"

# Search: kana across scripts and widths, kanji with old forms, birth date in era form.
for q in 'ﾀｶﾊｼ' 'タカハシ' 'たかはし いちろう' '高橋' '髙橋 一郎' '昭和30年1月2日' '1955-01'; do
  expect_ok "search $q" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json search '$q'"
  [ "$(json_get 'len(d)')" -ge 1 ] && ok || bad "search '$q' found nothing"
done
expect_ok "search miss" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 search ほげほげ"
grep -q "no match" "$tmp/out" && ok || bad "search miss"

# Check-out / check-in and counts.
expect_ok "checkout" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 checkout $person"
expect_ok "checkin car" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 checkin $person --place car"
expect_fail "checkin bad id" "" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 checkin 00"
expect_ok "counts" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json counts"
[ "$(json_get 'd["persons"], d["in_shelter"], d["in_car"], d["not_arrived"]')" = "4 1 1 2" ] && ok || bad "counts: $(cat "$tmp/out")"
expect_ok "household" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json household $household"
[ "$(json_get 'len(d["members"])')" = 2 ] && ok || bad "household members"

# Export: lead only, UTF-8 with optional BOM, file mode 0600.
expect_fail "export as staff" "may not" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 export --csv -o '$tmp/x.csv'"
expect_ok "export" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead export --csv --bom -o '$tmp/roster.csv'"
[ "$(head -c3 "$tmp/roster.csv" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] && ok || bad "no BOM"
[ "$(stat -c %a "$tmp/roster.csv")" = 600 ] && ok || bad "export readable by others"
[ "$(wc -l <"$tmp/roster.csv")" = 5 ] && ok || bad "export rows"

# Duplicates: the household registered twice is found with reasons (no names in the JSON); only
# a lead merges; a merged person drops out of counts and the list; unmerge brings it back.
expect_ok "dupes" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json dupes"
[ "$(json_get 'len(d)')" = 2 ] && ok || bad "dupes: $(cat "$tmp/out")"
[ "$(json_get '"same_dob" in d[0]["reasons"] and "same_address" in d[0]["reasons"]')" = True ] && ok || bad "dupes reasons"
grep -q "髙橋\|たかはし\|1955" "$tmp/out" && bad "dupes JSON carries personal data" || ok
keep=$(json_get 'd[0]["a"]')
dup=$(json_get 'd[0]["b"]')
expect_ok "dupes --person" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json dupes --person $keep"
[ "$(json_get 'len(d)')" = 1 ] && ok || bad "dupes --person"
expect_ok "dupes text" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 dupes"
grep -q "same_dob" "$tmp/out" && grep -q "髙橋" "$tmp/out" && ok || bad "dupes text: $(cat "$tmp/out")"
expect_fail "merge as staff" "may not" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 merge $keep $dup"
expect_fail "merge bad id" "" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead merge $keep 00"
expect_ok "merge" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead merge $keep $dup"
expect_ok "dupes after merge" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json dupes"
[ "$(json_get 'len(d)')" = 1 ] && ok || bad "dupes after merge: $(cat "$tmp/out")"
expect_ok "counts after merge" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json counts"
[ "$(json_get 'd["persons"]')" = 3 ] && ok || bad "counts after merge: $(cat "$tmp/out")"
expect_ok "unmerge" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead unmerge $dup"
expect_ok "dupes after unmerge" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json dupes"
[ "$(json_get 'len(d)')" = 2 ] && ok || bad "dupes after unmerge"

# Wrong PINs are rate-limited, and the limit survives a restart.
for i in 1 2 3 4 5; do "$ctl" --data "$T" --staff s1 roster <<<"0000" >/dev/null 2>&1; done
expect_fail "rate limited" "try again in" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 roster"
expect_ok "status" "$ctl" --data "$T" --json status

# The registration flow: the quick manual path, a resident's JPR1 code, signed passes.
expect_ok "register quick" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead --json register --kana 'すずき はな' --checkin"
pass=$(json_get 'd["passes"][0]')
case "$pass" in JSP1:*) ok ;; *) bad "register did not issue a pass" ;; esac
expect_ok "pass verify" "$ctl" --data "$T" --json pass verify "$pass"
[ "$(json_get 'd["valid"]')" = True ] && ok || bad "pass not valid"
tampered="${pass%???}AAA"
expect_fail "pass tampered" "JSP1" "$ctl" --data "$T" pass verify "$tampered"
jpr="JPR1:$(cat "$src/tests/fuzz/corpus/qr_payload/jpr1_family")"
expect_ok "prereg show" "$ctl" --json prereg show "$jpr"
[ "$(json_get 'd["household"]["members"][0]["name"]')" = "髙橋　一郎" ] && ok || bad "prereg name: $(cat "$tmp/out")"
# A two-member draft has exactly one head (regression: every member of a draft showed as head).
two=$(/usr/bin/python3 -c '
import cbor2, zlib
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
b = zlib.compress(cbor2.dumps({6: [{2: "やまだ"}, {2: "やまだ はな", 5: "head"}]}))
out = ""
for i in range(0, len(b) - 1, 2):
    n = b[i] * 256 + b[i + 1]; out += A[n % 45] + A[n // 45 % 45] + A[n // 2025]
if len(b) % 2: out += A[b[-1] % 45] + A[b[-1] // 45]
print("JPR1:" + out)')
expect_ok "prereg show two" "$ctl" --json prereg show "$two"
[ "$(json_get '[m["head"] for m in d["household"]["members"]]')" = "[False, True]" ] && ok || bad "prereg: draft head: $(cat "$tmp/out")"
expect_fail "prereg garbage" "JPR1: bad" "$ctl" prereg show "JPR1:abc"
expect_ok "register JPR1" sh -c "printf '5678\n%s\n' '$jpr' | '$ctl' --data '$T' --staff lead --json register -"
[ "$(json_get 'len(d["passes"])')" = 1 ] && ok || bad "JPR1 register passes"
pid=$(json_get 'd["persons"][0]')
hid=$(json_get 'd["household"]')
expect_ok "pass issue" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead pass issue $pid"
grep -q '^JSP1:' "$tmp/out" && ok || bad "pass issue output"
# A household's passes on one A4 sheet: beside each code the name, kana, birth date, shelter and
# issue date (as the PDF's text), every code reads back as a pass of this device, and the sheet
# (it names people) is a private file.
expect_ok "pass sheet" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead --json pass sheet --household $hid -o '$tmp/passes.pdf'"
[ "$(json_get 'd["passes"]')" = 1 ] && ok || bad "pass sheet: $(cat "$tmp/out")"
[ "$(stat -c %a "$tmp/passes.pdf")" = 600 ] && ok || bad "pass sheet mode $(stat -c %a "$tmp/passes.pdf")"
pdftotext "$tmp/passes.pdf" "$tmp/passes.txt"
for want in "髙橋" "生年月日" "避難所" "発行日" "$(date -u -d '+9 hours' +%Y)年" "1/1"; do
  grep -q "$want" "$tmp/passes.txt" && ok || bad "pass sheet lacks '$want': $(tr '\n' ' ' <"$tmp/passes.txt")"
done
pdftoppm -r 200 -png "$tmp/passes.pdf" "$tmp/passes"
sheet_pass=$("$ctl" qr decode "$tmp"/passes-1.png)
expect_ok "pass sheet verify" "$ctl" --data "$T" --json pass verify "$sheet_pass"
[ "$(json_get 'd["person"]')" = "$pid" ] && ok || bad "the sheet's pass is not $pid's: $(cat "$tmp/out")"
expect_fail "pass sheet without household" "needs --household" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead pass sheet -o '$tmp/x.pdf'"

finish shelterctl_cli
