// Skipping a test case whose component is missing here (a server, a device), with the reason on
// stderr. doctest 2.4.9 has no run-time skip, so the shared main counts skipped cases: a run whose
// every case skipped exits with kSkipExitCode, which ctest shows as skipped (SKIP_RETURN_CODE);
// a run of many cases prints how many skipped. Test threads only (doctest runs cases on one).
#pragma once

#include <string>

namespace shelter::test {

inline constexpr int kSkipExitCode = 77;

// Marks the running test case skipped and prints why. Use through SHELTER_SKIP.
void MarkSkipped(const std::string& reason);
// Whether the running test case called MarkSkipped (reset by TakeSkipped).
bool TakeSkipped();

}  // namespace shelter::test

// Ends the running test case as skipped: SHELTER_SKIP("SHELTER_HQ_TEST_PG is not set");
#define SHELTER_SKIP(reason)              \
  do {                                    \
    ::shelter::test::MarkSkipped(reason); \
    return;                               \
  } while (0)
