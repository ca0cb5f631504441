// Settings: text size (100-200 %), high contrast, low-power mode, battery, language.
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void DrawSettings(App& app) {
  Heading(app, app.T("settings.title"));
  ImGui::TextUnformatted(app.T("settings.text_size"));
  for (int pct : {100, 125, 150, 175, 200}) {
    if (pct != 100) FlowNext(ImGui::CalcTextSize("200%").x + 2 * ImGui::GetStyle().FramePadding.x);
    ThemeOptions t = app.theme();
    if (Toggle(app, "settings.scale." + std::to_string(pct), std::to_string(pct) + "%",
               t.text_scale_pct == pct)) {
      t.text_scale_pct = pct;
      app.SetTheme(t);
    }
  }
  ImGui::Spacing();
  ThemeOptions t = app.theme();
  if (Checkbox(app, "settings.contrast", app.T("settings.high_contrast"), &t.high_contrast))
    app.SetTheme(t);
  ImGui::Spacing();
  bool low = app.low_power();
  if (Checkbox(app, "settings.low_power", app.T("settings.low_power"), &low)) app.SetLowPower(low);
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
               ImGui::GetFontSize() * 9))
      app.SetLanguage(static_cast<int>(i));
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Text("%s: %s", app.T("settings.device"), app.node().device().label.c_str());
}

}  // namespace shelter::ui
