#!/usr/bin/env bash
# shelterctl master data, devices, export and the small things a drill trips over, end to end:
# duplicate 共通ID rows, shelter set/open/close, device list/revoke by prefix, a safe CSV export,
# era birth dates, checkout twice, disaster kinds, revocation codes, a partly refused bundle.
# Usage: shelterctl_master_test.sh SHELTERCTL SOURCE_DIR
set -u
ctl=$1
src=$2
source "$(dirname "$0")/cli_common.sh"
check() { local what=$1 want=$2 got=$3; [ "$got" = "$want" ] && ok || bad "$what: want '$want', got '$got'"; }

A="$tmp/admin"; T="$tmp/tablet"; T2="$tmp/tablet2"
expect_ok "init" sh -c "echo 1234 | '$ctl' --data '$A' init --code 131016 --name 千代田区"
expect_ok "import GSI shelters" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"

# --- Item 5: master data is never silently lost
head -2 "$src/assets/demo/shelters.csv" >"$tmp/dup.csv"
sed -n 2p "$src/assets/demo/shelters.csv" | sed 's/千代田区立麹町小学校/二つ目の行/' >>"$tmp/dup.csv"
expect_ok "import a duplicate 共通ID" sh -c "echo 1234 | '$ctl' --data '$A' --json shelter import '$tmp/dup.csv'"
check "duplicate row reported by line" "3" "$(json_get '",".join(str(e["line"]) for e in d["errors"])')"
json_get 'd["errors"][0]["message"]' | grep -q "duplicate 共通ID" && ok || bad "duplicate row message: $(cat "$tmp/out")"
expect_ok "shelter list" sh -c "echo 1234 | '$ctl' --data '$A' --json shelter list"
check "first row kept" "千代田区立麹町小学校" "$(json_get '[s["name"] for s in d if s["common_id"]=="E1310100000001"][0]')"

expect_ok "shelter set capacity" sh -c "echo 1234 | '$ctl' --data '$A' shelter set E1310100000001 --capacity 450"
expect_fail "shelter set bad capacity" "capacity needs a number" sh -c "echo 1234 | '$ctl' --data '$A' shelter set E1310100000001 --capacity lots"
expect_fail "shelter set unknown" "no shelter" sh -c "echo 1234 | '$ctl' --data '$A' shelter set E9999 --capacity 5"
expect_ok "re-import GSI" sh -c "echo 1234 | '$ctl' --data '$A' shelter import '$src/assets/demo/shelters.csv'"
expect_ok "shelter list" sh -c "echo 1234 | '$ctl' --data '$A' --json shelter list"
check "capacity survives a GSI re-import" "450" "$(json_get '[s["capacity"] for s in d if s["common_id"]=="E1310100000001"][0]')"
check "imported shelters start closed" "closed" "$(json_get '[s["status"] for s in d if s["common_id"]=="E1310100000002"][0]')"
expect_ok "shelter open" sh -c "echo 1234 | '$ctl' --data '$A' shelter open E1310100000002"
expect_ok "shelter list" sh -c "echo 1234 | '$ctl' --data '$A' --json shelter list"
check "opened" "open" "$(json_get '[s["status"] for s in d if s["common_id"]=="E1310100000002"][0]')"
expect_ok "shelter close" sh -c "echo 1234 | '$ctl' --data '$A' shelter close E1310100000002"
expect_ok "shelter list text" sh -c "echo 1234 | '$ctl' --data '$A' shelter list"
grep "E1310100000002" "$tmp/out" | grep -q "closed" && ok || bad "closed in the text list: $(cat "$tmp/out")"

expect_ok "enroll t1" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$T' --label t1"
expect_ok "enroll t2" sh -c "printf '1234\n5678\n' | '$ctl' --data '$A' device enroll --shelter E1310100000001 --to '$T2' --label t2"
expect_ok "device list" sh -c "echo 1234 | '$ctl' --data '$A' --json device list"
check "devices listed" "3" "$(json_get 'len(d)')"
check "t1 row" "tablet E1310100000001 active" "$(json_get '" ".join([(x["role"], x["shelter"], x["state"]) for x in d if x["label"]=="t1"][0])')"
t2=$(json_get '[x["id"] for x in d if x["label"]=="t2"][0]')
expect_fail "revoke no match" "no device" sh -c "echo 1234 | '$ctl' --data '$A' device revoke ffffffffffffffffffffffffffffffff"
expect_ok "revoke by prefix" sh -c "echo 1234 | '$ctl' --data '$A' device revoke ${t2:0:10}"
expect_ok "device list" sh -c "echo 1234 | '$ctl' --data '$A' --json device list"
check "t2 revoked" "revoked" "$(json_get '[x["state"] for x in d if x["label"]=="t2"][0]')"
check "t1 still active" "active" "$(json_get '[x["state"] for x in d if x["label"]=="t1"][0]')"
expect_ok "device list text" sh -c "echo 1234 | '$ctl' --data '$A' device list"
grep "^$t2  t2  E1310100000001  tablet  revoked" "$tmp/out" >/dev/null && ok || bad "device list text: $(cat "$tmp/out")"

