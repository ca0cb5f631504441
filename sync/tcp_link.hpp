// Sync sessions over TCP with Boost.Asio: a one-off client (`shelterctl sync`) and a long-running
// listener (`shelterctl serve`, `shelter-hq serve`). Each connection runs one SyncSession with
// a handshake deadline and a session deadline; the listener caps concurrent sessions. The
// functions block the calling thread and run one io_context on it; the device's store (a
// SyncPeer) is used from that thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "sync/beacon.hpp"
#include "sync/session.hpp"
#include "sync/sync_peer.hpp"

namespace shelter::sync {

struct TcpOptions {
  SessionOptions session;
  std::chrono::milliseconds timeout{60'000};  // per connection, handshake to close
  // Connect to the end of the Noise handshake (at most `timeout`): an idle connection is closed
  // by then.
  std::chrono::milliseconds handshake_timeout{10'000};
};

struct TcpResult {
  SessionStats stats;
  std::string peer_device;           // hex, empty if the handshake did not finish
  std::string peer_address;          // the peer's IP address (either side dialled)
  std::vector<std::string> reports;  // what the session refused
};

// Connects to host:port, runs a session as initiator. kIo when the connection fails or times
// out, or the session's own error (kPermissionDenied for an untrusted peer, ...).
core::Result<TcpResult> SyncOverTcp(SyncPeer& store, const std::string& host, uint16_t port,
                                    const TcpOptions& opts = {});

struct ServeOptions {
  TcpOptions tcp;
  std::string bind = "0.0.0.0";
  uint16_t port = 0;          // 0: any free port (see on_listening)
  uint64_t max_sessions = 0;  // stop after this many connections ended (0: run until stopped)
  // Caps that keep a flood of connections from silencing the device (sync/PROTOCOL.md): an
  // accepted connection over either is closed at once and is not a session.
  size_t max_connections = 64;             // concurrent incoming sessions
  size_t max_connections_per_address = 8;  // concurrent incoming sessions from one address
  // After a failed accept (out of file descriptors, ...): wait this long and accept again.
  std::chrono::milliseconds accept_backoff{100};
  // Told of failed accepts and refused connections (each kind at most once a minute).
  std::function<void(const std::string&)> on_warning;
  std::function<void(uint16_t port)> on_listening;
  // Called after each connection (once the store's OnBatchEnd(kSession) returned): its result
  // or error.
  std::function<void(const core::Result<TcpResult>&)> on_session;
  // Polled a few times a second (before OnBatchEnd(kPoll)); returning true stops the server.
  std::function<bool()> should_stop;
  // Polled with should_stop; true asks for a sync now (a local change, "sync now"): a beacon goes
  // out at once and every configured peer and every device heard by beacon within
  // `heard_within` is dialled now (a push: the others need not wait for their next timer).
  // A peer already being dialled is not dialled twice.
  std::function<bool()> sync_now;
  std::chrono::seconds heard_within{600};
  // Given, once serving, a thread-safe function that makes the loop look at sync_now at once
  // (instead of at its next poll), and given an empty function before the loop's end.
  std::function<void(std::function<void()>)> register_wake;
  // Told of each valid beacon from another device: the address it came from and whether its
  // digest equals this device's (nothing to exchange).
  std::function<void(const Beacon&, const std::string& address, bool in_sync)> on_beacon;
  // Told after each dial of a configured peer: the peer, the result, and when it is dialled next
  // (the interval, or the backoff while it cannot be reached).
  std::function<void(const std::string& host, uint16_t port, const core::Result<TcpResult>&,
                     std::chrono::milliseconds next)>
      on_peer;

  // Peers this device dials itself (manual addresses, the HQ address): synced every
  // `peer_interval`, retried with exponential backoff while unreachable (BackoffMs).
  std::vector<std::pair<std::string, uint16_t>> peers;
  std::chrono::seconds peer_interval{300};
  // LAN discovery: multicast a beacon every `beacon_interval_s` and sync with any device whose
  // beacon shows a different digest (at most once per `beacon_min_gap` per device).
  bool discovery = false;
  std::string beacon_group = kBeaconGroup;
  uint16_t beacon_port = kBeaconPort;
  int64_t beacon_interval_s = 60;
  std::chrono::seconds beacon_min_gap{30};
};

// The serve options of a command line (`shelterctl serve`, `shelter-hq serve`): --listen PORT
// (required; 0: any free port), --bind ADDR, --timeout S, --sessions N, --peers H:P,..., --hq H:P
// (dialled after the peers), --peer-interval S, --beacon-interval S (also the least gap between
// two dials to one device found by discovery), --beacon-port P, from `opts` (name without
// dashes -> value); `discover` is the --discover flag. kInvalidArgument naming the option that
// is missing, not a number in its range, or not a host:port.
core::Result<ServeOptions> ParseServeOptions(const std::map<std::string, std::string>& opts,
                                             bool discover);

// Accepts connections and runs a responder session on each; dials the configured peers and
// peers found by discovery; all I/O interleaved on this thread. Keeps accepting after any
// accept error. Calls the store's group-commit hook (SyncPeer::OnBatchEnd) after each session
// and each poll. Returns when max_sessions is reached or should_stop() says so; kIo when the
// port cannot be bound; the hook's error when it fails (the server stops then).
core::Status ServeTcp(SyncPeer& store, const ServeOptions& opts);

// "host:port" or "[v6]:port". kInvalidArgument when malformed.
core::Result<std::pair<std::string, uint16_t>> ParseHostPort(const std::string& s);

}  // namespace shelter::sync
