// JPR1 codec. The CBOR map uses small integer keys (core/FORMATS.md lists them); unknown keys
// are skipped so a newer page still works with an older tablet, but a known key with the wrong
// type or an over-long value rejects the whole code: staff then register by hand.
#include "core/formats/pre_registration.hpp"

#include <set>

#include "core/codec/base45.hpp"
#include "core/codec/cbor.hpp"
#include "core/codec/compress.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

// Household keys.
enum : int64_t {
  kHCreated = 1,
  kHLang,
  kHAddress,
  kHResidence,
  kHPhone,
  kHMembers,
  kHPets,
  kHVehicle,
  kHDamage,
  kHNote
};
// Member keys.
enum : int64_t {
  kMName = 1,
  kMKana,
  kMDob,
  kMSex,
  kMRel,
  kMNationality,
  kMLang,
  kMPhone,
  kMNeeds,
  kMAllergies,
  kMCare,
  kMEvacSupport,
  kMConsent,
  kMNote
};

constexpr size_t kMaxMembers = 20, kMaxPets = 10, kMaxList = 24, kMaxListItem = 64;
constexpr size_t kMaxShortText = 128, kMaxLongText = 400;
constexpr size_t kMaxInflated = 16 * 1024;

const char* const kSexes[] = {"unanswered", "male", "female", "other"};

Error Bad(const std::string& where) { return MakeError(ErrorCode::kParse, "JPR1: bad " + where); }

// Reads the fields of one CBOR map, checking types and lengths; remembers the first error.
class Fields {
 public:
  Fields(const cbor::Item& map, std::string where) : where_(std::move(where)) {
    auto* m = map.as_map();
    if (!m) {
      err_ = Bad(where_);
      return;
    }
    std::set<int64_t> seen;
    for (auto& [k, v] : *m) {
      auto* key = k.as_int();
      if (!key || !seen.insert(*key).second)
        err_ = Bad(where_ + " key");
      else
        entries_.emplace_back(*key, &v);
    }
  }
  const cbor::Item* Get(int64_t key) const {
    for (auto& [k, v] : entries_)
      if (k == key) return v;
    return nullptr;
  }
  void Text(int64_t key, size_t max, std::string& out, const char* name) {
    auto* v = Get(key);
    if (!v) return;
    auto* t = v->as_text();
    if (!t || t->size() > max) return Fail(name);
    out = *t;
  }
  void Int(int64_t key, int64_t lo, int64_t hi, int64_t& out, const char* name) {
    auto* v = Get(key);
    if (!v) return;
    auto* i = v->as_int();
    if (!i || *i < lo || *i > hi) return Fail(name);
    out = *i;
  }
  void List(int64_t key, std::vector<std::string>& out, const char* name) {
    auto* v = Get(key);
    if (!v) return;
    auto* a = v->as_array();
    if (!a || a->size() > kMaxList) return Fail(name);
    for (auto& e : *a) {
      auto* t = e.as_text();
      if (!t || t->empty() || t->size() > kMaxListItem) return Fail(name);
      out.push_back(*t);
    }
  }
  void Fail(const char* name) {
    if (!err_) err_ = Bad(where_ + " " + name);
  }
  const std::optional<Error>& error() const { return err_; }

 private:
  std::string where_;
  std::vector<std::pair<int64_t, const cbor::Item*>> entries_;
  std::optional<Error> err_;
};

