// What the certificate check screen holds: the input (typed text, a file path or the file
// picker's folder), the last result and the lists the device holds. Personal data lives here only
// while the screen is open (App::ClearVerify wipes it). UI thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ops/certificate_issuance.hpp"
#include "platform/file_browser.hpp"

namespace shelter::ui {

enum class VerifySource { kCamera, kText, kFile };

// The touch file picker: where it may start (USB sticks, home, data folder) and the folder shown.
struct FilePickerState {
  bool open = false;
  std::vector<platform::StartFolder> starts;
  std::optional<platform::FolderListing> listing;
  std::string error;        // translated: why the folder could not be listed
  bool scroll_top = false;  // a new folder is shown from its first row
  bool reveal = false;      // just opened: the screen scrolls the panel into view
};

struct VerifyState {
  std::string text;  // pasted or typed JDV1 text
  std::string path;  // a PNG, JPEG, PGM or PDF file, or a text file
  std::optional<core::DeviceVerification> result;
  VerifySource source = VerifySource::kCamera;
  std::string input_error;  // translated: why the input could not be checked at all
  FilePickerState picker;
  bool reveal_result = false;  // a new result: the screen scrolls back to the top to show it
  // The lists on this device, read when the screen opens and after each check.
  bool has_trust = false;
  uint64_t trust_version = 0;
  std::optional<uint64_t> status_version;
  int64_t status_as_of = 0;
};

}  // namespace shelter::ui
