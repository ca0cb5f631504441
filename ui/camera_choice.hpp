// Which camera the app reads QR codes from (--camera): a V4L2 device, one image file, a folder of
// images, or none; by default the first /dev/video* there is. Returns a factory the scanner calls
// each time it opens the camera. Thread-safe (the factory runs on the scanner's thread).
#pragma once

#include <string>

#include "core/base/result.hpp"
#include "ui/qr_scanner.hpp"

namespace shelter::ui {

// An empty factory means no camera ("none", or no /dev/video* by default). kNotFound when the
// path does not exist or a folder holds no images.
core::Result<QrScanner::CameraFactory> ChooseCamera(const std::string& arg);

}  // namespace shelter::ui
