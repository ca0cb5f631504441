// What the certificate check screen holds: the input (typed text, a file path), the last result
// and the lists the device holds. Personal data lives here only while the screen is open
// (App::ClearVerify wipes it). UI thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ops/certificate_issuance.hpp"

namespace shelter::ui {

enum class VerifySource { kCamera, kText, kFile };

struct VerifyState {
  std::string text;  // pasted or typed JDV1 text
  std::string path;  // a PNG, JPEG, PGM or PDF file, or a text file
  std::optional<core::DeviceVerification> result;
  VerifySource source = VerifySource::kCamera;
  std::string input_error;  // translated: why the input could not be checked at all
  // The lists on this device, read when the screen opens and after each check.
  bool has_trust = false;
  uint64_t trust_version = 0;
  std::optional<uint64_t> status_version;
  int64_t status_as_of = 0;
};

}  // namespace shelter::ui
