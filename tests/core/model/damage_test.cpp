// Tests for core/model/damage: the 被害の程度, 浸水区分 and survey-stage vocabularies read back
// from their English wire names, their Japanese terms and the short forms staff type.
#include "core/model/damage.hpp"

#include <doctest/doctest.h>

#include <string>

namespace shelter::core {
namespace {

TEST_CASE("damage: the six levels keep their wire codes, names and Japanese terms") {
  struct {
    DamageLevel level;
    int code;
    const char* name;
    const char* japanese;
  } levels[] = {
      {DamageLevel::kZenkai, 0, "zenkai", "全壊"},
      {DamageLevel::kDaikiboHankai, 1, "daikibo_hankai", "大規模半壊"},
      {DamageLevel::kChukiboHankai, 2, "chukibo_hankai", "中規模半壊"},
      {DamageLevel::kHankai, 3, "hankai", "半壊"},
      {DamageLevel::kJunHankai, 4, "jun_hankai", "準半壊"},
      {DamageLevel::kBelowJunHankai, 5, "below_jun_hankai", "準半壊に至らない（一部損壊）"}};
  for (auto& l : levels) {
    CAPTURE(l.name);
    CHECK(static_cast<int>(l.level) == l.code);
    CHECK(IsDamageLevelCode(l.code));
    CHECK(std::string(DamageLevelName(l.level)) == l.name);
    CHECK(std::string(DamageLevelJapanese(l.level)) == l.japanese);
    auto by_name = ParseDamageLevel(l.name);
    REQUIRE(by_name.ok());
    CHECK(*by_name == l.level);
    auto by_term = ParseDamageLevel(l.japanese);
    REQUIRE(by_term.ok());
    CHECK(*by_term == l.level);
  }
  CHECK_FALSE(IsDamageLevelCode(-1));
  CHECK_FALSE(IsDamageLevelCode(6));
}

TEST_CASE("damage: 一部損壊 and 準半壊に至らない alone both mean the lowest level") {
  for (const char* s : {"一部損壊", "準半壊に至らない"}) {
    auto r = ParseDamageLevel(s);
    REQUIRE(r.ok());
    CHECK(*r == DamageLevel::kBelowJunHankai);
  }
}

TEST_CASE("damage: flood classes, with 床上 and 床下 as short forms") {
  CHECK(std::string(FloodName(Flood::kNone)) == "none");
  CHECK(std::string(FloodName(Flood::kAboveFloor)) == "above_floor");
  CHECK(std::string(FloodName(Flood::kBelowFloor)) == "below_floor");
  CHECK(std::string(FloodJapanese(Flood::kNone)).empty());  // nothing is printed without a flood
  CHECK(std::string(FloodJapanese(Flood::kAboveFloor)) == "床上浸水");
  CHECK(std::string(FloodJapanese(Flood::kBelowFloor)) == "床下浸水");
  CHECK(*ParseFlood("none") == Flood::kNone);
  CHECK(*ParseFlood("床上浸水") == Flood::kAboveFloor);
  CHECK(*ParseFlood("床上") == Flood::kAboveFloor);
  CHECK(*ParseFlood("床下浸水") == Flood::kBelowFloor);
  CHECK(*ParseFlood("below_floor") == Flood::kBelowFloor);
  CHECK_FALSE(ParseFlood("").ok());  // the empty Japanese term of kNone is not a spelling of it
  for (int v : {0, 1, 2}) CHECK(IsFloodCode(v));
  CHECK_FALSE(IsFloodCode(3));
  CHECK_FALSE(IsFloodCode(-1));
}

TEST_CASE("damage: survey stages count from 1, with 1次 and 2次 as short forms") {
  CHECK(static_cast<int>(SurveyStage::kFirst) == 1);
  CHECK(std::string(SurveyStageName(SurveyStage::kFirst)) == "first");
  CHECK(std::string(SurveyStageName(SurveyStage::kResurvey)) == "resurvey");
  CHECK(std::string(SurveyStageJapanese(SurveyStage::kSecond)) == "第2次調査");
  CHECK(*ParseSurveyStage("second") == SurveyStage::kSecond);
  CHECK(*ParseSurveyStage("第1次調査") == SurveyStage::kFirst);
  CHECK(*ParseSurveyStage("1次") == SurveyStage::kFirst);
  CHECK(*ParseSurveyStage("2次") == SurveyStage::kSecond);
  CHECK(*ParseSurveyStage("再調査") == SurveyStage::kResurvey);
  CHECK_FALSE(IsSurveyStageCode(0));
  CHECK(IsSurveyStageCode(3));
  CHECK_FALSE(IsSurveyStageCode(4));
}

TEST_CASE("damage: unknown words are refused with the accepted names in the detail") {
  auto level = ParseDamageLevel("destroyed");
  REQUIRE_FALSE(level.ok());
  CHECK(level.error().code == ErrorCode::kInvalidArgument);
  CHECK(level.error().detail.find("zenkai") != std::string::npos);
  for (const char* bad : {"Zenkai", "zenkai ", "全 壊", ""})
    CHECK_FALSE(ParseDamageLevel(bad).ok());
  auto flood = ParseFlood("flooded");
  REQUIRE_FALSE(flood.ok());
  CHECK(flood.error().code == ErrorCode::kInvalidArgument);
  auto stage = ParseSurveyStage("3次");
  REQUIRE_FALSE(stage.ok());
  CHECK(stage.error().code == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace shelter::core
