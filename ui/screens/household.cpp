// Household editor: the household's fields and pets, one member at a time (sex, needs, ...), a new
// member, check-in / check-out per member at a picked place, conflict badges
// with the concurrent values to choose from, and the member's pass. A refused save shows each
// problem under its field.
#include <string>
#include <vector>

#include "core/ops/cert_policy.hpp"
#include "ui/screens/screens.hpp"
#include "ui/screens/stays.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

void Conflicts(App& app) {
  const std::vector<ConflictView>& conflicts = app.household.conflicts;
  if (conflicts.empty()) return;
  Palette pal = ColorsFor(app.theme());
  ImGui::Spacing();
  Badge("⚠ " + app.F("conflict.count", {{"n", std::to_string(conflicts.size())}}), pal.danger,
        pal.badge_text);
  app.Mark("household.conflicts=" + std::to_string(conflicts.size()));
  ImGui::TextWrapped("%s", app.T("conflict.help"));
  for (size_t c = 0; c < conflicts.size(); ++c) {
    const ConflictView cv = conflicts[c];
    std::string fkey = "field." + cv.field;
    ImGui::Text("%s:", app.catalog().Has(0, fkey) ? app.T(fkey) : cv.field.c_str());
    for (size_t v = 0; v < cv.shown.size(); ++v) {
      FlowNext(ButtonWidth(app, app.F("conflict.keep", {{"value", cv.shown[v]}})));
      if (Button(app, "conflict." + std::to_string(c) + "." + std::to_string(v),
                 app.F("conflict.keep", {{"value", cv.shown[v]}}))) {
        app.Resolve(cv, v);
        return;
      }
    }
  }
}

// The fields another tablet changed while this editor was open: named, with what saving does.
void ChangedElsewhere(App& app) {
  const auto& changed = app.household.changed_elsewhere;
  if (changed.empty()) return;
  Palette pal = ColorsFor(app.theme());
  ImGui::Spacing();
  std::string fields;
  for (auto& [record, field] : changed) {
    std::string fkey = "field." + field;
    fields += (fields.empty() ? "" : ", ") +
              std::string(app.catalog().Has(0, fkey) ? app.T(fkey) : field.c_str());
  }
  Badge("⚠ " + std::string(app.T("household.changed_elsewhere")) + ": " + fields, pal.danger,
        pal.badge_text);
  app.Mark("household.changed_elsewhere");
  ImGui::TextWrapped("%s", app.T("household.changed_elsewhere_help"));
}

// A member being added: the register form's fields, then add (checked in or not) or cancel.
void NewMember(App& app) {
  HouseholdState& hs = app.household;
  ImGui::Spacing();
  ImGui::Separator();
  Heading(app, app.T("household.new_member"));
  PersonForm(app, "hh.new.", *hs.new_member, PersonFormKind::kDraft, &hs.new_problems, 0,
             "error.new.");
  Checkbox(app, "hh.new.checkin", app.T("register.check_in_now"), &hs.new_check_in);
  FlowNext(ButtonWidth(app, app.T("household.add_member_save")));
  if (Button(app, "hh.new.save", app.T("household.add_member_save"))) return app.AddMember();
  FlowNext(ButtonWidth(app, app.T("action.cancel")));
  if (Button(app, "hh.new.cancel", app.T("action.cancel"))) {
    hs.new_member.reset();
    hs.new_problems.Clear();
    return;
  }
  ProblemDetails(app, "hh.new.details", hs.new_problems);
}

}  // namespace

