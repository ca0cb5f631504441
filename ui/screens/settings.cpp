// Settings: text size (100-200 %), high contrast, low-power mode, battery, language; kept for the
// next start.
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void DrawSettings(App& app) {
  Heading(app, app.T("settings.title"));
  // Every change is kept for the next start (App::ChangeSettings); the marks say what is in
  // effect ("settings.scale=150", "settings.contrast=1") for event scripts.
  const core::DeviceSettings now = app.settings();
  ImGui::TextUnformatted(app.T("settings.text_size"));
  for (int pct : {100, 125, 150, 175, 200}) {
    const float w = ButtonWidth(app, "✓ 200%");  // room for the check mark of the one chosen
    if (pct != 100) FlowNext(w);
    if (Toggle(app, "settings.scale." + std::to_string(pct), std::to_string(pct) + "%",
               now.text_scale_pct == pct, w)) {
      core::DeviceSettings s = now;
      s.text_scale_pct = pct;
      app.ChangeSettings(s);
    }
    if (now.text_scale_pct == pct) app.Mark("settings.scale=" + std::to_string(pct));
  }
  ImGui::Spacing();
  core::DeviceSettings s = now;
  if (Checkbox(app, "settings.contrast", app.T("settings.high_contrast"), &s.high_contrast))
    app.ChangeSettings(s);
  app.Mark(std::string("settings.contrast=") + (now.high_contrast ? "1" : "0"));
  ImGui::Spacing();
  s = now;
  if (Checkbox(app, "settings.low_power", app.T("settings.low_power"), &s.low_power))
    app.ChangeSettings(s);
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", app.T("settings.low_power_help"));
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  ImGui::TextUnformatted(app.T("settings.language"));
  const auto& cat = app.catalog();
  for (size_t i = 0; i < cat.languages().size(); ++i) {
    if (i != 0) FlowNext(ImGui::GetFontSize() * 9);
    if (Toggle(app, "settings.lang." + cat.languages()[i],
               cat.Text(static_cast<int>(i), "lang.name"), static_cast<int>(i) == app.lang(),
               ImGui::GetFontSize() * 9)) {
      s = now;
      s.language = cat.languages()[i];
      app.ChangeSettings(s);
    }
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Text("%s: %s", app.T("settings.device"), app.node().device().label.c_str());
}

}  // namespace shelter::ui
