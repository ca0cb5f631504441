#include "core/model/household_json.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <vector>

#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

using json = nlohmann::json;

Error Bad(const std::string& where, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, where + what);
}

Status CheckKeys(const json& obj, const std::set<std::string>& allowed, const std::string& where) {
  for (auto& [k, v] : obj.items())
    if (!allowed.count(k)) return Bad(where, "unknown key \"" + k.substr(0, 40) + "\"");
  return Ok();
}

// Valid UTF-8 without control characters (C0, DEL, C1: a NUL cuts a name short in C strings and
// print drivers, others garble screens and CSV exports); free text may hold line breaks and tabs.
Status CheckText(const std::string& s, const char* key, bool free_text, const std::string& where) {
  if (!IsValidUtf8(s)) return Bad(where, std::string("\"") + key + "\" is not valid UTF-8");
  for (char32_t c : DecodeUtf8Lossy(s)) {
    if (free_text && (c == '\n' || c == '\t')) continue;
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
      return Bad(where, std::string("\"") + key + "\" holds a control character");
  }
  return Ok();
}

Status GetText(const json& obj, const char* key, std::string& out, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Ok();
  if (!it->is_string()) return Bad(where, std::string("\"") + key + "\" must be a string");
  out = it->get<std::string>();
  if (out.size() > 1000) return Bad(where, std::string("\"") + key + "\" is too long");
  return CheckText(out, key, std::string_view(key) == "note", where);
}

Status GetBool(const json& obj, const char* key, bool& out, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Ok();
  if (!it->is_boolean()) return Bad(where, std::string("\"") + key + "\" must be true or false");
  out = it->get<bool>();
  return Ok();
}

Status GetInt(const json& obj, const char* key, int& out, int lo, int hi,
              const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Ok();
  if (!it->is_number_integer() || it->get<int64_t>() < lo || it->get<int64_t>() > hi)
    return Bad(where, std::string("\"") + key + "\" must be a whole number from " +
                          std::to_string(lo) + " to " + std::to_string(hi));
  out = static_cast<int>(it->get<int64_t>());
  return Ok();
}

Status GetList(const json& obj, const char* key, std::vector<std::string>& out,
               const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Ok();
  if (!it->is_array() || it->size() > 64)
    return Bad(where, std::string("\"") + key + "\" must be a list of strings");
  for (auto& e : *it) {
    if (!e.is_string()) return Bad(where, std::string("\"") + key + "\" must be a list of strings");
    out.push_back(e.get<std::string>());
    if (out.back().size() > 1000) return Bad(where, std::string("\"") + key + "\" is too long");
    SHELTER_TRY(CheckText(out.back(), key, false, where));
  }
  return Ok();
}

Result<Person> MemberFromJson(const json& m, size_t index, bool& is_head) {
  std::string where = "member " + std::to_string(index + 1) + ": ";
  if (!m.is_object()) return Bad(where, "must be an object");
  SHELTER_TRY(CheckKeys(
      m,
      {"name", "kana", "dob", "sex", "relationship", "nationality", "language", "phone", "note",
       "needs", "allergies", "care_level", "evac_support", "consent", "source", "head"},
      where));
  Person p;
  p.id = Id16::Random();
  SHELTER_TRY(GetText(m, "name", p.name, where));
  SHELTER_TRY(GetText(m, "kana", p.kana, where));
  std::string dob;
  SHELTER_TRY(GetText(m, "dob", dob, where));
  if (!dob.empty()) {
    auto d = NormalizeDate(dob, false);
    if (!d.ok()) return Bad(where, "\"dob\" is not a valid date (use YYYY-MM-DD)");
    p.dob = *d;
  }
  SHELTER_TRY(GetText(m, "sex", p.sex, where));
  if (p.sex.empty()) p.sex = "unanswered";
  SHELTER_TRY(GetText(m, "relationship", p.relationship, where));
  SHELTER_TRY(GetText(m, "nationality", p.nationality, where));
  SHELTER_TRY(GetText(m, "language", p.language, where));
  SHELTER_TRY(GetText(m, "phone", p.phone, where));
  SHELTER_TRY(GetText(m, "note", p.note, where));
  SHELTER_TRY(GetList(m, "needs", p.needs, where));
  SHELTER_TRY(GetList(m, "allergies", p.allergies, where));
  SHELTER_TRY(GetInt(m, "care_level", p.care_level, 0, 5, where));
  SHELTER_TRY(GetBool(m, "evac_support", p.evac_support, where));
  SHELTER_TRY(GetText(m, "source", p.source, where));
  if (p.source.empty()) p.source = "manual";
  if (p.source != "card" && p.source != "qr" && p.source != "manual" && p.source != "paper")
    return Bad(where, "\"source\" must be card, qr, manual or paper");
  is_head = false;
  SHELTER_TRY(GetBool(m, "head", is_head, where));
  if (auto c = m.find("consent"); c != m.end() && !c->is_null()) {
    if (!c->is_object()) return Bad(where, "\"consent\" must be an object");
    SHELTER_TRY(
        CheckKeys(*c, {"family", "acquaintance", "public", "third_party"}, where + "consent: "));
    SHELTER_TRY(GetBool(*c, "family", p.consent.family, where));
    SHELTER_TRY(GetBool(*c, "acquaintance", p.consent.acquaintance, where));
    SHELTER_TRY(GetBool(*c, "public", p.consent.to_public, where));
    SHELTER_TRY(GetBool(*c, "third_party", p.consent.third_party, where));
  }
  return p;
}

}  // namespace

