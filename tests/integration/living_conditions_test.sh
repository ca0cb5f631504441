#!/usr/bin/env bash
# Living conditions end to end with shelterctl: the lead records the shelter's facilities, plain
# staff are refused (told who may), and `shelter facilities show --json` ratios and alarms follow
# the people who arrive and leave, and the first days after the disaster.
# Usage: living_conditions_test.sh SHELTERCTL SOURCE_DIR
set -u
ctl=$1
src=$2
source "$(dirname "$0")/cli_common.sh"
check() { local what=$1 want=$2 got=$3; [ "$got" = "$want" ] && ok || bad "$what: want '$want', got '$got'"; }
ratio() { json "[r for r in d['ratios'] if r['key']=='$1'][0]['$2']"; }
show() { run "facilities show ($1)" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead --json shelter facilities show"; }
register() {  # register WHAT JSON: a checked-in household
  printf '%s\n' "$2" >"$tmp/hh.json"
  run "register $1" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead --json register '$tmp/hh.json' --checkin"
}

A="$tmp/admin"; T="$tmp/tablet"
run "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
run "import shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
run "enroll" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$T' --label t1"
run "staff add" sh -c "printf '5678\n1111\n' | '$ctl' --data '$T' --staff lead staff add --handle s1 --role staff"

# Never recorded: unknown, no alarm.
show "nothing recorded"
check "unknown before anything is recorded" "unknown unknown" "$(ratio people_per_toilet state) $(ratio bed_coverage state)"
check "no alarms when unknown" "0" "$(json 'd["alarms"]')"

run "facilities set as lead" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead --json shelter facilities set --toilets-women 1 --toilets-men 1 --baths 1 --floor-m2 14 --beds 3 --power generator --water tank"
check "set shows what was set" "1 1 None 14 3 generator tank" "$(json '" ".join(str(d[k]) for k in ["toilets_women","toilets_men","toilets_accessible","floor_m2","beds","power","water"])')"
check "empty shelter meets all" "0 0" "$(json 'd["people"], d["alarms"]' | tr -d '(),')"
expect_fail "facilities set as staff" "only the shelter lead or an admin may edit its facilities" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 shelter facilities set --beds 100"
run "staff may read them" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json shelter facilities show"
check "staff's refused edit did not land" "3" "$(json 'd["beds"]')"
expect_fail "bad power" "power is grid, generator or none" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead shelter facilities set --power solar"
expect_fail "bad count" "--beds needs a number" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead shelter facilities set --beds -2"
expect_fail "nothing to set" "no facility to change" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead shelter facilities set"

# A man and a woman arrive: 1 women's toilet per woman and 1 men's per man is 1, not 3.
register "couple" '{"members":[{"name":"山田 太郎","kana":"やまだ たろう","sex":"male","head":true},{"name":"山田 花子","kana":"やまだ はなこ","sex":"female"}]}'
show "2 people"
check "people counted" "2 1 1" "$(json 'd["people"], d["women"], d["men"]' | tr -d '(),')"
check "women's toilets missed" "missed True 1.0" "$(ratio women_toilet_ratio state) $(ratio women_toilet_ratio alarm) $(ratio women_toilet_ratio value)"
check "floor 7 m² each" "met 7.0" "$(ratio m2_per_person state) $(ratio m2_per_person value)"
check "one alarm" "1" "$(json 'd["alarms"]')"

# Two more: 14 m² for 4 is exactly 3.5 (met); 3 beds for 4 is missed.
register "two sisters" '{"members":[{"name":"佐藤 一美","kana":"さとう かずみ","sex":"female","head":true},{"name":"佐藤 二美","kana":"さとう ふたみ","sex":"female"}]}'
sister=$(json 'd["persons"][1]')
show "4 people"
check "exactly 3.5 m² is met" "met False 3.5" "$(ratio m2_per_person state) $(ratio m2_per_person alarm) $(ratio m2_per_person value)"
check "beds short" "missed True 0.75" "$(ratio bed_coverage state) $(ratio bed_coverage alarm) $(ratio bed_coverage value)"
check "two alarms" "2" "$(json 'd["alarms"]')"
run "text show" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead shelter facilities show"
grep -q "^ALARM bed_coverage 0.75 (at least 1.00): missed" "$tmp/out" && ok || bad "text alarm line: $(cat "$tmp/out")"

# One goes out for the day: 3 people, 3 beds.
run "checkout" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead checkout '$sister'"
show "3 people"
check "beds enough again" "3 met False" "$(json 'd["people"]') $(ratio bed_coverage state) $(ratio bed_coverage alarm)"

# No toilet at all: people per toilet is missed with no value; the target is 1 per 20 with no
# disaster recorded or an old one, 1 per 50 on the disaster's date.
run "toilets out of order" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead --json shelter facilities set --toilets-women 0 --toilets-men 0"
check "no toilet" "missed True None 20.0" "$(ratio people_per_toilet state) $(ratio people_per_toilet alarm) $(ratio people_per_toilet value) $(ratio people_per_toilet target)"
run "old disaster" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead disaster add --name 古い地震 --date 2020-01-01 --kind earthquake"
show "old disaster"
check "later figure" "False 20.0" "$(json 'd["first_days"]') $(ratio people_per_toilet target)"
today=$(TZ=Asia/Tokyo date +%F)
run "today's disaster" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead disaster add --name 今日の地震 --date $today --kind earthquake"
run "accessible toilet" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead --json shelter facilities set --toilets-accessible 1"
check "first days" "True $today 50.0" "$(json 'd["first_days"], d["disaster_date"]' | tr -d "(),'") $(ratio people_per_toilet target)"
check "3 people, 1 toilet is met" "met 3.0" "$(ratio people_per_toilet state) $(ratio people_per_toilet value)"

finish living_conditions
