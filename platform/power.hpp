// Battery and charger state of the device, for the tablet's status bar and low-battery warnings.
// Thread-safety: Read() may be called from one thread at a time unless an implementation says
// more; the sysfs one keeps no mutable state and is safe from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/base/result.hpp"

namespace shelter::platform {

struct PowerStatus {
  std::optional<int> percent;  // 0..100 over all system batteries; nullopt if none is readable
  bool on_ac = false;          // external power: a charger is online, or there is no battery
  bool charging = false;       // some battery reports that it is charging
  bool present = false;        // at least one system battery exists
};

class PowerSource {
 public:
  virtual ~PowerSource();
  // Returns kNotFound when the OS offers no power information at all (e.g. the directory is
  // missing); a supply with unreadable or garbage values only makes its fields unknown.
  virtual core::Result<PowerStatus> Read() = 0;
};

// Linux: one directory per supply under `root`, as the kernel's power_supply class lays out.
std::unique_ptr<PowerSource> MakeSysfsPowerSource(std::string root = "/sys/class/power_supply");

}  // namespace shelter::platform
