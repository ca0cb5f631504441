// DamageRegion (damage_region.hpp): merge on contact, then the cheapest pair while over the cap.
#include "ui/damage_region.hpp"

#include <algorithm>
#include <limits>

namespace shelter::ui {

namespace {

bool Touch(const PixelRect& a, const PixelRect& b) {
  return a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;
}

PixelRect Union(const PixelRect& a, const PixelRect& b) {
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

}  // namespace

void DamageRegion::Add(PixelRect r) {
  if (r.empty()) return;
  // A union may reach rectangles that did not touch `r` itself: repeat until none touches.
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i < rects_.size(); ++i)
      if (Touch(rects_[i], r)) {
        r = Union(rects_[i], r);
        rects_.erase(rects_.begin() + static_cast<std::ptrdiff_t>(i));
        merged = true;
        break;
      }
  }
  rects_.push_back(r);
  while (rects_.size() > max_) {
    size_t bi = 0, bj = 1;
    long long best = std::numeric_limits<long long>::max();
    for (size_t i = 0; i < rects_.size(); ++i)
      for (size_t j = i + 1; j < rects_.size(); ++j) {
        long long grow = Union(rects_[i], rects_[j]).area() - rects_[i].area() - rects_[j].area();
        if (grow < best) best = grow, bi = i, bj = j;
      }
    PixelRect u = Union(rects_[bi], rects_[bj]);
    rects_.erase(rects_.begin() + static_cast<std::ptrdiff_t>(bj));
    rects_.erase(rects_.begin() + static_cast<std::ptrdiff_t>(bi));
    Add(u);  // the union may now touch a third rectangle
  }
}

long long DamageRegion::area() const {
  long long a = 0;
  for (const PixelRect& r : rects_) a += r.area();
  return a;
}

}  // namespace shelter::ui
