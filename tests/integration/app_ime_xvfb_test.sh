#!/usr/bin/env bash
# shelter-app on a real X display (Xvfb, not SDL's offscreen driver) with a real IME (ibus with
# Anthy) typing Japanese: xdotool presses y a m a d a, space, Return as a worker's keyboard would;
# the IME composes やまだ (drawn in the field), converts it and commits 山田, which is stored
# (read back with shelterctl). Exits 77 (skipped, with the reason printed) when Xvfb, ibus,
# Anthy or xdotool are not installed; fails when they are there but the IME does not start.
# Usage: app_ime_xvfb_test.sh SHELTER_APP SHELTERCTL SOURCE_DIR [SHOTS_OUT]
export PATH=/usr/bin:/bin:$PATH  # Debian's python3 for ibus' own tools
for tool in Xvfb xdotool ibus-daemon ibus dbus-daemon gsettings; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIPPED: $tool is not installed (tools/dev installs xvfb, xdotool, ibus, ibus-anthy, dbus, libglib2.0-bin)"
    exit 77
  fi
done
if [ ! -f /usr/share/ibus/component/anthy.xml ]; then
  echo "SKIPPED: ibus-anthy is not installed (tools/dev installs it)"
  exit 77
fi
source "$(dirname "$0")/app_common.sh"
out=${4:-}
unset SDL_VIDEODRIVER
export SHELTER_APP_VERBOSE=1
# A private X server, session bus and ibus with their own home: nothing of the user's desktop.
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache"
mkdir -p "$HOME"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail_loud() {
  echo "FAIL: $*"
  for f in xvfb dbus ibus; do [ -s "$tmp/$f.log" ] && { echo "--- $f.log"; tail -15 "$tmp/$f.log"; }; done
  exit 1
}

# Xvfb picks a free display itself (-displayfd): tests running in parallel never share one.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
display=""
for _ in $(seq 100); do
  display=$(head -1 "$tmp/display" 2>/dev/null)
  [ -n "$display" ] && break
  sleep 0.1
done
[ -n "$display" ] || fail_loud "Xvfb did not start"
display=":$display"
export DISPLAY=$display
dbus-daemon --session --fork --nopidfile --print-address=3 --print-pid=4 \
    3>"$tmp/dbus.addr" 4>"$tmp/dbus.pid" >"$tmp/dbus.log" 2>&1 || fail_loud "no session bus"
pids+=("$(cat "$tmp/dbus.pid")")
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$tmp/dbus.addr")
# Anthy starts in Latin mode (its input-mode 3); a Japanese desktop has it start in hiragana.
export GSETTINGS_BACKEND=keyfile
gsettings set org.freedesktop.ibus.engine.anthy.common input-mode 0 ||
  fail_loud "cannot set Anthy's input mode"
ibus-daemon --panel=disable --xim --verbose >"$tmp/ibus.log" 2>&1 &
pids+=($!)
engine=""
for _ in $(seq 100); do
  if ibus engine anthy >/dev/null 2>&1 || [ "$(ibus engine 2>/dev/null)" = anthy ]; then
    engine=$(ibus engine 2>/dev/null)
    [ "$engine" = anthy ] && break
  fi
  sleep 0.1
done
[ "$engine" = anthy ] || fail_loud "ibus did not start with the Anthy engine (engine: '$engine')"
echo "IME: ibus $(ibus version 2>/dev/null | awk '{print $NF}') with Anthy on $DISPLAY"

# SDL talks to ibus itself (D-Bus), as on a desktop that uses it.
export SDL_IM_MODULE=ibus XMODIFIERS=@im=ibus
mkdir -p "$tmp/x"
"$app" --data "$tablet" --script "$src/tests/integration/app/ime_xvfb.script" --shots "$tmp/x" \
    --sync-port 0 --no-discovery --lang ja >"$tmp/app.log" 2>&1 &
app_pid=$!
pids+=($app_pid)
for _ in $(seq 300); do grep -q '^stamp ready' "$tmp/app.log" && break; sleep 0.1; done
grep -q '^stamp ready' "$tmp/app.log" || fail_loud "the app did not reach the name field: $(tail -3 "$tmp/app.log")"
win=$(xdotool search --name '^shelterkit$' | head -1)
[ -n "$win" ] || fail_loud "no shelterkit window on $DISPLAY"
xdotool windowfocus "$win" && sleep 0.5
xdotool type --delay 120 yamada && sleep 1.5
xdotool key space && sleep 1.5
xdotool key Return
wait "$app_pid"
rc=$?
[ $rc -eq 0 ] || bad "the app failed ($rc): $(grep -v '^ime:\|^camera:\|^fonts:' "$tmp/app.log" | tail -3)"
grep '^ime:' "$tmp/app.log" | tail -3
[ -f "$tmp/x/ime_composing.png" ] || bad "the IME's composition was never drawn"
echo 4444 | "$ctl" --data "$tablet" --staff s-sato --json search やまだ >"$tmp/found.json" ||
  bad "shelterctl search failed"
/usr/bin/python3 - "$tmp/found.json" <<'PY' || bad "the IME's commit is not what was stored"
import json, sys
names = [p["name"] for p in json.load(open(sys.argv[1])) if p.get("kana") == "やまだ いめ"]
assert names == ["山田"], f"stored: {names}"
PY
if [ -n "$out" ]; then mkdir -p "$out" && cp "$tmp"/x/*.png "$out"/ 2>/dev/null; fi
[ $failed -eq 0 ] && echo "app ime on X with ibus-anthy ok"
exit $((failed > 0))
