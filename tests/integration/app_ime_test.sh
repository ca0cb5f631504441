#!/usr/bin/env bash
# shelter-app, headless: Japanese typed through an IME. The composition (SDL_TEXTEDITING) shows
# in the name field at the caret, where the IME's candidate window is placed too
# (SDL_SetTextInputRect, logged by the app); the commit (SDL_TEXTINPUT) is what gets stored, read
# back with shelterctl; a cancelled composition leaves the field as it was.
# Usage: app_ime_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}
export SHELTER_APP_VERBOSE=1

if run_app ime "$src/tests/integration/app/ime.script" --lang ja; then
  shots="$tmp/ime"
  for s in ime_before ime_composing ime_committed ime_cancelled; do check_png "$shots/$s.png"; done
  # The composition is drawn, and only around the caret of the empty name field.
  box=$(png_diff_box "$shots/ime_before.png" "$shots/ime_composing.png")
  echo "composition drawn in: $box"
  # Where the IME was told to put its candidates (x y w h): w > 1 while something is composed
  # (its width), 1 for the bare caret; や, やま, やまだ and 山田 in the empty field come first.
  rects=$(sed -n 's/^ime: candidate window at \([0-9]*\),\([0-9]*\) \([0-9]*\)x\([0-9]*\)$/\1 \2 \3 \4/p' \
          "$tmp/ime.log" | awk '$3 > 1' | head -4)
  echo "candidate window at (x y w h):" $rects
  /usr/bin/python3 - "$box" "$rects" <<'PY' || bad "the composition is not drawn at the caret"
import sys
box, rects = sys.argv[1], sys.argv[2].split()
assert box != "none", "nothing drawn while composing"
x0, y0, x1, y1 = map(int, box.split())
assert 20 <= x1 - x0 <= 200 and 10 <= y1 - y0 <= 60, f"drawn area {box}: not three kana in a field"
rects = [tuple(map(int, rects[i:i + 4])) for i in range(0, len(rects), 4)]
assert len(rects) == 4, f"SDL_SetTextInputRect was not told of each composition: {rects}"
# Each starts at the caret, where the drawing starts, and covers the line; やまだ's is as wide as
# what was drawn.
for x, y, w, h in rects:
    assert abs(x - x0) <= 4, f"candidates at x={x}, composition drawn from x={x0}"
    assert y0 - 4 <= y and y + h <= y1 + 6, f"candidates at y={y}..{y + h}, drawing {y0}..{y1}"
w = rects[2][2]
assert abs(w - (x1 - x0)) <= 6, f"candidate rect {w} px wide, composition {x1 - x0} px"
assert rects[0][2] < rects[1][2] < rects[2][2], "the rectangle does not follow the composition"
PY
  # Cancelling the second composition restores the field as committed.
  [ "$(png_diff_box "$shots/ime_committed.png" "$shots/ime_cancelled.png")" = none ] ||
    bad "a cancelled composition left something on screen"
  [ "$(png_diff_box "$shots/ime_before.png" "$shots/ime_committed.png")" != none ] ||
    bad "the committed 山田 is not in the field"
  echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json search やまだ >"$tmp/found.json" ||
    bad "shelterctl search failed"
  /usr/bin/python3 - "$tmp/found.json" <<'PY' || bad "the stored name is not the committed text"
import json, sys
names = [p["name"].replace("\u3000", " ") for p in json.load(open(sys.argv[1]))
         if p.get("kana") == "やまだ はなみ"]
assert names == ["山田 花実"], f"stored: {names}"
PY
fi
if [ -n "$out" ]; then mkdir -p "$out" && cp "$tmp"/ime/*.png "$out"/; fi
[ $failed -eq 0 ] && echo "app ime ok"
exit $((failed > 0))
