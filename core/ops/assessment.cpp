#include "core/ops/assessment.hpp"

#include <algorithm>
#include <set>

#include "core/base/hlc.hpp"
#include "core/model/entities.hpp"
#include "core/ops/cert_policy.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

cbor::Item TextOrNull(const std::string& s) { return s.empty() ? cbor::Item() : cbor::Item(s); }
cbor::Item IdOrNull(const Id16& id) {
  return id.IsZero() ? cbor::Item() : cbor::Item(Bytes(id.b.begin(), id.b.end()));
}
Id16 IdFrom(const cbor::Item& it) {
  if (auto* b = it.as_bytes())
    if (auto id = Id16::FromBytes(View(*b)); id.ok()) return *id;
  return Id16{};
}

Status CheckDate(const std::string& d, const char* what) {
  auto n = NormalizeDate(d, false);
  if (!n.ok() || *n != d)
    return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " must be YYYY-MM-DD");
  return Ok();
}

}  // namespace

std::vector<FieldWrite> DisasterFields(const Disaster& d) {
  return {{field::kDate, TextOrNull(d.date)},
          {field::kKind, TextOrNull(d.kind)},
          {field::kName, TextOrNull(d.name)}};
}

Disaster DisasterFromRecord(const RecordState& r) {
  return Disaster{r.id, r.Text(field::kName), r.Text(field::kDate), r.Text(field::kKind)};
}

std::vector<FieldWrite> AssessmentFields(const Assessment& a) {
  std::vector<FieldWrite> w = {
      {field::kAt, cbor::Item(a.at_ms)},
      {field::kDate, TextOrNull(a.date)},
      {field::kDisaster, IdOrNull(a.disaster)},
      {field::kFlood, cbor::Item(static_cast<int64_t>(a.flood))},
      {field::kHousehold, IdOrNull(a.household)},
      {field::kLevel, cbor::Item(static_cast<int64_t>(a.level))},
      {field::kNote, TextOrNull(a.note)},
      {field::kPrev, IdOrNull(a.prev)},
      {field::kSite, TextOrNull(a.site)},
      {field::kStage, cbor::Item(static_cast<int64_t>(a.stage))},
      {field::kSurveyor, TextOrNull(a.surveyor)},
  };
  return w;
}

Assessment AssessmentFromRecord(const RecordState& r) {
  Assessment a;
  a.id = r.id;
  a.household = IdFrom(r.Get(field::kHousehold));
  a.disaster = IdFrom(r.Get(field::kDisaster));
  int64_t level = r.Int(field::kLevel, 5), flood = r.Int(field::kFlood),
          stage = r.Int(field::kStage, 1);
  a.level = static_cast<DamageLevel>(IsDamageLevelCode(level) ? level : 5);
  a.flood = static_cast<Flood>(IsFloodCode(flood) ? flood : 0);
  a.stage = static_cast<SurveyStage>(IsSurveyStageCode(stage) ? stage : 1);
  a.surveyor = r.Text(field::kSurveyor);
  a.date = r.Text(field::kDate);
  a.site = r.Text(field::kSite);
  a.note = r.Text(field::kNote);
  a.prev = IdFrom(r.Get(field::kPrev));
  a.at_ms = r.Int(field::kAt);
  return a;
}

Result<Id16> AddDisaster(Node& node, Disaster d) {
  SHELTER_TRY(
      node.Require({StaffRole::kLead, StaffRole::kCertifier, StaffRole::kAdmin, StaffRole::kHq}));
  if (d.name.empty() || d.name.size() > 100 || !IsValidUtf8(d.name))
    return MakeError(ErrorCode::kInvalidArgument, "a disaster needs a name (at most 100 bytes)");
  SHELTER_TRY(CheckDate(d.date, "the disaster date"));
  if (std::none_of(std::begin(kDisasterKinds), std::end(kDisasterKinds),
                   [&](const char* k) { return d.kind == k; })) {
    std::string kinds;
    for (const char* k : kDisasterKinds) kinds += (kinds.empty() ? "" : ", ") + std::string(k);
    return MakeError(ErrorCode::kInvalidArgument, "unknown disaster kind; use one of: " + kinds);
  }
  if (d.id.IsZero())
    d.id = DerivedId("disaster", node.municipality_code() + ":" + d.date + ":" + d.name);
  SHELTER_TRY(
      node.Commit(node.municipality_scope(), {{d.id, RecordType::kDisaster, DisasterFields(d)}}));
  return d.id;
}

