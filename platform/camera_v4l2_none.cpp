// OpenV4l2Camera on systems without V4L2: there is never such a device.
#include "platform/camera.hpp"

namespace shelter::platform {

core::Result<std::unique_ptr<Camera>> OpenV4l2Camera(const V4l2Options&) {
  return core::MakeError(core::ErrorCode::kUnsupported, "V4L2 cameras exist only on Linux");
}

}  // namespace shelter::platform
