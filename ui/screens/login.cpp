// Staff login: pick the staff account, type the PIN on a keypad. The PIN never leaves App::Login.
#include <algorithm>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void DrawLogin(App& app) {
  float avail = ImGui::GetContentRegionAvail().x;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, avail - LanguageSwitchWidth(app)));
  LanguageSwitch(app, "lang");
  float col = std::min(avail, ImGui::GetFontSize() * 26);
  ImGui::SetCursorPosX((avail - col) / 2);
  ImGui::BeginGroup();
  BigText(app, app.T("app.title"), kLargeScale);
  ImGui::TextUnformatted(app.T("login.prompt"));
  ImGui::Spacing();
  ImGui::TextUnformatted(app.T("login.staff"));
  for (size_t i = 0; i < app.login.staff_handles.size(); ++i) {
    const std::string& h = app.login.staff_handles[i];
    if (i % 3 != 0) FlowNext(col / 3 - 10);
    if (Toggle(app, "login.staff." + h, h, app.login.handle == h, col / 3 - 10))
      app.login.handle = h;
    if (app.login.handle == h) app.Mark("login.staff.is." + h);
  }
  ImGui::Spacing();
  ImGui::TextUnformatted(app.T("login.pin"));
  std::string dots(app.login.pin.size() * 3, ' ');
  dots.clear();
  for (size_t i = 0; i < app.login.pin.size(); ++i) dots += "●";
  BigText(app, dots.empty() ? " " : dots, kHeadingScale);
  PinPad(app, "pin", &app.login.pin);
  ImGui::Spacing();
  bool can = !app.login.handle.empty() && app.login.pin.size() >= 4;
  ImGui::BeginDisabled(!can);
  if (Button(app, "login.submit", app.T("login.submit"),
             TouchPx(app.theme()) * 1.6f * 3 + 2 * ImGui::GetStyle().ItemSpacing.x))
    app.Login(app.login.handle, app.login.pin);
  ImGui::EndDisabled();
  ImGui::EndGroup();
}

}  // namespace shelter::ui