void DrawHousehold(App& app) {
  HouseholdState& hs = app.household;
  if (!hs.edited) {
    ImGui::TextUnformatted(app.T("household.none"));
    return;
  }
  auto& h = *hs.edited;
  Heading(app, app.T("household.title"));
  float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (BeyondBmp(h.address)) ImGui::TextWrapped("⚠ %s", app.T("register.kept_as_read"));
  TextField(app, "hh.address", app.T("household.address"), &h.address, half);
  ImGui::SameLine();
  TextField(app, "hh.phone", app.T("household.phone"), &h.phone, half);
  TextField(app, "hh.residence", app.T("household.residence"), &h.residence, half);
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextUnformatted(" ");
  if (Button(app, "hh.save", app.T("household.save_household"))) app.SaveHousehold(h);
  FlowNext(ButtonWidth(app, app.T("household.issue_hinan")));
  if (Button(app, "hh.cert.hinan", app.T("household.issue_hinan"))) app.IssueStayCertificate();
  FlowNext(ButtonWidth(app, app.T("household.certificates")));
  if (Button(app, "hh.certs", app.T("household.certificates"))) app.OpenCertificates();
  // Offered where core lets this device and account assess (罹災証明書's rule); core checks again.
  if (core::MayAssess(app.node()).ok()) {
    FlowNext(ButtonWidth(app, app.T("household.assess")));
    if (Button(app, "hh.assess", app.T("household.assess"))) app.OpenAssessment();
  }
  ImGui::EndGroup();
  for (const char* f : {core::field::kAddress, core::field::kPhone, core::field::kResidence,
                        core::field::kVehicle, core::field::kNote})
    FieldProblems(app, &hs.problems, -1, -1, f, std::string("error.household.") + f);
  PetsForm(app, "hh.", h.pets, &hs.problems);
  if (!hs.problems.Any(hs.edit_member)) ProblemDetails(app, "hh.details", hs.problems);
  ChangedElsewhere(app);
  Conflicts(app);

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextUnformatted(app.T("household.members"));
  for (size_t i = 0; i < hs.members.size(); ++i) {
    const auto p = hs.members[i];
    ImGui::PushID(static_cast<int>(i));
    std::string id = "hh.m" + std::to_string(i);
    if (Toggle(app, id + ".select", app.T("action.edit"), hs.edit_member == static_cast<int>(i)))
      hs.edit_member = static_cast<int>(i);
    ImGui::SameLine();
    ImGui::BeginGroup();
    PersonCells(app, p);
    ImGui::EndGroup();
    // The row's buttons follow on the line while they fit, under it otherwise. Check-in or
    // check-out opens the place picker (車中泊, 在宅, 外出, 退所, ...) under the row.
    const char* move = p.InShelter() ? app.T("action.check_out") : app.T("action.check_in");
    FlowNext(ButtonWidth(app, move));
    if (!p.InShelter()) {
      if (Button(app, id + ".checkin", move)) app.PickPlace(p.id, PickerKind::kCheckIn);
    } else {
      if (Button(app, id + ".checkout", move)) app.PickPlace(p.id, PickerKind::kCheckOut);
    }
    FlowNext(ButtonWidth(app, app.T("action.pass")));
    if (Button(app, id + ".pass", app.T("action.pass"))) app.OpenPass(p.id);
    PersonPlacePicker(app, id, p);
    ImGui::PopID();
  }

  if (!hs.new_member &&
      Button(app, "hh.add_member", "+ " + std::string(app.T("register.add_member"))))
    hs.new_member.emplace();
  if (hs.new_member) return NewMember(app);

  // The selected member's fields.
  if (hs.edit_member < 0 || static_cast<size_t>(hs.edit_member) >= h.members.size()) return;
  core::Person& m = h.members[hs.edit_member];
  ImGui::Spacing();
  ImGui::Separator();
  const std::string error_id = "error.member" + std::to_string(hs.edit_member) + ".";
  PersonForm(app, "hh.edit.", m, PersonFormKind::kStored, &hs.problems, hs.edit_member, error_id);
  if (Button(app, "hh.edit.save", app.T("household.save_member"))) app.SavePerson(m);
  if (hs.problems.Any(hs.edit_member)) ProblemDetails(app, "hh.edit.details", hs.problems);
}

}  // namespace shelter::ui
