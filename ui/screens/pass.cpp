// A resident's shelter pass: what is printed (shelter, name, household, short id) and the print
// button. The signed QR (JSP1:) and the printer come through AppDevices::print_pass.
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
  float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 24);
  ImGui::BeginChild("pass.card", ImVec2(w, ImGui::GetFontSize() * 12), true);
  ImGui::TextUnformatted(app.shelter().name.c_str());
  ImGui::Separator();
  BigText(app, p.name.empty() ? p.kana : p.name, kLargeScale);
  ImGui::TextUnformatted(p.kana.c_str());
  ImGui::Text("%s: %s", app.T("person.dob"), p.dob.empty() ? "—" : p.dob.c_str());
  ImGui::Text("%s: %s", app.T("pass.number"), p.id.Hex().substr(0, 8).c_str());
  ImGui::EndChild();
  ImGui::Spacing();
  if (!app.devices().print_pass) ImGui::TextWrapped("⚠ %s", app.T("pass.no_printer"));
  ImGui::BeginDisabled(!app.devices().print_pass);
  if (Button(app, "pass.print", app.T("pass.print"))) app.PrintPass(p);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (Button(app, "pass.back", app.T("action.back"))) app.Go(Screen::kHousehold);
}

}  // namespace shelter::ui
