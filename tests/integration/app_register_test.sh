#!/usr/bin/env bash
# shelter-app, headless, driven like a user: log in with the PIN keypad, register a household by
# hand, check one member in, search for it; then read what was stored with shelterctl on the same
# data directory. Then the one registration flow: a likely duplicate (山田 太郎 1950-02-11, already
# in the demo shelter) is shown with its reasons and not saved unless staff register anyway.
# Usage: app_register_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
source "$(dirname "$0")/app_common.sh"
out=${4:-}

run_app register "$src/tests/integration/app/register_checkin.script" --lang ja || exit 1
for s in register_filled household_registered household_checked_in search_results; do
  check_png "$tmp/register/$s.png"
done
echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json search しけん >"$tmp/found.json" ||
  bad "shelterctl search failed"
/usr/bin/python3 - "$tmp/found.json" <<'PY' || bad "stored state is not what the app was told"
import json, sys
found = {p["name"]: p for p in json.load(open(sys.argv[1]))}
assert set(found) == {"試験 花子", "試験 陽太"}, f"people: {sorted(found)}"
hanako, yota = found["試験 花子"], found["試験 陽太"]
assert hanako["household"] == yota["household"], "one household"
assert hanako["kana"] == "しけん はなこ" and hanako["sex"] == "female"
assert hanako["dob"] == "1985-03-02", f"昭和60年3月2日 stored as {hanako['dob']}"
assert hanako["needs"] == ["MED-POWER"] and yota["needs"] == ["INF"]
assert (hanako["event"], hanako["place"]) == ("arrive", "shelter"), "checked in from the app"
assert yota["event"] == "", "registered without check-in"
PY

# A likely duplicate is shown before saving, not registered a second time.
yamada() {
  echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json search 1950-02-11 >"$tmp/yamada.json" ||
    bad "shelterctl search 1950-02-11 failed"
  /usr/bin/python3 -c 'import json,sys; print(sum(p["name"] == "山田 太郎" for p in json.load(open(sys.argv[1]))))' \
    "$tmp/yamada.json"
}
[ "$(yamada)" = 1 ] || bad "the demo shelter should hold one 山田 太郎 1950-02-11"
run_app duplicate "$src/tests/integration/app/register_duplicate.script" --lang ja
for s in register_duplicate household_registered_anyway register_duplicate_twice existing_household; do
  check_png "$tmp/duplicate/$s.png"
done
# Saved once by "register anyway"; the first and the third try saved nothing.
[ "$(yamada)" = 2 ] || bad "山田 太郎 1950-02-11 stored $(yamada) times, want 2 (demo + register anyway)"
if [ -n "$out" ]; then mkdir -p "$out" && cp "$tmp"/duplicate/*.png "$out"/; fi
[ $failed -eq 0 ] && echo "app registration ok"
exit $((failed > 0))
