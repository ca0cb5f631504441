// What the search screen holds: the query typed and its results (re-read after a check-in or
// check-out from the list, dropped on log out). UI thread only.
#pragma once

#include <string>
#include <vector>

#include "core/model/state.hpp"

namespace shelter::ui {

struct SearchState {
  std::string query;
  std::vector<core::PersonSummary> results;
};

}  // namespace shelter::ui
