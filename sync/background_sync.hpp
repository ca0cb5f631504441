// BackgroundSync: a device's sync on its own thread while the app draws (DESIGN §8, §10): it
// listens, dials configured peers and HQ with backoff, finds the shelter's other tablets by
// beacon, pushes a local change at once (Kick), syncs less often in low-power mode and pauses
// while the device keys are locked away. The store is shared with the owner's thread through a
// LockedPeer (the owner holds the same mutex while it uses the store). What it saw is a
// SyncSnapshot (sync/peer_book.hpp). Thread-safe: every public member, from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sync/locked_peer.hpp"
#include "sync/peer_book.hpp"
#include "sync/tcp_link.hpp"

namespace shelter::sync {

constexpr uint16_t kDefaultSyncPort = 47475;

struct SyncConfig {
  bool enabled = true;
  uint16_t port = kDefaultSyncPort;  // 0: any free port
  std::string bind = "0.0.0.0";
  std::vector<std::string> peers;  // host:port, dialled on a timer
  std::string hq;                  // host:port of HQ ("" for none), dialled after the peers
  bool discovery = true;
  uint16_t beacon_port = kBeaconPort;
  bool low_power = false;
  // Timers (normal, low power). A tablet with nothing new sends only its beacon.
  int64_t beacon_interval_s = 30, low_power_beacon_interval_s = 300;
  std::chrono::seconds peer_interval{120}, low_power_peer_interval{900};
};

// Reads a sync configuration as `key=value` lines (the file the sync screen writes): enabled,
// port, peers (comma-separated host:port), hq, discovery, beacon_port. Unknown keys and blank
// lines are ignored; kInvalidArgument names the key whose value does not read.
core::Result<SyncConfig> ParseSyncConfig(const std::string& text, SyncConfig base = {});
std::string FormatSyncConfig(const SyncConfig& c);

struct SyncSnapshot {
  bool running = false;                  // listening now
  bool locked = false;                   // paused: nobody has logged in since start (no keys)
  std::optional<core::ErrorCode> error;  // why it is not running (a port in use, ...)
  bool discovery_failed = false;         // running without beacons (no multicast)
  uint16_t port = 0;                     // the port it listens on
  bool low_power = false;
  std::vector<PeerRow> peers;  // HQ first
  std::vector<Refusal> refusals;
  int64_t last_sync_ms = 0;  // the last session that finished, with anyone
  uint64_t sessions = 0;
};

class BackgroundSync {
 public:
  using NowMs = std::function<int64_t()>;
  // `store` and `mu` must outlive this object.
  BackgroundSync(SyncPeer& store, StoreMutex& mu, NowMs now_ms);
  ~BackgroundSync();  // stops the thread

  void Start(const SyncConfig& config);  // (re)starts with this configuration
  void Stop();
  void Kick();  // sync now: a local change or "sync now"
  // Called on the sync thread after a session that brought something new (set before Start).
  void SetOnArrival(std::function<void()> fn) { on_arrival_ = std::move(fn); }
  void SetLowPower(bool on);
  SyncConfig config() const;
  SyncSnapshot Snapshot() const;
  // Segments that arrived new so far (compare with the last value seen to know when to redraw).
  uint64_t arrived() const { return peer_.arrived(); }

 private:
  void Run();
  ServeOptions OptionsFor(const SyncConfig& c, bool discovery);
  void Recount();

  LockedPeer peer_;
  NowMs now_ms_;
  mutable std::mutex mu_;  // guards everything below (never held while taking the store's mutex)
  std::condition_variable wake_;
  SyncConfig config_;
  bool stop_ = false, restart_ = false;
  SyncSnapshot snap_;
  PeerBook book_;
  std::thread thread_;
  std::atomic<bool> kick_{false};
  std::function<void()> on_arrival_;
  std::function<void()> wake_loop_;  // under mu_: set while the serve loop runs
};

}  // namespace shelter::sync
