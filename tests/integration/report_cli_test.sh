#!/usr/bin/env bash
# A shelter's status report reaches HQ by every channel a phone offers, with the tablet's counts:
# `shelterctl report` on a tablet with people in the shelter, out, at home, in a car, elsewhere
# and not arrived; `shelter-hq report ingest` of the text, of the SMS parts shuffled as
# arguments, of a file of parts with a duplicate, of stdin, and of the QR PNG. After each HQ's
# row for the shelter equals `shelterctl counts --json`. A missing part is named, a part of
# another report and a kiosk account's report are refused.
# Usage: report_cli_test.sh SHELTERCTL SHELTER_HQ SOURCE_DIR
set -u
ctl=$1 hq=$2 src=$3
py=/usr/bin/python3
source "$(dirname "$0")/cli_common.sh"

A="$tmp/admin" T="$tmp/t1" H="$tmp/hq"
run "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
run "shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
run "enroll t1" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$T' --label t1"
run "enroll hq" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --role hq --to '$H' --label hq"
run "staff account" sh -c "printf '5678\n1111\n' | '$ctl' --data '$T' --staff lead staff add --handle s1 --role staff"
run "kiosk account" sh -c "printf '5678\n2222\n' | '$ctl' --data '$T' --staff lead staff add --handle k1 --role kiosk"
tab() { echo 1111 | "$ctl" --data "$T" --staff s1 "$@"; }
# HQ knows the shelters (the municipality's master data, as a synced HQ would); people reach it
# only by the reports below.
run "master data bundle" sh -c "echo 1234 | '$ctl' --data '$A' bundle export '$tmp/master.skb'"
run "HQ takes the master data" sh -c "echo 5678 | '$hq' --data '$H' ingest '$tmp/master.skb'"

# Households: three in the shelter (one of four people), one never arrived.
register() {  # register N MEMBERS [--checkin]
  local n=$1 m=$2 members="" i
  shift 2
  for i in $(seq "$m"); do
    members+="${members:+,}{\"name\":\"報告 $n-$i\",\"kana\":\"ほうこく\",\"dob\":\"19$((40 + n * 11 + i))-0$i-0$n\",\"sex\":\"$([ $((i % 2)) = 1 ] && echo male || echo female)\"$([ "$i" = 1 ] && echo ',"head":true')$([ "$i" = 3 ] && echo ',"needs":["ELD"]')}"
  done
  run "register $n" sh -c "printf '1111\n%s\n' '{\"members\":[$members]}' | '$ctl' --data '$T' --staff s1 register - $*"
}
register 1 4 --checkin
register 2 2 --checkin
register 3 3 --checkin
register 4 2
ids=$(tab --json roster | $py -c 'import json,sys; print(" ".join(p["id"] for p in json.load(sys.stdin) if p["event"]))')
set -- $ids
run "check out" tab checkout "$1"
run "to the car" tab checkin "$2" --place car
run "at home" tab checkin "$3" --place home
run "at relatives" tab checkin "$4" --place relatives

# same_counts WHAT: HQ's row for the shelter (from the report) equals the tablet's counts.
same_counts() {
  tab --json counts >"$tmp/counts.json" || { bad "$1: shelterctl counts"; return; }
  "$hq" --data "$H" shelters --json >"$tmp/shelters.json" || { bad "$1: shelter-hq shelters"; return; }
  if $py - "$tmp/counts.json" "$tmp/shelters.json" >"$tmp/cmp" 2>&1 <<'PY'; then ok; else bad "$1: $(cat "$tmp/cmp")"; fi
import json, sys
c = json.load(open(sys.argv[1]))
row = next(s for s in json.load(open(sys.argv[2])) if s["common_id"] == "E1310100000001")
assert row["source"] == "report", f"HQ's row comes from {row['source']!r}"
p = row["population"]
for k, hq_k in [("persons", "persons"), ("in_shelter", "in_shelter"), ("out", "out"),
                ("at_home", "at_home"), ("in_car", "in_car"), ("elsewhere", "elsewhere"),
                ("not_arrived", "never_arrived")]:
    assert c[k] == p[hq_k], f"{k}: tablet {c[k]}, HQ {p[hq_k]}"
assert c["in_shelter"] > 0 and c["out"] > 0 and c["in_car"] > 0 and c["at_home"] > 0
assert c["elsewhere"] > 0 and c["not_arrived"] > 0, c
PY
}
# report: a new report as JSON in $tmp/report.json (one second apart: HQ keeps the latest "as of").
report() {
  sleep 1
  if tab --json report "$@" >"$tmp/report.json" 2>"$tmp/err"; then ok; else bad "report: $(cat "$tmp/err")"; fi
}
field() { $py -c "import json; d=json.load(open('$tmp/report.json')); print($1)"; }
ingest() {  # ingest WHAT OUTCOME ARGS...
  local what=$1 outcome=$2
  shift 2
  if "$hq" --data "$H" report ingest "$@" >"$tmp/out" 2>"$tmp/err"; then
    grep -q "^report $outcome:" "$tmp/out" && ok || bad "$what: $(cat "$tmp/out")"
  else
    bad "$what: $(cat "$tmp/err")"
  fi
}

