#include "core/model/damage.hpp"

#include <string>

namespace shelter::core {
namespace {

struct Term {
  const char* name;
  const char* japanese;
};
constexpr Term kLevels[] = {{"zenkai", "全壊"},
                            {"daikibo_hankai", "大規模半壊"},
                            {"chukibo_hankai", "中規模半壊"},
                            {"hankai", "半壊"},
                            {"jun_hankai", "準半壊"},
                            {"below_jun_hankai", "準半壊に至らない（一部損壊）"}};
constexpr Term kFloods[] = {{"none", ""}, {"above_floor", "床上浸水"}, {"below_floor", "床下浸水"}};
constexpr Term kStages[] = {
    {"first", "第1次調査"}, {"second", "第2次調査"}, {"resurvey", "再調査"}};

template <size_t N>
int Find(const Term (&terms)[N], std::string_view s) {
  for (size_t i = 0; i < N; ++i)
    if (s == terms[i].name || (*terms[i].japanese && s == terms[i].japanese)) return int(i);
  return -1;
}

}  // namespace

const char* DamageLevelName(DamageLevel l) { return kLevels[static_cast<int>(l)].name; }
const char* DamageLevelJapanese(DamageLevel l) { return kLevels[static_cast<int>(l)].japanese; }
const char* FloodName(Flood f) { return kFloods[static_cast<int>(f)].name; }
const char* FloodJapanese(Flood f) { return kFloods[static_cast<int>(f)].japanese; }
const char* SurveyStageName(SurveyStage s) { return kStages[static_cast<int>(s) - 1].name; }
const char* SurveyStageJapanese(SurveyStage s) { return kStages[static_cast<int>(s) - 1].japanese; }

bool IsDamageLevelCode(int64_t v) { return v >= 0 && v <= 5; }
bool IsFloodCode(int64_t v) { return v >= 0 && v <= 2; }
bool IsSurveyStageCode(int64_t v) { return v >= 1 && v <= 3; }

Result<DamageLevel> ParseDamageLevel(std::string_view s) {
  int i = Find(kLevels, s);
  if (i < 0 && (s == "一部損壊" || s == "準半壊に至らない")) i = 5;
  if (i < 0)
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown damage level (zenkai, daikibo_hankai, chukibo_hankai, hankai, "
                     "jun_hankai, below_jun_hankai)");
  return static_cast<DamageLevel>(i);
}

Result<Flood> ParseFlood(std::string_view s) {
  int i = Find(kFloods, s);
  if (i < 0 && s == "床上") i = 1;
  if (i < 0 && s == "床下") i = 2;
  if (i < 0)
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown flood class (none, above_floor, below_floor)");
  return static_cast<Flood>(i);
}

Result<SurveyStage> ParseSurveyStage(std::string_view s) {
  int i = Find(kStages, s);
  if (i < 0 && s == "1次") i = 0;
  if (i < 0 && s == "2次") i = 1;
  if (i < 0)
    return MakeError(ErrorCode::kInvalidArgument, "unknown survey stage (first, second, resurvey)");
  return static_cast<SurveyStage>(i + 1);
}

}  // namespace shelter::core
