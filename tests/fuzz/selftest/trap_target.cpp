// A target that traps on any input holding the byte 0xff: ctest checks that the replay of a corpus
// without that byte still reaches it through its mutations and fails (the replay is not a no-op).
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; ++i)
    if (data[i] == 0xff) __builtin_trap();
  return 0;
}
