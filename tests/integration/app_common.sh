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
  # Sync runs as on a tablet, on a free port and without beacons: parallel tests never meet.
  if ! "$app" --headless --data "$tablet" --script "$script" --shots "$tmp/$name" \
      --sync-port 0 --no-discovery "$@" \
      >"$tmp/$name.log" 2>&1; then
    bad "$name: the app failed: $(tail -3 "$tmp/$name.log")"
    return 1
  fi
}
source "$(dirname "${BASH_SOURCE[0]}")/png_check.sh"
