#include "ui/window_plan.hpp"

#include <doctest/doctest.h>

using shelter::ui::DisplayInfo;
using shelter::ui::PlanWindow;
using shelter::ui::WindowMode;
using shelter::ui::WindowPlan;
using shelter::ui::WindowRequest;

TEST_CASE("window: a 1024x600 tablet gets the whole screen, not a 1280x800 window off its top") {
  WindowPlan p = PlanWindow(DisplayInfo{1024, 600, 170}, WindowRequest{});
  CHECK(p.fullscreen);
  CHECK(p.width == 1024);
  CHECK(p.height == 600);
  CHECK(p.ui_scale == doctest::Approx(170.0 / 160));
}

TEST_CASE("window: a desktop gets a resizable window filling the screen at the 160-dpi size") {
  WindowPlan p = PlanWindow(DisplayInfo{1920, 1050, 96}, WindowRequest{});
  CHECK_FALSE(p.fullscreen);
  CHECK(p.resizable);
  CHECK(p.maximized);
  CHECK(p.ui_scale == 1.0f);  // never smaller than the layout was made for
}

TEST_CASE("window: an asked size never exceeds the screen, and a dense screen scales up") {
  WindowRequest r;
  r.width = 1280;
  r.height = 800;
  r.mode = WindowMode::kWindow;
  WindowPlan p = PlanWindow(DisplayInfo{1024, 600, 0}, r);
  CHECK_FALSE(p.fullscreen);
  CHECK(p.width == 1024);
  CHECK(p.height == 600);
  CHECK(p.ui_scale == 1.0f);
  WindowPlan dense = PlanWindow(DisplayInfo{1920, 1200, 224}, WindowRequest{});
  CHECK(dense.ui_scale == doctest::Approx(1.4));
  WindowRequest forced;
  forced.dpi = 320;
  CHECK(PlanWindow(DisplayInfo{1920, 1200, 96}, forced).ui_scale == doctest::Approx(2.0));
}

TEST_CASE("window: headless keeps exactly the asked size") {
  WindowRequest r;
  r.width = 1024;
  r.height = 600;
  r.headless = true;
  WindowPlan p = PlanWindow(DisplayInfo{}, r);
  CHECK(p.width == 1024);
  CHECK(p.height == 600);
  CHECK_FALSE(p.fullscreen);
}
