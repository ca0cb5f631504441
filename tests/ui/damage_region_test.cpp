#include "ui/damage_region.hpp"

#include <doctest/doctest.h>

using shelter::ui::DamageRegion;
using shelter::ui::PixelRect;

TEST_CASE("damage: two buttons at opposite corners stay two small rectangles") {
  DamageRegion d;
  d.Add({10, 10, 110, 60});
  d.Add({1100, 700, 1200, 760});
  REQUIRE(d.rects().size() == 2);
  CHECK(d.area() == 100 * 50 + 100 * 60);
  d.Add({0, 0, 0, 5});  // empty: nothing
  CHECK(d.rects().size() == 2);
}

TEST_CASE("damage: a rectangle touching two others joins both into one") {
  DamageRegion d;
  d.Add({0, 0, 10, 10});
  d.Add({20, 0, 30, 10});
  REQUIRE(d.rects().size() == 2);
  d.Add({10, 0, 20, 4});  // touches the first on its left edge and the second on its right
  REQUIRE(d.rects().size() == 1);
  CHECK(d.rects()[0].x0 == 0);
  CHECK(d.rects()[0].x1 == 30);
  CHECK(d.rects()[0].y1 == 10);
}

TEST_CASE("damage: over the cap, the pair whose union adds least is merged, nothing is lost") {
  DamageRegion d(2);
  d.Add({0, 0, 10, 10});
  d.Add({12, 0, 22, 10});       // near the first
  d.Add({500, 500, 510, 510});  // far away
  REQUIRE(d.rects().size() == 2);
  bool far_kept = false, near_merged = false;
  for (const PixelRect& r : d.rects()) {
    if (r.x0 == 500 && r.x1 == 510) far_kept = true;
    if (r.x0 == 0 && r.x1 == 22) near_merged = true;
  }
  CHECK(far_kept);
  CHECK(near_merged);
  // Every pixel added is still covered.
  for (PixelRect p :
       {PixelRect{0, 0, 1, 1}, PixelRect{21, 9, 22, 10}, PixelRect{505, 505, 506, 506}}) {
    bool covered = false;
    for (const PixelRect& r : d.rects())
      covered |= r.x0 <= p.x0 && p.x1 <= r.x1 && r.y0 <= p.y0 && p.y1 <= r.y1;
    CHECK(covered);
  }
}
