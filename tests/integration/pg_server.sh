# Sourced by integration tests: a real PostgreSQL server in a temporary directory (initdb, then
# pg_ctl on a private socket directory and port), as hq_postgres_test.sh starts it. PostgreSQL
# refuses to run as root, so as root it runs as `postgres` (or `nobody`).
#   pg_start WORKDIR   sets pg_url (database "postgres") and pg_bindir; exits 1 if it cannot start
#   pg_createdb NAME   prints the URL of a new database
#   pg_stop            stops the server (call it from the caller's EXIT trap)
pg_start() {
  local work=$1
  pg_bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$pg_bindir/initdb" ] || { echo "FAIL: PostgreSQL server binaries not found (install postgresql)"; exit 1; }
  pg_as=()
  if [ "$(id -u)" -eq 0 ]; then
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    pg_as=(runuser -u "$user" --)
  fi
  pg_data=$work/pg
  pg_sock=$work/pgsock
  mkdir -p "$pg_data" "$pg_sock"
  chmod 755 "$work"
  [ ${#pg_as[@]} -gt 0 ] && chown "${pg_as[2]}" "$pg_data" "$pg_sock"
  local port=$((20000 + RANDOM % 20000))
  "${pg_as[@]}" "$pg_bindir/initdb" -D "$pg_data" -A trust -U hq >"$work/initdb.log" 2>&1 ||
    { echo "FAIL: initdb failed: $(tail -5 "$work/initdb.log")"; exit 1; }
  "${pg_as[@]}" "$pg_bindir/pg_ctl" -D "$pg_data" -w -l "$pg_sock/pg.log" \
    -o "-k $pg_sock -p $port -c listen_addresses='' -c fsync=on" start >/dev/null ||
    { echo "FAIL: PostgreSQL did not start: $(tail -5 "$pg_sock/pg.log" 2>/dev/null)"; exit 1; }
  pg_port=$port
  pg_url="postgresql://hq@/postgres?host=$pg_sock&port=$port"
}

pg_createdb() {
  "$pg_bindir/psql" "$pg_url" -qc "CREATE DATABASE $1" >/dev/null ||
    { echo "FAIL: cannot create database $1" >&2; exit 1; }
  echo "postgresql://hq@/$1?host=$pg_sock&port=$pg_port"
}

pg_stop() {
  [ -n "${pg_data:-}" ] && "${pg_as[@]}" "$pg_bindir/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1
  return 0
}
