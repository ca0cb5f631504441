// libFuzzer target for sync/hq/hq_config: hq.conf is edited by hand on a server. Besides not
// crashing, it checks that what is accepted is what the server may use: a port in range, an
// absolute data directory and no control character in any value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sync/hq/hq_config.hpp"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckValue(const std::string& v) {
  for (unsigned char c : v) Check(c >= 0x20 && c != 0x7f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shelter::hq;
  auto c = ParseHqConfig(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!c.ok()) return 0;
  Check(size <= kMaxHqConfigBytes);
  if (!c->port.empty()) {
    int port = std::stoi(c->port);
    Check(port >= 1 && port <= 65535);
  }
  Check(c->bind.empty() || !c->port.empty());
  Check(c->data.empty() || c->data.front() == '/');
  for (const std::string* v : {&c->data, &c->db, &c->bind, &c->port, &c->user}) CheckValue(*v);
  return 0;
}