# --- the text
report
$py - "$tmp/report.json" <<'PY' && ok || bad "report --json: $(cat "$tmp/report.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["text"].startswith("JSR1:") and 1 <= d["qr_version"] <= 20, d
assert 2 <= len(d["parts"]) <= 3, len(d["parts"])
for i, p in enumerate(d["parts"]):
    assert p.startswith(f"JSR1 {i + 1}/{len(d['parts'])} ") and len(p) <= 160 and p.isascii(), p
PY
c=$(tab --json counts)
[ "$(field 'd["counts"]["in_shelter"]')" = "$(echo "$c" | $py -c 'import json,sys; print(json.load(sys.stdin)["in_shelter"])')" ] &&
  ok || bad "report and counts disagree: $(field 'd["counts"]') / $c"
ingest "text" accepted "$(field 'd["text"]')"
same_counts "after the text"
ingest "the same text again" duplicate "$(field 'd["text"]')"

# --- SMS parts, shuffled, as arguments
run "check out another" tab checkout "$5"
report
mapfile -t parts < <(field '"\n".join(reversed(d["parts"]))')
ingest "parts as arguments" replaced "${parts[@]}"
same_counts "after the parts"
# Text mode prints the same parts.
sleep 1
tab report --parts >"$tmp/parts.txt" 2>"$tmp/err" || bad "report --parts: $(cat "$tmp/err")"
if [ "$(wc -l <"$tmp/parts.txt")" -ge 2 ] && ! grep -Evq '^JSR1 [1-9]/[1-9] [0-9A-F]{6} [0-9A-Z$%*+./:_-]+$' "$tmp/parts.txt" &&
   ! grep -Eq '^.{161}' "$tmp/parts.txt"; then ok; else bad "report --parts: $(cat "$tmp/parts.txt")"; fi

# --- a file of parts, shuffled, one duplicated, with CRLF; then the same on stdin
run "back in" tab checkin "$5"
report
field '"\r\n".join([d["parts"][-1], d["parts"][0]] + d["parts"][::-1]) + "\r\n"' >"$tmp/sms.txt"
ingest "a file of parts" replaced "$tmp/sms.txt"
same_counts "after the file of parts"
ingest "parts on stdin" duplicate - <"$tmp/sms.txt"

# --- refused: a missing part, a part of another report
mapfile -t old < <(field '"\n".join(d["parts"])')
report
mapfile -t new < <(field '"\n".join(d["parts"])')
expect_fail "a missing part" "part 1 of ${#new[@]} is missing" "$hq" --data "$H" report ingest "${new[@]:1}"
expect_fail "a part of another report" "from another report" "$hq" --data "$H" report ingest "${new[0]}" "${old[@]:1}"

# --- the QR image
run "check out a third" tab checkout "$6"
report -o "$tmp/report.png"
[ -s "$tmp/report.png" ] && ok || bad "report -o wrote no PNG"
ingest "the PNG" replaced "$tmp/report.png"
same_counts "after the PNG"

# --- roles: a kiosk account makes no report
expect_fail "kiosk report" "permission denied\|may not" sh -c "echo 2222 | '$ctl' --data '$T' --staff k1 report"

finish report_cli
