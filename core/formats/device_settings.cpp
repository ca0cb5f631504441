#include "core/formats/device_settings.hpp"

#include <cerrno>
#include <cstdio>

#include "core/base/private_file.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

constexpr int kScales[] = {100, 125, 150, 175, 200};

// "1" / "true" or "0" / "false" into *out; anything else leaves it as it was.
void ReadBool(std::string_view v, bool* out) {
  if (v == "1" || v == "true") *out = true;
  if (v == "0" || v == "false") *out = false;
}

// A language code as the catalog names them: letters, digits and '-', 2..16 characters.
bool IsLanguageCode(std::string_view v) {
  if (v.size() < 2 || v.size() > 16) return false;
  for (char c : v)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Result<DeviceSettings> ParseDeviceSettings(std::string_view text) {
  if (text.size() > kMaxDeviceSettingsBytes)
    return MakeError(ErrorCode::kParse, "settings file too long");
  if (!IsValidUtf8(text)) return MakeError(ErrorCode::kParse, "settings file is not UTF-8");
  DeviceSettings s;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, eq)), v = Trim(line.substr(eq + 1));
    if (key == "text_scale") {
      for (int pct : kScales)
        if (v == std::to_string(pct)) s.text_scale_pct = pct;
    } else if (key == "high_contrast") {
      ReadBool(v, &s.high_contrast);
    } else if (key == "low_power") {
      ReadBool(v, &s.low_power);
    } else if (key == "language") {
      if (IsLanguageCode(v)) s.language = std::string(v);
    }
  }
  return s;
}

std::string FormatDeviceSettings(const DeviceSettings& s) {
  return "# shelter-app settings of this device\ntext_scale=" + std::to_string(s.text_scale_pct) +
         "\nhigh_contrast=" + (s.high_contrast ? "1" : "0") +
         "\nlanguage=" + (IsLanguageCode(s.language) ? s.language : "") +
         "\nlow_power=" + (s.low_power ? "1" : "0") + "\n";
}

Result<DeviceSettings> LoadDeviceSettings(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    if (errno == ENOENT) return DeviceSettings{};
    return MakeError(ErrorCode::kIo, "cannot read the settings file");
  }
  std::string text(kMaxDeviceSettingsBytes + 1, '\0');
  size_t n = std::fread(text.data(), 1, text.size(), f);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return MakeError(ErrorCode::kIo, "cannot read the settings file");
  text.resize(n);
  return ParseDeviceSettings(text);
}

Status SaveDeviceSettings(const std::string& path, const DeviceSettings& s) {
  std::string text = FormatDeviceSettings(s);
  return WritePrivateFile(path, View(text));
}

}  // namespace shelter::core
