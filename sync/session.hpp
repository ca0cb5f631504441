// One sync session between two devices as a pure state machine over a byte stream (no sockets):
// Noise XX handshake carrying enrollment certificates, hello with a vector digest (one round trip
// when already in sync), version vectors, then the missing certificates and segments streamed and
// ingested into the device's store (a SyncPeer). Wire format in sync/PROTOCOL.md. One thread at a
// time; borrows the store.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sync/frame.hpp"
#include "sync/noise.hpp"
#include "sync/sync_peer.hpp"
#include "sync/version_vector.hpp"

namespace shelter::sync {

// The HELLO digest of what `peer` holds now: its version vector and trust items (beacons carry it).
core::Result<std::array<uint8_t, 16>> HelloDigest(SyncPeer& peer);

struct SessionOptions {
  // Unix seconds for certificate validity; clocks may be wrong, hence the allowance.
  std::function<int64_t()> now_s;
  int64_t clock_allowance_s = 2 * 24 * 3600;
  // Devices whose certificates no longer count (beyond the revocations the store holds).
  std::function<bool(const core::Id16&)> is_revoked;
  // A peer that sends more bad segments or certificates than this is dropped.
  size_t max_rejects = 64;
  // Soft limit of bytes TakeOutput() prepares per call (segments are streamed lazily).
  size_t output_chunk = 256 * 1024;
};

struct SessionStats {
  uint64_t bytes_out = 0, bytes_in = 0;                      // everything on the wire
  uint64_t handshake_bytes_out = 0, handshake_bytes_in = 0;  // the three Noise messages
  uint64_t segments_sent = 0, certs_sent = 0;
  uint64_t segments_new = 0, segments_duplicate = 0, segments_rejected = 0;
  uint64_t certs_rejected = 0;
  uint64_t trust_new = 0, trust_rejected = 0;  // revocations and key grants
  bool in_sync = false;  // the hello digests matched: nothing else was exchanged
};

class SyncSession {
 public:
  SyncSession(SyncPeer& store, bool initiator, SessionOptions opts = {});

  // Initiator: prepares handshake message 1. Responder: nothing to do. kUnauthenticated when
  // the device is locked.
  core::Status Start();
  // Feeds bytes from the peer. An error means the peer is untrusted or misbehaved (kCrypto,
  // kPermissionDenied, kParse, kUnsupported, ...): close the connection; the session is over.
  core::Status OnReceive(ByteView bytes);
  // Bytes to send now (may be empty). Call again until empty: segments are loaded lazily.
  Bytes TakeOutput();
  // Both sides have said all they had to say and every byte was taken: close.
  bool Finished() const;
  bool failed() const { return failed_; }

  const SessionStats& stats() const { return stats_; }
  const std::optional<core::DeviceCert>& peer() const { return peer_; }
  // What this session refused and why (device ids and kinds; never personal data).
  const std::vector<std::string>& reports() const { return reports_; }

 private:
  enum class Phase { kHandshake, kHello, kVectors, kStreaming };

  core::Status Fail(core::Error e);
  core::Status OnFrame(ByteView frame);
  core::Status OnHandshakeMessage(ByteView frame);
  core::Status CheckPeer(ByteView signed_cert);  // CheckPeerCert, failures recorded as incidents
  core::Status CheckPeerCert(ByteView signed_cert);
  core::Status Learn(const core::DeviceCert& cert, ByteView signed_cert);
  core::Status OnMessage(const Message& m);
  core::Status OnHello(ByteView body);
  core::Status OnVector(ByteView body);
  core::Status OnCert(ByteView body);
  core::Status OnSegment(ByteView body);
  core::Status OnTrust(ByteView body);
  core::Status SendHello();
  void Queue(MsgType type, ByteView body);
  core::Status Flush();
  core::Status Pump();
  void Reject(const std::string& why);

  SyncPeer& store_;
  bool initiator_;
  SessionOptions opts_;
  Phase phase_ = Phase::kHandshake;
  std::optional<HandshakeState> hs_;
  std::optional<NoiseTransport> transport_;
  FrameReader frames_;
  MessageReader messages_;
  Bytes plain_;  // messages waiting to be encrypted
  Bytes out_;    // frames ready to send
  bool failed_ = false;

  VersionVector mine_;
  Bytes my_vector_bytes_;
  std::array<uint8_t, 16> my_digest_{};
  std::vector<Bytes> my_trust_;
  std::optional<core::DeviceCert> peer_;
  std::deque<std::pair<core::Id16, uint64_t>> to_send_;  // (device, number), in send order
  std::set<core::Id16> certs_to_send_;
  bool done_queued_ = false, peer_done_ = false;
  SessionStats stats_;
  std::vector<std::string> reports_;
};

}  // namespace shelter::sync
