#!/usr/bin/env bash
# shelter-app, headless: the household editor and the register form as staff meet them.
# 1. Problems beside their fields (an empty name, a bad date) in Japanese, then English, with a
#    short toast and the English detail only behind "details"; pets and a new member with sex
#    saved from the household editor (read back with shelterctl).
# 2. The pass on screen: the screenshot's QR decodes to a JSP1 pass that verifies.
# 3. Settings kept per device: text size and contrast chosen in one run are there in the next.
# Usage: app_editor_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}
scripts="$src/tests/integration/app"

run_app editor "$scripts/editor_errors.script" --lang ja
for s in register_errors_ja register_errors_details register_errors_en household_member_error \
         household_new_member_error household_member_added; do
  check_png "$tmp/editor/$s.png"
done
echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json search 1950-02-11 >"$tmp/taro.json" ||
  bad "shelterctl search 1950-02-11 failed"
hh=$(/usr/bin/python3 -c 'import json,sys; print(next(p["household"] for p in json.load(open(sys.argv[1])) if p["name"] == "山田 太郎"))' "$tmp/taro.json")
echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json household "$hh" >"$tmp/household.json" ||
  bad "shelterctl household $hh failed"
/usr/bin/python3 - "$tmp/household.json" <<'PY' || bad "the household editor's saves are not what was stored"
import json, sys
h = json.load(open(sys.argv[1]))
assert h["pets"] == [{"kind": "犬", "count": 2, "mode": "together"}], f"pets {h['pets']}"
members = {m["name"]: m for m in h["members"]}
assert len(h["members"]) == 4 and "山田 桜" in members, f"members {sorted(members)}"
sakura = members["山田 桜"]
assert sakura["kana"] == "やまだ さくら" and sakura["sex"] == "female", sakura
assert sakura["dob"] == "1955-04-01", f"昭和30年4月1日 stored as {sakura['dob']}"
assert not any(m["dob"] == "2199-01-01" or m["sex"] == "other" for m in h["members"]), \
    "a refused save stored something"
PY
echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json search やまださくら >"$tmp/sakura.json" ||
  bad "shelterctl search やまださくら failed"
/usr/bin/python3 -c 'import json,sys; p=[p for p in json.load(open(sys.argv[1])) if p["name"] == "山田 桜"]; assert p and p[0]["event"] == "arrive", p' \
  "$tmp/sakura.json" || bad "the new member was not checked in"

run_app pass "$scripts/editor_pass.script" --lang ja
check_png "$tmp/pass/pass_qr.png"
text=$("$ctl" qr decode "$tmp/pass/pass_qr.png" 2>"$tmp/decode.err")
case "$text" in
  JSP1:*) "$ctl" --data "$tablet" pass verify "$text" >"$tmp/verify.out" 2>&1 ||
            bad "the pass on screen does not verify: $(cat "$tmp/verify.out")" ;;
  *) bad "no JSP1 pass read from the pass screen: '$text' $(cat "$tmp/decode.err")" ;;
esac

run_app settings1 "$scripts/editor_settings_1.script" --lang ja
conf="$tablet/settings.conf"
grep -qx 'text_scale=150' "$conf" && grep -qx 'high_contrast=1' "$conf" ||
  bad "settings.conf does not hold the choices: $(cat "$conf" 2>&1)"
[ "$(stat -c %a "$conf")" = 600 ] || bad "settings.conf mode $(stat -c %a "$conf")"
run_app settings2 "$scripts/editor_settings_2.script" --lang ja
check_png "$tmp/settings2/settings_kept.png"

if [ -n "$out" ]; then mkdir -p "$out" && cp "$tmp"/editor/*.png "$tmp"/pass/*.png "$tmp"/settings2/*.png "$out"/; fi
[ $failed -eq 0 ] && echo "app editor ok"
exit $((failed > 0))
