// Tests for core/formats/device_settings: the settings a tablet keeps survive a write and a read,
// a missing file gives the defaults, and a damaged file never stops the app (bad values keep
// their defaults; an oversized or non-UTF-8 file is refused whole).
#include "core/formats/device_settings.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace shelter::core {
namespace {

TEST_CASE("device settings: written and read back, and a missing file gives the defaults") {
  test::TempDir dir;
  std::string path = dir.Sub("settings.conf");
  auto none = LoadDeviceSettings(path);
  REQUIRE(none.ok());
  CHECK(none->text_scale_pct == 100);
  CHECK_FALSE(none->high_contrast);
  CHECK(none->language.empty());
  CHECK_FALSE(none->low_power);

  DeviceSettings s{175, true, "ja-easy", true};
  REQUIRE(SaveDeviceSettings(path, s).ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto back = LoadDeviceSettings(path);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->text_scale_pct == 175);
  CHECK(back->high_contrast);
  CHECK(back->language == "ja-easy");
  CHECK(back->low_power);
}

TEST_CASE("device settings: bad values keep their defaults, good ones around them still apply") {
  auto s = ParseDeviceSettings(
      "# hand-edited\r\n text_scale = 150 \r\nhigh_contrast=maybe\nlanguage=../../etc/passwd\n"
      "no equals sign\nfuture_key=1\nlow_power=true\n");
  REQUIRE(s.ok());
  CHECK(s->text_scale_pct == 150);
  CHECK_FALSE(s->high_contrast);
  CHECK(s->language.empty());
  CHECK(s->low_power);
  auto odd = ParseDeviceSettings("text_scale=130\ntext_scale=-5\nlanguage=zh-Hans\n");
  REQUIRE(odd.ok());
  CHECK(odd->text_scale_pct == 100);  // only the five sizes the settings screen offers
  CHECK(odd->language == "zh-Hans");
}

TEST_CASE("device settings: an oversized or non-UTF-8 file is refused whole") {
  CHECK(ParseDeviceSettings(std::string(kMaxDeviceSettingsBytes + 1, '#')).error().code ==
        ErrorCode::kParse);
  CHECK(ParseDeviceSettings("language=ja\n\xff\n").error().code == ErrorCode::kParse);
  test::TempDir dir;
  std::string path = dir.Sub("settings.conf");
  std::ofstream(path) << "text_scale=200\n" << std::string(5000, 'x');
  CHECK(LoadDeviceSettings(path).error().code == ErrorCode::kParse);
  // A language code that would break the file is not written.
  auto again = ParseDeviceSettings(FormatDeviceSettings({125, false, "ja\ntext_scale=200", false}));
  REQUIRE(again.ok());
  CHECK(again->text_scale_pct == 125);
  CHECK(again->language.empty());
}

}  // namespace
}  // namespace shelter::core
