#!/usr/bin/env bash
# shelter-app with a camera made of image files (--camera FILE): the kiosk checks a resident in
# from a PNG of a signed pass made by shelterctl; with no code in view the costly retry passes run
# on every 6th frame only; a camera that cannot be opened is shown as such; the register screen's QR tab fills the draft
# from a JPR1 PNG; low-power mode lowers the camera's frame rate; a pass printed with no printer
# is saved as a PDF whose QR is the person's valid pass, and with a default printer it goes to lp. The stored state is read back with
# shelterctl. Usage: app_camera_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}
export SHELTER_APP_VERBOSE=1
py=/usr/bin/python3
roster() { echo 5555 | "$ctl" --data "$tablet" --staff s-ito --json roster; }
event_of() {  # event_of PERSON_ID
  roster | "$py" -c "import json,sys; print(next(p['event'] for p in json.load(sys.stdin) if p['id']=='$1'))"
}

# --- kiosk: check-in from a pass PNG --------------------------------------------------------------
person=$(roster | "$py" -c "import json,sys; print(next(p['id'] for p in json.load(sys.stdin) if p['event']=='arrive' and p['place']=='shelter'))")
echo 5555 | "$ctl" --data "$tablet" --staff s-ito checkout "$person" >/dev/null || bad "checkout $person"
pass=$(echo 5555 | "$ctl" --data "$tablet" --staff s-ito pass issue "$person")
case "$pass" in JSP1:*) ;; *) bad "no signed pass: $pass" ;; esac
"$ctl" qr encode "$pass" --ecc Q --scale 6 -o "$tmp/pass.png" >/dev/null || bad "qr encode pass"
if run_app kiosk "$src/tests/integration/app/camera_kiosk.script" --lang en --camera "$tmp/pass.png"; then
  for s in kiosk_confirm kiosk_done; do check_png "$tmp/kiosk/$s.png"; done
  [ "$(event_of "$person")" = arrive ] || bad "kiosk check-in from the camera was not stored"
  grep -q "^camera: 15 fps" "$tmp/kiosk.log" || bad "kiosk camera did not run at 15 fps"
  grep -q "^camera: closed after" "$tmp/kiosk.log" || bad "camera not closed after leaving the kiosk"
  grep -qF "$pass" "$tmp/kiosk.log" && bad "the pass text was logged"
fi

# --- the scanning screen with no code in view: retry passes on every 6th frame only ---------------
# A camera-sized frame without a code: the app's own screen, from the run above.
mkdir -p "$tmp/nocode" && cp "$tmp/kiosk/kiosk_done.png" "$tmp/nocode/frame.png"
for lang in ja en; do
  run_app "idle_$lang" "$src/tests/integration/app/camera_kiosk_idle.script" --lang "$lang" \
      --camera "$tmp/nocode" || continue
  check_png "$tmp/idle_$lang/kiosk_scanning.png"
  line=$(grep "^camera: closed after" "$tmp/idle_$lang.log")
  echo "$lang: $line"
  "$py" - "$line" <<'PY' || bad "$lang: retry passes not limited to every 6th frame: $line"
import re, sys
frames, full = map(int, re.search(r"after (\d+) frames \((\d+) with", sys.argv[1]).groups())
# 15 fps asked for 3 s; a sanitizer build on a busy 2-core machine decodes fewer. Enough frames
# for the 1-in-6 ratio to mean something is what matters here.
assert frames >= 10, f"only {frames} frames in 3 s at 15 fps"
assert frames // 6 - 1 <= full <= frames // 6 + 1, f"{full} retry passes in {frames} frames"
PY
done

# --- low power: the camera's rate is lowered --------------------------------------------------------
if run_app low_power "$src/tests/integration/app/camera_low_power.script" --lang ja \
    --camera "$tmp/nocode"; then
  check_png "$tmp/low_power/kiosk_low_power.png"
  grep -q "^camera: 5 fps" "$tmp/low_power.log" || bad "low-power mode did not lower the camera to 5 fps"
  grep -q "^camera: 15 fps" "$tmp/low_power.log" && bad "the camera ran at 15 fps in low-power mode"
