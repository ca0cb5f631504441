#!/usr/bin/env bash
# Fails on any C++ file that .clang-format (Google base, 100 columns) would change, naming each
# file and the first lines it would change. `tools/dev format` fixes them.
set -u
root=$1
cd "$root" || exit 1
if ! command -v clang-format >/dev/null 2>&1; then
  echo "FAIL: clang-format is not installed (tools/dev installs it); cannot check the format"
  exit 1
fi
if [ ! -f .clang-format ]; then echo "FAIL: .clang-format is missing"; exit 1; fi
fail=0
files=$(git ls-files '*.cpp' '*.hpp' '*.cc' '*.h' 2>/dev/null || find core platform sync ui tools tests -name '*.[ch]pp')
[ -n "$files" ] || { echo "FAIL: no C++ files found under $root"; exit 1; }
n=0
for f in $files; do
  n=$((n + 1))
  if ! out=$(clang-format --style=file "$f" | diff -u "$f" - ); then
    echo "FAIL: $f is not formatted (tools/dev format):"
    echo "$out" | sed -n '3,12p'
    fail=1
  fi
done
[ $fail -eq 0 ] && echo "format ok: $n files"
exit $fail
