// State: visibility of merged persons (`_merged`) and the queries that follow merges.
// Who is hidden is core/model/merge_rule.hpp (shared with HQ's store); the flag depends only on
// records, so every device that holds the same records shows the same persons.
#include <algorithm>
#include <set>

#include "core/base/stmt_rows.hpp"
#include "core/model/merge_rule.hpp"
#include "core/model/state.hpp"

namespace shelter::core {
namespace {
// The latest stay of person ?1 by (HLC, device) that is not an "undone" event and that no
// "undone" event cancels (core/model/stay_status.hpp): the same answer whatever order the
// events, their undos and merges arrived in.
constexpr const char* kLatestStay =
    "SELECT hlc, device, event, place FROM stay_index s WHERE s.person=?1 AND s.event<>'undone' "
    "AND NOT EXISTS (SELECT 1 FROM stay_index u WHERE u.undoes=s.id AND u.event='undone') "
    "ORDER BY s.hlc DESC, s.device DESC LIMIT 1";
}  // namespace

Result<std::optional<State::MergeLink>> State::LoadMergeLink(const Id16& person) {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("SELECT removed, deleted, merged_into FROM person_index WHERE id=?"));
  st->Bind(1, person);
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    st->Reset();
    return std::optional<MergeLink>();
  }
  MergeLink link;
  link.removed = st->Int(0) != 0;
  link.hidden = st->Int(1) != 0 && !link.removed;
  if (!st->IsNull(2))
    if (auto id = Id16::FromBytes(View(st->Blob(2))); id.ok()) link.into = *id;
  st->Reset();
  return std::optional<MergeLink>(link);
}

Status State::RefreshMergeVisibility(const Id16& person, const Id16& old_into, const Id16& new_into,
                                     bool referrers) {
  std::set<Id16> affected = {person};
  if (referrers) {
    SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                             db_->Prepare("SELECT id FROM person_index WHERE merged_into=?"));
    st->Bind(1, person);
    SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) {
      if (auto id = Id16::FromBytes(View(row.Blob(0))); id.ok()) affected.insert(*id);
    }));
  }
  // Persons on the old and new chains: they may have been, or now be, in a cycle with `person`.
  for (Id16 cur : {old_into, new_into}) {
    for (int i = 0; i < kMaxMergeChain && !cur.IsZero() && affected.insert(cur).second; ++i) {
      SHELTER_ASSIGN_OR_RETURN(auto link, LoadMergeLink(cur));
      if (!link) break;
      cur = link->into;
    }
  }
  for (const Id16& id : affected) SHELTER_TRY(UpdateMergeVisibility(id));
  // Whoever gained or lost merged persons shows the latest stay of the whole group.
  for (const Id16& id : affected) SHELTER_TRY(RefreshPersonStatus(id));
  return Ok();
}

Status State::RefreshPersonStatus(const Id16& person) {
  SHELTER_TRY(RefreshOwnStatus(person));
  if (merge_links_ == 0) return Ok();
  SHELTER_ASSIGN_OR_RETURN(auto link, LoadMergeLink(person));
  if (!link || !link->hidden) return Ok();
  SHELTER_ASSIGN_OR_RETURN(Id16 canonical, CanonicalPerson(person));
  return canonical == person ? Ok() : RefreshOwnStatus(canonical);
}

Status State::RefreshOwnStatus(const Id16& person) {
  // The latest stay event by (HLC, device) over the person and everyone merged into it: the same
  // answer whatever order events and merges arrived in.
  if (merge_links_ == 0) {
    SHELTER_ASSIGN_OR_RETURN(
        Stmt * st,
        db_->Prepare(std::string("UPDATE person_index SET (event, place) = (SELECT "
                                 "coalesce(max(event), ''), coalesce(max(place), '') FROM (") +
                     kLatestStay + ")) WHERE id=?1"));
    return st->Bind(1, person).Run();
  }
  SHELTER_ASSIGN_OR_RETURN(std::vector<Id16> group, MergedFrom(person));
  group.push_back(person);
  SHELTER_ASSIGN_OR_RETURN(Stmt * latest, db_->Prepare(kLatestStay));
  bool found = false;
  int64_t best_hlc = 0;
  Bytes best_device;
  std::string event, place;
  for (const Id16& member : group) {
    latest->Bind(1, member);
    auto row = latest->Step();
    if (!row.ok()) {
      latest->Reset();
      return row.error();
    }
    if (*row) {
      const int64_t hlc = latest->Int(0);
      Bytes device = latest->Blob(1);
      if (!found || hlc > best_hlc || (hlc == best_hlc && device > best_device)) {
        found = true;
        best_hlc = hlc;
        best_device = std::move(device);
        event = latest->Text(2);
        place = latest->Text(3);
      }
    }
    latest->Reset();
  }
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           db_->Prepare("UPDATE person_index SET event=?, place=? WHERE id=?"));
  return st->Bind(1, event).Bind(2, place).Bind(3, person).Run();
}