fi

# --- a camera that cannot be opened (a character device that is no V4L2 camera) ------------------
if run_app broken "$src/tests/integration/app/camera_broken.script" --lang en --camera /dev/null; then
  check_png "$tmp/broken/kiosk_no_camera.png"
  grep -q "^camera: cannot open" "$tmp/broken.log" || bad "the camera failure was not logged"
fi

# --- register from a JPR1 PNG ---------------------------------------------------------------------
jpr="JPR1:$(cat "$src/tests/fuzz/corpus/qr_payload/jpr1_family")"
"$ctl" qr encode "$jpr" --ecc M --scale 4 -o "$tmp/prereg.png" >/dev/null || bad "qr encode JPR1"
if run_app register_qr "$src/tests/integration/app/camera_register_qr.script" --lang ja \
    --camera "$tmp/prereg.png"; then
  for s in register_from_qr household_from_qr; do check_png "$tmp/register_qr/$s.png"; done
  echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json search 髙橋 >"$tmp/qr_found.json" ||
    bad "shelterctl search after the QR registration failed"
  "$py" - "$tmp/qr_found.json" <<'PY' || bad "the JPR1 household was not stored as read"
import json, sys
found = [p for p in json.load(open(sys.argv[1])) if p["name"] == "髙橋　一郎"]
assert len(found) == 1, f"found {found}"
PY
fi

# --- a pass with no printer: a PDF holding the person's valid pass --------------------------------
if run_app print "$src/tests/integration/app/print_pass.script" --lang en --printer none; then
  check_png "$tmp/print/pass_saved.png"
  pdf=$(ls "$tablet"/passes/pass-*.pdf 2>/dev/null | head -1)
  if [ -z "$pdf" ]; then
    bad "no pass PDF in $tablet/passes"
  else
    head -c 5 "$pdf" | grep -q '%PDF-' || bad "$pdf is not a PDF"
    pdftoppm -r 150 -gray -png -singlefile "$pdf" "$tmp/pass_page" || bad "pdftoppm $pdf"
    text=$("$ctl" qr decode "$tmp/pass_page.png" 2>/dev/null | head -1)
    case "$text" in JSP1:*) ;; *) bad "no pass QR in the PDF: $text" ;; esac
    "$ctl" --data "$tablet" pass verify "$text" >/dev/null || bad "the printed pass does not verify"
  fi
fi

# --- a configured printer: the PDF goes to `lp` (CUPS' clients stood in for by scripts on PATH) ---
mkdir -p "$tmp/bin"
cat >"$tmp/bin/lpstat" <<'SH'
#!/bin/sh
[ "$1" = -d ] && echo "system default destination: Shelter-Printer"
SH
cat >"$tmp/bin/lp" <<SH
#!/bin/sh
echo "\$@" >"$tmp/lp.args"
echo "request id is Shelter-Printer-7 (1 file(s))"
SH
chmod +x "$tmp/bin/lpstat" "$tmp/bin/lp"
rm -rf "$tablet/passes"
if PATH="$tmp/bin:$PATH" run_app printer "$src/tests/integration/app/print_pass.script" --lang ja; then
  check_png "$tmp/printer/pass_saved.png"
  args=$(cat "$tmp/lp.args" 2>/dev/null)
  case "$args" in
    "-d Shelter-Printer -- $tablet/passes/pass-"*.pdf) ;;
    *) bad "lp was not asked to print the pass PDF on the default printer: '$args'" ;;
  esac
  pdf=${args##* -- }
  [ -f "$pdf" ] && head -c 5 "$pdf" | grep -q '%PDF-' || bad "the PDF given to lp is missing"
fi

if [ -n "$out" ]; then
  mkdir -p "$out"
  for d in kiosk idle_ja idle_en low_power register_qr print printer broken; do
    cp -r "$tmp/$d" "$out/"
  done
fi
[ $failed -eq 0 ] && echo "app camera ok (kiosk pass, no-code frames, low power, JPR1 register, pass PDF, lp)"
exit $((failed > 0))
