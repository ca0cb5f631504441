#include "core/ops/edit.hpp"

#include <map>

#include "core/ops/households.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

Status CanEdit(const Node& node) {
  return node.Require({StaffRole::kStaff, StaffRole::kLead, StaffRole::kAdmin});
}

Error Bad(const std::string& field, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "field " + field + ": " + what);
}

Result<bool> BoolText(const std::string& field, const std::string& text) {
  if (text == "true" || text == "yes" || text == "1") return true;
  if (text == "false" || text == "no" || text == "0") return false;
  return Bad(field, "must be true or false");
}

std::vector<std::string> Codes(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string code = text.substr(start, end - start);
    while (!code.empty() && code.front() == ' ') code.erase(code.begin());
    while (!code.empty() && code.back() == ' ') code.pop_back();
    if (!code.empty()) out.push_back(std::move(code));
    start = end + 1;
  }
  return out;
}

constexpr size_t kMaxFieldText = 1000;
constexpr size_t kMaxMembers = 50;  // as HouseholdProblems allows

}  // namespace

Result<size_t> EditChangedFields(Node& node, const Id16& record,
                                 const std::vector<FieldWrite>& loaded,
                                 const std::vector<FieldWrite>& edited, const EditBase* base) {
  SHELTER_TRY(CanEdit(node));
  std::map<std::string, const cbor::Item*> before;
  for (auto& f : loaded) before[f.field] = &f.value;
  std::vector<FieldWrite> changed;
  for (auto& f : edited) {
    auto it = before.find(f.field);
    if (it != before.end() && *it->second == f.value) continue;
    if (it == before.end() && f.value.is_null()) continue;  // absent before and after
    changed.push_back(f);
  }
  if (changed.empty()) {
    SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(record));
    if (!rec) return MakeError(ErrorCode::kNotFound, "no such record");
    return size_t{0};
  }
  size_t n = changed.size();
  std::optional<std::map<std::string, std::vector<Dot>>> seen;
  if (base) {
    auto it = base->seen.find(record);
    seen = it == base->seen.end() ? std::map<std::string, std::vector<Dot>>{} : it->second;
  }
  SHELTER_TRY(EditRecord(node, record, std::move(changed), std::move(seen)));
  return n;
}

Result<size_t> SavePersonEdit(Node& node, const Person& loaded, const Person& edited,
                              const EditBase* base) {
  if (loaded.id != edited.id) return MakeError(ErrorCode::kInvalidArgument, "not the same person");
  Household check;
  check.members.push_back(edited);
  SHELTER_TRY(ValidateHousehold(check));
  return EditChangedFields(node, edited.id, PersonFields(loaded), PersonFields(edited), base);
}

Result<Id16> AddHouseholdMember(Node& node, const Id16& household, Person person, bool check_in) {
  SHELTER_TRY(CanEdit(node));
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(household));
  if (!rec || rec->type != RecordType::kHousehold || rec->Deleted())
    return MakeError(ErrorCode::kNotFound, "no such household");
  SHELTER_ASSIGN_OR_RETURN(auto members, node.state().Members(household));
  if (members.size() >= kMaxMembers)
    return MakeError(ErrorCode::kInvalidArgument, "a household has at most 50 members");
  Household check;
  check.members.push_back(person);
  SHELTER_TRY(ValidateHousehold(check));
  person.id = Id16::Random();
  person.household = household;
  if (person.source.empty()) person.source = "manual";
  std::vector<OpDraft> drafts;
  drafts.push_back({person.id, RecordType::kPerson, PersonFields(person)});
  if (check_in) {
    Stay s{Id16::Random(), person.id, StayEvent::kArrive, Place::kShelter, {}, node.NowMs(), {}};
    drafts.push_back({s.id, RecordType::kStay, StayFields(s)});
  }
  SHELTER_TRY(node.Commit(rec->scope, drafts));
  return person.id;
}

Result<size_t> SaveHouseholdEdit(Node& node, const Household& loaded, const Household& edited,
                                 const EditBase* base) {
  if (loaded.id != edited.id)
    return MakeError(ErrorCode::kInvalidArgument, "not the same household");
  for (const std::string* text : {&edited.address, &edited.residence, &edited.phone,
                                  &edited.vehicle, &edited.note, &edited.house_damage})
    if (!IsValidUtf8(*text) || text->size() > kMaxFieldText)
      return MakeError(ErrorCode::kInvalidArgument,
                       "household text is not valid UTF-8 or too long");
  for (const FieldProblem& p : HouseholdProblems(edited))  // its pets; members are saved apart
    if (p.member < 0 && p.field != "members")
      return MakeError(ErrorCode::kInvalidArgument, DescribeProblem(p));
  return EditChangedFields(node, edited.id, HouseholdFields(loaded), HouseholdFields(edited), base);
}

