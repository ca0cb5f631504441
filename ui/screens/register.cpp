// Register a household: from the My Number Card, from a resident's pre-registration QR, or by
// hand. Card and QR only fill the draft; staff confirm it in the manual form, and "Register"
// calls core::ConfirmRegistration once (checking everyone in at a picked place). A likely duplicate
// is shown with its reasons before anything is saved: open the existing household, correct the
// form, or register anyway.
#include <algorithm>
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/screens/stays.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

// The Card tab: what the reader says (a card? tries left?) before any PIN, a big masked 4-digit
// keypad, and the read. The status lines carry marks ("card.status.<outcome>", "card.tries.<n>")
// so a script can check what is shown.
void CardTab(App& app) {
  RegisterState& rs = app.registration;
  auto& dev = app.devices();
  if (!dev.read_card) {
    ImGui::TextWrapped("⚠ %s", app.T("register.card_unavailable"));
    ImGui::TextWrapped("%s", app.T("register.use_manual"));
    return;
  }
  Palette pal = ColorsFor(app.theme());
  if (!rs.card_check) app.CheckCard();
  const CardCheck check = rs.card_check.value_or(CardCheck{});
  const bool ready = check.outcome == core::CardOutcome::kOk;
  ImGui::PushTextWrapPos(0);
  if (ready) {
    ImGui::TextUnformatted(app.T("register.card_prompt"));
    if (check.tries_left >= 0) {
      const ImVec4 color =
          check.tries_left <= 1 ? pal.warn : ImGui::GetStyle().Colors[ImGuiCol_Text];
      ImGui::TextColored(color, "%s", app.CardText(check).c_str());
      app.Mark("card.tries." + std::to_string(check.tries_left));
      if (check.tries_left == 1) ImGui::TextColored(pal.warn, "⚠ %s", app.T("card.last_try"));
    }
  } else {
    ImGui::TextColored(pal.warn, "⚠ %s", app.CardText(check).c_str());
  }
  app.Mark(std::string("card.status.") + core::CardOutcomeName(check.outcome));
  ImGui::PopTextWrapPos();
  if (!ready) {
    if (Button(app, "card.check_again", app.T("card.check_again"))) app.CheckCard();
    ImGui::TextWrapped("%s", app.T("register.use_manual"));
    return;
  }
  // Four boxes, one dot per digit typed; the digits themselves are never drawn.
  std::string boxes;
  for (size_t i = 0; i < 4; ++i) boxes += i < rs.card_pin.size() ? "● " : "○ ";
  BigText(app, boxes, kLargeScale);
  PinPad(app, "cardpin", &rs.card_pin, 4);
  ImGui::BeginDisabled(rs.card_pin.size() != 4);
  if (Button(app, "register.card_read", app.T("register.card_read"), ImGui::GetFontSize() * 10))
    app.ReadCard(rs.card_pin);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (Button(app, "card.check_again", app.T("card.check_again"))) app.CheckCard();
}

// The draft may hold people registered already: each candidate with why it looks the same.
void LikelyDuplicates(App& app) {
  RegisterState& rs = app.registration;
  Palette pal = ColorsFor(app.theme());
  Badge("⚠ " + std::string(app.T("register.dup.title")), pal.warn, pal.badge_text);
  app.Mark("reg.dup.shown");
  ImGui::TextWrapped("%s", app.T("register.dup.help"));
  for (size_t i = 0; i < rs.likely_duplicates.size(); ++i) {
    const DuplicateView d = rs.likely_duplicates[i];
    std::string id = "reg.dup." + std::to_string(i);
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Text("%s %d  →  %s", app.T("register.member"), d.member + 1,
                app.F("register.dup.score", {{"n", std::to_string(d.score)}}).c_str());
    app.Mark(id);
    PersonCells(app, d.existing);
    for (auto& r : d.reasons) {
      std::string key = "dupe.reason." + r;
      ImGui::BulletText("%s", app.catalog().Has(0, key) ? app.T(key) : r.c_str());
      app.Mark(id + ".reason." + r);
    }
    if (Button(app, id + ".open", app.T("register.dup.open"))) {
      app.OpenDuplicate(i);
      return;
    }
  }
  ImGui::Spacing();
  ImGui::Separator();
  if (Button(app, "reg.dup.back", app.T("register.dup.back"))) {
    app.DismissDuplicates();
    return;
  }
  if (rs.may_register_anyway) {
    ImGui::SameLine();
    if (Button(app, "reg.dup.anyway", app.T("register.dup.anyway")))
      app.RegisterDraft(rs.check_in, /*anyway=*/true);
  }
}

}  // namespace