Status State::UpdateMergeVisibility(const Id16& person) {
  SHELTER_ASSIGN_OR_RETURN(auto link, LoadMergeLink(person));
  if (!link) return Ok();
  auto lookup = [this](const Id16& id) -> Result<std::optional<MergeLinkView>> {
    SHELTER_ASSIGN_OR_RETURN(auto l, LoadMergeLink(id));
    if (!l) return std::optional<MergeLinkView>();
    return std::optional<MergeLinkView>(MergeLinkView{l->removed, l->into});
  };
  SHELTER_ASSIGN_OR_RETURN(bool hidden,
                           HiddenByMerge(person, MergeLinkView{link->removed, link->into}, lookup));
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("UPDATE person_index SET deleted=? WHERE id=?"));
  return st->Bind(1, static_cast<int64_t>(link->removed || hidden)).Bind(2, person).Run();
}

Result<Id16> State::CanonicalPerson(const Id16& person) {
  Id16 cur = person;
  for (int i = 0; i <= kMaxMergeChain; ++i) {
    SHELTER_ASSIGN_OR_RETURN(auto link, LoadMergeLink(cur));
    if (!link) {
      if (i == 0) return MakeError(ErrorCode::kNotFound, "no such person");
      break;
    }
    if (!link->hidden) return cur;
    cur = link->into;
  }
  return cur;
}

Result<std::vector<Id16>> State::MergedFrom(const Id16& person) {
  std::vector<Id16> out;
  std::set<Id16> seen = {person};
  std::vector<Id16> todo = {person};
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("SELECT id FROM person_index WHERE merged_into=? AND deleted=1 AND "
                              "removed=0 ORDER BY id"));
  while (!todo.empty()) {
    Id16 cur = todo.back();
    todo.pop_back();
    st->Bind(1, cur);
    SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) {
      auto id = Id16::FromBytes(View(row.Blob(0)));
      if (id.ok() && seen.insert(*id).second) {
        out.push_back(*id);
        todo.push_back(*id);
      }
    }));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<StaySummary>> State::Stays(const Id16& person) {
  SHELTER_ASSIGN_OR_RETURN(std::vector<Id16> persons, MergedFrom(person));
  persons.push_back(person);
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("SELECT s.id, s.person, s.hlc, s.event, s.place, s.undoes, EXISTS (SELECT 1 "
                   "FROM stay_index u WHERE u.undoes=s.id AND u.event='undone') FROM "
                   "stay_index s WHERE s.person=?"));
  std::vector<StaySummary> out;
  for (const Id16& p : persons) {
    st->Bind(1, p);
    SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) {
      StaySummary s;
      if (auto id = Id16::FromBytes(View(row.Blob(0))); id.ok()) s.id = *id;
      s.person = p;
      s.hlc = row.Int(2);
      s.event = row.Text(3);
      s.place = row.Text(4);
      if (!row.IsNull(5))
        if (auto id = Id16::FromBytes(View(row.Blob(5))); id.ok()) s.undoes = *id;
      s.undone = row.Int(6) != 0;
      out.push_back(std::move(s));
    }));
  }
  std::sort(out.begin(), out.end(), [](const StaySummary& a, const StaySummary& b) {
    return a.hlc != b.hlc ? a.hlc < b.hlc : a.id < b.id;
  });
  return out;
}

}  // namespace shelter::core
