#!/usr/bin/env bash
# The resident's pre-registration page end to end in headless Chromium: build the static page,
# test its modules (dates, the six languages, the QR symbol), fill it in Japanese (3 people, rare
# kanji, needs, allergies, pets, a Vietnamese member), as a household of four and in English,
# check layout, text sizes, consent and keeping the code (prereg_page_test.mjs), decode every
# screenshot, the downloaded PNG, the printed card and the code reopened from the phone with
# `shelterctl qr decode`, and compare every field `shelterctl prereg show --json` reads with what
# was typed.
# usage: prereg_page_test.sh SHELTERCTL SOURCE_DIR BUILD_DIR
set -uo pipefail

shelterctl=$1
src=$2
build=$3
out="$build/prereg-test"

fail() {
  echo "FAIL: $*"
  exit 1
}

command -v node >/dev/null || fail "node is missing (tools/dev installs nodejs)"
[ -x /usr/bin/chromium ] ||
  fail "no /usr/bin/chromium: install Debian's chromium package (tools/dev does)"

rm -rf "$out"
mkdir -p "$out"
node "$src/assets/prereg/build.mjs" "$out/site" "$build/npm" || fail "the page did not build"
node "$src/tests/integration/prereg_unit_test.mjs" "$out/site" "$src" ||
  fail "the page's modules failed their tests"
node "$src/tests/integration/prereg_page_test.mjs" drive "$out/site" "$out" "$build/npm" \
  "$shelterctl" || fail "the page failed in the browser (screenshots in $out)"

for name in ja en family4 family4-download family4-card family4-kept; do
  png="$out/$name.png"
  if ! decoded=$("$shelterctl" qr decode "$png" 2>&1); then
    fail "shelterctl qr decode $png: $decoded"
  fi
  text=$(grep -o 'JPR1:[0-9A-Z $%*+./:-]*' <<<"$decoded" | head -n 1)
  [ -n "$text" ] || fail "no JPR1 code found in $png"
  [ "$text" = "$(cat "$out/$name.text")" ] ||
    fail "$name: the QR code in the screenshot is not the text the page made"
  echo "ok   $name: the screenshot's QR code decodes to the page's text (${#text} characters)"
  "$shelterctl" prereg show --json "$text" >"$out/$name.decoded.json" ||
    fail "$name: shelterctl prereg show refused the page's code"
  node "$src/tests/integration/prereg_page_test.mjs" compare "$out/$name.expected.json" \
    "$out/$name.decoded.json" || fail "$name: decoded fields differ from what was typed"
done
echo "PASS: pre-registration page (screenshots in $out)"
