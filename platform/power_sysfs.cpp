// PowerSource over Linux's power_supply class (Documentation/ABI/testing/sysfs-class-power).
// Each entry of the root is one supply with one-value text attributes: `type` (Battery, Mains,
// USB, ...), `capacity` (percent), `status` (Charging, Discharging, Full, Not charging, Unknown),
// `online` (0 = offline, 1 or 2 = online), optional `scope`, `present`, `energy_*`/`charge_*`.
// Attributes are read fresh on every Read(); any of them may be absent or fail to read (a fuel
// gauge asleep returns EIO), which only makes that value unknown.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "platform/power.hpp"

namespace shelter::platform {

PowerSource::~PowerSource() = default;

namespace {

namespace fs = std::filesystem;

using core::ErrorCode;
using core::MakeError;

// The attribute's text without surrounding whitespace; nullopt when absent or unreadable.
std::optional<std::string> ReadAttribute(const fs::path& dir, const char* name) {
  std::ifstream in(dir / name, std::ios::binary);
  if (!in) return std::nullopt;
  char buffer[256];  // sysfs values here are a word or a number
  in.read(buffer, sizeof(buffer));
  if (in.bad()) return std::nullopt;
  std::string_view text(buffer, static_cast<size_t>(in.gcount()));
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return std::string();
  text = text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  return std::string(text);
}

// The attribute as a whole decimal integer; nullopt when absent, unreadable or not a number.
std::optional<long long> ReadInteger(const fs::path& dir, const char* name) {
  const std::optional<std::string> text = ReadAttribute(dir, name);
  if (!text || text->empty()) return std::nullopt;
  long long value = 0;
  const char* end = text->data() + text->size();
  const auto [stop, error] = std::from_chars(text->data(), end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

// A positive value, or nullopt; used for capacities that weight or divide.
std::optional<long long> ReadPositive(const fs::path& dir, const char* name) {
  const std::optional<long long> value = ReadInteger(dir, name);
  if (!value || *value <= 0) return std::nullopt;
  return value;
}

enum class SupplyKind { kBattery, kCharger, kOther };

SupplyKind KindOf(std::string_view type) {
  if (type == "Battery") return SupplyKind::kBattery;
  // USB chargers appear as USB or, on older kernels, USB_DCP, USB_C, USB_PD, ...
  if (type == "Mains" || type == "Wireless" || type.starts_with("USB")) return SupplyKind::kCharger;
  return SupplyKind::kOther;  // UPS and newer types: not this device's battery or charger
}

// `capacity` when it is a sane percentage, else now/full from energy (µWh) or charge (µAh).
// An out-of-range capacity is not clamped: a driver that says 150 is not believed.
std::optional<int> BatteryPercent(const fs::path& dir) {
  if (const std::optional<long long> capacity = ReadInteger(dir, "capacity")) {
    if (*capacity >= 0 && *capacity <= 100) return static_cast<int>(*capacity);
  }
  constexpr std::pair<const char*, const char*> kPairs[] = {{"energy_now", "energy_full"},
                                                            {"charge_now", "charge_full"}};
  for (const auto& [now_name, full_name] : kPairs) {
    const std::optional<long long> now = ReadInteger(dir, now_name);
    const std::optional<long long> full = ReadPositive(dir, full_name);
    if (!now || !full || *now < 0) continue;
    // Gauges often report now a little above full after a recalibration.
    const double ratio = std::min(1.0, static_cast<double>(*now) / static_cast<double>(*full));
    return static_cast<int>(std::lround(ratio * 100.0));
  }
  return std::nullopt;
}

struct Battery {
  std::optional<int> percent;
  std::optional<long long> energy_full;
  std::optional<long long> charge_full;
  std::string status;
};

// Capacity-weighted mean of the batteries that have a percent: weighted by energy_full when
// all of them report it, else by charge_full, else plainly.
std::optional<int> AveragePercent(const std::vector<Battery>& batteries) {
  bool all_energy = true;
  bool all_charge = true;
  int readable = 0;
  for (const Battery& b : batteries) {
    if (!b.percent) continue;
    ++readable;
    all_energy = all_energy && b.energy_full.has_value();
    all_charge = all_charge && b.charge_full.has_value();
  }
  if (readable == 0) return std::nullopt;
  double weighted = 0;
  double total_weight = 0;
  for (const Battery& b : batteries) {
    if (!b.percent) continue;
    const double weight = all_energy   ? static_cast<double>(*b.energy_full)
                          : all_charge ? static_cast<double>(*b.charge_full)
                                       : 1.0;
    weighted += weight * *b.percent;
    total_weight += weight;
  }
  return static_cast<int>(std::lround(weighted / total_weight));
}

class SysfsPowerSource final : public PowerSource {
 public:
  explicit SysfsPowerSource(std::string root) : root_(std::move(root)) {}

  core::Result<PowerStatus> Read() override {
    std::error_code error;
    fs::directory_iterator it(root_, error);
    if (error) {
      return MakeError(ErrorCode::kNotFound,
                       "cannot list power supplies in " + root_.string() + ": " + error.message());
    }
    std::vector<Battery> batteries;
    bool charger_reported = false;  // some charger has a readable `online`
    bool charger_online = false;
    for (; it != fs::directory_iterator(); it.increment(error)) {  // an error ends the loop
      const fs::path dir = it->path();
      std::error_code entry_error;
      if (!fs::is_directory(dir, entry_error)) continue;  // follows the class symlinks
      // Peripherals (stylus, mouse, headset) report their own batteries with scope Device.
      if (ReadAttribute(dir, "scope") == "Device") continue;
      const std::optional<std::string> type = ReadAttribute(dir, "type");
      if (!type) continue;
      switch (KindOf(*type)) {
        case SupplyKind::kBattery:
          if (ReadInteger(dir, "present") == 0) break;  // empty battery bay
          batteries.push_back(Battery{BatteryPercent(dir), ReadPositive(dir, "energy_full"),
                                      ReadPositive(dir, "charge_full"),
                                      ReadAttribute(dir, "status").value_or("")});
          break;
        case SupplyKind::kCharger:
          if (const std::optional<long long> online = ReadInteger(dir, "online")) {
            charger_reported = true;
            charger_online = charger_online || *online > 0;
          }
          break;
        case SupplyKind::kOther: break;
      }
    }
    if (error) {
      return MakeError(ErrorCode::kIo, "listing power supplies in " + root_.string() +
                                           " failed: " + error.message());
    }

    PowerStatus status;
    status.present = !batteries.empty();
    status.percent = AveragePercent(batteries);
    bool battery_says_external = false;  // these states only happen with a charger attached
    for (const Battery& b : batteries) {
      status.charging = status.charging || b.status == "Charging";
      battery_says_external = battery_says_external || b.status == "Charging" ||
                              b.status == "Full" || b.status == "Not charging";
    }
    // Many tablets list only the battery (the charger IC has no driver): then trust the
    // battery's status. Without any battery the device can only be running on external power.
    status.on_ac =
        charger_online || (!charger_reported && battery_says_external) || !status.present;
    return status;
  }

 private:
  fs::path root_;
};

}  // namespace

std::unique_ptr<PowerSource> MakeSysfsPowerSource(std::string root) {
  return std::make_unique<SysfsPowerSource>(std::move(root));
}

}  // namespace shelter::platform
