#!/usr/bin/env bash
# shelter-app, headless: whereabouts as staff meet them (tests/integration/app/stays.script):
# a count tile opens the list of its people, a move to 車中泊 changes the tiles and the undo bar
# takes it back, 退所 and 在宅 from the list and the household editor, a check-in at registration
# at a picked place, undone. Then the stored counts (shelterctl counts) and the CLI's move and
# undo on the same data. Usage: app_stays_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}

run_app stays "$src/tests/integration/app/stays.script" --lang ja
for s in dashboard_before list_out list_picker list_after_move dashboard_moved dashboard_undone \
         household_picker household_at_home register_place dashboard_final; do
  check_png "$tmp/stays/$s.png"
done

counts() { echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json counts >"$tmp/counts.json"; }
counts || bad "shelterctl counts failed"
/usr/bin/python3 - "$tmp/counts.json" <<'PY' || bad "the app's moves are not what was stored"
import json, sys
c = json.load(open(sys.argv[1]))
want = {"in_car": 1, "out": 3, "left": 1, "at_home": 1, "not_arrived": 1}
got = {k: c[k] for k in want}
assert got == want, f"counts {got}, want {want}"
PY

# The CLI: the person who left is back after an undo; a move to 外泊 counts as out.
echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json roster >"$tmp/roster.json" ||
  bad "shelterctl roster failed"
left=$(/usr/bin/python3 -c 'import json,sys; print(next(p["id"] for p in json.load(open(sys.argv[1])) if p["whereabouts"] == "left"))' "$tmp/roster.json")
echo 4444 | "$ctl" --data "$tablet" --staff s-sato undo "$left" >"$tmp/undo.out" 2>&1 ||
  bad "shelterctl undo failed: $(cat "$tmp/undo.out")"
echo 4444 | "$ctl" --data "$tablet" --staff s-sato move "$left" --to overnight >"$tmp/move.out" 2>&1 ||
  bad "shelterctl move failed: $(cat "$tmp/move.out")"
echo 4444 | "$ctl" --data "$tablet" --staff s-sato move "$left" --to overnight >"$tmp/move2.out" 2>&1 &&
  bad "a move to where the person already is was not refused"
counts || bad "shelterctl counts failed"
/usr/bin/python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert (c["left"], c["out"]) == (0, 4), c' \
  "$tmp/counts.json" || bad "CLI undo and move: $(cat "$tmp/counts.json")"

if [ -n "$out" ]; then mkdir -p "$out" && cp "$tmp"/stays/*.png "$out"/; fi
[ $failed -eq 0 ] && echo "app stays ok"
exit $((failed > 0))
