// ParseServeOptions (sync/tcp_link.hpp): the one parser of the serve options of shelterctl and
// shelter-hq.
#include <cstdint>
#include <string>

#include "sync/tcp_link.hpp"

namespace shelter::sync {
namespace {

using core::ErrorCode;
using core::MakeError;
using core::Result;

// `--name N` from `opts` into `out` (left as it is when absent); kInvalidArgument unless the
// whole value is a number in lo..hi.
core::Status Int(const std::map<std::string, std::string>& opts, const char* name, int64_t lo,
                 int64_t hi, int64_t& out) {
  auto it = opts.find(name);
  if (it == opts.end()) return core::Ok();
  try {
    size_t used = 0;
    int64_t v = std::stoll(it->second, &used);
    if (used == it->second.size() && v >= lo && v <= hi) {
      out = v;
      return core::Ok();
    }
  } catch (...) {
  }
  return MakeError(ErrorCode::kInvalidArgument, std::string("--") + name + " needs a number in " +
                                                    std::to_string(lo) + ".." + std::to_string(hi));
}

// Appends each host:port of a comma-separated list (empty entries skipped).
core::Status AddPeers(const std::string& list, ServeOptions& o) {
  for (size_t start = 0; start < list.size();) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) {
      SHELTER_ASSIGN_OR_RETURN(auto hp, ParseHostPort(list.substr(start, comma - start)));
      o.peers.push_back(hp);
    }
    start = comma + 1;
  }
  return core::Ok();
}

}  // namespace

Result<ServeOptions> ParseServeOptions(const std::map<std::string, std::string>& opts,
                                       bool discover) {
  if (!opts.count("listen"))
    return MakeError(ErrorCode::kInvalidArgument, "serve needs --listen PORT (0: any free port)");
  int64_t port = 0, timeout = 60, sessions = 0, peer_interval = 300, beacon = 60,
          beacon_port = kBeaconPort;
  SHELTER_TRY(Int(opts, "listen", 0, 65535, port));
  SHELTER_TRY(Int(opts, "timeout", 1, 86400, timeout));
  SHELTER_TRY(Int(opts, "sessions", 0, INT64_MAX, sessions));
  SHELTER_TRY(Int(opts, "peer-interval", 1, 86400, peer_interval));
  SHELTER_TRY(Int(opts, "beacon-interval", 1, 86400, beacon));
  SHELTER_TRY(Int(opts, "beacon-port", 1, 65535, beacon_port));
  ServeOptions o;
  o.port = static_cast<uint16_t>(port);
  if (auto it = opts.find("bind"); it != opts.end()) o.bind = it->second;
  o.max_sessions = static_cast<uint64_t>(sessions);
  o.tcp.timeout = std::chrono::seconds(timeout);
  if (auto it = opts.find("peers"); it != opts.end()) SHELTER_TRY(AddPeers(it->second, o));
  if (auto it = opts.find("hq"); it != opts.end()) {
    SHELTER_ASSIGN_OR_RETURN(auto hp, ParseHostPort(it->second));
    o.peers.push_back(hp);
  }
  o.peer_interval = std::chrono::seconds(peer_interval);
  o.discovery = discover;
  o.beacon_interval_s = beacon;
  o.beacon_min_gap = std::chrono::seconds(beacon);  // one dial per beacon heard
  o.beacon_port = static_cast<uint16_t>(beacon_port);
  return o;
}

}  // namespace shelter::sync
