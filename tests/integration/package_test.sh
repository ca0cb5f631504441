#!/usr/bin/env bash
# The Debian packages as a municipality's IT staff meet them: built from this build folder
# (cpack, nothing is recompiled), lintian-clean of errors, installed with apt-get, the installed
# binaries (/usr/bin, never the build folder) run through a short drill (a municipality, an HQ
# device in the service's state directory, a tablet syncing to `shelter-hq --config
# /etc/shelterkit/hq.conf serve` with the PIN as a credential file, the app reading its packaged
# assets, manuals and completion), the unit checked by systemd-analyze, and an upgrade from an
# older package version that keeps HQ's data and migrates its database from an older schema.
# Everything is purged again on any exit.
# Root only (it installs packages): otherwise a skip (77) with the reason.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
py=/usr/bin/python3
start=$(date +%s)

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: the package test installs .deb files and must run as root (tools/dev test in CI is root)"
  exit 77
fi
for tool in cpack lintian apt-get dpkg-shlibdeps sqlite3 setpriv; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (tools/dev installs it)"; exit 1; }
done
# One run at a time on a machine (several checkouts may test at once): they install the same
# packages and the same service user.
exec 9>/var/lock/shelterkit-package-test
flock -w 900 9 || { echo "FAIL: another package test has held the lock for 15 minutes"; exit 1; }
pkgs=(shelterkit-tablet shelterkit-hq shelterkit-common)
for p in "${pkgs[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then
    echo "FAIL: $p is already installed here; the test would replace and purge it"
    exit 1
  fi
done
for f in "$build/tools/package/man/shelterctl.1.gz" "$build/ui/shelter-app" "$build/tools/hq/shelter-hq"; do
  [ -e "$f" ] || { echo "FAIL: $f is missing: build the project first"; exit 1; }
done

tmp=$(mktemp -d)
chmod 0755 "$tmp"  # the service's user reads the credential directory below it
had_user=0
getent passwd shelterkit >/dev/null && had_user=1
had_state=0
[ -e /var/lib/shelterkit ] && had_state=1
had_etc=0
[ -e /etc/shelterkit ] && had_etc=1
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then kill -9 "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; fi
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq -o DPkg::Lock::Timeout=300 "${pkgs[@]}" \
    >/dev/null 2>&1 || true
  [ "$had_state" = 0 ] && rm -rf /var/lib/shelterkit
  [ "$had_etc" = 0 ] && rm -rf /etc/shelterkit
  if [ "$had_user" = 0 ] && getent passwd shelterkit >/dev/null; then
    userdel shelterkit || echo "WARNING: the user shelterkit made by the package was not removed"
  fi
  if [ "$had_user" = 0 ] && getent group shelterkit >/dev/null; then groupdel shelterkit; fi
  rm -rf "$tmp"
  return 0
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {  # check WHAT COMMAND...: the command succeeds
  local what=$1; shift
  if "$@" >"$tmp/out" 2>"$tmp/err"; then ok; else bad "$what: $(head -c 2000 "$tmp/err") $(head -c 500 "$tmp/out")"; fi
}

# --- build: the new version and an older one (only the package version differs)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
old="$version~old1"
for v in "$old" "$version"; do
  mkdir -p "$tmp/deb-$v"
  if ! cpack --config "$build/CPackConfig.cmake" -B "$tmp/deb-$v" -R "$v" >"$tmp/cpack.log" 2>&1; then
    echo "FAIL: cpack $v: $(tail -20 "$tmp/cpack.log")"
    exit 1
  fi
