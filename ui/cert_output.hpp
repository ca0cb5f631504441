// The app's certificate output adapter: every certificate's PDF is kept as a private file (0600 in
// a 0700 folder) in the data folder, so an issued certificate is never lost, then sent to the
// printer with `lp` when one is configured. UI thread.
#pragma once

#include <memory>
#include <string>

#include "platform/printer.hpp"
#include "ui/devices.hpp"

namespace shelter::ui {

struct CertificateOutputOptions {
  std::string pdf_dir;  // where the PDFs are kept (created when missing)
  std::string printer;  // a printer name; empty: the system default, if there is one
  bool use_printer = true;
};

class CertificateOutputDevice {
 public:
  CertificateOutputDevice(std::unique_ptr<platform::Printer> printer,
                          CertificateOutputOptions options);
  // Writes `pdf` as pdf_dir/`name` (replacing an older copy of the same issue), then prints it.
  // kInvalidArgument for a name with a path in it; kIo when the file cannot be kept. A printer
  // that fails is reported in the result's print_error, not as an error.
  core::Result<CertificateOutput> Keep(core::ByteView pdf, const std::string& name);

 private:
  std::unique_ptr<platform::Printer> printer_;
  CertificateOutputOptions options_;
};

}  // namespace shelter::ui
