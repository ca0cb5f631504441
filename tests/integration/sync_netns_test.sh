#!/usr/bin/env bash
# Real shelterctl peers in network namespaces on one bridge: two shelters with two tablets each,
# a relay tablet of a third shelter and HQ, every link with delay and loss (tc netem). Peers find
# each other by multicast beacons; HQ is `shelter-hq serve`. The network is partitioned so that
# only the relay can carry data between the shelters and to HQ, then healed; at the end every
# device holds every segment, the HQ dashboard (summary, shelters) counts every person in the
# right shelter, each shelter counts its own, and the relay's files hold none of the canary names.
# Needs root (CI has it); otherwise it says why and is skipped (exit 77).
# Usage: sync_netns_test.sh SHELTERCTL SOURCE_DIR SHELTER_HQ
set -u
ctl=$1
src=$2
hq=$3
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: network namespaces need root"; exit 77; fi
for tool in ip tc; do
  command -v $tool >/dev/null || { echo "SKIP: $tool (iproute2) is not installed"; exit 77; }
done
p="sk$$"
if ! ip netns add "${p}sw" 2>/dev/null; then echo "SKIP: cannot create network namespaces here"; exit 77; fi
tmp=$(mktemp -d)
hosts=(a1 a2 b1 b2 r hq)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  for h in "${hosts[@]}"; do ip netns del "$p$h" 2>/dev/null; done
  ip netns del "${p}sw" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
export SHELTER_TEST_FAST_KDF=1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
run() { local what=$1; shift; if "$@" >"$tmp/out" 2>"$tmp/err"; then ok; else bad "$what: $(cat "$tmp/err")"; fi; }

# The LAN: a bridge in its own namespace, one veth per host, 20 ms ± 5 ms and 3 % loss each way.
ip -n "${p}sw" link add br0 type bridge
ip -n "${p}sw" link set br0 type bridge mcast_snooping 0
ip -n "${p}sw" link set br0 up
i=1
for h in "${hosts[@]}"; do
  ip netns add "$p$h"
  ip link add "v$p$h" type veth peer name eth0 netns "$p$h"
  ip link set "v$p$h" netns "${p}sw"
  ip -n "${p}sw" link set "v$p$h" master br0 up
  ip -n "$p$h" addr add "10.77.0.$i/24" dev eth0
  ip -n "$p$h" link set eth0 up
  ip -n "$p$h" link set lo up
  ip -n "$p$h" route add 224.0.0.0/4 dev eth0
  if ! ip netns exec "$p$h" tc qdisc add dev eth0 root netem delay 20ms 5ms loss 3% 2>/dev/null; then
    netem=0
  fi
  i=$((i + 1))
done
if [ "${netem:-1}" = 0 ]; then
  echo "NOTE: this kernel has no tc netem (sch_netem): running without added delay and loss"
fi
link() { ip -n "${p}sw" link set "v$p$1" "$2"; }  # link HOST up|down

