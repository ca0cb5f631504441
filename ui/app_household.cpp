// App's household editor actions: open a household, re-read it with its conflicts, save a member
// or the household (only the fields staff changed, core/ops/edit.hpp), add a member, resolve a
// conflict, show a member's pass (a freshly signed one, as a QR on screen).
#include "core/codec/qr_code.hpp"
#include "core/ops/edit.hpp"
#include "core/ops/registration.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

namespace {

std::string ItemText(const core::cbor::Item& v) {
  if (v.is_null()) return "—";
  if (auto* s = v.as_text()) return *s;
  if (auto* i = v.as_int()) return std::to_string(*i);
  if (auto* b = v.as_bool()) return *b ? "✓" : "✕";
  if (auto* b = v.as_bytes(); b && b->size() == 16)  // a record id (`_merged`, head)
    if (auto id = core::Id16::FromBytes(core::View(*b)); id.ok()) return id->Hex().substr(0, 8);
  if (auto* a = v.as_array()) {
    std::string out;
    for (auto& x : *a) out += (out.empty() ? "" : ", ") + ItemText(x);
    return out.empty() ? "—" : out;
  }
  return "…";
}

}  // namespace

void App::OpenHousehold(const core::Id16& id) {
  auto h = core::LoadHousehold(node_, id);
  if (!h.ok()) return Notify(ErrorText(h.error()), true);
  household.edited = *h;
  household.loaded = *h;
  household.edit_member = 0;
  RefreshHousehold();
  TakeEditBase();
  Go(Screen::kHousehold);
}

void App::RefreshHousehold() {
  if (!household.edited) return;
  if (auto h = core::LoadHousehold(node_, household.edited->id); h.ok()) {
    household.edited = *h;
    household.loaded = *h;
  }
  if (auto m = node_.state().Members(household.edited->id); m.ok()) household.members = *m;
  household.conflicts.clear();
  std::vector<core::Id16> ids = {household.edited->id};
  for (auto& m : household.edited->members) {
    ids.push_back(m.id);
    // A person merged into a member on two tablets into two different people: a `_merged` conflict.
    if (auto from = node_.state().MergedFrom(m.id); from.ok())
      ids.insert(ids.end(), from->begin(), from->end());
  }
  for (auto& id : ids) {
    auto rec = node_.state().Get(id);
    if (!rec.ok() || !*rec) continue;
    for (auto& fc : core::ConflictsOf(**rec)) {
      ConflictView c{id, fc.field, {}, {}};
      for (auto& v : fc.values) {
        c.shown.push_back(ItemText(v.value));
        c.values.push_back(v.value);
        SeeText(c.shown.back());
      }
      household.conflicts.push_back(std::move(c));
    }
  }
}

void App::SavePerson(const core::Person& person) {
  std::vector<core::Person> one = {person};
  NormalizeDates(one);
  const core::Person& p = one.front();
  const core::Person* loaded = nullptr;
  if (household.loaded)
    for (auto& m : household.loaded->members)
      if (m.id == p.id) loaded = &m;
  if (!loaded) return Notify(T("error.not_found"), true);
  household.problems.Clear();
  auto s = core::SavePersonEdit(node_, *loaded, p, household.base ? &*household.base : nullptr);
  if (!s.ok()) {
    std::vector<core::FieldProblem> list;
    if (s.error().code == core::ErrorCode::kInvalidArgument) {
      core::Household one;
      one.members = {p};
      list = core::HouseholdProblems(one);
      for (auto& problem : list) problem.member = household.edit_member;  // shown under it
    }
    return RefuseForm(household.problems, s.error(), std::move(list));
  }
  Notify(T("household.saved"), false);
  Refresh();
  RefreshHousehold();
  TakeEditBase();
}

void App::SaveHousehold(const core::Household& h) {
  if (!household.loaded || household.loaded->id != h.id) return Notify(T("error.not_found"), true);
  household.problems.Clear();
  auto s = core::SaveHouseholdEdit(node_, *household.loaded, h,
                                   household.base ? &*household.base : nullptr);
  if (!s.ok()) {
    std::vector<core::FieldProblem> list;
    if (s.error().code == core::ErrorCode::kInvalidArgument)
      for (auto& problem : core::HouseholdProblems(h))  // the household's own, as saved
        if (problem.member < 0 && problem.field != "members") list.push_back(problem);
    return RefuseForm(household.problems, s.error(), std::move(list));
  }
  Notify(T("household.saved"), false);
  Refresh();
  RefreshHousehold();
  TakeEditBase();
}

void App::AddMember() {
  if (!household.edited || !household.new_member) return Notify(T("error.not_found"), true);
  std::vector<core::Person> one = {*household.new_member};
  NormalizeDates(one);
  household.new_problems.Clear();
  auto id =
      core::AddHouseholdMember(node_, household.edited->id, one.front(), household.new_check_in);
  if (!id.ok()) {
    std::vector<core::FieldProblem> list;
    if (id.error().code == core::ErrorCode::kInvalidArgument) {
      core::Household check;
      check.members = one;
      list = core::HouseholdProblems(check);
    }
    return RefuseForm(household.new_problems, id.error(), std::move(list));
  }
  household.new_member.reset();
  Notify(T("household.member_added"), false);
  Refresh();
  RefreshHousehold();
  TakeEditBase();
  for (size_t i = 0; i < household.edited->members.size(); ++i)
    if (household.edited->members[i].id == *id) household.edit_member = static_cast<int>(i);
}

void App::TakeEditBase() {
  household.changed_elsewhere.clear();
  household.base.reset();
  if (!household.edited) return;
  std::vector<core::Id16> ids = {household.edited->id};
  for (auto& m : household.edited->members) ids.push_back(m.id);
  if (auto b = core::EditBaseOf(node_, ids); b.ok()) household.base = std::move(*b);
}

void App::OpenPass(const core::Id16& person) {
  pass = PassState{};
  if (household.edited)
    for (auto& m : household.edited->members)
      if (m.id == person) pass.person = m;
  // A new signed pass for the screen: a resident without a printer photographs it.
  if (auto text = core::IssueShelterPass(node_, person); !text.ok()) {
    Notify(ErrorText(text.error()), true);
  } else if (auto qr = core::EncodeQr(*text, core::QrEcc::kQ); !qr.ok()) {
    Notify(ErrorText(qr.error()), true);
  } else {
    pass.text = std::move(*text);
    pass.qr = std::move(*qr);
  }
  Go(Screen::kPass);
}

void App::Resolve(const ConflictView& c, size_t chosen) {
  if (chosen >= c.values.size()) return;
  core::Status s = core::ResolveConflict(node_, c.record, c.field, c.values[chosen]);
  if (!s.ok()) return Notify(ErrorText(s.error()), true);
  Notify(T("conflict.resolved"), false);
  Refresh();
  RefreshHousehold();
  TakeEditBase();
}

}  // namespace shelter::ui
