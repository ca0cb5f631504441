#!/usr/bin/env bash
# The layering check fails on each kind of arrow it forbids: a core folder including a folder
# above it, a file outside core's layer folders, ui including tools, tools including tests.
set -u
check=$(dirname "$0")/check_layering.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # expect WHAT OK|FAIL FILE LINE
  rm -rf "$tmp/t"; mkdir -p "$tmp/t/core/base" "$tmp/t/core/ops"
  echo '#pragma once' > "$tmp/t/core/base/bytes.hpp"
  echo '#include "core/base/bytes.hpp"' > "$tmp/t/core/ops/edit.cpp"
  mkdir -p "$(dirname "$tmp/t/$3")"; echo "$4" >> "$tmp/t/$3"
  if bash "$check" "$tmp/t" > "$tmp/out" 2>&1; then got=OK; else got=FAIL; fi
  if [ "$got" != "$2" ]; then echo "FAIL: $1: the check said $got"; cat "$tmp/out"; fail=1; fi
}
expect "a clean tree passes" OK core/ops/edit.cpp '#include "core/base/bytes.hpp"'
expect "core/base including core/ops" FAIL core/base/bytes.hpp '#include "core/ops/edit.hpp"'
expect "a file directly in core/" FAIL core/loose.cpp '#include <vector>'
expect "a core folder missing from the order" FAIL core/misc/x.cpp '#include <vector>'
expect "core including sync" FAIL core/ops/edit.cpp '#include "sync/bundle.hpp"'
expect "ui including tools" FAIL ui/app.cpp '#include "tools/hq/x.hpp"'
expect "tools including tests" FAIL tools/bench/b.cpp '#include "tests/support/temp_dir.hpp"'
expect "sync including platform" FAIL sync/hq/h.cpp '#include "platform/camera.hpp"'
[ $fail -eq 0 ] && echo "layering check self-test ok"
exit $fail
