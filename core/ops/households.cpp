#include "core/ops/households.hpp"

#include <cctype>
#include <optional>

#include "core/base/hlc.hpp"
#include "core/model/stay_status.hpp"

namespace shelter::core {
namespace {

Status CanRegister(const Node& node) {
  return node.Require({StaffRole::kStaff, StaffRole::kLead, StaffRole::kAdmin});
}

void AddDrafts(Household& h, const Id16& shelter, std::optional<Place> check_in, int64_t now_ms,
               std::vector<OpDraft>& drafts, Registered& out) {
  h.shelter = shelter;
  if (h.id.IsZero()) h.id = Id16::Random();
  for (auto& p : h.members) {
    if (p.id.IsZero()) p.id = Id16::Random();
    p.household = h.id;
  }
  if (h.head.IsZero()) h.head = h.members.front().id;  // after the ids exist
  drafts.push_back({h.id, RecordType::kHousehold, HouseholdFields(h)});
  out.household = h.id;
  for (auto& p : h.members) {
    drafts.push_back({p.id, RecordType::kPerson, PersonFields(p)});
    out.persons.push_back(p.id);
  }
  if (check_in)
    for (auto& p : h.members) {
      Stay s{Id16::Random(), p.id, EventForPlace(*check_in), *check_in, {}, now_ms, {}};
      drafts.push_back({s.id, RecordType::kStay, StayFields(s)});
      out.stays.push_back(s.id);
    }
}

}  // namespace

Result<std::vector<Registered>> RegisterHouseholds(Node& node, std::vector<Household> hs,
                                                   const Id16& shelter, bool check_in,
                                                   Place place) {
  SHELTER_TRY(CanRegister(node));
  if (shelter.IsZero()) return MakeError(ErrorCode::kInvalidArgument, "choose a shelter");
  if (!node.HasScopeKey(shelter))
    return MakeError(ErrorCode::kPermissionDenied, "this device is not enrolled for that shelter");
  std::vector<OpDraft> drafts;
  std::vector<Registered> out(hs.size());
  int64_t now = HlcClock::SystemNowMs();
  for (size_t i = 0; i < hs.size(); ++i) {
    SHELTER_TRY(ValidateHousehold(hs[i]));
    AddDrafts(hs[i], shelter, check_in ? std::optional<Place>(place) : std::nullopt, now, drafts,
              out[i]);
  }
  SHELTER_TRY(node.Commit(shelter, drafts));
  return out;
}

Result<Registered> RegisterHousehold(Node& node, Household h, const Id16& shelter, bool check_in,
                                     Place place) {
  std::vector<Household> one;
  one.push_back(std::move(h));
  SHELTER_ASSIGN_OR_RETURN(auto r,
                           RegisterHouseholds(node, std::move(one), shelter, check_in, place));
  return r.front();
}

static Result<Id16> ScopeOf(Node& node, const Id16& record, RecordType expected) {
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(record));
  if (!rec || rec->type != expected || rec->Deleted())
    return MakeError(
        ErrorCode::kNotFound,
        "no such " + std::string(expected == RecordType::kPerson ? "person" : "record"));
  return rec->scope;
}

Result<Id16> RecordStay(Node& node, const Id16& person, StayEvent event, Place place,
                        const Id16& to_shelter) {
  SHELTER_TRY(
      node.Require({StaffRole::kStaff, StaffRole::kLead, StaffRole::kAdmin, StaffRole::kKiosk}));
  SHELTER_ASSIGN_OR_RETURN(Id16 scope, ScopeOf(node, person, RecordType::kPerson));
  Stay s{Id16::Random(), person, event, place, to_shelter, node.NowMs(), {}};
  SHELTER_TRY(node.Commit(scope, {{s.id, RecordType::kStay, StayFields(s)}}));
  return s.id;
}

Result<Id16> CheckIn(Node& node, const Id16& person, Place place) {
  return RecordStay(node, person, EventForPlace(place), place);
}

Result<Id16> CheckOut(Node& node, const Id16& person) {
  SHELTER_TRY(
      node.Require({StaffRole::kStaff, StaffRole::kLead, StaffRole::kAdmin, StaffRole::kKiosk}));
  SHELTER_ASSIGN_OR_RETURN(auto now, node.state().FindPerson(person));
  const Whereabouts where = now ? now->where() : Whereabouts::kNeverArrived;
  if (where == Whereabouts::kOut || where == Whereabouts::kLeft)
    return MakeError(ErrorCode::kConflict,
                     "this person is already checked out (check them in first to record a return)");
  return RecordStay(node, person, StayEvent::kLeave, Place::kOutForDay);
}

Status EditRecord(Node& node, const Id16& record, std::vector<FieldWrite> fields,
                  std::optional<std::map<std::string, std::vector<Dot>>> seen) {
  SHELTER_TRY(CanRegister(node));
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(record));
  if (!rec) return MakeError(ErrorCode::kNotFound, "no such record");
  for (auto& f : fields)
    if (f.field.empty() || f.field.size() > kMaxFieldNameBytes || f.field[0] == '_')
      return MakeError(ErrorCode::kInvalidArgument, "cannot edit that field directly");
  SHELTER_TRY(node.Commit(rec->scope, {{record, rec->type, std::move(fields), std::move(seen)}}));
  return Ok();
}

Status ResolveConflict(Node& node, const Id16& record, const std::string& field,
                       cbor::Item chosen) {
  SHELTER_TRY(CanRegister(node));
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(record));
  if (!rec) return MakeError(ErrorCode::kNotFound, "no such record");
  if (!rec->InConflict(field))
    return MakeError(ErrorCode::kInvalidArgument, "that field has no conflict");
  // Commit supersedes every value this device shows for the field: all the concurrent ones.
  SHELTER_TRY(node.Commit(rec->scope, {{record, rec->type, {{field, std::move(chosen)}}}}));
  return Ok();
}

Result<Household> LoadHousehold(Node& node, const Id16& household) {
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(household));
  if (!rec || rec->type != RecordType::kHousehold)
    return MakeError(ErrorCode::kNotFound, "no such household");
  Household h = HouseholdFromRecord(*rec);
  SHELTER_ASSIGN_OR_RETURN(auto members, node.state().Members(household));
  for (auto& m : members) {
    SHELTER_ASSIGN_OR_RETURN(auto prec, node.state().Get(m.id));
    if (prec) h.members.push_back(PersonFromRecord(*prec));
  }
  return h;
}

}  // namespace shelter::core
