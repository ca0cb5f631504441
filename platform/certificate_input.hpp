// Where a certificate to verify comes from: its JDV1 text typed or pasted, a text file holding it,
// an image of the printed QR (PNG, JPEG, PGM) or the certificate PDF (page 1 rasterized by
// poppler's pdftoppm). Shared by shelterctl and the app. Thread-safe (no shared state).
#pragma once

#include <string>

#include "core/base/result.hpp"

namespace shelter::platform {

// The JDV1 text in a file, chosen by extension: .pdf, .png, .jpg/.jpeg, .pgm are decoded and the
// first JDV1 QR code returned; anything else is read as text (trimmed). kNotFound when the file
// is missing or holds no JDV1 QR code, or pdftoppm is not installed; kParse for an unreadable
// image or PDF.
core::Result<std::string> ReadCertificateFile(const std::string& path);

// True for the names a certificate file picker offers: those ReadCertificateFile decodes (.pdf,
// .png, .jpg, .jpeg, .pgm) and text files (.txt), by extension, in any letter case.
bool IsCertificateFileName(const std::string& name);

// `arg` is the JDV1 text itself when it starts with "JDV1:" (or names no existing file, so that
// other QR text is reported as malformed by the verifier), else ReadCertificateFile(arg).
core::Result<std::string> ReadCertificateInput(const std::string& arg);

}  // namespace shelter::platform
