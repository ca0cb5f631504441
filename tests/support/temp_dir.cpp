#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>

namespace shelter::test {

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  char* d = mkdtemp(tmpl.data());
  REQUIRE_MESSAGE(d != nullptr, "cannot create a temporary directory");
  path_ = d;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace shelter::test
