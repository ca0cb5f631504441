// The devices the app plugs into, as small seams main() fills in: battery, My Number Card
// reader, camera (QR), pass printer. A seam left empty means "not available here" and the screens
// say so; nothing in the screens depends on which adapter is behind a seam. UI thread only.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "platform/power.hpp"

namespace shelter::ui {

struct AppDevices {
  std::unique_ptr<platform::PowerSource> power;
  // Reads a household draft from a My Number Card with the holder's 4-digit PIN.
  std::function<core::Result<core::Household>(std::string_view pin)> read_card;
  // The newest text the camera decoded from a QR code since the last call, if any. Polled once
  // per frame while a scanning screen is open.
  std::function<std::optional<std::string>()> poll_qr;
  // Asks the camera for a frame rate (low-power mode lowers it).
  std::function<void(int fps)> set_camera_fps;
  // Decodes a resident's pre-registration QR (JPR1:) into a household draft.
  std::function<core::Result<core::Household>(std::string_view)> decode_prereg;
  // Prints a pass for one person of a household.
  std::function<core::Status(const core::Person&, const core::Household&)> print_pass;
  // Prints a PDF document (a certificate) on the default printer; returns the job line.
  std::function<core::Result<std::string>(core::ByteView pdf)> print_pdf;
};

}  // namespace shelter::ui
