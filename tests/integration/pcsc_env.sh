# The real PC/SC stack for card tests, sourced (not run) by card_reader_test.sh and
# app_card_test.sh: a private /run/pcscd (the script re-runs itself in a mount namespace), pcscd
# with vsmartcard's vpcd driver serving two readers on a free pair of TCP ports, and the virtual
# My Number Card of virtual_mynumber_card.py. The caller sets `python`, `card_py` and `fail`
# first. Gives: $work (removed at exit by pcsc_cleanup, the EXIT trap), $port, start_pcscd
# CONFIG_DIR, stop_pcscd, start_card READER [card options...] ($card_log, $card_pid), stop_card,
# and the config dirs $work/conf-vpcd (two readers) and $work/conf-empty (none).
#
# pcscd always serves /run/pcscd/pcscd.comm, so the test runs in its own mount namespace with a
# tmpfs there: a system pcscd (if any) is neither used nor disturbed.

# --- a private /run/pcscd -----------------------------------------------------------------------
if [ -z "${SHELTER_CARD_TEST_NS:-}" ]; then
  export SHELTER_CARD_TEST_NS=1
  if unshare --mount --fork true 2>/dev/null; then
    exec unshare --mount --fork bash "$0" "$@"
  fi
  if unshare --user --map-root-user --mount --fork true 2>/dev/null; then
    exec unshare --user --map-root-user --mount --fork bash "$0" "$@"
  fi
  # No namespaces (e.g. an unprivileged container): use /run/pcscd itself, but only when no
  # system pcscd (running or socket-activated) owns it.
  if [ "$(id -u)" -eq 0 ] && [ ! -e /run/pcscd/pcscd.comm ]; then
    echo "note: no mount namespace available; no system pcscd: using /run/pcscd directly"
    export SHELTER_CARD_TEST_NS=shared
  else
    fail "cannot create a mount namespace (unshare) and /run/pcscd is taken or not writable"
  fi
fi
made_run_dir=""
if [ "$SHELTER_CARD_TEST_NS" = shared ]; then
  [ -d /run/pcscd ] || { mkdir -p /run/pcscd && made_run_dir=1; }
elif [ -d /run/pcscd ]; then
  mount -t tmpfs -o mode=0755 tmpfs /run/pcscd || fail "cannot mount a tmpfs on /run/pcscd"
else
  mount -t tmpfs -o mode=0755 tmpfs /run || fail "cannot mount a tmpfs on /run"
  mkdir /run/pcscd
fi

for tool in pcscd "$python"; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (packages pcscd, python3)"
done
vpcd_lib=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
[ -e "$vpcd_lib" ] || fail "vpcd driver $vpcd_lib missing (package vsmartcard-vpcd)"
"$python" "$card_py" --self-check ||
  fail "python3-virtualsmartcard or python3-pycryptodome missing for $python"

work=$(mktemp -d)
pcscd_pid=""
card_pid=""
pcsc_cleanup() {
  [ -n "$card_pid" ] && kill "$card_pid" 2>/dev/null
  [ -n "$pcscd_pid" ] && kill "$pcscd_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
  [ -n "$made_run_dir" ] && rmdir /run/pcscd 2>/dev/null
}
trap pcsc_cleanup EXIT

# vpcd serves two readers on two consecutive TCP ports: pick a free pair.
port=$("$python" - <<'EOF'
import socket
for base in range(35963, 36963, 2):
    socks = []
    try:
        for p in (base, base + 1):
            s = socket.socket(); s.bind(("0.0.0.0", p)); socks.append(s)
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
EOF
)
[ -n "$port" ] || fail "no two free TCP ports for vpcd"
mkdir -p "$work/conf-vpcd" "$work/conf-empty"
cat > "$work/conf-vpcd/vpcd" <<EOF
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:$port
LIBPATH      $vpcd_lib
CHANNELID    $port
EOF

start_pcscd() {  # start_pcscd CONFIG_DIR
  rm -f /run/pcscd/pcscd.comm /run/pcscd/pcscd.pid
  pcscd --foreground --info --config "$1" >>"$work/pcscd.log" 2>&1 &
  pcscd_pid=$!
  for _ in $(seq 100); do
    [ -S /run/pcscd/pcscd.comm ] && return 0
    kill -0 "$pcscd_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "--- pcscd log"; tail -20 "$work/pcscd.log"
  fail "pcscd did not start"
}

stop_pcscd() {
  kill "$pcscd_pid" 2>/dev/null
  wait "$pcscd_pid" 2>/dev/null
  pcscd_pid=""
}

cards=0
# pcscd polls its readers every 0.4 s. A read that starts before pcscd has seen the last card
# leave, or this one arrive, meets a card that vanishes under it (card_removed at a random check on
# a loaded machine): wait for pcscd's own log to show each change. card_events TEXT READER counts
# "Card inserted into" / "Card Removed From" lines for vpcd's reader READER.
card_events() { grep -c "$1 Virtual PCD 00 0$2" "$work/pcscd.log" 2>/dev/null; }
wait_card_event() {  # wait_card_event TEXT READER COUNT: until more than COUNT such lines
  for _ in $(seq 100); do
    [ "$(card_events "$1" "$2")" -gt "$3" ] && return 0
    sleep 0.05
  done
  return 1
}

start_card() {  # start_card READER_INDEX [card options...]; the APDU log is $card_log
  local reader=$1
  shift
  cards=$((cards + 1))
  card_log="$work/card$cards.log"
  card_reader=$reader
  card_removals=$(card_events "Card Removed From" "$reader")
  local inserted
  inserted=$(card_events "Card inserted into" "$reader")
  : >"$card_log"
  "$python" "$card_py" --port $((port + reader)) --log "$card_log" "$@" >"$work/card$cards.out" 2>&1 &
  card_pid=$!
  for _ in $(seq 100); do
    if grep -q '^# connected' "$card_log"; then
      # Without a running pcscd nobody will see the card: nothing to wait for.
      [ -n "${pcscd_pid:-}" ] && kill -0 "$pcscd_pid" 2>/dev/null || return 0
      wait_card_event "Card inserted into" "$reader" "$inserted" && return 0
      echo "--- pcscd log"; tail -20 "$work/pcscd.log"
      fail "pcscd did not see the virtual card arrive in reader $reader within 5 s"
    fi
    kill -0 "$card_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "--- virtual card output"; cat "$work/card$cards.out"
  fail "the virtual card did not connect to vpcd on port $((port + reader))"
}

stop_card() {  # also after a card that left by itself (--pull-after): waits until pcscd saw it go
  [ -n "$card_pid" ] || return 0
  kill "$card_pid" 2>/dev/null
  wait "$card_pid" 2>/dev/null
  card_pid=""
  [ -n "${pcscd_pid:-}" ] && kill -0 "$pcscd_pid" 2>/dev/null || return 0
  wait_card_event "Card Removed From" "$card_reader" "$card_removals" ||
    fail "pcscd did not see the virtual card leave reader $card_reader within 5 s"
}

