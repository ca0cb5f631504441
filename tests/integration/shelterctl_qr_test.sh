#!/usr/bin/env bash
# shelterctl qr encode / decode / sheet end to end, without a data directory: codes written as
# PNG come back exactly, a pass sheet decodes to every pass, a file without a code is one error
# line and a non-zero exit while the other files are still read. Usage: shelterctl_qr_test.sh SHELTERCTL
set -u
ctl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect_ok() { local what=$1; shift; if "$@" >"$tmp/out" 2>"$tmp/err"; then ok; else bad "$what: $(cat "$tmp/err")"; fi; }

expect_ok "encode" "$ctl" qr encode "JSP1:QR-CLI-TEST 1" -o "$tmp/one.png" --ecc H --scale 5
expect_ok "encode utf-8" "$ctl" qr encode "避難所 pass" -o "$tmp/two.png"
expect_ok "decode" "$ctl" qr decode "$tmp/one.png" "$tmp/two.png"
[ "$(cat "$tmp/out")" = "$(printf 'JSP1:QR-CLI-TEST 1\n避難所 pass')" ] && ok || bad "decode printed: $(cat "$tmp/out")"

expect_ok "sheet" "$ctl" qr sheet -o "$tmp/sheet.png" --label "麹町小" --names "山田 太郎|山田 花子" \
  JSP1:P1 JSP1:P2 JSP1:P3 JSP1:P4 JSP1:P5 JSP1:P6 JSP1:P7 JSP1:P8 JSP1:P9
[ -f "$tmp/sheet.png" ] && [ -f "$tmp/sheet-2.png" ] && ok || bad "sheet pages missing: $(ls "$tmp")"
expect_ok "decode sheet" "$ctl" qr decode "$tmp/sheet.png" "$tmp/sheet-2.png"
[ "$(sort "$tmp/out" | tr '\n' ' ')" = "JSP1:P1 JSP1:P2 JSP1:P3 JSP1:P4 JSP1:P5 JSP1:P6 JSP1:P7 JSP1:P8 JSP1:P9 " ] \
  && ok || bad "sheet decoded to: $(cat "$tmp/out")"

# As one PDF: vector pages whose codes read back; a text its code would break is refused by
# number, and nothing is written.
expect_ok "sheet pdf" "$ctl" qr sheet -o "$tmp/sheet.pdf" --names "山田 太郎" JSP1:P1 JSP1:P2
pdftoppm -r 150 -png "$tmp/sheet.pdf" "$tmp/sheetpdf"
expect_ok "decode sheet pdf" "$ctl" qr decode "$tmp/sheetpdf-1.png"
[ "$(sort "$tmp/out" | tr '\n' ' ')" = "JSP1:P1 JSP1:P2 " ] && ok || bad "pdf sheet decoded to: $(cat "$tmp/out")"
if "$ctl" qr sheet -o "$tmp/broken.png" JSP1:OK "$(printf 'JSP1:TWO\nLINES')" >/dev/null 2>"$tmp/err"; then
  bad "a text with a line break was printed"
else
  grep -q "pass 2: the text holds a control character" "$tmp/err" && ok || bad "line break: $(cat "$tmp/err")"
  [ ! -e "$tmp/broken.png" ] && ok || bad "a refused sheet was written"
fi
"$ctl" qr sheet -o "$tmp/broken.png" "$(printf 'JSP1:\377')" >/dev/null 2>"$tmp/err" && bad "non-UTF-8 printed" ||
  { grep -q "not UTF-8" "$tmp/err" && ok || bad "non-UTF-8: $(cat "$tmp/err")"; }

printf 'P5\n8 8\n255\n%064d' 0 | tr '0' '\377' >"$tmp/blank.pgm"
if "$ctl" qr decode --json "$tmp/blank.pgm" "$tmp/one.png" >"$tmp/out" 2>"$tmp/err"; then
  bad "decode of a blank image succeeded"
else
  grep -q "blank.pgm: no QR code found" "$tmp/err" && ok || bad "no error line for the blank file: $(cat "$tmp/err")"
  /usr/bin/python3 -c "
import json,sys; d=json.load(open('$tmp/out'))
assert d[0]['error'] and d[1]['text']=='JSP1:QR-CLI-TEST 1' and len(d[1]['corners'])==4, d" && ok || bad "json: $(cat "$tmp/out")"
fi
"$ctl" qr encode x >/dev/null 2>"$tmp/err" && bad "encode without -o succeeded" || { grep -q "missing -o" "$tmp/err" && ok || bad "$(cat "$tmp/err")"; }
"$ctl" qr encode x -o "$tmp/x.png" --ecc Z >/dev/null 2>"$tmp/err" && bad "bad --ecc accepted" || ok

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