# A shelter full of people is open even though nobody marked it so (it was listed closed).
expect_ok "staff add" sh -c "printf '5678\n1111\n' | '$ctl' --data '$T' --staff lead staff add --handle s1 --role staff"
expect_ok "register checked in" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json register --kana やまだ --checkin"
person=$(json_get 'd["persons"][0]')
expect_ok "tablet shelter list" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json shelter list"
check "occupied shelter lists open" "open 1" "$(json_get '" ".join(str(v) for v in [(s["status"], s["in_shelter"]) for s in d if s["common_id"]=="E1310100000001"][0])')"

# --- Item 10: small things a drill trips over
expect_ok "register --dob in 和暦" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json register --kana すずき --dob 昭和33年5月5日"
expect_ok "search the era date" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 --json search 1958-05-05"
check "stored as YYYY-MM-DD" "1958-05-05" "$(json_get 'd[0]["dob"]')"
expect_fail "future birth date" "in the future" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 register --kana たなか --dob 2100-01-01"
expect_fail "kana not kana" "kana must be hiragana or katakana" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 register --kana Tanaka"
expect_ok "checkout" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 checkout $person"
expect_fail "checkout twice" "already checked out" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 checkout $person"
expect_fail "disaster kind unknown" "unknown disaster kind; use one of: earthquake" sh -c "echo 1234 | '$ctl' --data '$A' disaster add --name 地震 --date 2025-01-01 --kind quake"
expect_ok "disaster add" sh -c "echo 1234 | '$ctl' --data '$A' disaster add --name 令和7年8月の大雨 --date 2025-08-10 --kind flood"
expect_ok "disaster list" sh -c "echo 1234 | '$ctl' --data '$A' disaster list"
grep -q "2025-08-10  flood  令和7年8月の大雨" "$tmp/out" && ok || bad "disaster list shows the kind: $(cat "$tmp/out")"
expect_fail "revoke reason unknown" "use one of: error, duplicate, superseded, withdrawn, fraud" sh -c "echo 1234 | '$ctl' --data '$A' cert revoke K001-000001 --reason oops"

# A bundle of another municipality: every item refused, so the import fails.
R="$tmp/rogue"
expect_ok "rogue init" sh -c "echo 4321 | '$ctl' --data '$R' init --code 131016 --name 偽区"
expect_ok "rogue shelters" sh -c "echo 4321 | '$ctl' --data '$R' shelter import '$src/assets/demo/shelters.csv'"
expect_ok "rogue bundle" sh -c "echo 4321 | '$ctl' --data '$R' bundle export '$tmp/rogue.skb'"
expect_fail "partly refused bundle exits non-zero" "bundle partly refused" sh -c "echo 1234 | '$ctl' --data '$A' bundle import '$tmp/rogue.skb'"
expect_ok "own bundle" sh -c "echo 1111 | '$ctl' --data '$T' --staff s1 bundle export '$tmp/t.skb'"
expect_ok "a clean bundle still imports" sh -c "echo 1234 | '$ctl' --data '$A' bundle import '$tmp/t.skb'"

# --- Item 6: the export is correct and safe
hh='{"members":[{"name":"=HYPERLINK(\"http://evil.example\",\"x\")","kana":"あくい","sex":"male"},{"name":"@SUM(A1)","kana":"あっと"},{"name":"-2+3","kana":"まいなす"},{"name":"+81","kana":"ぷらす"}]}'
expect_ok "register hostile names" sh -c "printf '5678\n%s\n' '$hh' | '$ctl' --data '$T' --staff lead register - --anyway"
printf 'old\n' >"$tmp/roster.csv"
chmod 644 "$tmp/roster.csv"
expect_ok "export over an existing file" sh -c "echo 5678 | '$ctl' --data '$T' --staff lead export --csv -o '$tmp/roster.csv'"
check "export mode" "600" "$(stat -c %a "$tmp/roster.csv")"
grep -q ",\"'=HYPERLINK(\"\"http" "$tmp/roster.csv" && ok || bad "= not neutralised: $(cat "$tmp/roster.csv")"
grep -q ",'@SUM(A1)," "$tmp/roster.csv" && ok || bad "@ not neutralised"
grep -q ",'-2+3," "$tmp/roster.csv" && ok || bad "- not neutralised"
grep -q ",'+81," "$tmp/roster.csv" && ok || bad "+ not neutralised"
grep -qE ',"?[-=@+]' "$tmp/roster.csv" && bad "a formula cell left as is" || ok
ls "$tmp"/roster.csv.* >/dev/null 2>&1 && bad "temporary export file left behind" || ok

finish shelterctl_master
