// The printer seam (DESIGN §2: printer = PDF + lp): certificates rendered as A4 PDF pages in the
// unified form's layout with the JDV1 QR printed, and PDFs sent to the system printer.
// Thread-safety: RenderCertificatePdf is reentrant; a Printer is used from one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/formats/certificate.hpp"

namespace shelter::platform {

// Everything printed about the issuer (municipality name, 団体コード, 発行者名) comes from the
// signed claims, so the paper says what the QR proves.
struct CertificatePage {
  core::CertificateClaims claims;
  std::string jdv1;        // the QR text; printed as an ECC Q symbol
  std::string verify_url;  // the municipality's verifier page (trust list); empty: not printed
};

// One A4 page, Japanese text in Noto Sans CJK JP (a subset is embedded, so the text stays
// extractable). Returns kNotFound when that font is not installed, kInvalidArgument when the QR
// text does not encode, kInternal when cairo fails.
core::Result<core::Bytes> RenderCertificatePdf(const CertificatePage& page);

// Frees cairo's and fontconfig's process-wide font caches (certificates and pass sheets alike).
// Call once no rendering is in progress and none will follow (before exit), so leak checkers see
// a clean process.
void ReleaseRenderCaches();

class Printer {
 public:
  virtual ~Printer();
  // The system's default printer; kNotFound (with a message saying how to set one) when none.
  virtual core::Result<std::string> DefaultPrinter() = 0;
  // Queues a PDF file on `printer`. kIo when the print command fails. Returns the job line.
  virtual core::Result<std::string> PrintPdf(const std::string& pdf_path,
                                             const std::string& printer) = 0;
};

// CUPS through its command-line clients (`lpstat -d`, `lp -d`).
std::unique_ptr<Printer> MakeLpPrinter();

// Queues an in-memory PDF on the default printer: written to a private temporary file that is
// removed once the job is queued (the spooler keeps its own copy). Returns the job line;
// kNotFound when no default printer is set.
core::Result<std::string> PrintPdfBytes(Printer& printer, core::ByteView pdf);

}  // namespace shelter::platform
