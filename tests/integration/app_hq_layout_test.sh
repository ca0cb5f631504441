#!/usr/bin/env bash
# shelter-app --hq, headless: every HQ screen (summary, table, map, trend, a shelter's drill-down,
# 安否 before and after log in, settings) at 1024x600, 1280x800 and 1920x1200, at 100 % and 200 %
# text, in all six languages, checked by the layout audit (ui/layout_audit) as the staff screens
# are in app_layout_test.sh. Screenshots of 1024x600 at 200 % are kept.
# Usage: app_hq_layout_test.sh SHELTER_APP SHELTERCTL SHELTER_HQ SOURCE_DIR [SHOTS_OUT]
set -u
app=$1 ctl=$2 hq=$3 src=$4 out=${5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SHELTER_TEST_FAST_KDF=1
export SDL_VIDEODRIVER=offscreen
failed=0
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
source "$src/tests/integration/png_check.sh"
if ! bash "$src/tools/demo-hq" "$ctl" "$hq" "$tmp/data" >"$tmp/demo.log" 2>&1; then
  echo "FAIL: the HQ demo data could not be set up:"; tail -20 "$tmp/demo.log"; exit 1
fi
hqdir="$tmp/data/hq"
"$hq" --data "$hqdir" shelters --json >"$tmp/shelters.json" || { echo "FAIL: shelter-hq shelters"; exit 1; }
langs=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' \
  "$src/assets/i18n/languages.json" 2>/dev/null)
[ "$(echo $langs | wc -w)" -eq 6 ] || { echo "FAIL: expected six languages, found: $langs"; exit 1; }

# The tour: per language every HQ screen, each audited (and shot); the 安否 screen before log in
# in every language, and after it (the lead logs in once, in the first language). Where the
# screen is narrow for the text size the navigation is in the top bar's menu (click-if nav.menu).
/usr/bin/python3 - "$tmp/shelters.json" "$tmp/hq.script" $langs <<'PY' || { echo "FAIL: cannot write the script"; exit 1; }
import json, sys
shelters = json.load(open(sys.argv[1]))
over = [s["common_id"] for s in shelters if s["over_capacity"]]
assert over, "the demo needs a shelter over capacity"
langs = sys.argv[3:]
def nav(target):
    return ["click-if nav.menu", "click " + target]
s = ["await lang"]
for i, l in enumerate(langs):
    s += ["click lang", "click lang." + l] + nav("hq.nav.summary")
    s += ["expect hq.alarm." + over[0], f"audit {l}/summary", f"shot {l}_summary"]
    for name in ("table", "map", "trend", "settings"):
        s += nav("hq.nav." + name) + [f"audit {l}/{name}", f"shot {l}_{name}"]
    # The drill-down of the shelter over capacity, from its alarm on the summary.
    s += nav("hq.nav.summary") + ["click hq.alarm." + over[0], "expect hq.shelter.over_capacity",
                                  f"audit {l}/shelter", f"shot {l}_shelter"]
    s += nav("hq.nav.anpi")
    if i == 0:
        s += ["absent hq.anpi.query", f"audit {l}/anpi_login", f"shot {l}_anpi_login",
              "click hq.login.staff.lead", "pin 5678 hq.pin", "click hq.login"]
    s += ["expect hq.anpi.query", f"audit {l}/anpi", f"shot {l}_anpi"]
s += ["click nav.logout", "absent nav.logout", "audit logged_out", "quit"]
open(sys.argv[2], "w").write("\n".join(s) + "\n")
PY

for size in ${LAYOUT_SIZES:-1024x600 1280x800 1920x1200}; do
  for scale in ${LAYOUT_SCALES:-100 200}; do
    name="h_${size}_${scale}"
    mkdir -p "$tmp/$name"
    printf 'text_scale=%s\n' "$scale" >"$hqdir/settings.conf"
    chmod 600 "$hqdir/settings.conf"
    shots=()
    [ "${size%x*}" = 1024 ] && shots=(--shots "$tmp/$name")  # screenshots at the narrowest only
    if "$app" --hq --headless --data "$hqdir" --script "$tmp/hq.script" "${shots[@]}" \
        --size "$size" --lang ja --idle-logout 0 >"$tmp/$name.log" 2>&1; then
      grep -q 'frames audited, no problem' "$tmp/$name.log" || bad "$name: the audit did not run"
    else
      bad "$name: $(tail -3 "$tmp/$name.log")"
      grep '^layout ' "$tmp/$name.log" | head -40
    fi
  done
done
check_png "$tmp/h_1024x600_200/ja_summary.png" 1024 600
check_png "$tmp/h_1024x600_200/vi_table.png" 1024 600
if [ -n "$out" ]; then mkdir -p "$out" && cp -r "$tmp"/h_* "$out/" 2>/dev/null; fi
[ "$failed" -eq 0 ] && echo "PASS: every HQ screen at 3 sizes x 2 text sizes x 6 languages" || exit 1
