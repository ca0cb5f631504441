#!/usr/bin/env bash
# shelter-hq on a real PostgreSQL server started here: initdb into a temporary directory and
# pg_ctl on a private socket directory and port. PostgreSQL refuses to run as root, so as root the
# server runs as the unprivileged `postgres` user (or `nobody`). Fails if the server cannot start.
#   hq_postgres_test.sh SHELTER_HQ SHELTER_HQ_BENCH HQ_TESTS
set -euo pipefail
hq=$1 bench=$2 hq_tests=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/pg_server.sh"
work=$(mktemp -d)
stop() {
  pg_stop
  rm -rf "$work"
}
trap stop EXIT
pg_start "$work"
url=$pg_url

# 1. The store and aggregation tests against PostgreSQL.
SHELTER_HQ_TEST_PG="$url" "$hq_tests" -tc='*PostgreSQL*' || fail "hq_tests on PostgreSQL"

# 2. The CLI on a fresh database: ingest, summary and export, idempotent re-ingest.
url=$(pg_createdb hqcli)
mkdir -p "$work/data"
"$bench" --keep "$work/data" --shelters 10 --people 5000 >/dev/null
echo 5678 | "$hq" --data "$work/data/hq" --db "$url" ingest "$work/data/segments.bin"
persons=$("$hq" --data "$work/data/hq" --db "$url" summary --json |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["population"]["persons"])')
[ "$persons" = 5000 ] || fail "PostgreSQL summary counts $persons, expected 5000"
again=$(echo 5678 | "$hq" --data "$work/data/hq" --db "$url" ingest "$work/data/segments.bin")
case "$again" in *", 0 new"*) ;; *) fail "re-ingest was not idempotent: $again" ;; esac
"$hq" --data "$work/data/hq" --db "$url" export --csv -o "$work/status.csv"
head -c 3 "$work/status.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "CSV has no BOM"
grep -q '都道府県名,避難所数,避難者数' "$work/status.csv" || fail "CSV lacks the prefecture table"
# 3. The schema version is recorded.
v=$("$pg_bindir/psql" "$url" -Atc 'SELECT version FROM schema_version')
[ "$v" -ge 1 ] || fail "no schema version"
echo "PASS: shelter-hq on PostgreSQL $("$pg_bindir/postgres" --version | awk '{print $3}')"