Result<std::vector<Disaster>> ListDisasters(Node& node) {
  SHELTER_ASSIGN_OR_RETURN(auto ids, node.state().RecordsOfType(RecordType::kDisaster));
  std::vector<Disaster> out;
  for (auto& id : ids) {
    SHELTER_ASSIGN_OR_RETURN(auto r, node.state().Get(id));
    if (r && !r->Deleted()) out.push_back(DisasterFromRecord(*r));
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.date < b.date; });
  return out;
}

Result<Disaster> FindDisaster(Node& node, std::string_view id_or_name) {
  SHELTER_ASSIGN_OR_RETURN(auto all, ListDisasters(node));
  for (auto& d : all)
    if (d.id.Hex() == id_or_name || d.name == id_or_name) return d;
  return MakeError(ErrorCode::kNotFound, "no such disaster (see shelterctl disaster list)");
}

Result<std::vector<Assessment>> AssessmentHistory(Node& node, const Id16& household) {
  SHELTER_ASSIGN_OR_RETURN(auto ids, node.state().RecordsOfType(RecordType::kAssessment));
  std::vector<std::pair<Hlc, Assessment>> found;
  for (auto& id : ids) {
    SHELTER_ASSIGN_OR_RETURN(auto r, node.state().Get(id));
    if (!r || r->Deleted()) continue;
    Assessment a = AssessmentFromRecord(*r);
    if (a.household != household) continue;
    auto* w = r->Winner(field::kLevel);
    found.push_back({w ? w->hlc : 0, std::move(a)});
  }
  std::sort(found.begin(), found.end(), [](auto& x, auto& y) {
    return std::tie(x.second.at_ms, x.first, x.second.id) <
           std::tie(y.second.at_ms, y.first, y.second.id);
  });
  std::vector<Assessment> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

Result<std::optional<Assessment>> CurrentAssessment(Node& node, const Id16& household) {
  SHELTER_ASSIGN_OR_RETURN(auto history, AssessmentHistory(node, household));
  std::set<Id16> superseded;
  for (auto& a : history)
    if (!a.prev.IsZero()) superseded.insert(a.prev);
  for (auto it = history.rbegin(); it != history.rend(); ++it)
    if (!superseded.count(it->id)) return std::optional<Assessment>(*it);
  return std::optional<Assessment>();
}

Result<Id16> RecordAssessment(Node& node, Assessment a) {
  SHELTER_TRY(MayAssess(node));
  SHELTER_TRY(CheckDate(a.date, "the survey date"));
  if (a.disaster.IsZero())
    return MakeError(ErrorCode::kInvalidArgument, "an assessment needs the disaster");
  if (a.surveyor.size() > 100 || a.site.size() > 200 || a.note.size() > 1000 ||
      !IsValidUtf8(a.site) || !IsValidUtf8(a.note) || !IsValidUtf8(a.surveyor))
    return MakeError(ErrorCode::kInvalidArgument, "surveyor, site or note too long or not UTF-8");
  SHELTER_ASSIGN_OR_RETURN(auto hh, node.state().Get(a.household));
  if (!hh || hh->type != RecordType::kHousehold || hh->Deleted())
    return MakeError(ErrorCode::kNotFound, "no such household");
  SHELTER_ASSIGN_OR_RETURN(auto dis, node.state().Get(a.disaster));
  if (!dis || dis->type != RecordType::kDisaster)
    return MakeError(ErrorCode::kNotFound, "no such disaster");
  SHELTER_ASSIGN_OR_RETURN(auto current, CurrentAssessment(node, a.household));
  if (current) a.prev = current->id;
  if (a.id.IsZero()) a.id = Id16::Random();
  if (a.at_ms == 0) a.at_ms = HlcClock::SystemNowMs();
  if (current && a.at_ms <= current->at_ms)
    a.at_ms = current->at_ms + 1;  // history order follows supersession
  SHELTER_TRY(node.Commit(hh->scope, {{a.id, RecordType::kAssessment, AssessmentFields(a)}}));
  return a.id;
}

}  // namespace shelter::core
