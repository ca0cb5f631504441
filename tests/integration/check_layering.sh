#!/usr/bin/env bash
# Fails when a layer includes what it must not (STYLE.md "Dependencies", README "Layout"):
# - core never sees UI, network or device headers, and its folders include only folders below
#   them, in the order of CORE_ORDER;
# - platform and sync never see each other's or the app's headers; the HQ library (sync/hq)
#   sees core and sync only;
# - tools never include ui or tests (benchmarks use tools/fixtures), ui never includes tools.
set -u
root=$1
fail=0
check() {  # check DIR REGEX WHAT
  local hits
  hits=$(grep -rnE "#include *[<\"]($2)" "$root/$1" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "FAIL: $1/ must not include $3:"
    echo "$hits"
    fail=1
  fi
}
check core 'SDL|imgui|boost/asio|asio\.hpp|PCSC|winscard|linux/videodev|sys/socket|netinet|platform/|sync/|ui/|tools/|tests/' \
  "SDL, ImGui, Asio, device, socket or upper-layer headers"
check platform 'SDL|imgui|sync/|ui/|tools/|tests/' "sync, ui, tools or tests headers"
check sync 'SDL|imgui|platform/|ui/|tools/|tests/' "platform, ui, tools or tests headers"
check ui 'tools/|tests/' "tools or tests headers"
check tools 'SDL|imgui|ui/|tests/' "ui or tests headers"

# core/'s folders, lowest first. A folder may include its own headers and those of folders
# before it in this list; a file directly in core/ or a folder missing here is an error too.
CORE_ORDER=(base text codec card device log model formats node ops)
declare -A rank
for i in "${!CORE_ORDER[@]}"; do rank[${CORE_ORDER[$i]}]=$i; done
while IFS= read -r file; do
  rel=${file#"$root/core/"}
  folder=${rel%%/*}
  if [ "$folder" = "$rel" ] || [ -z "${rank[$folder]+x}" ]; then
    echo "FAIL: core/$rel is not in one of core's layer folders (${CORE_ORDER[*]})"
    fail=1
    continue
  fi
  while IFS= read -r inc; do
    dep=${inc%%/*}
    if [ -z "${rank[$dep]+x}" ]; then
      echo "FAIL: core/$rel includes core/$inc, which is in no layer folder"
      fail=1
    elif [ "${rank[$dep]}" -gt "${rank[$folder]}" ]; then
      echo "FAIL: core/$rel ($folder) includes core/$inc ($dep), a folder above it"
      fail=1
    fi
  done < <(grep -oE '^#include *"core/[^"]+"' "$file" | sed -E 's/^#include *"core\/([^"]+)"/\1/')
done < <(find "$root/core" -name '*.hpp' -o -name '*.cpp' | sort)

[ $fail -eq 0 ] && echo "layering ok"
exit $fail
