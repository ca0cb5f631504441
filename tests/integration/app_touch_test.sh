#!/usr/bin/env bash
# shelter-app, headless, driven by SDL finger events only (no mouse, no wheel): at 1024x600 with
# 200 % text in Japanese the ログイン button starts below the fold; a swipe brings it into view and
# a tap logs in. A swipe that starts on a button scrolls and presses nothing; a tap presses once.
# A fling keeps scrolling after the finger lifts. Then on the dashboard a swipe scrolls the
# screen's own area.
# Usage: app_touch_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}
printf 'text_scale=200\n' >"$tablet/settings.conf"
chmod 600 "$tablet/settings.conf"
run_app touch "$src/tests/integration/app/touch_login.script" --size 1024x600 --lang ja \
  --idle-logout 0
for s in touch_01_top touch_02_keypad touch_03_button touch_04_logged_in touch_05_dashboard_swiped; do
  check_png "$tmp/touch/$s.png" 1024 600
done
if [ -n "$out" ]; then mkdir -p "$out" && cp "$tmp"/touch/*.png "$out/"; fi
[ "$failed" -eq 0 ] && echo "app touch ok"
exit $((failed > 0))
