// The part of a frame to redraw, as a few rectangles: two buttons that change at opposite ends of
// the screen are two small rectangles, not one box over everything between them. Pure logic, no
// ImGui or SDL; one instance per frame, not thread-safe.
#pragma once

#include <cstddef>
#include <vector>

namespace shelter::ui {

struct PixelRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // [x0, x1) × [y0, y1)
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  long long area() const { return empty() ? 0 : 1LL * (x1 - x0) * (y1 - y0); }
};

class DamageRegion {
 public:
  // At most `max_rects` rectangles are kept; each one costs a pass over the draw data.
  explicit DamageRegion(size_t max_rects = 4) : max_(max_rects < 1 ? 1 : max_rects) {}

  // Adds `r`. Rectangles that overlap or touch become their union; beyond `max_rects`, the two
  // whose union adds the least area are merged.
  void Add(PixelRect r);
  const std::vector<PixelRect>& rects() const { return rects_; }
  bool empty() const { return rects_.empty(); }
  // Pixels covered, counting an overlap once per rectangle (an upper bound of the redraw).
  long long area() const;

 private:
  size_t max_;
  std::vector<PixelRect> rects_;
};

}  // namespace shelter::ui
