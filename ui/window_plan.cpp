#include "ui/window_plan.hpp"

#include <algorithm>

namespace shelter::ui {

WindowPlan PlanWindow(const DisplayInfo& d, const WindowRequest& r) {
  WindowPlan p;
  float dpi = r.dpi > 0 ? r.dpi : d.dpi;
  // Desktop monitors report ~96 dpi: the layout never shrinks below its 160-dpi size.
  p.ui_scale = dpi > 0 ? std::clamp(dpi / 160.0f, 1.0f, 3.0f) : 1.0f;
  bool asked = r.width > 0 && r.height > 0;
  p.width = asked ? r.width : kDefaultW;
  p.height = asked ? r.height : kDefaultH;
  if (r.headless) {  // an offscreen frame of exactly the asked size
    p.resizable = false;
    return p;
  }
  bool known = d.usable_w > 0 && d.usable_h > 0;
  bool tablet = known && d.usable_w <= kTabletMaxW && d.usable_h <= kTabletMaxH;
  if (r.mode == WindowMode::kFullscreen || (r.mode == WindowMode::kAuto && !asked && tablet)) {
    p.fullscreen = true;
    if (known) {
      p.width = d.usable_w;
      p.height = d.usable_h;
    }
    return p;
  }
  // A window: resizable, never larger than the screen (a 1280x800 window on a 1024x600 screen
  // opened with its title bar off the top), and filling the screen unless a size was asked for.
  if (known) {
    p.width = std::min(p.width, d.usable_w);
    p.height = std::min(p.height, d.usable_h);
  }
  p.maximized = !asked;
  return p;
}

}  // namespace shelter::ui
