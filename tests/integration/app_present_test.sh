#!/usr/bin/env bash
# shelter-app draws only what changed (ui/present_filter): every screen of the screens script, and
# pointer motion over the dashboard and the needs board, with each partially drawn or skipped frame checked pixel for
# pixel against the same frame drawn in full (SHELTER_APP_CHECK_PARTIAL). Fails when a frame
# differs, or when no frame was drawn partially or skipped (the filter would be doing nothing), or
# when motion never drew a frame in several rectangles (hover at two places would be one big box).
# Usage: app_present_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR
source "$(dirname "$0")/app_common.sh"
export SHELTER_APP_CHECK_PARTIAL=1
# check NAME: the filter's summary line in $tmp/NAME.log, with partial and skipped frames, none differing
check() {
  local line
  line=$(grep '^present: .* checked against full redraws' "$tmp/$1.log")
  [ -n "$line" ] || { bad "$1: no check summary: $(tail -3 "$tmp/$1.log")"; return; }
  grep '^present: a .* frame differs' "$tmp/$1.log" | head -3 | sed "s/^/FAIL: $1: /"
  read -r partial skipped differ < <(echo "$line" | sed 's/^present: \([0-9]*\) partial and \([0-9]*\) skipped.*, \([0-9]*\) differ$/\1 \2 \3/')
  [ "${differ:-1}" -eq 0 ] || bad "$1: $differ frames differ from their full redraw"
  [ "${partial:-0}" -gt 0 ] || bad "$1: no frame was drawn partially"
  [ "${skipped:-0}" -gt 0 ] || bad "$1: no unchanged frame was skipped"
  echo "$1: $line"
}
for lang in ja en; do
  run_app "screens_$lang" "$src/tests/integration/app/screens.script" --lang "$lang" && check "screens_$lang"
done
# Pointer motion over the dashboard: hover changes all over the screen.
printf 'click login.staff.lead\npin 1357\nclick login.submit\nexpect nav.dashboard\nhold\n' >"$tmp/motion.script"
run_app motion "$tmp/motion.script" --lang ja --bench-motion 40 && check motion
printf 'click login.staff.lead\npin 1357\nclick login.submit\nexpect nav.dashboard\nclick nav.needs\nexpect nav.needs\nhold\n' >"$tmp/motion_needs.script"
run_app motion_needs "$tmp/motion_needs.script" --lang ja --bench-motion 40 && check motion_needs
multi=0
for log in motion motion_needs; do
  n=$(sed -n 's/^present: \([0-9]*\) partial frames were drawn in several rectangles$/\1/p' "$tmp/$log.log")
  echo "$log: ${n:-no} partial frames in several rectangles"
  multi=$((multi + ${n:-0}))
done
[ "$multi" -gt 0 ] || bad "pointer motion never drew a frame in several rectangles"
[ $failed -eq 0 ] && echo "app present ok (partial and skipped frames equal to full redraws)"
exit $((failed > 0))
