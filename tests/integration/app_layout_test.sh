#!/usr/bin/env bash
# shelter-app, headless: every staff screen, the login and the kiosk at 1024x600, 1280x800 and
# 1920x1200, at 100 % and 200 % text, in all six languages, checked by the layout audit
# (ui/layout_audit): a widget cut off where nothing scrolls to it, or a button whose label is
# wider than the button, fails the test and is listed. One app run per size and text size; the
# language is switched in the app as a worker would. Screenshots are taken at 1024 wide only.
# Usage: app_layout_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}
langs=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' \
  "$src/assets/i18n/languages.json" 2>/dev/null)
[ -n "$langs" ] || langs="ja ja-easy en zh-Hans ko vi"
[ "$(echo $langs | wc -w)" -eq 6 ] || bad "expected six languages, found: $langs"

# The tablet may issue 避難証明 (its key on the office's trust list): the certificate screens
# are toured with a certificate shown.
key=$(echo 1357 | "$ctl" --data "$tablet" --staff lead --json cert key-new |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])') || bad "key-new"
echo 2580 | "$ctl" --data "$tmp/data/admin" trust add --key "$key" --types hinan --label t1 >/dev/null || bad "trust add"
"$ctl" --data "$tmp/data/admin" trust export -o "$tmp/trust.cbor" >/dev/null &&
  "$ctl" --data "$tablet" trust import "$tmp/trust.cbor" >/dev/null || bad "trust list"

# The tour: log in once, then per language every screen, each audited (and shot). Where the
# screen is narrow for the text size or the language the navigation is in the top bar's menu
# (click-if nav.menu).
write_script() {  # write_script FILE WIDTH SCALE
/usr/bin/python3 - "$@" $langs <<'PY'
import sys
out, width, scale, langs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
def nav(target):
    return ["click-if nav.menu", "click " + target]
s = ["audit login"] + (["shot login"] if width == 1024 else []) + [ "click login.staff.lead", "pin 1357", "click login.submit",
     "expect nav.logout"]
for l in langs:
    s += ["click lang", "click lang." + l] + nav("nav.dashboard")
    def screen(name, *clicks):
        global s
        for c in clicks:
            s += nav(c) if c.startswith("nav.") else ["click " + c]
        s += [f"audit {l}/{name}"] + ([f"shot {l}_{name}"] if width == 1024 else [])
    screen("dashboard")
    # A tile's people, the place picker, and the undo bar under the page after a move (undone).
    s += ["click tile.out", "expect people.list=out"]
    screen("people_list")
    s += ["click people.0.move", "expect people.0.picker"]
    screen("picker")
    s += ["click people.0.place.car", "expect undo.bar"]
    screen("undo_bar")
    s += ["click undo.do", "absent undo.bar", "click people.back", "expect tile.out=3"]
    screen("register_manual", "nav.register", "register.tab.manual")
    screen("register_card", "register.tab.card")
    screen("register_qr", "register.tab.qr")
    # The query and its results stay when the language changes: typed once.
    s += nav("nav.search") + (["click search.query", "type 1950", "key Return"] if l == langs[0] else []) + ["expect result.0.open"]
    screen("search")
    screen("household", "result.0.open")
    s += ["expect hh.save"]
    # The certificate screens: the list and issue form, a certificate shown (issued once per
    # run), its revocation reasons.
    screen("certs", "hh.certs")
    s += ["click certs.issue" if l == langs[0] else "click certs.list.0.open", "expect certs.qr"]
    screen("cert_shown")
    screen("cert_revoke", "certs.revoke")
    s += ["expect certs.reason.fraud", "click certs.revoke", "click certs.back",
          "click certs.household", "expect hh.save"]
    screen("pass", "hh.m0.pass")
    screen("needs", "nav.needs")
    screen("verify", "nav.verify")
    screen("sync", "nav.sync")
    screen("report", "nav.report")
    screen("settings", "nav.settings")
s += nav("nav.kiosk") + ["expect kiosk.staff", "audit kiosk"] + (["shot kiosk"] if width == 1024 else []) + ["quit"]
open(out, "w").write("\n".join(s) + "\n")
PY
}

for size in ${LAYOUT_SIZES:-1024x600 1280x800 1920x1200}; do
  for scale in ${LAYOUT_SCALES:-100 200}; do
    name="l_${size}_${scale}"
    write_script "$tmp/$name.script" "${size%x*}" "$scale"
    printf 'text_scale=%s\n' "$scale" >"$tablet/settings.conf"
    chmod 600 "$tablet/settings.conf"
    if run_app "$name" "$tmp/$name.script" --size "$size" --lang ja --idle-logout 0 --printer none; then
      grep -q 'frames audited, no problem' "$tmp/$name.log" || bad "$name: the audit did not run"
    else
      # List what the audit found (run_app printed only the last lines).
      grep '^layout ' "$tmp/$name.log" | head -40
    fi
  done
done
check_png "$tmp/l_1024x600_200/ja_dashboard.png" 1024 600
check_png "$tmp/l_1024x600_200/vi_register_manual.png" 1024 600
if [ -n "$out" ]; then mkdir -p "$out" && cp -r "$tmp"/l_* "$out/" 2>/dev/null; fi
[ "$failed" -eq 0 ] && echo "PASS: every screen at 3 sizes x 2 text sizes x 6 languages" || exit 1
