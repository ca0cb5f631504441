// The settings one tablet keeps for itself (not synced, no personal data): text size, contrast,
// the default language and power saving, as `settings.conf` in the data directory
// (core/FORMATS.md). Parsing is defensive: the file may be damaged or hand-edited, and a bad
// value never stops the app. Pure functions plus one file read/write; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.hpp"

namespace shelter::core {

struct DeviceSettings {
  int text_scale_pct = 100;  // one of 100, 125, 150, 175, 200
  bool high_contrast = false;
  std::string language;  // a catalog language code ("ja", "zh-Hans"); empty: the app's default
  bool low_power = false;
};

inline constexpr size_t kMaxDeviceSettingsBytes = 4096;

// Reads `key=value` lines over the defaults. Unknown keys, lines without '=' and values that do
// not fit are ignored (the default stays). kParse only when the text is over
// kMaxDeviceSettingsBytes or is not UTF-8.
Result<DeviceSettings> ParseDeviceSettings(std::string_view text);
std::string FormatDeviceSettings(const DeviceSettings& s);

// The settings saved at `path`; the defaults when there is no file. kIo when it cannot be read;
// the errors of ParseDeviceSettings.
Result<DeviceSettings> LoadDeviceSettings(const std::string& path);
// Writes `s` to `path` whole (a 0600 file replaced atomically). kIo on failure.
Status SaveDeviceSettings(const std::string& path, const DeviceSettings& s);

}  // namespace shelter::core
