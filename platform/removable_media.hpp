// USB sticks (and SD cards) mounted on the tablet, for carrying sync bundles by hand: the mount
// points under /media, /run/media and /mnt that this process can write to. SHELTER_USB_ROOT
// names a folder whose subfolders stand for sticks instead (tests, a kiosk without automount).
// Thread-safe (reads /proc/mounts each call).
#pragma once

#include <string>
#include <vector>

namespace shelter::platform {

struct Stick {
  std::string path;   // the mount point
  std::string label;  // its last path component, as the desktop names it
};

std::vector<Stick> MountedSticks();

// The bundle files (*.skb) at the top of a stick's shelterkit folder, newest first.
std::vector<std::string> BundlesOn(const Stick& stick);

}  // namespace shelter::platform
