#include "core/model/entities.hpp"

#include <algorithm>
#include <iterator>

namespace shelter::core {
namespace {

cbor::Item TextOrNull(const std::string& s) { return s.empty() ? cbor::Item() : cbor::Item(s); }
cbor::Item IdOrNull(const Id16& id) {
  return id.IsZero() ? cbor::Item() : cbor::Item(Bytes(id.b.begin(), id.b.end()));
}
cbor::Item TextList(const std::vector<std::string>& v) {
  if (v.empty()) return cbor::Item();
  cbor::Array a;
  for (auto& s : v) a.push_back(cbor::Item(s));
  return cbor::Item(std::move(a));
}
std::vector<std::string> ListFrom(const cbor::Item& it) {
  std::vector<std::string> out;
  if (auto* a = it.as_array())
    for (auto& e : *a)
      if (auto* t = e.as_text()) out.push_back(*t);
  return out;
}
Id16 IdFrom(const cbor::Item& it) {
  if (auto* b = it.as_bytes())
    if (auto id = Id16::FromBytes(View(*b)); id.ok()) return *id;
  return Id16{};
}
void Sort(std::vector<FieldWrite>& w) {
  std::sort(w.begin(), w.end(), [](auto& a, auto& b) { return a.field < b.field; });
}

}  // namespace

const std::vector<std::string>& NeedCodes() {
  static const std::vector<std::string> kCodes = {
      "ELD", "NUR", "DIS-P", "DIS-V", "DIS-H",     "DIS-I", "DIS-M", "INF",
      "PRG", "FOR", "CHR",   "MED",   "MED-POWER", "ALG",   "ILL",   "DIET"};
  return kCodes;
}
bool IsNeedCode(std::string_view c) {
  auto& k = NeedCodes();
  return std::find(k.begin(), k.end(), c) != k.end();
}
const std::vector<std::string>& AllergenCodes() {
  static const std::vector<std::string> kCodes = {"egg",    "milk",   "wheat", "buckwheat",
                                                  "peanut", "shrimp", "crab",  "walnut"};
  return kCodes;
}
bool IsSex(std::string_view s) {
  return s == "male" || s == "female" || s == "other" || s == "unanswered";
}

static constexpr const char* kStayEventNames[] = {
    "arrive", "leave", "overnight_out", "moved", "hospital", "returned_home", "undone"};
static constexpr const char* kPlaceNames[] = {"shelter", "welfare_shelter", "home",     "car",
                                              "tent",    "relatives",       "hospital", "elsewhere",
                                              "out_day", "overnight",       "left"};
static_assert(std::size(kStayEventNames) == kStayEventCount &&
              std::size(kPlaceNames) == kPlaceCount);
const char* StayEventName(StayEvent e) { return kStayEventNames[static_cast<int>(e)]; }
const char* PlaceName(Place p) { return kPlaceNames[static_cast<int>(p)]; }
Result<StayEvent> ParseStayEvent(std::string_view s) {
  for (size_t i = 0; i < std::size(kStayEventNames); ++i)
    if (s == kStayEventNames[i]) return static_cast<StayEvent>(i);
  return MakeError(
      ErrorCode::kInvalidArgument,
      "unknown stay event (arrive, leave, overnight_out, moved, hospital, returned_home, undone)");
}
Result<Place> ParsePlace(std::string_view s) {
  for (size_t i = 0; i < std::size(kPlaceNames); ++i)
    if (s == kPlaceNames[i]) return static_cast<Place>(i);
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown place (shelter, welfare_shelter, home, car, tent, relatives, hospital, "
                   "elsewhere, out_day, overnight, left)");
}

std::vector<FieldWrite> PersonFields(const Person& p) {
  std::vector<FieldWrite> w = {
      {field::kHousehold, IdOrNull(p.household)},
      {field::kName, TextOrNull(p.name)},
      {field::kKana, TextOrNull(p.kana)},
      {field::kDob, TextOrNull(p.dob)},
      {field::kSex, TextOrNull(p.sex)},
      {field::kRelationship, TextOrNull(p.relationship)},
      {field::kNationality, TextOrNull(p.nationality)},
      {field::kLanguage, TextOrNull(p.language)},
      {field::kPhone, TextOrNull(p.phone)},
      {field::kNote, TextOrNull(p.note)},
      {field::kNeeds, TextList(p.needs)},
      {field::kAllergies, TextList(p.allergies)},
      {field::kCareLevel,
       p.care_level ? cbor::Item(static_cast<int64_t>(p.care_level)) : cbor::Item()},
      {field::kEvacSupport, cbor::Item(p.evac_support)},
      {field::kConsentFamily, cbor::Item(p.consent.family)},
      {field::kConsentAcquaintance, cbor::Item(p.consent.acquaintance)},
      {field::kConsentPublic, cbor::Item(p.consent.to_public)},
      {field::kConsentThirdParty, cbor::Item(p.consent.third_party)},
      {field::kSource, TextOrNull(p.source)},
  };
  Sort(w);
  return w;
}

std::vector<FieldWrite> HouseholdFields(const Household& h) {
  cbor::Array pets;
  for (auto& p : h.pets)
    pets.push_back(cbor::Map{{cbor::Item("kind"), cbor::Item(p.kind)},
                             {cbor::Item("count"), cbor::Item(static_cast<int64_t>(p.count))},
                             {cbor::Item("mode"), cbor::Item(p.mode)}});
  std::vector<FieldWrite> w = {
      {field::kShelter, IdOrNull(h.shelter)},
      {field::kHead, IdOrNull(h.head)},
      {field::kAddress, TextOrNull(h.address)},
      {field::kResidence, TextOrNull(h.residence)},
      {field::kPhone, TextOrNull(h.phone)},
      {field::kVehicle, TextOrNull(h.vehicle)},
      {field::kHouseDamage, TextOrNull(h.house_damage)},
      {field::kNote, TextOrNull(h.note)},
      {field::kPets, pets.empty() ? cbor::Item() : cbor::Item(std::move(pets))},
  };
  Sort(w);
  return w;
}

std::vector<FieldWrite> StayFields(const Stay& s) {
  std::vector<FieldWrite> w = {
      {field::kPerson, IdOrNull(s.person)},
      {field::kEvent, cbor::Item(StayEventName(s.event))},
      {field::kPlace, cbor::Item(PlaceName(s.place))},
      {field::kTo, IdOrNull(s.to_shelter)},
      {field::kAt, cbor::Item(s.at_ms)},
  };
  if (!s.undoes.IsZero()) w.push_back({field::kUndoes, IdOrNull(s.undoes)});
  Sort(w);
  return w;
}

std::vector<FieldWrite> ShelterFields(const ShelterInfo& s) {
  std::vector<FieldWrite> w = {
      {field::kCommonId, TextOrNull(s.common_id)},
      {field::kMunicipality, TextOrNull(s.municipality_code)},
      {field::kName, TextOrNull(s.name)},
      {field::kKana, TextOrNull(s.kana)},
      {field::kAddress, TextOrNull(s.address)},
      {field::kLat, TextOrNull(s.lat)},
      {field::kLon, TextOrNull(s.lon)},
      {field::kCapacity, cbor::Item(s.capacity)},
      {field::kKind, TextOrNull(s.kind)},
      {field::kHazards, cbor::Item(s.hazards)},
      {field::kStatus, TextOrNull(s.status)},
  };
  Sort(w);
  return w;
}

Person PersonFromRecord(const RecordState& r) {
  Person p;
  p.id = r.id;
  p.household = IdFrom(r.Get(field::kHousehold));
  p.name = r.Text(field::kName);
  p.kana = r.Text(field::kKana);
  p.dob = r.Text(field::kDob);
  p.sex = r.Text(field::kSex);
  p.relationship = r.Text(field::kRelationship);
  p.nationality = r.Text(field::kNationality);
  p.language = r.Text(field::kLanguage);
  p.phone = r.Text(field::kPhone);
  p.note = r.Text(field::kNote);
  p.needs = ListFrom(r.Get(field::kNeeds));
  p.allergies = ListFrom(r.Get(field::kAllergies));
  p.care_level = static_cast<int>(r.Int(field::kCareLevel));
  p.evac_support = r.Bool(field::kEvacSupport);
  p.consent = {r.Bool(field::kConsentFamily, true), r.Bool(field::kConsentAcquaintance, true),
               r.Bool(field::kConsentPublic), r.Bool(field::kConsentThirdParty)};
  p.source = r.Text(field::kSource);
  return p;
}

Household HouseholdFromRecord(const RecordState& r) {
  Household h;
  h.id = r.id;
  h.shelter = IdFrom(r.Get(field::kShelter));
  h.head = IdFrom(r.Get(field::kHead));
  h.address = r.Text(field::kAddress);
  h.residence = r.Text(field::kResidence);
  h.phone = r.Text(field::kPhone);
  h.vehicle = r.Text(field::kVehicle);
  h.house_damage = r.Text(field::kHouseDamage);
  h.note = r.Text(field::kNote);
  if (auto* a = r.Get(field::kPets).as_array())
    for (auto& e : *a) {
      Pet p;
      if (auto* k = e.Find("kind"); k && k->as_text()) p.kind = *k->as_text();
      if (auto* c = e.Find("count"); c && c->as_int()) p.count = static_cast<int>(*c->as_int());
      if (auto* m = e.Find("mode"); m && m->as_text()) p.mode = *m->as_text();
      h.pets.push_back(std::move(p));
    }
  return h;
}

Stay StayFromRecord(const RecordState& r) {
  Stay s;
  s.id = r.id;
  s.person = IdFrom(r.Get(field::kPerson));
  if (auto e = ParseStayEvent(r.Text(field::kEvent)); e.ok()) s.event = *e;
  if (auto p = ParsePlace(r.Text(field::kPlace)); p.ok()) s.place = *p;
  s.to_shelter = IdFrom(r.Get(field::kTo));
  s.undoes = IdFrom(r.Get(field::kUndoes));
  s.at_ms = r.Int(field::kAt);
  return s;
}

ShelterInfo ShelterFromRecord(const RecordState& r) {
  ShelterInfo s;
  s.id = r.id;
  s.common_id = r.Text(field::kCommonId);
  s.municipality_code = r.Text(field::kMunicipality);
  s.name = r.Text(field::kName);
  s.kana = r.Text(field::kKana);
  s.address = r.Text(field::kAddress);
  s.lat = r.Text(field::kLat);
  s.lon = r.Text(field::kLon);
  s.capacity = r.Int(field::kCapacity);
  s.kind = r.Text(field::kKind);
  s.hazards = r.Int(field::kHazards);
  s.status = r.Text(field::kStatus);
  return s;
}

}  // namespace shelter::core
