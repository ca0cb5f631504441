// The layout check behind `audit` in event scripts: from the item rectangles App::Mark kept for
// the last frame, every widget a user may need is reachable (inside its window's visible part,
// or in a window that scrolls to it) and no button's label is wider than the button. Measured
// from Dear ImGui's rectangles, not by eye. UI thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ui/app.hpp"

namespace shelter::ui {

struct LayoutProblem {
  std::string id;
  std::string what;  // "cut at the right", "label clipped", ...
  float px = 0;      // by how much
};

// Problems in `marks` on a display of `display_w` x `display_h` pixels; empty when all is well.
std::vector<LayoutProblem> AuditLayout(const std::map<std::string, MarkRect>& marks,
                                       float display_w, float display_h);

}  // namespace shelter::ui
