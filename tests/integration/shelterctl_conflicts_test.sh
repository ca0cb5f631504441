#!/usr/bin/env bash
# Conflicts from the command line, as the app's household editor makes and resolves them: two
# tablets apart (synced by USB bundles) each edit one field of one person and of its household;
# `conflicts` shows exactly those two fields with both values, their devices and times (equal
# edits are none); `resolve --keep N` clears them on both tablets; two merges of one person into
# different people are a conflict too. Usage: shelterctl_conflicts_test.sh SHELTERCTL SOURCE_DIR
set -u
ctl=$1
src=$2
source "$(dirname "$0")/cli_common.sh"
py() { /usr/bin/python3 -c "import json,sys; d=json.load(open('$tmp/out')); $1"; }
# ctl TABLET ARGS...: shelterctl on tablet t1 or t2 as its lead.
ctl() { local t=$1; shift; echo 5678 | "$ctl" --data "$tmp/$t" --staff lead "$@"; }
# exchange: t1 and t2 swap USB bundles (each imports everything the other holds).
exchange() {
  run "bundle export t1" ctl t1 bundle export "$tmp/t1.skb"
  run "bundle export t2" ctl t2 bundle export "$tmp/t2.skb"
  run "bundle import t2" ctl t2 bundle import "$tmp/t1.skb"
  run "bundle import t1" ctl t1 bundle import "$tmp/t2.skb"
}

A="$tmp/admin"
run "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
run "shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
for t in t1 t2; do
  run "enroll $t" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$tmp/$t' --label $t"
