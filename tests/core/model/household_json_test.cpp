// `register` input: household JSON is refused when it hides something a reviewer would not see
// (a key given twice, NUL or control characters) or is larger than the limit.
#include <doctest/doctest.h>

#include <string>

#include "core/model/household_json.hpp"

namespace shelter::core {
namespace {

std::string Member(const std::string& name_json) {
  return R"({"members":[{"name":)" + name_json + R"(,"kana":"やまだ たろう"}]})";
}

TEST_CASE("household json: a key given twice in one object is refused") {
  auto twice = HouseholdFromJson(
      R"({"members":[{"name":"山田 太郎","kana":"やまだ たろう","name":"別人"}]})");
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == ErrorCode::kParse);
  CHECK_MESSAGE(twice.error().detail.find("\"name\" twice") != std::string::npos,
                twice.error().detail);
  CHECK(twice.error().detail.find("別人") == std::string::npos);  // no values echoed
  auto top = HouseholdFromJson(R"({"address":"a","members":[],"address":"b"})");
  REQUIRE_FALSE(top.ok());
  CHECK(top.error().code == ErrorCode::kParse);
  auto consent =
      HouseholdFromJson(R"({"members":[{"name":"x","consent":{"public":false,"public":true}}]})");
  REQUIRE_FALSE(consent.ok());
  CHECK(consent.error().code == ErrorCode::kParse);
  // The same key in two different objects is fine.
  auto ok = HouseholdFromJson(R"({"members":[{"name":"a","kana":"あ"},{"name":"b","kana":"い"}]})");
  CHECK_MESSAGE(ok.ok(), ok.error().ToString());
}

TEST_CASE("household json: NUL and control characters in strings are refused") {
  for (const char* bad : {R"("山田\u0000太郎")", R"("山田\u001b[2J")", R"("a\rb")", R"("a\nb")",
                          R"("a\u007fb")", R"("a\u0085b")", R"("a\tb")"}) {
    CAPTURE(bad);
    auto r = HouseholdFromJson(Member(bad));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kInvalidArgument);
    CHECK_MESSAGE(r.error().detail.find("control character") != std::string::npos,
                  r.error().detail);
  }
  auto needs = HouseholdFromJson(R"({"members":[{"name":"x","needs":["ELD\u0000"]}]})");
  REQUIRE_FALSE(needs.ok());
  auto address = HouseholdFromJson(R"({"address":"麹町\u0007","members":[{"name":"x"}]})");
  REQUIRE_FALSE(address.ok());
  // A note is free text: line breaks and tabs are allowed there, other controls are not.
  auto note = HouseholdFromJson(R"({"note":"1行目\n2行目\tです","members":[{"name":"x"}]})");
  CHECK_MESSAGE(note.ok(), note.error().ToString());
  auto note_nul = HouseholdFromJson(R"({"note":"a\u0000","members":[{"name":"x"}]})");
  CHECK_FALSE(note_nul.ok());
}

TEST_CASE("household json: a document over the limit is refused before parsing") {
  std::string big = Member("\"x\"");
  big.insert(big.size() - 1, std::string(kMaxHouseholdJsonBytes, ' '));
  auto r = HouseholdFromJson(big);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kInvalidArgument);
  CHECK(r.error().detail.find("larger than") != std::string::npos);
}

}  // namespace
}  // namespace shelter::core