Result<Person> DecodeMember(const cbor::Item& item, size_t index,
                            std::vector<std::string>& warnings) {
  Fields f(item, "member " + std::to_string(index + 1));
  Person p;
  int64_t sex = 0, care = 0, consent = -1;
  f.Text(kMName, kMaxShortText, p.name, "name");
  f.Text(kMKana, kMaxShortText, p.kana, "kana");
  f.Text(kMDob, 10, p.dob, "birth date");
  f.Int(kMSex, 0, 3, sex, "sex");
  f.Text(kMRel, kMaxListItem, p.relationship, "relationship");
  f.Text(kMNationality, kMaxListItem, p.nationality, "nationality");
  f.Text(kMLang, kMaxListItem, p.language, "language");
  f.Text(kMPhone, kMaxListItem, p.phone, "phone");
  std::vector<std::string> needs;
  f.List(kMNeeds, needs, "needs");
  f.List(kMAllergies, p.allergies, "allergies");
  f.Int(kMCare, 0, 5, care, "care level");
  if (auto* v = f.Get(kMEvacSupport)) {
    if (auto* b = v->as_bool())
      p.evac_support = *b;
    else
      f.Fail("support flag");
  }
  f.Int(kMConsent, 0, 15, consent, "consent");
  f.Text(kMNote, kMaxLongText, p.note, "note");
  if (f.error()) return *f.error();
  if (p.name.empty() && p.kana.empty()) return Bad("member " + std::to_string(index + 1) + " name");
  if (!p.dob.empty()) {
    auto d = NormalizeDate(p.dob);
    if (!d.ok() || *d != p.dob) return Bad("member " + std::to_string(index + 1) + " birth date");
  }
  p.sex = kSexes[sex];
  p.care_level = static_cast<int>(care);
  for (auto& n : needs) {
    if (IsNeedCode(n))
      p.needs.push_back(n);
    else
      warnings.push_back("unknown need code dropped (member " + std::to_string(index + 1) + ")");
  }
  if (consent >= 0) {
    p.consent = {(consent & 1) != 0, (consent & 2) != 0, (consent & 4) != 0, (consent & 8) != 0};
  }
  p.source = "qr";
  return p;
}

Status CheckLen(const std::string& s, size_t max, const char* name) {
  if (s.size() > max)
    return MakeError(ErrorCode::kInvalidArgument, std::string(name) + " is too long for JPR1");
  return {};
}

}  // namespace

Result<std::string> EncodePreRegistration(const PreRegistration& pre) {
  const Household& h = pre.household;
  if (h.members.empty() || h.members.size() > kMaxMembers)
    return MakeError(ErrorCode::kInvalidArgument, "JPR1 holds 1 to 20 members");
  if (h.pets.size() > kMaxPets)
    return MakeError(ErrorCode::kInvalidArgument, "JPR1 holds up to 10 pets");
  SHELTER_TRY(CheckLen(h.address, kMaxLongText, "address"));
  SHELTER_TRY(CheckLen(h.residence, kMaxLongText, "residence"));
  SHELTER_TRY(CheckLen(h.note, kMaxLongText, "note"));
  cbor::Map m;
  auto text = [](cbor::Map& map, int64_t key, const std::string& v) {
    if (!v.empty()) map.emplace_back(key, v);
  };
  if (pre.created_s > 0) m.emplace_back(kHCreated, pre.created_s);
  text(m, kHLang, pre.language);
  text(m, kHAddress, h.address);
  text(m, kHResidence, h.residence);
  text(m, kHPhone, h.phone);
  cbor::Array members;
  for (auto& p : h.members) {
    SHELTER_TRY(CheckLen(p.name, kMaxShortText, "name"));
    SHELTER_TRY(CheckLen(p.kana, kMaxShortText, "kana"));
    SHELTER_TRY(CheckLen(p.note, kMaxLongText, "note"));
    if (p.needs.size() > kMaxList || p.allergies.size() > kMaxList)
      return MakeError(ErrorCode::kInvalidArgument, "too many needs or allergies for JPR1");
    cbor::Map pm;
    text(pm, kMName, p.name);
    text(pm, kMKana, p.kana);
    text(pm, kMDob, p.dob);
    int64_t sex = 0;
    for (int i = 0; i < 4; ++i)
      if (p.sex == kSexes[i]) sex = i;
    if (sex) pm.emplace_back(kMSex, sex);
    text(pm, kMRel, p.relationship);
    text(pm, kMNationality, p.nationality);
    text(pm, kMLang, p.language);
    text(pm, kMPhone, p.phone);
    auto list = [&](int64_t key, const std::vector<std::string>& v) {
      if (v.empty()) return;
      cbor::Array a(v.begin(), v.end());
      pm.emplace_back(key, std::move(a));
    };
    list(kMNeeds, p.needs);
    list(kMAllergies, p.allergies);
    if (p.care_level > 0) pm.emplace_back(kMCare, p.care_level);
    if (p.evac_support) pm.emplace_back(kMEvacSupport, true);
    int64_t consent = (p.consent.family ? 1 : 0) | (p.consent.acquaintance ? 2 : 0) |
                      (p.consent.to_public ? 4 : 0) | (p.consent.third_party ? 8 : 0);
    if (consent != 3) pm.emplace_back(kMConsent, consent);  // 3 = the default tiers
    text(pm, kMNote, p.note);
    members.emplace_back(std::move(pm));
  }
  m.emplace_back(kHMembers, std::move(members));
  if (!h.pets.empty()) {
    cbor::Array pets;
    for (auto& pet : h.pets)
      pets.push_back(cbor::Array{pet.kind, pet.count, pet.mode == "together" ? 1 : 0});
    m.emplace_back(kHPets, std::move(pets));
  }
  text(m, kHVehicle, h.vehicle);
  text(m, kHDamage, h.house_damage);
  text(m, kHNote, h.note);
  std::string out(kPreRegistrationPrefix);
  out += Base45Encode(View(ZlibCompress(View(cbor::Encode(cbor::Item(std::move(m)))))));
  if (out.size() > kPreRegistrationMaxChars)
    return MakeError(ErrorCode::kInvalidArgument,
                     "too much text for one QR code: shorten the notes");
  return out;
}

