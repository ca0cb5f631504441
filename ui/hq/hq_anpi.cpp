// 安否 (safety confirmation) lookup: only after a staff login whose role may see personal data;
// answers honour each person's consent for the asker's tier and every lookup is audited
// (hq::AnpiLookup). Other accounts are told they see counts only.
#include <algorithm>
#include <string>

#include "core/device/device_cert.hpp"
#include "ui/hq/hq_panels.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

void LoginForm(App& app) {
  float avail = ImGui::GetContentRegionAvail().x;
  float col = std::min(avail, ImGui::GetFontSize() * 26);
  ImGui::TextUnformatted(app.T("login.staff"));
  for (size_t i = 0; i < app.login.staff_handles.size(); ++i) {
    const std::string& h = app.login.staff_handles[i];
    if (i % 3 != 0) FlowNext(col / 3 - 10);
    if (Toggle(app, "hq.login.staff." + h, h, app.login.handle == h, col / 3 - 10))
      app.login.handle = h;
  }
  ImGui::TextUnformatted(app.T("login.pin"));
  std::string dots;
  for (size_t i = 0; i < app.login.pin.size(); ++i) dots += "●";
  ImGui::SameLine();
  ImGui::TextUnformatted(dots.empty() ? " " : dots.c_str());
  PinPad(app, "hq.pin", &app.login.pin);
  bool can = !app.login.handle.empty() && app.login.pin.size() >= 4;
  ImGui::BeginDisabled(!can);
  if (Button(app, "hq.login", app.T("login.submit"),
             TouchPx(app.theme()) * 1.6f * 3 + 2 * ImGui::GetStyle().ItemSpacing.x))
    app.Login(app.login.handle, app.login.pin);  // wipes the PIN, shows a wrong PIN as a notice
  ImGui::EndDisabled();
}

std::string RoleText(App& app, core::StaffRole role) {
  std::string key = std::string("hq.role.") + core::StaffRoleName(role);
  return app.catalog().Has(app.lang(), key) ? app.T(key) : core::StaffRoleName(role);
}

// "arrive:shelter", "leave:car", "registered" (hq::AnpiLookup) in the reader's language.
std::string WhereText(App& app, const std::string& w) {
  if (w == "registered") return app.T("hq.anpi.registered");
  const size_t colon = w.find(':');  // by the whereabouts rule (core/model/stay_status.hpp)
  if (colon == std::string::npos) return app.T("status.elsewhere");
  return app.T(WhereaboutsKey(core::WhereaboutsOf(std::string_view(w).substr(0, colon),
                                                  std::string_view(w).substr(colon + 1))));
}

const char* TierKey(hq::AnpiTier t) {
  switch (t) {
    case hq::AnpiTier::kFamily: return "hq.anpi.tier.family";
    case hq::AnpiTier::kAcquaintance: return "hq.anpi.tier.acquaintance";
    case hq::AnpiTier::kPublic: break;
  }
  return "hq.anpi.tier.public";
}

void Results(App& app, const std::vector<hq::AnpiAnswer>& found, bool family) {
  ImGui::TextUnformatted(app.F("hq.anpi.found", {{"n", std::to_string(found.size())}}).c_str());
  app.Mark("hq.anpi.results=" + std::to_string(found.size()));
  if (found.empty()) return;
  int cols = family ? 6 : 3;
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("hq.anpi.table", cols, flags)) return;
  ImGui::TableSetupColumn(app.T("hq.anpi.name"));
  ImGui::TableSetupColumn(app.T("hq.anpi.kana"));
  ImGui::TableSetupColumn(app.T("hq.anpi.condition"));
  if (family) {
    ImGui::TableSetupColumn(app.T("hq.anpi.dob"));
    ImGui::TableSetupColumn(app.T("hq.anpi.shelter"));
    ImGui::TableSetupColumn(app.T("hq.anpi.whereabouts"));
  }
  ImGui::TableHeadersRow();
  for (const auto& a : found) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(a.name.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(a.kana.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(app.T(a.condition == "safe" ? "hq.anpi.safe" : "hq.anpi.injured"));
    if (family) {
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(a.dob.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(a.shelter_name.empty() ? "—" : a.shelter_name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(WhereText(app, a.whereabouts).c_str());
    }
  }
  ImGui::EndTable();
}

}  // namespace

void DrawHqAnpi(App& app, HqDashboard& hq) {
  Palette pal = ColorsFor(app.theme());
  Heading(app, app.T("hq.anpi.title"));
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(pal.muted, "%s", app.T("hq.anpi.help"));
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  const auto& session = app.node().session();
  if (!session) {
    hq.anpi_results.reset();  // nothing of the last lookup stays after a log out
    std::fill(hq.anpi_query.begin(), hq.anpi_query.end(), '\0');
    hq.anpi_query.clear();
    ImGui::TextUnformatted(app.T("hq.anpi.login_prompt"));
    LoginForm(app);
    return;
  }
  if (!hq::MaySeePersonalData(session->role)) {  // the rule AnpiLookup enforces
    hq.anpi_results.reset();
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(pal.danger, "⚠ %s",
                       app.F("hq.anpi.refused",
                             {{"handle", session->handle}, {"role", RoleText(app, session->role)}})
                           .c_str());
    ImGui::PopTextWrapPos();
    app.Mark("hq.anpi.refused");
    if (Button(app, "hq.anpi.logout", app.T("nav.logout"))) app.Logout();
    return;
  }
  TextField(app, "hq.anpi.query", app.T("hq.anpi.query"), &hq.anpi_query,
            ImGui::GetFontSize() * 20);
  ImGui::TextUnformatted(app.T("hq.anpi.asker"));
  for (hq::AnpiTier t :
       {hq::AnpiTier::kFamily, hq::AnpiTier::kAcquaintance, hq::AnpiTier::kPublic}) {
    if (t != hq::AnpiTier::kFamily) ImGui::SameLine();
    std::string id = std::string(TierKey(t));
    if (Toggle(app, id, app.T(id), hq.anpi_tier == t)) {
      hq.anpi_tier = t;
      hq.anpi_results.reset();
    }
  }
  ImGui::BeginDisabled(hq.anpi_query.empty());
  if (Button(app, "hq.anpi.search", app.T("hq.anpi.search"))) hq.Lookup(app);
  ImGui::EndDisabled();
  ImGui::Spacing();
  if (hq.anpi_results) Results(app, *hq.anpi_results, hq.anpi_tier == hq::AnpiTier::kFamily);
}

}  // namespace shelter::ui
