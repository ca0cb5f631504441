// Settings: text size (100-200 %), high contrast, low-power mode, battery, language; kept for the
// next start. And the device's certificate issuing key.
#include <algorithm>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

// The device's certificate issuing key: made here by a lead (core refuses other accounts), shown as
// hex and QR for the admin device's `shelterctl trust add --key HEX`.
void IssuingKey(App& app) {
  IssuingKeyState& k = app.issuing_key;
  ImGui::Spacing();
  ImGui::Separator();
  Heading(app, app.T("settings.key"));
  ImGui::PushTextWrapPos(0);
  if (!k.error.empty()) {
    ImGui::TextUnformatted(("⚠ " + k.error).c_str());
    app.Mark("settings.key.error");
  }
  if (k.hex.empty()) {
    ImGui::TextDisabled("%s", app.T("settings.key_none"));
  } else {
    if (k.qr) {
      const float side = std::min(ImGui::GetContentRegionAvail().x * 0.5f,
                                  std::max(ImGui::GetFontSize() * 10, 240.0f));
      QrImage(app, *k.qr, side, "settings.key.qr");
    }
    ImGui::TextUnformatted(app.T("settings.key_help"));
    // In groups of 16 digits, so the line wraps on a narrow screen (the QR has it whole).
    std::string grouped;
    for (size_t i = 0; i < k.hex.size(); i += 16) grouped += (i ? " " : "") + k.hex.substr(i, 16);
    ImGui::TextUnformatted(grouped.c_str());
    app.Mark("settings.key.hex");
    ImGui::Text("kid: %s", k.kid.c_str());
  }
  if (k.confirm)
    ImGui::TextUnformatted(("⚠ " + std::string(app.T("settings.key_replace"))).c_str());
  ImGui::PopTextWrapPos();
  const char* label = k.confirm ? app.T("settings.key_replace_yes") : app.T("settings.key_new");
  if (Button(app, k.confirm ? "settings.key.confirm" : "settings.key.new", label))
    app.NewIssuingKey();
  if (k.confirm) {
    FlowNext(ButtonWidth(app, app.T("action.cancel")));
    if (Button(app, "settings.key.cancel", app.T("action.cancel"))) k.confirm = false;
  }
}

}  // namespace

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
  IssuingKey(app);
}

}  // namespace shelter::ui
