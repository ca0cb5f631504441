// libFuzzer target for core/formats/device_settings: the settings file is read at every start and
// may be damaged or hand-edited. Besides not crashing, it checks that what is accepted stays in
// range and that writing the result and reading it back gives the same settings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/formats/device_settings.hpp"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shelter::core;
  auto s = ParseDeviceSettings(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!s.ok()) return 0;
  Check(s->text_scale_pct >= 100 && s->text_scale_pct <= 200);
  Check(s->language.size() <= 16);
  auto again = ParseDeviceSettings(FormatDeviceSettings(*s));
  Check(again.ok());
  Check(again->text_scale_pct == s->text_scale_pct && again->high_contrast == s->high_contrast &&
        again->language == s->language && again->low_power == s->low_power);
  return 0;
}
