// A resident's shelter pass: the signed QR (JSP1:) large on screen with the shelter, name and kana
// beside it, so a resident can photograph it when there is no printer; and the print button (the
// printer comes through AppDevices::print_pass).
#include <algorithm>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void DrawPass(App& app) {
  Heading(app, app.T("pass.title"));
  if (!app.pass.person) {
    ImGui::TextUnformatted(app.T("household.none"));
    return;
  }
  const auto& p = *app.pass.person;
  const float fs = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  // Large enough to scan from a phone (≥ 5 px a module for a V10 code at 100 %), never wider than
  // half the screen's width, so the names stay beside it.
  const float qr_side = std::min(avail * 0.5f, std::max(fs * 15, 340.0f));
  if (app.pass.qr) {
    QrImage(app, *app.pass.qr, qr_side, "pass.qr");
    ImGui::SameLine(0, fs);
  }
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(app.shelter().name.c_str());
  app.Mark("pass.shelter");
  ImGui::Separator();
  BigText(app, p.kana.empty() ? p.name : p.kana, kLargeScale);
  app.Mark("pass.kana");
  if (!p.kana.empty() && !p.name.empty()) ImGui::TextUnformatted(p.name.c_str());
  ImGui::Text("%s: %s", app.T("person.dob"), p.dob.empty() ? "—" : p.dob.c_str());
  ImGui::Text("%s: %s", app.T("pass.number"), p.id.Hex().substr(0, 8).c_str());
  if (app.pass.qr) ImGui::TextDisabled("%s", app.T("pass.photo_hint"));
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  ImGui::Spacing();
  if (!app.devices().print_pass) ImGui::TextWrapped("⚠ %s", app.T("pass.no_printer"));
  ImGui::BeginDisabled(!app.devices().print_pass);
  if (Button(app, "pass.print", app.T("pass.print"))) app.PrintPasses({p});
  // Every member's pass on one sheet (stored members only: a pass is signed for a stored person).
  const auto* household = app.household.edited ? &*app.household.edited : nullptr;
  if (household && household->members.size() > 1) {
    ImGui::SameLine();
    if (Button(app, "pass.print_household", app.T("pass.print_household")))
      app.PrintPasses(household->members);
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (Button(app, "pass.back", app.T("action.back"))) app.Go(Screen::kHousehold);
}

}  // namespace shelter::ui
