// Validation of a household draft (entities.hpp): every problem with the field it belongs to, so
// a form can show each beside its field, and the first one as the Error older callers read.
#include <chrono>
#include <cstdio>

#include "core/model/entities.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

constexpr size_t kMaxMembers = 50;
constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxPetKindBytes = 64;

// Hiragana, katakana (with ー ・ and the small and historical forms), half-width katakana and
// spaces: what a ふりがな field holds. Anything else belongs in the name.
bool IsKanaText(std::string_view utf8) {
  for (char32_t c : DecodeUtf8Lossy(utf8)) {
    bool kana = (c >= 0x3041 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF) ||
                (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF65 && c <= 0xFF9F);
    if (!kana && c != U' ' && c != 0x3000) return false;
  }
  return true;
}

// Today in Japan (UTC+9) as YYYY-MM-DD: a birth date after it is a typing error.
std::string TodayInJapan() {
  auto now = std::chrono::system_clock::now() + std::chrono::hours(9);
  std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(now)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

void MemberProblems(const Person& p, int i, const std::string& today,
                    std::vector<FieldProblem>& out) {
  auto add = [&](const char* f, const char* code, const char* detail) {
    out.push_back({i, -1, f, code, detail});
  };
  if (p.name.empty() && p.kana.empty()) add(field::kName, "required", "name or kana is required");
  if (p.name.size() > kMaxNameBytes) add(field::kName, "too_long", "name is too long");
  if (p.kana.size() > kMaxNameBytes) add(field::kKana, "too_long", "name is too long");
  if (!IsValidUtf8(p.name)) add(field::kName, "not_utf8", "name is not valid UTF-8");
  if (!IsValidUtf8(p.kana))
    add(field::kKana, "not_utf8", "name is not valid UTF-8");
  else if (!IsKanaText(p.kana))
    add(field::kKana, "not_kana",
        "kana must be hiragana or katakana (other scripts go in the name)");
  if (!p.dob.empty()) {
    auto d = NormalizeDate(p.dob, false);
    if (!d.ok() || *d != p.dob)
      add(field::kDob, "bad_date", "date of birth must be a valid YYYY-MM-DD date");
    else if (p.dob > today)
      add(field::kDob, "future_date", "date of birth is in the future");
  }
  if (!IsSex(p.sex))
    add(field::kSex, "unknown_code", "sex must be male, female, other or unanswered");
  for (auto& n : p.needs)
    if (!IsNeedCode(n)) {
      add(field::kNeeds, "unknown_code", "unknown need code (see the list in core/FORMATS.md)");
      break;
    }
  if (p.care_level < 0 || p.care_level > 5)
    add(field::kCareLevel, "out_of_range", "care level must be 0..5");
}

void PetProblems(const Pet& pet, int i, std::vector<FieldProblem>& out) {
  auto add = [&](const char* f, const char* code, const char* detail) {
    out.push_back({-1, i, f, code, detail});
  };
  if (pet.kind.empty()) add("kind", "required", "a pet needs a kind");
  if (pet.kind.size() > kMaxPetKindBytes) add("kind", "too_long", "pet kind is too long");
  if (!IsValidUtf8(pet.kind)) add("kind", "not_utf8", "pet kind is not valid UTF-8");
  if (pet.count < 1 || pet.count > 99) add("count", "out_of_range", "pet count must be 1..99");
  if (!pet.mode.empty() && pet.mode != "with" && pet.mode != "together")
    add("mode", "unknown_code", "pet mode must be with (同行) or together (同伴)");
}

}  // namespace

std::vector<FieldProblem> HouseholdProblems(const Household& h) {
  std::vector<FieldProblem> out;
  if (h.members.empty())
    out.push_back({-1, -1, "members", "no_members", "a household needs at least one member"});
  if (h.members.size() > kMaxMembers)
    out.push_back({-1, -1, "members", "too_many_members", "a household has at most 50 members"});
  const std::pair<const char*, const std::string*> texts[] = {{field::kAddress, &h.address},
                                                              {field::kResidence, &h.residence},
                                                              {field::kPhone, &h.phone},
                                                              {field::kVehicle, &h.vehicle},
                                                              {field::kNote, &h.note}};
  for (auto& [name, text] : texts)
    if (!IsValidUtf8(*text))
      out.push_back({-1, -1, name, "not_utf8", "household text is not valid UTF-8"});
  const std::string today = TodayInJapan();
  for (size_t i = 0; i < h.members.size() && i < kMaxMembers; ++i)
    MemberProblems(h.members[i], static_cast<int>(i), today, out);
  for (size_t i = 0; i < h.pets.size(); ++i) PetProblems(h.pets[i], static_cast<int>(i), out);
  return out;
}

std::string DescribeProblem(const FieldProblem& p) {
  std::string where;
  if (p.member >= 0) where = "member " + std::to_string(p.member + 1) + ": ";
  if (p.pet >= 0) where = "pet " + std::to_string(p.pet + 1) + ": ";
  return where + p.detail;
}

Status ValidateHousehold(const Household& h) {
  auto problems = HouseholdProblems(h);
  if (problems.empty()) return Ok();
  return MakeError(ErrorCode::kInvalidArgument, DescribeProblem(problems.front()));
}

}  // namespace shelter::core
