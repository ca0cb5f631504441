// The serve options of `shelterctl serve` and `shelter-hq serve`, parsed by one function
// (sync::ParseServeOptions): defaults, every option, and what is refused.
#include <doctest/doctest.h>

#include "sync/tcp_link.hpp"

using namespace shelter;
using Opts = std::map<std::string, std::string>;

TEST_CASE("serve options: only --listen is needed, the rest has the documented defaults") {
  auto o = sync::ParseServeOptions({{"listen", "7000"}}, false);
  REQUIRE_MESSAGE(o.ok(), o.error().ToString());
  CHECK(o->port == 7000);
  CHECK(o->bind == "0.0.0.0");
  CHECK(o->max_sessions == 0);
  CHECK(o->tcp.timeout == std::chrono::seconds(60));
  CHECK(o->peers.empty());
  CHECK(o->peer_interval == std::chrono::seconds(300));
  CHECK_FALSE(o->discovery);
  CHECK(o->beacon_interval_s == 60);
  CHECK(o->beacon_port == sync::kBeaconPort);
}

TEST_CASE("serve options: every option, --hq dialled after --peers") {
  Opts in = {{"listen", "0"},         {"bind", "127.0.0.1"},     {"timeout", "20"},
             {"sessions", "3"},       {"peers", "a:1,,[::1]:2"}, {"hq", "hq.example:7000"},
             {"peer-interval", "30"}, {"beacon-interval", "5"},  {"beacon-port", "7001"}};
  auto o = sync::ParseServeOptions(in, true);
  REQUIRE_MESSAGE(o.ok(), o.error().ToString());
  CHECK(o->port == 0);
  CHECK(o->bind == "127.0.0.1");
  CHECK(o->tcp.timeout == std::chrono::seconds(20));
  CHECK(o->max_sessions == 3);
  using Peer = std::pair<std::string, uint16_t>;
  CHECK(o->peers == std::vector<Peer>{{"a", 1}, {"::1", 2}, {"hq.example", 7000}});
  CHECK(o->peer_interval == std::chrono::seconds(30));
  CHECK(o->discovery);
  CHECK(o->beacon_interval_s == 5);
  CHECK(o->beacon_min_gap == std::chrono::seconds(5));  // one dial per beacon heard
  CHECK(o->beacon_port == 7001);
}

TEST_CASE("serve options: a missing port, a bad number or a bad address is refused by name") {
  auto missing = sync::ParseServeOptions({}, false);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == core::ErrorCode::kInvalidArgument);
  CHECK(missing.error().detail.find("--listen") != std::string::npos);
  for (auto [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"listen", "65536"},
                                                        {"listen", "7000x"},
                                                        {"timeout", "0"},
                                                        {"sessions", "-1"},
                                                        {"peer-interval", "ten"},
                                                        {"beacon-interval", "0"},
                                                        {"beacon-port", "0"}}) {
    Opts in = {{"listen", "7000"}};
    in[name] = value;
    auto o = sync::ParseServeOptions(in, false);
    REQUIRE_FALSE_MESSAGE(o.ok(), name, "=", value);
    CHECK(o.error().code == core::ErrorCode::kInvalidArgument);
    CHECK_MESSAGE(o.error().detail.find("--" + name + " needs a number") != std::string::npos,
                  o.error().detail);
  }
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"peers", "nohost"}, {"peers", "a:1,b:0"}, {"hq", ""}}) {
    auto o = sync::ParseServeOptions({{"listen", "7000"}, {name, value}}, false);
    REQUIRE_FALSE_MESSAGE(o.ok(), name, "=", value);
    CHECK(o.error().code == core::ErrorCode::kInvalidArgument);
  }
}
