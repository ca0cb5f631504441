// Register a household: from the My Number Card, from a resident's pre-registration QR, or by
// hand. Card and QR only fill the draft; staff confirm it in the manual form, and "Register"
// calls core::RegisterHousehold once.
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

void MemberForm(App& app, core::Person& m, int i) {
  std::string p = "reg.m" + std::to_string(i) + ".";
  float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  TextField(app, p + "name", app.T("person.name"), &m.name, half);
  ImGui::SameLine();
  TextField(app, p + "kana", app.T("person.kana"), &m.kana, half);
  TextField(app, p + "dob", app.T("person.dob"), &m.dob, half);
  ImGui::SameLine();
  TextField(app, p + "phone", app.T("person.phone"), &m.phone, half);
  ImGui::TextUnformatted(app.T("person.sex"));
  for (const char* s : {"female", "male", "other", "unanswered"}) {
    if (std::string(s) != "female")
      FlowNext(ImGui::CalcTextSize(app.T(std::string("sex.") + s)).x + ImGui::GetFontSize() * 2.5f);
    if (Toggle(app, p + "sex." + s, app.T(std::string("sex.") + s), m.sex == s)) m.sex = s;
  }
  ImGui::TextUnformatted(app.T("person.needs"));
  float w = (ImGui::GetContentRegionAvail().x - 3 * ImGui::GetStyle().ItemSpacing.x) / 4;
  int col = 0;
  for (const auto& code : core::NeedCodes()) {
    if (col++ % 4 != 0) ImGui::SameLine();
    bool on = std::find(m.needs.begin(), m.needs.end(), code) != m.needs.end();
    if (Toggle(app, p + "need." + code, NeedLabel(app, code), on, w)) {
      if (on) m.needs.erase(std::find(m.needs.begin(), m.needs.end(), code));
      else m.needs.push_back(code);
    }
  }
  bool allergic = std::find(m.needs.begin(), m.needs.end(), "ALG") != m.needs.end();
  if (allergic || !m.allergies.empty()) {
    ImGui::TextUnformatted(app.T("person.allergies"));
    col = 0;
    for (const auto& a : core::AllergenCodes()) {
      if (col++ % 4 != 0) ImGui::SameLine();
      bool on = std::find(m.allergies.begin(), m.allergies.end(), a) != m.allergies.end();
      if (Toggle(app, p + "alg." + a, app.T("allergen." + a), on, w)) {
        if (on) m.allergies.erase(std::find(m.allergies.begin(), m.allergies.end(), a));
        else m.allergies.push_back(a);
      }
    }
  }
}

}  // namespace

void DrawRegister(App& app) {
  Heading(app, app.T("register.title"));
  const char* tabs[] = {"register.tab.card", "register.tab.qr", "register.tab.manual"};
  for (int i = 0; i < 3; ++i) {
    if (i) FlowNext(ImGui::GetFontSize() * 8);
    if (Toggle(app, tabs[i], app.T(tabs[i]), app.register_tab == i, ImGui::GetFontSize() * 8))
      app.register_tab = i;
  }
  ImGui::Spacing();
  auto& dev = app.devices();
  if (app.register_tab == 0) {
    if (!dev.read_card) {
      ImGui::TextWrapped("⚠ %s", app.T("register.card_unavailable"));
      ImGui::TextWrapped("%s", app.T("register.use_manual"));
    } else {
      ImGui::TextWrapped("%s", app.T("register.card_prompt"));
      PinPad(app, "cardpin", &app.card_pin, 4);
      if (Button(app, "register.card_read", app.T("register.card_read"))) app.ReadCard(app.card_pin);
    }
    return;
  }
  if (app.register_tab == 1) {
    if (!dev.poll_qr || !dev.decode_prereg) {
      ImGui::TextWrapped("⚠ %s", app.T("register.qr_unavailable"));
      ImGui::TextWrapped("%s", app.T("register.use_manual"));
    } else {
      ImGui::TextWrapped("%s", app.T("register.qr_prompt"));
      if (auto text = dev.poll_qr()) app.LoadPreRegistration(*text);
    }
    return;
  }
  auto& h = app.draft;
  float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  TextField(app, "reg.address", app.T("household.address"), &h.address, half);
  ImGui::SameLine();
  TextField(app, "reg.hphone", app.T("household.phone"), &h.phone, half);
  for (size_t i = 0; i < h.members.size(); ++i) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Text("%s %zu%s", app.T("register.member"), i + 1,
                i == 0 ? (std::string(" (") + app.T("register.head") + ")").c_str() : "");
    if (i > 0) {
      ImGui::SameLine();
      if (Button(app, "reg.m" + std::to_string(i) + ".remove", app.T("register.remove_member"))) {
        h.members.erase(h.members.begin() + static_cast<long>(i));
        break;
      }
    }
    MemberForm(app, h.members[i], static_cast<int>(i));
  }
  ImGui::Spacing();
  if (Button(app, "reg.add_member", "+ " + std::string(app.T("register.add_member"))))
    h.members.emplace_back();
  ImGui::Separator();
  Checkbox(app, "reg.checkin", app.T("register.check_in_now"), &app.draft_check_in);
  ImGui::SameLine();
  if (Button(app, "reg.submit", app.T("register.submit"), ImGui::GetFontSize() * 10))
    app.RegisterDraft(app.draft_check_in);
}

}  // namespace shelter::ui
