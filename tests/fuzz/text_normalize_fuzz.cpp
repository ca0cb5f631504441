// libFuzzer target for core/text/text_normalize: every function on arbitrary bytes (names,
// addresses and dates are typed by staff or read from cards, so any byte sequence can arrive).
// Besides not crashing, it checks what callers rely on: output is valid UTF-8, folding is
// idempotent, keys are canonical, and a normalized date normalizes to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text/text_normalize.hpp"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shelter::core;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const bool valid = IsValidUtf8(input);

  const std::string folded = FoldForSearch(input);
  Check(IsValidUtf8(folded));
  Check(FoldForSearch(folded) == folded);
  Check(!valid || folded.size() <= input.size() * 2);

  for (const std::string& key : NameSearchKeys(input)) {
    Check(!key.empty());
    Check(FoldForSearch(key) == key);
  }

  const std::string address = FoldAddress(input);
  Check(IsValidUtf8(address));
  Check(FoldAddress(address) == address);

  for (const bool allow_partial : {false, true}) {
    const Result<std::string> date = NormalizeDate(input, allow_partial);
    if (!date.ok()) continue;
    const Result<std::string> again = NormalizeDate(*date, allow_partial);
    Check(again.ok() && *again == *date);
    Check(date->size() == 4 || date->size() == 7 || date->size() == 10);
  }
  return 0;
}
