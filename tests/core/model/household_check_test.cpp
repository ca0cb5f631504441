// Tests for core/model/household_check: every problem of a draft comes with its member, field and
// code (what a form shows beside the field), all of them at once, and ValidateHousehold still
// names the first in English for callers that print it.
#include <doctest/doctest.h>

#include <string>

#include "core/model/entities.hpp"

namespace shelter::core {
namespace {

Person Taro() {
  Person p;
  p.name = "山田 太郎";
  p.kana = "やまだ たろう";
  p.dob = "1960-05-05";
  p.sex = "male";
  return p;
}

bool Has(const std::vector<FieldProblem>& ps, int member, const std::string& field,
         const std::string& code, int pet = -1) {
  for (auto& p : ps)
    if (p.member == member && p.pet == pet && p.field == field && p.code == code) return true;
  return false;
}

TEST_CASE("household check: a good draft has no problems") {
  Household h;
  h.members = {Taro()};
  h.pets = {{"犬", 1, "with"}, {"cat", 2, ""}};
  CHECK(HouseholdProblems(h).empty());
  CHECK(ValidateHousehold(h).ok());
}

TEST_CASE("household check: each problem names its member, field and code, all at once") {
  Household h;
  Person nameless;  // no name, no kana
  nameless.dob = "1970-02-30";
  Person second = Taro();
  second.kana = "Taro";
  second.dob = "2199-01-01";
  second.sex = "f";
  second.needs = {"ELD", "XYZ"};
  second.care_level = 7;
  h.members = {nameless, second};
  auto ps = HouseholdProblems(h);
  CHECK(Has(ps, 0, "name", "required"));
  CHECK(Has(ps, 0, "dob", "bad_date"));
  CHECK(Has(ps, 1, "kana", "not_kana"));
  CHECK(Has(ps, 1, "dob", "future_date"));
  CHECK(Has(ps, 1, "sex", "unknown_code"));
  CHECK(Has(ps, 1, "needs", "unknown_code"));
  CHECK(Has(ps, 1, "care", "out_of_range"));
  CHECK(ps.size() == 7);
  for (auto& p : ps) {
    CAPTURE(p.detail);
    CHECK(p.detail.find("Taro") == std::string::npos);  // never the value
    CHECK_FALSE(p.detail.empty());
  }
  // The first one, in English with the member number, for callers that print an Error.
  Status s = ValidateHousehold(h);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kInvalidArgument);
  CHECK(s.error().detail == "member 1: name or kana is required");
}

TEST_CASE("household check: the household's own problems and its pets'") {
  Household empty;
  auto ps = HouseholdProblems(empty);
  REQUIRE(ps.size() == 1);
  CHECK(Has(ps, -1, "members", "no_members"));

  Household h;
  h.members = {Taro()};
  h.address = std::string("\xff\xfe", 2);
  h.pets = {{"", 1, "with"}, {"dog", 0, "inside"}, {std::string(65, 'x'), 100, "together"}};
  ps = HouseholdProblems(h);
  CHECK(Has(ps, -1, "addr", "not_utf8"));
  CHECK(Has(ps, -1, "kind", "required", 0));
  CHECK(Has(ps, -1, "count", "out_of_range", 1));
  CHECK(Has(ps, -1, "mode", "unknown_code", 1));
  CHECK(Has(ps, -1, "kind", "too_long", 2));
  CHECK(Has(ps, -1, "count", "out_of_range", 2));
  CHECK(ps.size() == 6);
  Household pets_only = h;
  pets_only.address.clear();
  CHECK(ValidateHousehold(pets_only).error().detail == "pet 1: a pet needs a kind");
}

}  // namespace
}  // namespace shelter::core