Result<PreRegistration> DecodePreRegistration(std::string_view text) {
  if (text.substr(0, 3) == "JPR" && text.substr(0, 5) != kPreRegistrationPrefix)
    return MakeError(ErrorCode::kUnsupported, "JPR: unsupported version");
  if (text.substr(0, 5) != kPreRegistrationPrefix)
    return MakeError(ErrorCode::kUnsupported, "not a pre-registration code");
  if (text.size() > kPreRegistrationMaxChars) return Bad("length");
  auto z = Base45Decode(text.substr(5));
  if (!z.ok()) return Bad("Base45");
  auto raw = ZlibDecompress(View(*z), kMaxInflated);
  if (!raw.ok()) return Bad("compression");
  auto item = cbor::Decode(View(*raw), {.max_depth = 4, .max_items = 4096});
  if (!item.ok()) return Bad("CBOR");

  PreRegistration pre;
  Household& h = pre.household;
  Fields f(*item, "household");
  int64_t created = 0;
  f.Int(kHCreated, 0, int64_t(1) << 40, created, "time");
  f.Text(kHLang, kMaxListItem, pre.language, "language");
  f.Text(kHAddress, kMaxLongText, h.address, "address");
  f.Text(kHResidence, kMaxLongText, h.residence, "residence");
  f.Text(kHPhone, kMaxListItem, h.phone, "phone");
  f.Text(kHVehicle, kMaxShortText, h.vehicle, "vehicle");
  f.Text(kHDamage, kMaxShortText, h.house_damage, "damage");
  f.Text(kHNote, kMaxLongText, h.note, "note");
  if (f.error()) return *f.error();
  pre.created_s = created;
  auto* members = f.Get(kHMembers) ? f.Get(kHMembers)->as_array() : nullptr;
  if (!members || members->empty() || members->size() > kMaxMembers) return Bad("member list");
  for (size_t i = 0; i < members->size(); ++i) {
    SHELTER_ASSIGN_OR_RETURN(auto p, DecodeMember((*members)[i], i, pre.warnings));
    h.members.push_back(std::move(p));
  }
  if (auto* v = f.Get(kHPets)) {
    auto* pets = v->as_array();
    if (!pets || pets->size() > kMaxPets) return Bad("pet list");
    for (auto& e : *pets) {
      auto* a = e.as_array();
      if (!a || a->size() != 3) return Bad("pet");
      auto* kind = (*a)[0].as_text();
      auto* count = (*a)[1].as_int();
      auto* mode = (*a)[2].as_int();
      if (!kind || kind->empty() || kind->size() > kMaxListItem || !count || *count < 1 ||
          *count > 99 || !mode || (*mode != 0 && *mode != 1))
        return Bad("pet");
      h.pets.push_back({*kind, static_cast<int>(*count), *mode ? "together" : "with"});
    }
  }
  return pre;
}

}  // namespace shelter::core