Result<Household> HouseholdFromJson(std::string_view text) {
  if (text.size() > kMaxHouseholdJsonBytes)
    return Bad("",
               "household is larger than " + std::to_string(kMaxHouseholdJsonBytes >> 10) + " KiB");
  // nlohmann keeps the last of two equal keys silently: a second "name" would replace the one a
  // reviewer saw. The callback keeps the keys of each open object and flags a repeat.
  std::vector<std::set<std::string>> open_objects;
  std::string repeated;
  json::parser_callback_t on_event = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.empty() && repeated.empty() &&
        !open_objects.back().insert(parsed.get<std::string>()).second)
      repeated = parsed.get<std::string>();
    return true;
  };
  json doc = json::parse(text.begin(), text.end(), on_event, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return MakeError(ErrorCode::kParse, "household is not valid JSON");
  if (!repeated.empty())
    return MakeError(ErrorCode::kParse, "household JSON gives the key \"" + repeated.substr(0, 40) +
                                            "\" twice in one object");
  if (!doc.is_object()) return Bad("", "household must be a JSON object");
  SHELTER_TRY(CheckKeys(
      doc, {"address", "residence", "phone", "vehicle", "house_damage", "note", "pets", "members"},
      ""));
  Household h;
  h.id = Id16::Random();
  SHELTER_TRY(GetText(doc, "address", h.address, ""));
  SHELTER_TRY(GetText(doc, "residence", h.residence, ""));
  SHELTER_TRY(GetText(doc, "phone", h.phone, ""));
  SHELTER_TRY(GetText(doc, "vehicle", h.vehicle, ""));
  SHELTER_TRY(GetText(doc, "house_damage", h.house_damage, ""));
  SHELTER_TRY(GetText(doc, "note", h.note, ""));
  if (auto pets = doc.find("pets"); pets != doc.end() && !pets->is_null()) {
    if (!pets->is_array() || pets->size() > 20) return Bad("", "\"pets\" must be a list");
    for (auto& p : *pets) {
      if (!p.is_object()) return Bad("pets: ", "each pet must be an object");
      SHELTER_TRY(CheckKeys(p, {"kind", "count", "mode"}, "pets: "));
      Pet pet;
      SHELTER_TRY(GetText(p, "kind", pet.kind, "pets: "));
      SHELTER_TRY(GetInt(p, "count", pet.count, 1, 99, "pets: "));
      SHELTER_TRY(GetText(p, "mode", pet.mode, "pets: "));
      if (!pet.mode.empty() && pet.mode != "with" && pet.mode != "together")
        return Bad("pets: ", "\"mode\" must be \"with\" (同行) or \"together\" (同伴)");
      h.pets.push_back(std::move(pet));
    }
  }
  auto members = doc.find("members");
  if (members == doc.end() || !members->is_array())
    return Bad("", "\"members\" must be a list of people");
  if (members->size() > 50) return Bad("", "a household has at most 50 members");
  for (size_t i = 0; i < members->size(); ++i) {
    bool head = false;
    SHELTER_ASSIGN_OR_RETURN(Person p, MemberFromJson((*members)[i], i, head));
    p.household = h.id;
    if (head || h.head.IsZero()) h.head = p.id;
    h.members.push_back(std::move(p));
  }
  SHELTER_TRY(ValidateHousehold(h));
  return h;
}

std::string HouseholdToJson(const Household& h, bool pretty) {
  json out = {{"id", h.id.Hex()},
              {"shelter", h.shelter.Hex()},
              {"address", h.address},
              {"residence", h.residence},
              {"phone", h.phone},
              {"vehicle", h.vehicle},
              {"house_damage", h.house_damage},
              {"note", h.note}};
  out["pets"] = json::array();
  for (auto& p : h.pets)
    out["pets"].push_back({{"kind", p.kind}, {"count", p.count}, {"mode", p.mode}});
  out["members"] = json::array();
  // A draft (ids not assigned yet) names its head by relationship, else the first member.
  size_t draft_head = 0;
  for (size_t i = 0; i < h.members.size(); ++i)
    if (h.members[i].relationship == "head") {
      draft_head = i;
      break;
    }
  for (size_t i = 0; i < h.members.size(); ++i) {
    const Person& p = h.members[i];
    bool head = h.head.IsZero() ? i == draft_head : p.id == h.head;
    out["members"].push_back({{"id", p.id.Hex()},
                              {"name", p.name},
                              {"kana", p.kana},
                              {"dob", p.dob},
                              {"sex", p.sex},
                              {"relationship", p.relationship},
                              {"nationality", p.nationality},
                              {"language", p.language},
                              {"phone", p.phone},
                              {"note", p.note},
                              {"needs", p.needs},
                              {"allergies", p.allergies},
                              {"care_level", p.care_level},
                              {"evac_support", p.evac_support},
                              {"consent",
                               {{"family", p.consent.family},
                                {"acquaintance", p.consent.acquaintance},
                                {"public", p.consent.to_public},
                                {"third_party", p.consent.third_party}}},
                              {"source", p.source},
                              {"head", head}});
  }
  return out.dump(pretty ? 2 : -1, ' ', false, json::error_handler_t::replace);
}

}  // namespace shelter::core
