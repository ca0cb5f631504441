#!/usr/bin/env bash
# shelter-app, headless: every screen rendered to PNG in Japanese and English through the same
# event script a user's taps would make (the report screen's QR must decode), the glyph and
# translation self-check, and the kiosk flow (pass scan, confirm, reset after the timeout,
# staff-PIN exit).
# Usage: app_screens_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}

if ! "$app" --self-check >"$tmp/selfcheck.log" 2>&1; then
  bad "self-check: $(grep -v '^6 languages' "$tmp/selfcheck.log" | head -5)"
fi

shots=(01_login 02_dashboard 03_language_picker 04_register_manual 05_register_card
       06_register_qr 07_search 08_household 09_pass 10_needs 11_settings
       12_settings_contrast_200 13_kiosk_welcome 14_kiosk_exit_gate 15_report)
for lang in ja en; do
  run_app "$lang" "$src/tests/integration/app/screens.script" --lang "$lang" || continue
  for s in "${shots[@]}"; do check_png "$tmp/$lang/$s.png"; done
done
# The report screen's QR code reads back as a JSR1 report in both languages.
for lang in ja en; do
  [ -f "$tmp/$lang/15_report.png" ] || continue
  case "$("$ctl" qr decode "$tmp/$lang/15_report.png" 2>&1)" in
    JSR1:*) ;;
    *) bad "$lang: the report screen's QR does not decode" ;;
  esac
done
# The two languages really differ (a broken language switch would give the same pixels).
if cmp -s "$tmp/ja/02_dashboard.png" "$tmp/en/02_dashboard.png"; then
  bad "Japanese and English dashboards are identical"
fi

# Kiosk: scan the pass of someone in the shelter, who is then checked out.
echo 5555 | "$ctl" --data "$tablet" --staff s-ito --json roster >"$tmp/roster.json"
person=$(/usr/bin/python3 -c "import json; print(next(p['id'] for p in json.load(open('$tmp/roster.json')) if p['event']=='arrive' and p['place']=='shelter'))")
pass=$(echo 5555 | "$ctl" --data "$tablet" --staff s-ito pass issue "$person")
case "$pass" in JSP1:*) ;; *) bad "no signed pass for the kiosk test: $pass" ;; esac
sed "s|@PASS@|$pass|" "$src/tests/integration/app/kiosk.script.in" >"$tmp/kiosk.script"
if run_app kiosk "$tmp/kiosk.script" --lang en; then
  for s in kiosk_confirm kiosk_done kiosk_reset; do check_png "$tmp/kiosk/$s.png"; done
  echo 5555 | "$ctl" --data "$tablet" --staff s-ito --json roster >"$tmp/roster2.json"
  state=$(/usr/bin/python3 -c "import json; print(next(p['event'] for p in json.load(open('$tmp/roster2.json')) if p['id']=='$person'))")
  [ "$state" = leave ] || bad "kiosk check-out was not stored (event: $state)"
fi

# Facilities: staff read-only, the lead's form saves the beds (12 -> 120) and the alarm clears.
if run_app facilities "$src/tests/integration/app/facilities.script" --lang ja; then
  for s in facilities_staff facilities_form facilities_saved; do check_png "$tmp/facilities/$s.png"; done
  beds=$(echo 1357 | "$ctl" --data "$tablet" --staff lead --json shelter facilities show |
         /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['beds'])")
  [ "$beds" = 120 ] || bad "the lead's facilities form did not store the beds (got $beds)"
fi

if [ -n "$out" ]; then mkdir -p "$out" && cp -r "$tmp/ja" "$tmp/en" "$tmp/kiosk" "$tmp/facilities" "$out/" 2>/dev/null; fi
[ $failed -eq 0 ] && echo "app screens ok (${#shots[@]} screens x 2 languages, kiosk)"
exit $((failed > 0))
