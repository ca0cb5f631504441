// The one doctest main shared by every test binary. A run that selects no test case fails: ctest
// runs each case by name, and a name the filter cannot match (CMake splits test names at ';')
// would otherwise pass without running anything. A run whose every case skipped (SHELTER_SKIP:
// its component is missing) exits 77, which ctest reports as skipped, not passed.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "tests/support/skip.hpp"

namespace {

unsigned g_selected = 0;
unsigned g_started = 0;
unsigned g_skipped = 0;
bool g_ran = false;

struct SelectedCount : doctest::IReporter {
  explicit SelectedCount(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& s) override {
    g_ran = true;
    g_selected = s.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData&) override { ++g_started; }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {
    if (shelter::test::TakeSkipped()) ++g_skipped;
  }
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("selected_count", 1, SelectedCount);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  int rc = context.run();
  if (context.shouldExit()) return rc;  // --list-test-cases, --help, ...
  if (rc == 0 && g_ran && g_selected == 0) {
    std::fprintf(stderr, "no test case matched the filter: nothing was run\n");
    return 1;
  }
  if (rc == 0 && g_skipped > 0) {
    if (g_skipped == g_started) return shelter::test::kSkipExitCode;
    std::fprintf(stderr, "%u of %u test cases skipped\n", g_skipped, g_started);
  }
  return rc;
}
