// Certificate section of shelter-bench: issue (sign, QR, PDF) and verify per certificate, against
// bare libsodium Ed25519 sign/verify of the same bytes measured in the same run. Single-threaded.
#pragma once

#include <string>

namespace shelter::bench {

struct CertFigures {
  double issue_ms = 0;   // median sign + QR + PDF (wall clock)
  double verify_ms = 0;  // median VerifyJdv1
};

// Runs under `dir` (created and left for the caller to remove); n certificates.
CertFigures BenchCertificates(const std::string& dir, int n);

}  // namespace shelter::bench
