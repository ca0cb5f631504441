// PeerBook: what a device knows of its sync peers, for the tablet's sync screen: each device
// heard by beacon or synced with (label and role from its certificate, address, last contact, in
// sync or how many segments it lacks as far as this device can tell), configured peers that
// cannot be reached (with the next try), and the sessions refused. Value type; not thread-safe
// (the app's sync worker guards it with its own mutex).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "core/device/device_cert.hpp"
#include "sync/beacon.hpp"
#include "sync/tcp_link.hpp"
#include "sync/version_vector.hpp"

namespace shelter::sync {

struct PeerRow {
  core::Id16 device;  // zero for a configured peer never reached
  std::string label;  // from its certificate; empty until it is known
  core::DeviceRole role = core::DeviceRole::kTablet;
  std::string address;          // host:port (configured) or the beacon's source address
  bool configured = false;      // dialled on a timer (a manual peer or HQ), not only found
  int64_t last_contact_ms = 0;  // a session that finished or a beacon heard (unix ms)
  int64_t last_sync_ms = 0;     // the last session that finished
  bool in_sync = false;         // its last beacon's digest equals ours, or nothing changed here
                                // since the last session
  uint64_t behind = 0;          // segments held here that it lacked at the last session
  VersionVector known;          // what it held after the last session (at least)
  std::optional<core::ErrorCode> last_error;  // the last dial's failure, none after a success
  int64_t next_try_ms = 0;                    // configured peers: the next dial
  uint64_t sessions = 0, segments_in = 0, segments_out = 0;
};

struct Refusal {  // a session that ended in an error (a peer refused or misbehaving)
  int64_t at_ms = 0;
  std::string peer;  // device id (hex) or address; never personal data
  core::ErrorCode code = core::ErrorCode::kIo;
};

// Segments `mine` holds beyond `theirs`.
uint64_t SegmentsBeyond(const VersionVector& mine, const VersionVector& theirs);

class PeerBook {
 public:
  void OnBeacon(const Beacon& b, const std::string& address, bool in_sync, int64_t now_ms);
  // A session that ended (either side dialled); `mine` is this device's vector after it and
  // `cert` the peer's certificate (nullptr when unknown). A failed one is a Refusal.
  void OnSession(const core::Result<TcpResult>& r, const VersionVector& mine,
                 const core::DeviceCert* cert, int64_t now_ms);
  // A configured peer was dialled: it becomes that peer's row (by address until its device is
  // known), with the failure and the time of the next try.
  void OnDial(const std::string& address, const core::Result<TcpResult>& r, int64_t next_try_ms,
              int64_t now_ms);
  // Configured peers known before the first dial (shown as not reached yet).
  void Configure(const std::vector<std::string>& addresses);
  // This device's vector changed (a local write): how far behind each peer is now.
  void Recount(const VersionVector& mine);

  std::vector<PeerRow> rows() const;  // HQ first, then by label
  const PeerRow* hq() const;          // the HQ row once HQ was reached, else nullptr
  const std::vector<Refusal>& refusals() const { return refusals_; }
  static constexpr size_t kMaxRefusals = 20;  // the newest are kept

 private:
  PeerRow& RowFor(const core::Id16& device);
  void MergeConfigured(const std::string& device_key, const std::string& ip);
  std::map<std::string, PeerRow> rows_;  // by device hex, or "@" + address before it is known
  std::map<std::string, std::string> address_device_;  // configured address -> device hex
  std::vector<Refusal> refusals_;
};

}  // namespace shelter::sync
