// Certificates kept as files first, printed second: a missing or failing printer loses nothing.
#include "ui/cert_output.hpp"

#include <filesystem>

#include "core/base/private_file.hpp"

namespace shelter::ui {

using core::ErrorCode;
using core::MakeError;

CertificateOutputDevice::CertificateOutputDevice(std::unique_ptr<platform::Printer> printer,
                                                 CertificateOutputOptions options)
    : printer_(std::move(printer)), options_(std::move(options)) {}

core::Result<CertificateOutput> CertificateOutputDevice::Keep(core::ByteView pdf,
                                                              const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.')
    return MakeError(ErrorCode::kInvalidArgument, "a certificate file name without a folder");
  // A certificate names its household: a 0600 file in a 0700 folder.
  if (!core::MakePrivateDir(options_.pdf_dir).ok())
    return MakeError(ErrorCode::kIo, "cannot create the certificate folder");
  CertificateOutput out;
  out.file = (std::filesystem::path(options_.pdf_dir) / name).string();
  if (!core::WritePrivateFile(out.file, pdf).ok())
    return MakeError(ErrorCode::kIo, "cannot write the certificate PDF");
  if (!options_.use_printer || !printer_) return out;
  std::string dest = options_.printer;
  if (dest.empty()) {
    auto d = printer_->DefaultPrinter();
    if (!d.ok()) {
      out.print_error = d.error().detail;
      return out;
    }
    dest = *d;
  }
  if (auto job = printer_->PrintPdf(out.file, dest); !job.ok())
    out.print_error = job.error().detail;
  else
    out.printer = dest;
  return out;
}

}  // namespace shelter::ui
