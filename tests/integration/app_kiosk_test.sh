#!/usr/bin/env bash
# shelter-app's kiosk, headless, between residents: the language one resident chose does not stay
# for the next (after a check-in, a timeout or a cancel); the exit gate shows no staff handles; the
# welcome screen shows the camera's live picture with a frame to aim at. Check-ins are read back
# with shelterctl. Usage: app_kiosk_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}
py=/usr/bin/python3
roster() { echo 5555 | "$ctl" --data "$tablet" --staff s-ito --json roster; }

# A resident who is out, so the kiosk checks them in.
person=$(roster | "$py" -c "import json,sys; print(next(p['id'] for p in json.load(sys.stdin) if p['event']=='arrive' and p['place']=='shelter'))")
echo 5555 | "$ctl" --data "$tablet" --staff s-ito checkout "$person" >/dev/null || bad "checkout"
pass=$(echo 5555 | "$ctl" --data "$tablet" --staff s-ito pass issue "$person")
case "$pass" in JSP1:*) ;; *) bad "no signed pass: $pass" ;; esac
handles=$("$ctl" --data "$tablet" staff list | awk '{print $1}')
[ -n "$handles" ] || bad "no staff handles listed"
absent=$(for h in $handles; do echo "absent kiosk.exit.staff.$h"; done)
"$py" - "$src/tests/integration/app/kiosk_reset.script.in" "$pass" "$absent" >"$tmp/kiosk.script" <<'PY'
import sys
print(open(sys.argv[1]).read().replace("@PASS@", sys.argv[2]).replace("@ABSENT@", sys.argv[3]))
PY

if run_app kiosk "$tmp/kiosk.script" --lang ja; then
  for s in resident1_english resident1_done resident2_welcome exit_gate exit_gate_typed; do
    check_png "$tmp/kiosk/$s.png"
  done
  state=$(roster | "$py" -c "import json,sys; print(next(p['event'] for p in json.load(sys.stdin) if p['id']=='$person'))")
  [ "$state" = arrive ] || bad "the kiosk check-in was not stored (event: $state)"
  # The resident's English screen and the next resident's Japanese one differ.
  cmp -s "$tmp/kiosk/resident1_english.png" "$tmp/kiosk/resident2_welcome.png" &&
    bad "the next resident saw the first one's screen"
  # Typing the handle shows it in the field: the gate without it shows no account at all.
  [ "$(png_diff_box "$tmp/kiosk/exit_gate.png" "$tmp/kiosk/exit_gate_typed.png")" != none ] ||
    bad "the typed handle is not shown"
fi

# The live preview: two cameras seeing different pictures show them.
mkdir -p "$tmp/cam_a" "$tmp/cam_b"
cp "$tmp/kiosk/resident1_done.png" "$tmp/cam_a/frame.png" 2>/dev/null
cp "$tmp/kiosk/exit_gate.png" "$tmp/cam_b/frame.png" 2>/dev/null
for c in a b; do
  run_app "preview_$c" "$src/tests/integration/app/kiosk_preview.script" --lang ja \
      --camera "$tmp/cam_$c" && check_png "$tmp/preview_$c/kiosk_preview.png"
done
if [ -f "$tmp/preview_a/kiosk_preview.png" ] && [ -f "$tmp/preview_b/kiosk_preview.png" ]; then
  box=$(png_diff_box "$tmp/preview_a/kiosk_preview.png" "$tmp/preview_b/kiosk_preview.png")
  echo "the camera's picture is shown in: $box"
  "$py" - "$box" <<'PY' || bad "the preview does not show what the camera sees"
import sys
assert sys.argv[1] != "none", "the same screen for two different camera pictures"
x0, y0, x1, y1 = map(int, sys.argv[1].split())
assert x1 - x0 >= 200 and y1 - y0 >= 100, f"picture area {sys.argv[1]} too small to aim with"
PY
fi
if [ -n "$out" ]; then
  mkdir -p "$out" && cp "$tmp"/kiosk/*.png "$out"/ && cp "$tmp/preview_a/kiosk_preview.png" "$out"/
fi
[ $failed -eq 0 ] && echo "app kiosk ok"
exit $((failed > 0))
