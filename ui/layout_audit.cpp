#include "ui/layout_audit.hpp"

#include <algorithm>

namespace shelter::ui {

namespace {

constexpr float kTolerancePx = 1.0f;  // rounding of ImGui's layout

}  // namespace

std::vector<LayoutProblem> AuditLayout(const std::map<std::string, MarkRect>& marks,
                                       float display_w, float display_h) {
  std::vector<LayoutProblem> out;
  for (const auto& [id, m] : marks) {
    // Marks of values ("tile.in_shelter=12") repeat their widget's rectangle.
    if (id.find('=') != std::string::npos) continue;
    float left = m.clip_min.x - m.min.x, right = m.max.x - m.clip_max.x;
    float top = m.clip_min.y - m.min.y, bottom = m.max.y - m.clip_max.y;
    if (!m.scrolls_x) {
      if (right > kTolerancePx) out.push_back({id, "cut at the right", right});
      if (left > kTolerancePx) out.push_back({id, "cut at the left", left});
    }
    if (!m.scrolls_y) {
      if (bottom > kTolerancePx) out.push_back({id, "cut at the bottom, nothing scrolls", bottom});
      if (top > kTolerancePx) out.push_back({id, "cut at the top, nothing scrolls", top});
    }
    // Whatever scrolls, a widget wider than the screen can never be seen whole.
    if (m.max.x - m.min.x > display_w + kTolerancePx)
      out.push_back({id, "wider than the screen", m.max.x - m.min.x - display_w});
    if (m.max.y - m.min.y > display_h + kTolerancePx)
      out.push_back({id, "taller than the screen", m.max.y - m.min.y - display_h});
    if (m.label_overflow > kTolerancePx) out.push_back({id, "label clipped", m.label_overflow});
  }
  return out;
}

}  // namespace shelter::ui