void DrawRegister(App& app) {
  RegisterState& rs = app.registration;
  Heading(app, app.T("register.title"));
  if (!rs.likely_duplicates.empty()) return LikelyDuplicates(app);
  const char* tabs[] = {"register.tab.card", "register.tab.qr", "register.tab.manual"};
  float tab_w = ImGui::GetFontSize() * 8;  // one width for the three, wide enough for each
  for (const char* t : tabs)
    tab_w = std::max(tab_w, ButtonWidth(app, std::string("✓ ") + app.T(t)));
  for (int i = 0; i < 3; ++i) {
    if (i) FlowNext(tab_w);
    if (Toggle(app, tabs[i], app.T(tabs[i]), rs.tab == i, tab_w)) {
      if (i == 0 && rs.tab != 0) rs.card_check.reset();  // look at the reader again
      rs.tab = i;
    }
  }
  ImGui::Spacing();
  auto& dev = app.devices();
  if (rs.tab == 0) return CardTab(app);
  if (rs.tab == 1) {
    if (!dev.poll_qr || !dev.decode_prereg) {
      ImGui::TextWrapped("⚠ %s", app.T("register.qr_unavailable"));
      ImGui::TextWrapped("%s", app.T("register.use_manual"));
    } else {
      ImGui::TextWrapped("%s", app.T("register.qr_prompt"));
      if (dev.camera_failing && dev.camera_failing()) {
        ImGui::TextColored(ColorsFor(app.theme()).warn, "⚠ %s", app.T("register.qr_unavailable"));
        app.Mark("register.qr.no_camera");
      } else {
        ImGui::TextColored(ColorsFor(app.theme()).muted, "▣ %s", app.T("kiosk.camera_on"));
        app.Mark("register.qr.camera");
      }
      if (auto text = dev.poll_qr()) app.LoadPreRegistration(*text);
    }
    return;
  }
  auto& h = rs.draft;
  float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (BeyondBmp(h.address)) ImGui::TextWrapped("⚠ %s", app.T("register.kept_as_read"));
  TextField(app, "reg.address", app.T("household.address"), &h.address, half);
  ImGui::SameLine();
  TextField(app, "reg.hphone", app.T("household.phone"), &h.phone, half);
  for (const char* f : {core::field::kAddress, core::field::kPhone, core::field::kResidence,
                        core::field::kVehicle, core::field::kNote, "members"})
    FieldProblems(app, &rs.problems, -1, -1, f, std::string("error.household.") + f);
  for (size_t i = 0; i < h.members.size(); ++i) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Text("%s %zu%s", app.T("register.member"), i + 1,
                i == 0 ? (std::string(" (") + app.T("register.head") + ")").c_str() : "");
    if (i > 0) {
      ImGui::SameLine();
      if (Button(app, "reg.m" + std::to_string(i) + ".remove", app.T("register.remove_member"))) {
        h.members.erase(h.members.begin() + static_cast<long>(i));
        rs.problems.Clear();  // they name members by their place in the list
        break;
      }
    }
    const std::string n = std::to_string(i);
    PersonForm(app, "reg.m" + n + ".", h.members[i], PersonFormKind::kDraft, &rs.problems,
               static_cast<int>(i), "error.member" + n + ".");
  }
  ImGui::Spacing();
  if (Button(app, "reg.add_member", "+ " + std::string(app.T("register.add_member"))))
    h.members.emplace_back();
  ImGui::Separator();
  PetsForm(app, "reg.", h.pets, &rs.problems);
  ImGui::Separator();
  ProblemDetails(app, "reg.details", rs.problems);
  Checkbox(app, "reg.checkin", app.T("register.check_in_now"), &rs.check_in);
  if (rs.check_in) {  // where everyone stays from now: the shelter, 車中泊, 在宅, ...
    if (auto p = PlacePicker(app, "reg", PickerKind::kCheckIn, app.stays.register_place))
      app.stays.register_place = *p;
  }
  FlowNext(std::max(ImGui::GetFontSize() * 10, ButtonWidth(app, app.T("register.submit"))));
  if (Button(app, "reg.submit", app.T("register.submit"),
             std::max(ImGui::GetFontSize() * 10, ButtonWidth(app, app.T("register.submit")))))
    app.RegisterDraft(rs.check_in);
}

}  // namespace shelter::ui
