// Specifies sync/hq/hq_config: hq.conf is read strictly, so a server with a typo in its
// configuration stops with the line named instead of starting on a default.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "sync/hq/hq_config.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shelter;
using namespace shelter::hq;

namespace {

std::string ErrorOf(std::string_view text) {
  auto c = ParseHqConfig(text);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == core::ErrorCode::kParse);
  return c.error().detail;
}

}  // namespace

TEST_CASE("hq.conf: the packaged example is read whole") {
  auto c = ParseHqConfig(
      "# HQ\nlisten = 0.0.0.0:47475\r\ndb = postgresql://hq@/hq?host=/run/postgresql\n"
      "\n  data=/var/lib/shelterkit/hq  \nuser = hq-officer\n");
  REQUIRE(c.ok());
  CHECK(c->bind == "0.0.0.0");
  CHECK(c->port == "47475");
  CHECK(c->db == "postgresql://hq@/hq?host=/run/postgresql");
  CHECK(c->data == "/var/lib/shelterkit/hq");
  CHECK(c->user == "hq-officer");
}

TEST_CASE("hq.conf: listen takes a port, an address with a port or an IPv6 address in brackets") {
  auto port = ParseHqConfig("listen = 7000\n");
  REQUIRE(port.ok());
  CHECK(port->bind.empty());
  CHECK(port->port == "7000");
  auto v6 = ParseHqConfig("listen = [::1]:7000");
  REQUIRE(v6.ok());
  CHECK(v6->bind == "::1");
  CHECK(v6->port == "7000");
  CHECK(ErrorOf("listen = ::1:7000").find("line 1") != std::string::npos);
  CHECK(ErrorOf("listen = 0").find("listen must be") != std::string::npos);
  CHECK(ErrorOf("listen = 65536").find("listen must be") != std::string::npos);
  CHECK(ErrorOf("listen = host:").find("listen must be") != std::string::npos);
  CHECK(ErrorOf("listen = a b:7000").find("listen must be") != std::string::npos);
}

TEST_CASE("hq.conf: an unknown key is refused with its line and the keys that exist") {
  std::string e = ErrorOf("data = /srv/hq\n# a comment\nlisen = 7000\n");
  CHECK(e.find("line 3") != std::string::npos);
  CHECK(e.find("unknown key 'lisen'") != std::string::npos);
  CHECK(e.find("known: data, db, listen, user") != std::string::npos);
  // A PIN never belongs in this file: it comes from the service's credential.
  CHECK(ErrorOf("pin = 1234").find("unknown key 'pin'") != std::string::npos);
}

TEST_CASE("hq.conf: a repeated key, a line without '=', an empty value or a relative data dir") {
  CHECK(ErrorOf("db = a.db\ndb = b.db\n").find("line 2: 'db' given twice") != std::string::npos);
  CHECK(ErrorOf("listen 7000").find("expected key = value") != std::string::npos);
  CHECK(ErrorOf("db =").find("'db' has no value") != std::string::npos);
  CHECK(ErrorOf("data = hq").find("absolute") != std::string::npos);
  CHECK(ErrorOf("user = a\x01").find("control character") != std::string::npos);
  // A key with control characters is not echoed into the log.
  CHECK(ErrorOf("\x1b[2J = 1").find("unknown key '?'") != std::string::npos);
}

TEST_CASE("hq.conf: a file over the size limit or not UTF-8 is refused before it is read") {
  CHECK(ErrorOf(std::string(kMaxHqConfigBytes + 1, '#')).find("KiB") != std::string::npos);
  CHECK(ErrorOf("user = \xff\xfe").find("UTF-8") != std::string::npos);
  CHECK(ParseHqConfig(std::string(kMaxHqConfigBytes, '#')).ok());
}

TEST_CASE("hq.conf: LoadHqConfig reads a file and refuses a missing file or a directory") {
  test::TempDir dir;
  std::string path = dir.Sub("hq.conf");
  std::ofstream(path) << "listen = 127.0.0.1:7001\ndata = /tmp/hq\n";
  auto c = LoadHqConfig(path);
  REQUIRE(c.ok());
  CHECK(c->port == "7001");
  CHECK(LoadHqConfig(dir.Sub("missing.conf")).error().code == core::ErrorCode::kIo);
  CHECK(LoadHqConfig(dir.path().string()).error().code == core::ErrorCode::kIo);
}