# Provisioning (on the admin's machine, outside the network).
A="$tmp/admin"
run "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
run "shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
enroll() { run "enroll $1" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll $2 --to '$tmp/$1' --label $1"; }
enroll a1 "--shelter E1310100000001"; enroll a2 "--shelter E1310100000001"
enroll b1 "--shelter E1310100000002"; enroll b2 "--shelter E1310100000002"
enroll r "--shelter E1310100000003"; enroll hq "--role hq"

# Offline registrations with canary names: three households on each shelter tablet.
for h in a1 a2 b1 b2; do
  for n in 1 2 3; do
    hh="{\"members\":[{\"name\":\"カナリア$h$n 太郎\",\"kana\":\"かなりあ\",\"dob\":\"1970-01-0$n\",\"sex\":\"male\",\"head\":true}]}"
    run "register $h$n" sh -c "printf '5678\n%s\n' '$hh' | '$ctl' --data '$tmp/$h' register - --checkin"
  done
done
segs() { "$ctl" --data "$tmp/$1" --json status | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['segments'])"; }
common=$(segs r)  # the municipality's segments, on every device since enrolment
total=$common
for h in a1 a2 b1 b2; do total=$((total + $(segs $h) - common)); done
a_only=$(( $(segs a1) + $(segs a2) - common ))
start() {
  local cmd=("$ctl" --data "$tmp/$1")
  [ "$1" = hq ] && cmd=("$hq" --data "$tmp/hq")  # HQ: the headquarters server, same protocol
  echo 5678 | ip netns exec "$p$1" "${cmd[@]}" serve --listen 7000 --discover \
    --beacon-interval 1 --timeout 15 >>"$tmp/$1.log" 2>&1 &
  pids+=($!)
}
wait_for() {  # wait_for SECONDS WANT HOST...: until each listed host holds WANT segments
  local limit=$1 want=$2; shift 2
  for _ in $(seq "$limit"); do
    local all=1
    for h in "$@"; do [ "$(segs "$h")" = "$want" ] || all=0; done
    [ $all = 1 ] && return 0
    sleep 1
  done
  return 1
}

# Phase 1: the relay is at shelter A; B and HQ are cut off.
for h in b1 b2 hq; do link $h down; done
for h in "${hosts[@]}"; do start "$h"; done
wait_for 90 "$a_only" a1 a2 r && ok || bad "shelter A did not converge with the relay: $(segs a1) $(segs a2) $(segs r), want $a_only"
# Phase 2: the relay walks to shelter B; A is cut off.
for h in a1 a2; do link $h down; done
for h in b1 b2; do link $h up; done
wait_for 90 "$total" b1 b2 r && ok || bad "the relay did not carry A to B: $(segs b1) $(segs b2) $(segs r), want $total"
# Phase 3: only the relay reaches HQ.
for h in b1 b2; do link $h down; done
link hq up
wait_for 90 "$total" hq r && ok || bad "HQ did not get everything from the relay: $(segs hq), want $total"
# Healed: everyone up, everything everywhere.
for h in a1 a2 b1 b2; do link $h up; done
wait_for 120 "$total" "${hosts[@]}" && ok || bad "no convergence after healing"
# The HQ dashboard shows them while the server runs (it flushes after each session).
hq_persons() { "$hq" --data "$tmp/hq" summary --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['population']['persons'])"; }
for _ in $(seq 30); do [ "$(hq_persons)" = 12 ] && break; sleep 1; done
[ "$(hq_persons)" = 12 ] && ok || bad "HQ summary shows $(hq_persons) persons while serving, want 12"
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
wait 2>/dev/null
pids=()

persons() { echo 5678 | "$ctl" --data "$tmp/$1" --json counts | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['persons'])"; }
[ "$(hq_persons)" = 12 ] && ok || bad "HQ summary counts $(hq_persons) persons after the stop, want 12"
in_shelter() {
  "$hq" --data "$tmp/hq" shelters --json | /usr/bin/python3 -c "import json,sys; print(sum(s['population']['in_shelter'] for s in json.load(sys.stdin) if s['common_id'] == '$1'))"
}
for want in E1310100000001:6 E1310100000002:6 E1310100000003:0; do
  got=$(in_shelter "${want%:*}")
  [ "$got" = "${want#*:}" ] && ok || bad "HQ shelters: ${want%:*} has $got in the shelter, want ${want#*:}"
done
grep -q '"segments_new"\|received' "$tmp/hq.log" && ok || bad "shelter-hq logged no sessions: $(tail -5 "$tmp/hq.log")"
for h in a1 a2 b1 b2; do
  [ "$(persons $h)" = 6 ] && ok || bad "$h counts $(persons $h) persons, want its shelter's 6"
done
[ "$(persons r)" = 0 ] && ok || bad "the relay reads $(persons r) persons"
if grep -rqa "カナリア" "$tmp/r"; then bad "canary plaintext in the relay's files"; else ok; fi
grep -q "already in sync\|sent" "$tmp/r.log" && ok || bad "the relay logged no sessions"

echo "sync_netns: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
