// App's device settings: text size, contrast, power saving and the default language, loaded from
// the data directory at start and written back by the settings screen (core/formats/
// device_settings.hpp). A language picked in the top bar or by a kiosk resident is not kept.
#include <cstdio>

#include "ui/app.hpp"

namespace shelter::ui {

core::DeviceSettings App::settings() const {
  core::DeviceSettings s;
  s.text_scale_pct = theme_.text_scale_pct;
  s.high_contrast = theme_.high_contrast;
  s.low_power = low_power_;
  s.language = default_language_;
  return s;
}

void App::ApplySettings(const core::DeviceSettings& s, bool language) {
  ThemeOptions t = theme_;
  t.text_scale_pct = s.text_scale_pct;
  t.high_contrast = s.high_contrast;
  if (t.text_scale_pct != theme_.text_scale_pct || t.high_contrast != theme_.high_contrast) {
    if (ImGui::GetCurrentContext()) {
      SetTheme(t);
    } else {  // before the first frame: the runner applies theme_ when it sets ImGui up
      theme_ = t;
      font_rebuild_ = true;
    }
  }
  if (s.low_power != low_power_) SetLowPower(s.low_power);
  default_language_ = s.language;
  if (language && !s.language.empty()) {
    int i = catalog_.IndexOf(s.language);
    if (i >= 0) SetLanguage(i);
  }
}

void App::UseSettingsFile(std::string path, bool keep_language) {
  settings_path_ = std::move(path);
  auto s = core::LoadDeviceSettings(settings_path_);
  if (!s.ok()) {  // a damaged file: the defaults, and the next change writes a good one
    std::fprintf(stderr, "shelter-app: settings: %s (using the defaults)\n",
                 s.error().ToString().c_str());
    return;
  }
  ApplySettings(*s, !keep_language);
}

void App::ChangeSettings(const core::DeviceSettings& s) {
  // A new default language applies at once; so does a tap on the default language when nothing
  // else changed (the top bar had switched away from it). Text size and contrast changes keep
  // the language shown now.
  const bool only_language = s.text_scale_pct == theme_.text_scale_pct &&
                             s.high_contrast == theme_.high_contrast && s.low_power == low_power_;
  const bool language = s.language != default_language_ || only_language;
  ApplySettings(s, language);
  if (settings_path_.empty()) return;
  auto saved = core::SaveDeviceSettings(settings_path_, s);
  if (!saved.ok()) Notify(ErrorText(saved.error()), true);
}

}  // namespace shelter::ui
