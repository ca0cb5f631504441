#!/usr/bin/env bash
# Fails when a layer includes what it must not (STYLE.md "Dependencies"): core never sees UI,
# network or device headers; sync never sees platform or ui; tools never see ui.
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
check core 'SDL|imgui|boost/asio|asio\.hpp|PCSC|winscard|linux/videodev|sys/socket|netinet|platform/|sync/|ui/' \
  "SDL, ImGui, Asio, device, socket or upper-layer headers"
check sync 'SDL|imgui|platform/|ui/' "platform or ui headers"
check platform 'SDL|imgui|sync/|ui/' "sync or ui headers"
check tools 'SDL|imgui|ui/' "ui headers"
[ $fail -eq 0 ] && echo "layering ok"
exit $fail
