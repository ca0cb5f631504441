// Damage assessments (住家被害認定調査) and disasters as op-log records. Each survey is its own
// record; a later survey (2次, 再調査) names the one it supersedes, so the history is kept and
// the current result is the newest survey nobody superseded. One thread at a time (like Node).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/log/op.hpp"
#include "core/model/damage.hpp"
#include "core/model/record_state.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

namespace field {  // wire names; never rename (core/FORMATS.md)
inline constexpr const char* kLevel = "level";
inline constexpr const char* kFlood = "flood";
inline constexpr const char* kStage = "stage";
inline constexpr const char* kSurveyor = "surveyor";
inline constexpr const char* kSite = "site";
inline constexpr const char* kPrev = "prev";
inline constexpr const char* kDisaster = "disaster";
}  // namespace field

struct Disaster {
  Id16 id;
  std::string name;  // e.g. 令和7年8月の大雨
  std::string date;  // YYYY-MM-DD (罹災日)
  std::string kind;  // one of kDisasterKinds
};

// The kinds a disaster may have (`disaster add --kind`).
inline constexpr const char* kDisasterKinds[] = {"earthquake", "tsunami", "flood", "typhoon",
                                                 "landslide",  "volcano", "fire",  "other"};

struct Assessment {
  Id16 id;
  Id16 household;
  Id16 disaster;
  DamageLevel level = DamageLevel::kBelowJunHankai;
  Flood flood = Flood::kNone;
  SurveyStage stage = SurveyStage::kFirst;
  std::string surveyor;  // staff handle or team name; not a resident
  std::string date;      // YYYY-MM-DD
  std::string site;      // 被災住家の所在地 (empty: the household's address)
  std::string note;
  Id16 prev;  // the survey this one supersedes (zero for the first)
  int64_t at_ms = 0;
};

std::vector<FieldWrite> DisasterFields(const Disaster& d);
Disaster DisasterFromRecord(const RecordState& r);
std::vector<FieldWrite> AssessmentFields(const Assessment& a);
Assessment AssessmentFromRecord(const RecordState& r);

// Lead or admin: records a disaster in the municipality scope. Returns its id. kInvalidArgument
// (listing the kinds) for a kind not in kDisasterKinds, a bad date or a missing name.
Result<Id16> AddDisaster(Node& node, Disaster d);
Result<std::vector<Disaster>> ListDisasters(Node& node);
// Finds a disaster by hex id or exact name. kNotFound otherwise.
Result<Disaster> FindDisaster(Node& node, std::string_view id_or_name);

// Records a survey of a household's house, in the household's scope. When the household already
// has a current assessment, the new one supersedes it (a.prev is set) — also for a first-stage
// survey recorded twice. kInvalidArgument for a bad date or missing disaster, kNotFound for an
// unknown household. Returns the new record's id.
Result<Id16> RecordAssessment(Node& node, Assessment a);
// Every survey of the household, oldest first.
Result<std::vector<Assessment>> AssessmentHistory(Node& node, const Id16& household);
// The newest survey that no other survey supersedes; nullopt when there is none.
Result<std::optional<Assessment>> CurrentAssessment(Node& node, const Id16& household);

}  // namespace shelter::core
