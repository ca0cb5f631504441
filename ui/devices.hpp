// The devices the app plugs into, as small seams main() fills in: battery, My Number Card
// reader, camera (QR), pass printer. A seam left empty means "not available here" and the screens
// say so; nothing in the screens depends on which adapter is behind a seam. The seams are called
// from the UI thread only (an adapter may work on its own thread behind them).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/card/card_session.hpp"
#include "core/model/entities.hpp"
#include "platform/power.hpp"

namespace shelter::ui {

// What the card reader says before a PIN is asked for: a card is there (kOk, with the PIN tries
// left) or why not (kNoReader, kNoCard, kNotMyNumberCard, kLocked, kCardError ...).
struct CardCheck {
  core::CardOutcome outcome = core::CardOutcome::kNoReader;
  int tries_left = -1;  // -1 when unknown
};

// A card read: the outcome (kWrongPin with tries_left, ...) and, on kOk, the household draft.
struct CardDraft {
  CardCheck check;
  std::optional<core::Household> household;
};

// Where a pass went: to a printer (where = its name) or saved as a PDF (where = the file).
struct PassOutput {
  bool printed = false;
  std::string where;
};

// Where a certificate's PDF went: always kept as `file`; sent to `printer` when that is not empty;
// `print_error` (English, for staff) says why a configured printer did not take it.
struct CertificateOutput {
  std::string file;
  std::string printer;
  std::string print_error;
};

// A small copy of the camera's newest frame for the kiosk's live preview (luma, row-major,
// mirrored like a looking glass). seq grows with every frame; 0 means no frame yet.
struct PreviewFrame {
  int width = 0, height = 0;
  std::vector<uint8_t> luma;
  uint64_t seq = 0;
};

struct AppDevices {
  std::unique_ptr<platform::PowerSource> power;
  // Looks for a card on the readers without using a PIN try.
  std::function<CardCheck()> check_card;
  // Reads a household draft from a My Number Card with the holder's 4-digit PIN.
  std::function<CardDraft(std::string_view pin)> read_card;
  // The newest text the camera decoded from a QR code since the last call, if any. Polled while
  // a scanning screen is open; a code that stays in view is reported once.
  std::function<std::optional<std::string>()> poll_qr;
  // The camera frame rate the app wants: 0 when no scanning screen is open (the camera is then
  // closed), lower in low-power mode.
  std::function<void(int fps)> set_camera_fps;
  // The camera's newest frame when it is newer than `seq` (the last one shown), for the preview.
  std::function<std::optional<PreviewFrame>(uint64_t seq)> camera_preview;
  // True while the camera is wanted but cannot be opened or gives no frames.
  std::function<bool()> camera_failing;
  // Decodes a resident's pre-registration QR (JPR1:) into a household draft.
  std::function<core::Result<core::Household>(std::string_view)> decode_prereg;
  // Prints passes (a new signed JSP1 code each) for some persons of a household, several to an A4
  // page, or saves them as one PDF.
  std::function<core::Result<PassOutput>(const std::vector<core::Person>&, const core::Household&)>
      print_pass;
  // Keeps a certificate's PDF as a private file named `name` (SERIAL-ISSUE.pdf) in the data
  // folder's certificates/, then prints it when a printer is set up. kIo only when the file could
  // not be kept; a failed print is told in the result (the file is kept either way).
  std::function<core::Result<CertificateOutput>(core::ByteView pdf, const std::string& name)>
      keep_certificate;
};

}  // namespace shelter::ui
