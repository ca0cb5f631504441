// Household editor: the household's fields, one member at a time, check-in / check-out per member,
// conflict badges with the concurrent values to choose from, and the member's pass.
#include <string>
#include <vector>

#include "ui/screens/screens.hpp"
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
      ImGui::SameLine();
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
  ImGui::SameLine();
  if (Button(app, "hh.cert.hinan", app.T("household.issue_hinan"))) app.IssueStayCertificate();
  ImGui::EndGroup();
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
    ImGui::SameLine();
    if (!p.InShelter()) {
      if (Button(app, id + ".checkin", app.T("action.check_in"))) app.CheckIn(p.id);
    } else {
      if (Button(app, id + ".checkout", app.T("action.check_out"))) app.CheckOut(p.id);
    }
    ImGui::SameLine();
    if (Button(app, id + ".pass", app.T("action.pass"))) app.OpenPass(p.id);
    ImGui::PopID();
  }

  // The selected member's fields.
  if (hs.edit_member < 0 || static_cast<size_t>(hs.edit_member) >= h.members.size()) return;
  core::Person& m = h.members[hs.edit_member];
  ImGui::Spacing();
  ImGui::Separator();
  PersonForm(app, "hh.edit.", m, PersonFormKind::kStored);
  if (Button(app, "hh.edit.save", app.T("household.save_member"))) app.SavePerson(m);
}

}  // namespace shelter::ui
