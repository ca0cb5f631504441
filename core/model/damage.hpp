// House-damage vocabulary shared by assessments and certificates: the six 被害の程度 of the
// 被害認定基準 (wire codes 0-5 in the order of datamodel §2.3), 浸水区分 and survey stages.
// Pure functions over constant tables; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/base/result.hpp"

namespace shelter::core {

enum class DamageLevel : uint8_t {
  kZenkai = 0,          // 全壊
  kDaikiboHankai = 1,   // 大規模半壊
  kChukiboHankai = 2,   // 中規模半壊
  kHankai = 3,          // 半壊
  kJunHankai = 4,       // 準半壊
  kBelowJunHankai = 5,  // 準半壊に至らない（一部損壊）
};
enum class Flood : uint8_t { kNone = 0, kAboveFloor = 1, kBelowFloor = 2 };  // 床上 / 床下
enum class SurveyStage : uint8_t { kFirst = 1, kSecond = 2, kResurvey = 3 };  // 1次 / 2次 / 再調査

const char* DamageLevelName(DamageLevel l);      // zenkai, daikibo_hankai, ... (CLI, JSON)
const char* DamageLevelJapanese(DamageLevel l);  // 全壊, 大規模半壊, ...
const char* FloodName(Flood f);                  // none, above_floor, below_floor
const char* FloodJapanese(Flood f);              // "", 床上浸水, 床下浸水
const char* SurveyStageName(SurveyStage s);      // first, second, resurvey
const char* SurveyStageJapanese(SurveyStage s);  // 第1次調査, 第2次調査, 再調査

// Each accepts the English wire name or the Japanese term; kInvalidArgument otherwise.
Result<DamageLevel> ParseDamageLevel(std::string_view s);
Result<Flood> ParseFlood(std::string_view s);
Result<SurveyStage> ParseSurveyStage(std::string_view s);
bool IsDamageLevelCode(int64_t v);
bool IsFloodCode(int64_t v);
bool IsSurveyStageCode(int64_t v);

}  // namespace shelter::core
