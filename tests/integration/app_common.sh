# Shared set-up for the shelter-app integration tests: a demo shelter made with shelterctl in a
# temporary directory (fast Argon2 parameters), and small checks. Sourced, not run.
set -u
app=$1
ctl=$2
src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SHELTER_TEST_FAST_KDF=1
export SDL_VIDEODRIVER=offscreen
failed=0
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
if ! bash "$src/tools/demo" "$ctl" "$tmp/data" >"$tmp/demo.log" 2>&1; then
  echo "FAIL: the demo shelter could not be set up:"; tail -20 "$tmp/demo.log"; exit 1
fi
tablet="$tmp/data/tablet-1"
# run_app NAME SCRIPT [args...]: runs the app headless with a script, screenshots in $tmp/NAME.
run_app() {
  local name=$1 script=$2; shift 2
  mkdir -p "$tmp/$name"
  if ! "$app" --headless --data "$tablet" --script "$script" --shots "$tmp/$name" "$@" \
      >"$tmp/$name.log" 2>&1; then
    bad "$name: the app failed: $(tail -3 "$tmp/$name.log")"
    return 1
  fi
}
# check_png FILE: a real PNG of the window's size with more than a blank screen in it.
check_png() {
  /usr/bin/python3 - "$1" <<'PY' || bad "screenshot $1"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1280, 800), f"size {w}x{h}"
idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                for i in range(8, len(data)) if data[i + 4:i + 8] == b"IDAT")
raw = zlib.decompress(idat)
assert len(set(raw[::97])) > 8, "blank screen"
PY
}