done
debs() { ls "$tmp/deb-$1"/*.deb; }
[ "$(debs "$version" | wc -l)" = 3 ] && ok || bad "want 3 packages: $(debs "$version")"
echo "packages built in $(($(date +%s) - start)) s"

# --- lintian: errors fail, warnings are listed
lintian --no-tag-display-limit $(debs "$version") >"$tmp/lintian.log" 2>&1 || true
echo "lintian: $(grep -c '^E:' "$tmp/lintian.log" || true) errors, $(grep -c '^W:' "$tmp/lintian.log" || true) warnings"
grep '^[EW]:' "$tmp/lintian.log" | sed 's/^/  /' || true
if grep -q '^E:' "$tmp/lintian.log"; then bad "lintian errors (above)"; else ok; fi

# --- contents: FHS places, dependencies
# Listed once into a file: grep -q stopping early on a pipe would fail the pipeline (pipefail).
for p in "${pkgs[@]}"; do dpkg-deb -c "$tmp/deb-$version/$p"_*.deb | awk '{print $6}' >"$tmp/$p.list"; done
has() { grep -qx "$2" "$tmp/$1.list"; }
for f in ./usr/bin/shelterctl ./usr/share/man/man1/shelterctl.1.gz \
  ./usr/share/bash-completion/completions/shelterctl; do
  has shelterkit-common "$f" && ok || bad "shelterkit-common lacks $f"
done
for f in ./usr/bin/shelter-app ./usr/share/shelterkit/i18n/ja.json ./usr/share/shelterkit/fonts.txt \
  ./usr/share/applications/shelter-app.desktop ./usr/share/xsessions/shelterkit-kiosk.desktop \
  ./usr/share/shelterkit/kiosk/shelter-app-autostart.desktop ./usr/share/man/man1/shelter-app.1.gz; do
  has shelterkit-tablet "$f" && ok || bad "shelterkit-tablet lacks $f"
done
if [ -f "$build/prereg/index.html" ]; then
  has shelterkit-tablet ./usr/share/shelterkit/prereg/index.html && ok ||
    bad "shelterkit-tablet lacks the pre-registration page"
else
  echo "NOTE: $build/prereg was not built (tools/dev builds it): the tablet package has no pre-registration page"
fi
if [ -f "$build/verify/index.html" ]; then
  has shelterkit-tablet ./usr/share/shelterkit/verify/index.html && ok ||
    bad "shelterkit-tablet lacks the certificate verifier page"
else
  echo "NOTE: $build/verify was not built (tools/dev builds it): the tablet package has no verifier page"
fi
for f in ./usr/bin/shelter-hq ./lib/systemd/system/shelter-hq.service ./etc/shelterkit/hq.conf \
  ./var/lib/shelterkit/ ./usr/share/man/man1/shelter-hq.1.gz; do
  has shelterkit-hq "$f" && ok || bad "shelterkit-hq lacks $f"
done
for p in shelterkit-tablet shelterkit-hq; do
  dep=$(dpkg-deb -f "$tmp/deb-$version/$p"_*.deb Depends)
  [[ $dep == *"shelterkit-common (= $version)"* && $dep == *libc6* ]] && ok || bad "$p Depends: $dep"
done
dpkg-deb -f "$tmp/deb-$version"/shelterkit-tablet_*.deb Depends | grep -q fonts-noto-cjk && ok ||
  bad "the tablet package does not depend on its fonts"

# --- install the older version
install_debs() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
    --no-install-recommends $(debs "$1") \
    >"$tmp/apt.log" 2>&1 || { echo "FAIL: apt-get install $1: $(tail -20 "$tmp/apt.log")"; exit 1; }
}
install_debs "$old"
[ "$(dpkg-query -W -f='${Version}' shelterkit-hq)" = "$old" ] && ok || bad "shelterkit-hq $old not installed"
getent passwd shelterkit >/dev/null && ok || bad "the service's user was not made"
[ "$(stat -c '%U %a' /var/lib/shelterkit)" = "shelterkit 700" ] && ok ||
  bad "/var/lib/shelterkit: $(stat -c '%U %a' /var/lib/shelterkit)"

# --- the unit
if systemd-analyze --version >/dev/null 2>&1; then
  # verify loads the unit and everything it names; the credential file is made by the admin.
  touch /etc/shelterkit/hq.pin
  if systemd-analyze verify /lib/systemd/system/shelter-hq.service >"$tmp/verify.log" 2>&1; then
    ok
    echo "systemd-analyze verify shelter-hq.service: ok"
    [ -s "$tmp/verify.log" ] && sed 's/^/  systemd-analyze: /' "$tmp/verify.log"
  else
    bad "systemd-analyze verify: $(cat "$tmp/verify.log")"
  fi
  rm -f /etc/shelterkit/hq.pin
else
  bad "systemd-analyze is not installed: the unit was not verified"
fi
unit=/lib/systemd/system/shelter-hq.service
for line in 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'StateDirectory=shelterkit' \
  'User=shelterkit' 'LoadCredential=pin:/etc/shelterkit/hq.pin' \
  'ExecStart=/usr/bin/shelter-hq --config /etc/shelterkit/hq.conf serve'; do
  grep -qx "$line" "$unit" && ok || bad "the unit lacks $line"
done
# The PIN is neither on the command line nor in the unit's environment.
grep -E '^(ExecStart|Environment)' "$unit" | grep -qiE 'pin|[0-9]{4}' && bad "a PIN in the unit: $(grep -E '^(ExecStart|Environment)' "$unit")" || ok
if [ -d /run/systemd/system ]; then
  echo "NOTE: systemd runs here, but the test starts serve itself as the service would (User=, the credential)"
else
  echo "NOTE: systemd is not PID 1 here: the service is run by hand as its unit says (User=shelterkit, \$CREDENTIALS_DIRECTORY/pin, --config)"
fi

# --- the drill, with the installed binaries only
export SHELTER_TEST_FAST_KDF=1
ctl=/usr/bin/shelterctl hq=/usr/bin/shelter-hq app=/usr/bin/shelter-app
A="$tmp/admin" T="$tmp/tablet" H=/var/lib/shelterkit/hq
check "init" sh -c "echo 1111 | $ctl --data '$A' init --code 131016 --name 千代田区"
check "shelters" sh -c "echo 1111 | $ctl --data '$A' shelter import '$src/assets/demo/shelters.csv'"
check "enroll tablet" sh -c "printf '1111\n2222\n' | $ctl --data '$A' device enroll --shelter E1310100000001 --to '$T' --label t1"
check "enroll hq" sh -c "printf '1111\n5678\n' | $ctl --data '$A' device enroll --role hq --to '$H' --label hq"
chown -R shelterkit:shelterkit "$H"
for n in 1 2 3; do
  hh="{\"members\":[{\"name\":\"試験 $n\",\"kana\":\"しけん\",\"dob\":\"1970-01-0$n\",\"sex\":\"female\",\"head\":true}]}"
  check "register $n" sh -c "printf '2222\n%s\n' '$hh' | $ctl --data '$T' register - --checkin"
done
cred="$tmp/cred"
mkdir -m 0700 "$cred"
echo 5678 >"$cred/pin"
chown -R shelterkit:shelterkit "$cred"
# As the unit runs it: the service's user and the credential directory.
as_service() {
  setpriv --reuid=shelterkit --regid=shelterkit --init-groups -- env CREDENTIALS_DIRECTORY="$cred" "$@"
}
# Started without a shell function around it (that would be a subshell): $! is shelter-hq.
setpriv --reuid=shelterkit --regid=shelterkit --init-groups -- env CREDENTIALS_DIRECTORY="$cred" \
  $hq --config /etc/shelterkit/hq.conf --listen 0 --bind 127.0.0.1 --json serve </dev/null \
  >"$tmp/serve.log" 2>&1 &
serve_pid=$!
port=""
for _ in $(seq 100); do
  port=$($py -c "import json; print(json.loads(open('$tmp/serve.log').readline())['listening'])" 2>/dev/null) && break
  sleep 0.1
done
[ -n "$port" ] && ok || bad "serve did not start: $(cat "$tmp/serve.log")"
check "tablet -> hq" sh -c "echo 2222 | $ctl --data '$T' sync --peer 127.0.0.1:$port"
for _ in $(seq 100); do grep -q '"peer"' "$tmp/serve.log" && break; sleep 0.1; done
kill -TERM "$serve_pid"
if wait "$serve_pid"; then ok; else bad "serve did not stop cleanly on SIGTERM: $(cat "$tmp/serve.log")"; fi
serve_pid=""
persons() {
  as_service $hq --config /etc/shelterkit/hq.conf summary --json |
    $py -c 'import json,sys; print(json.load(sys.stdin)["population"]["persons"])'
}
[ "$(persons)" = 3 ] && ok || bad "HQ counts $(persons) persons after the sync, want 3"
grep -q '試験\|しけん' "$tmp/serve.log" && bad "personal data in serve's log" || ok
printf 'listen = 7000\nlisen = 7001\n' >"$tmp/bad.conf"
if $hq --config "$tmp/bad.conf" summary >"$tmp/out" 2>&1; then bad "a misspelt key was accepted"; else
  grep -q "line 2: unknown key 'lisen'" "$tmp/out" && ok || bad "bad config: $(cat "$tmp/out")"
fi
check "shelter-app --help" $app --help
check "shelter-app --self-check" env -u SHELTER_ASSETS $app --self-check
grep -qx 'assets: /usr/share/shelterkit' "$tmp/out" && ok || bad "the app read $(head -1 "$tmp/out")"
# What the tablet's session runs: no --data, so the user's $XDG_DATA_HOME/shelterkit
# (~/.local/share/shelterkit) holding the enrolled tablet; one frame drawn headless, then quit.
home="$tmp/home"
mkdir -p "$home/.local/share"
cp -a "$T" "$home/.local/share/shelterkit"
printf 'shot 01_start\nquit\n' >"$tmp/start.script"
check "shelter-app without --data" env -u XDG_DATA_HOME -u SHELTER_ASSETS HOME="$home" \
  $app --headless --script "$tmp/start.script" --shots "$tmp" --sync off
[ -s "$tmp/01_start.png" ] && ok || bad "shelter-app without --data drew nothing"
for b in shelterctl shelter-hq shelter-app; do
  check "man $b" man -w "$b"
  check "$b --help agrees with its manual" $py "$src/tests/integration/manual_agrees.py" "/usr/bin/$b" \
    "/usr/share/man/man1/$b.1.gz"
  check "$b --version" "/usr/bin/$b" --version
  grep -q "$version" "$tmp/out" && ok || bad "$b --version: $(cat "$tmp/out")"
done
complete_words() {  # complete_words CMD WORD...: what bash completion offers for the last word
  bash -c 'source "/usr/share/bash-completion/completions/$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "_shelterkit_${1//-/_}"; echo "${COMPREPLY[*]}"' _ "$@"
}
[ "$(complete_words shelterctl shelterctl --data d she)" = shelter ] && ok ||
  bad "completion of 'shelterctl --data d she': $(complete_words shelterctl shelterctl --data d she)"
[ "$(complete_words shelterctl shelterctl device '')" = "enroll list revoke" ] && ok ||
  bad "completion of 'shelterctl device': $(complete_words shelterctl shelterctl device '')"
[[ " $(complete_words shelter-hq shelter-hq --con) " == *" --config "* ]] && ok ||
  bad "completion of 'shelter-hq --con': $(complete_words shelter-hq shelter-hq --con)"

# --- upgrade: the newer packages over the older ones keep and migrate HQ's data
before=$(persons)
# Both versions are built from one tree, so their schemas are the same: the HQ database is put
# back to what the release before schema step 4 (persons.merged_into) wrote, rows kept, and the
# upgrade's postinst must bring it forward.
check "an older HQ schema" as_service sqlite3 "$H/hq.db" "ALTER TABLE persons DROP COLUMN merged_into;
  DELETE FROM schema_version; INSERT INTO schema_version(version) VALUES(3);"
install_debs "$version"
[ "$(dpkg-query -W -f='${Version}' shelterkit-hq)" = "$version" ] && ok || bad "not upgraded to $version"
grep -q "^schema 3 -> [4-9]" "$tmp/apt.log" && ok || bad "the upgrade did not migrate: $(cat "$tmp/apt.log")"
[ "$(as_service sqlite3 "$H/hq.db" "SELECT count(*) FROM persons WHERE merged_into = ''")" = 3 ] && ok ||
  bad "after the migration: $(as_service sqlite3 "$H/hq.db" "SELECT count(*) FROM persons WHERE merged_into = ''" 2>&1)"
[ -f "$H/log.db" ] && [ "$(stat -c %U "$H/log.db")" = shelterkit ] && ok || bad "the HQ device is gone or changed owner"
[ "$(persons)" = "$before" ] && ok || bad "after the upgrade HQ counts $(persons) persons, want $before"
check "the tablet's records after the upgrade" sh -c "echo 2222 | $ctl --data '$T' search しけん"
[ "$(grep -c 試験 "$tmp/out")" = 3 ] && ok || bad "search after the upgrade: $(cat "$tmp/out")"
grep -qx 'listen = 0.0.0.0:47475' /etc/shelterkit/hq.conf && ok || bad "hq.conf changed by the upgrade"

# --- purge leaves the data (the owner deletes it), removes the rest
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq -o DPkg::Lock::Timeout=300 "${pkgs[@]}" \
  >"$tmp/apt.log" 2>&1 && ok ||
  bad "purge: $(tail -5 "$tmp/apt.log")"
[ ! -e /usr/bin/shelter-hq ] && [ ! -e /etc/shelterkit/hq.conf ] && ok || bad "purge left files"
[ -f "$H/log.db" ] && ok || bad "purge deleted the HQ data"

echo "package test: $passed passed, $failed failed in $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ]
