// The damage-assessment screen's state (住家被害認定調査 of the open household): the disasters, the
// household's surveys and the form of the next one. UI thread only.
#pragma once

#include <string>
#include <vector>

#include "core/ops/assessment.hpp"

namespace shelter::ui {

struct AssessState {
  std::vector<core::Disaster> disasters;
  std::vector<core::Assessment> history;  // oldest first (core::AssessmentHistory)
  core::Id16 current;                     // the survey nobody superseded (zero: none)
  core::Assessment draft;                 // the next survey; household set when recorded
  std::string error;                      // core's refusal of the last save, in the UI language
};

}  // namespace shelter::ui