Status SetPersonField(Person& p, const std::string& name, const std::string& text) {
  if (text.size() > kMaxFieldText || !IsValidUtf8(text))
    return Bad(name, "not valid UTF-8 or too long");
  static const std::map<std::string, std::string Person::*> kText = {
      {field::kName, &Person::name},
      {field::kKana, &Person::kana},
      {field::kSex, &Person::sex},
      {field::kRelationship, &Person::relationship},
      {field::kNationality, &Person::nationality},
      {field::kLanguage, &Person::language},
      {field::kPhone, &Person::phone},
      {field::kNote, &Person::note}};
  static const std::map<std::string, bool Person::*> kFlags = {
      {field::kEvacSupport, &Person::evac_support}};
  static const std::map<std::string, bool Consent::*> kConsents = {
      {field::kConsentFamily, &Consent::family},
      {field::kConsentAcquaintance, &Consent::acquaintance},
      {field::kConsentPublic, &Consent::to_public},
      {field::kConsentThirdParty, &Consent::third_party}};
  if (auto it = kText.find(name); it != kText.end()) {
    p.*(it->second) = text;
  } else if (auto f = kFlags.find(name); f != kFlags.end()) {
    SHELTER_ASSIGN_OR_RETURN(p.*(f->second), BoolText(name, text));
  } else if (auto c = kConsents.find(name); c != kConsents.end()) {
    SHELTER_ASSIGN_OR_RETURN(p.consent.*(c->second), BoolText(name, text));
  } else if (name == field::kDob) {
    p.dob.clear();
    if (!text.empty()) {
      auto d = NormalizeDate(text);
      if (!d.ok()) return Bad(name, "not a date (YYYY-MM-DD or 昭和60年3月2日)");
      p.dob = *d;
    }
  } else if (name == field::kNeeds) {
    p.needs = Codes(text);
  } else if (name == field::kAllergies) {
    p.allergies = Codes(text);
  } else if (name == field::kCareLevel) {
    if (text.size() != 1 || text[0] < '0' || text[0] > '5') return Bad(name, "must be 0..5");
    p.care_level = text[0] - '0';
  } else {
    return Bad(name, "not a person field that can be set (see `shelterctl --help`)");
  }
  return Ok();
}

Status SetHouseholdField(Household& h, const std::string& name, const std::string& text) {
  if (text.size() > kMaxFieldText || !IsValidUtf8(text))
    return Bad(name, "not valid UTF-8 or too long");
  static const std::map<std::string, std::string Household::*> kText = {
      {field::kAddress, &Household::address},
      {field::kResidence, &Household::residence},
      {field::kPhone, &Household::phone},
      {field::kVehicle, &Household::vehicle},
      {field::kHouseDamage, &Household::house_damage},
      {field::kNote, &Household::note}};
  auto it = kText.find(name);
  if (it == kText.end())
    return Bad(name, "not a household field that can be set (see `shelterctl --help`)");
  h.*(it->second) = text;
  return Ok();
}

std::vector<FieldConflict> ConflictsOf(const RecordState& r) {
  std::vector<FieldConflict> out;
  for (auto& name : r.ConflictedFields()) out.push_back({r.id, r.type, name, r.fields.at(name)});
  return out;
}

Result<std::vector<FieldConflict>> ListConflicts(Node& node) {
  SHELTER_TRY(CanEdit(node));
  SHELTER_ASSIGN_OR_RETURN(auto ids, node.state().ConflictedRecords());
  std::vector<FieldConflict> out;
  for (auto& id : ids) {
    SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(id));
    if (!rec) continue;
    for (auto& c : ConflictsOf(*rec)) out.push_back(std::move(c));
  }
  return out;
}

Status ResolveConflictKeep(Node& node, const Id16& record, const std::string& field, size_t keep) {
  SHELTER_TRY(CanEdit(node));
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(record));
  if (!rec) return MakeError(ErrorCode::kNotFound, "no such record");
  if (!rec->InConflict(field))
    return MakeError(ErrorCode::kInvalidArgument, "that field has no conflict (see `conflicts`)");
  const auto& values = rec->fields.at(field);
  if (keep < 1 || keep > values.size())
    return MakeError(ErrorCode::kInvalidArgument,
                     "--keep must be 1.." + std::to_string(values.size()) + " for that field");
  return ResolveConflict(node, record, field, values[keep - 1].value);
}

}  // namespace shelter::core

namespace shelter::core {

Result<EditBase> EditBaseOf(Node& node, const std::vector<Id16>& records) {
  EditBase base;
  for (const Id16& id : records) {
    SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(id));
    if (!rec) continue;
    auto& fields = base.seen[id];
    for (const auto& [name, values] : rec->fields) fields[name] = rec->Seen(name);
  }
  return base;
}

std::vector<std::string> ChangedSince(Node& node, const EditBase& base, const Id16& record) {
  std::vector<std::string> out;
  auto it = base.seen.find(record);
  auto rec = node.state().Get(record);
  if (it == base.seen.end() || !rec.ok() || !*rec) return out;
  for (const auto& [name, values] : (*rec)->fields) {
    if (name.empty() || name[0] == '_') continue;
    auto was = it->second.find(name);
    if (was == it->second.end() || was->second != (*rec)->Seen(name)) out.push_back(name);
  }
  return out;
}

}  // namespace shelter::core
