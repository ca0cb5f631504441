#include "tests/support/skip.hpp"

#include <cstdio>

namespace shelter::test {

namespace {
bool g_skipped = false;
}  // namespace

void MarkSkipped(const std::string& reason) {
  g_skipped = true;
  std::fprintf(stderr, "SKIP: %s\n", reason.c_str());
}

bool TakeSkipped() {
  bool was = g_skipped;
  g_skipped = false;
  return was;
}

}  // namespace shelter::test
