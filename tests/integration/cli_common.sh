# Sourced by the command-line integration tests after they set their arguments: a temporary
# directory $tmp (removed at exit unless the caller sets its own EXIT trap that removes it), a fast
# KDF for test PINs, and the pass/fail counters with the checks every script uses.
#   ok / bad WHY                 count a check (bad prints FAIL: WHY)
#   run WHAT CMD...              CMD must succeed; its stdout is in $tmp/out, stderr in $tmp/err
#   expect_fail WHAT PATTERN CMD...  CMD must fail with one stderr line matching PATTERN
#   json EXPR                    EXPR (Python) over the JSON in $tmp/out, bound to d
#   finish NAME                  prints "NAME: N passed, N failed" and exits non-zero on a failure
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SHELTER_TEST_FAST_KDF=1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
run() { local what=$1; shift; if "$@" >"$tmp/out" 2>"$tmp/err"; then ok; else bad "$what: $(cat "$tmp/err")"; fi; }
expect_ok() { run "$@"; }
expect_fail() {
  local what=$1 pattern=$2; shift 2
  if "$@" >"$tmp/out" 2>"$tmp/err"; then bad "$what: succeeded"; return; fi
  if [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -q -- "$pattern" "$tmp/err"; then
    bad "$what: stderr was: $(cat "$tmp/err")"; return; fi
  ok
}
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open('$tmp/out')); print($1)"; }
json_get() { json "$@"; }
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