done
dev1=$("$ctl" --data "$tmp/t1" --json status | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')
dev2=$("$ctl" --data "$tmp/t2" --json status | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')
[ -n "$dev1" ] && [ -n "$dev2" ] && [ "$dev1" != "$dev2" ] && ok || bad "device ids: '$dev1' '$dev2'"

hh='{"address":"東京都千代田区麹町3丁目5番","members":[{"name":"佐藤 花子","kana":"さとう はなこ","dob":"1970-01-02","sex":"female","head":true,"needs":["ELD"]}]}'
run "register" sh -c "printf '5678\n%s\n' '$hh' | '$ctl' --data '$tmp/t1' --staff lead --json register - --checkin"
P=$(py 'print(d["persons"][0])')
H=$(py 'print(d["household"])')
exchange

# Apart: each tablet edits the phone (differently) and the note (the same text), and the residence.
run "t1 person edit" ctl t1 --json person edit "$P" --set phone=090-1111-1111 --set note=杖を使用
py 'assert d["fields_written"] == 2, d' && ok || bad "t1 wrote $(cat "$tmp/out")"
run "t2 person edit" ctl t2 person edit "$P" --set phone=090-2222-2222 --set note=杖を使用
run "t1 household edit" ctl t1 household edit "$H" --set residence=車中泊
run "t2 household edit" ctl t2 household edit "$H" --set residence=親戚宅
run "edit nothing" ctl t2 --json person edit "$P" --set phone=090-2222-2222
py 'assert d["fields_written"] == 0, d' && ok || bad "an unchanged value was written: $(cat "$tmp/out")"
expect_fail "edit unknown field" "not a person field" ctl t1 person edit "$P" --set shoe=27
expect_fail "edit bad sex" "sex must be" ctl t1 person edit "$P" --set sex=x
expect_fail "edit without --set" "nothing to change" ctl t1 person edit "$P"
expect_fail "edit unknown household field" "not a household field" ctl t1 household edit "$H" --set shelter=x
run "no conflicts yet" ctl t1 --json conflicts
py 'assert d == [], d' && ok || bad "conflicts before sync: $(cat "$tmp/out")"
exchange

for t in t1 t2; do
  run "conflicts $t" ctl $t --json conflicts
  py "
c = {(x['record'], x['field']): x for x in d}
assert set(c) == {('$P', 'phone'), ('$H', 'residence')}, sorted(c)
phone = c[('$P', 'phone')]
assert phone['type'] == 'person' and c[('$H', 'residence')]['type'] == 'household'
assert sorted(v['value'] for v in phone['values']) == ['090-1111-1111', '090-2222-2222'], phone
assert {v['device'] for v in phone['values']} == {'$dev1', '$dev2'}, phone
assert [v['n'] for v in phone['values']] == [1, 2]
assert all(v['time'].endswith('Z') and v['time'][:2] == '20' for v in phone['values']), phone
" && ok || bad "conflicts on $t: $(cat "$tmp/out")"
done
run "search shows the conflict" ctl t1 --json search さとう
py 'assert d[0]["conflict"] is True, d' && ok || bad "person not flagged: $(cat "$tmp/out")"
run "conflicts as text" ctl t1 conflicts
grep -q "090-2222-2222   device $dev2" "$tmp/out" && ok || bad "text listing: $(cat "$tmp/out")"

# Resolve the phone on t2 by keeping t2's value; the person is then out of conflict everywhere.
run "conflicts t2" ctl t2 --json conflicts
keep=$(py "print(next(v['n'] for x in d if x['field'] == 'phone' for v in x['values'] if v['value'] == '090-2222-2222'))")
expect_fail "resolve out of range" "--keep must be 1..2" ctl t2 resolve "$P" phone --keep 3
expect_fail "resolve a field without conflict" "has no conflict" ctl t2 resolve "$P" note --keep 1
expect_fail "resolve without --keep" "missing --keep" ctl t2 resolve "$P" phone
run "resolve phone" ctl t2 resolve "$P" phone --keep "$keep"
exchange
for t in t1 t2; do
  run "conflicts $t after resolve" ctl $t --json conflicts
  py "assert [(x['record'], x['field']) for x in d] == [('$H', 'residence')], d" && ok ||
    bad "after resolving the phone on $t: $(cat "$tmp/out")"
  run "search $t" ctl $t --json search さとう
  py 'assert d[0]["conflict"] is False, d' && ok || bad "person still in conflict on $t: $(cat "$tmp/out")"
done
run "household" ctl t1 --json household "$H"
grep -q "090-2222-2222" "$tmp/out" && ok || bad "kept phone not shown: $(cat "$tmp/out")"
run "resolve residence" ctl t1 resolve "$H" residence --keep 1
run "no conflicts" ctl t1 conflicts
grep -q "no conflicts" "$tmp/out" && ok || bad "after resolving all: $(cat "$tmp/out")"

# Merges: t1 merges B into A while t2 merges B into C: one conflict of B's `_merged`.
ids=()
for n in 一郎 一朗 市郎; do
  run "register $n" sh -c "echo 5678 | '$ctl' --data '$tmp/t1' --staff lead --json register --anyway --kana 'すずき いちろう' --name '鈴木 $n' --dob 1960-06-06"
  ids+=("$(py 'print(d["persons"][0])')")
done
pa=${ids[0]} pb=${ids[1]} pc=${ids[2]}
exchange
run "merge B into A on t1" ctl t1 merge "$pa" "$pb"
run "merge B into C on t2" ctl t2 merge "$pc" "$pb"
exchange
run "merge conflict" ctl t2 --json conflicts
py "
assert len(d) == 1 and d[0]['record'] == '$pb' and d[0]['field'] == '_merged', d
assert sorted(v['value'] for v in d[0]['values']) == sorted(['$pa', '$pc']), d
" && ok || bad "conflicting merges: $(cat "$tmp/out")"
keep=$(py "print(next(v['n'] for v in d[0]['values'] if v['value'] == '$pa'))")
run "resolve merge" ctl t2 resolve "$pb" _merged --keep "$keep"
run "conflicts after merge resolve" ctl t2 --json conflicts
py 'assert d == [], d' && ok || bad "merge conflict left: $(cat "$tmp/out")"

# A kiosk account may neither list (names are personal data) nor edit.
run "kiosk account" sh -c "printf '5678\n2468\n' | '$ctl' --data '$tmp/t1' --staff lead staff add --handle kiosk --role kiosk"
expect_fail "conflicts as kiosk" "may not" sh -c "echo 2468 | '$ctl' --data '$tmp/t1' --staff kiosk conflicts"
expect_fail "edit as kiosk" "may not" sh -c "echo 2468 | '$ctl' --data '$tmp/t1' --staff kiosk person edit $P --set phone=1"

finish shelterctl_conflicts
