// What sync needs from a device's store: a sync session, a bundle and the TCP server read and
// write the log only through this interface (sync/PROTOCOL.md "The store behind a session").
// NodePeer (sync/node_peer.hpp) implements it for a tablet's core::Node, hq::HqNode for HQ, whose
// group commit is the OnBatchEnd() hook. One thread at a time, as the store behind it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"
#include "core/device/device_cert.hpp"
#include "core/log/segment.hpp"
#include "sync/version_vector.hpp"

namespace shelter::sync {

// Where the serve loop (ServeTcp) calls the group-commit hook.
enum class BatchEnd {
  kSession,  // a session ended, before it is reported: what it brought must be durable now
  kPoll,     // a few times a second while serving: a long session's data may be committed so far
};

class SyncPeer {
 public:
  virtual ~SyncPeer() = default;

  // [SECTION] Identity and keys, for the handshake
  // False while the device is locked (nobody logged in: no keys).
  virtual bool Unlocked() const = 0;
  // This device's enrollment certificate and the municipality root key that signs every one.
  virtual const core::DeviceCert& device() const = 0;
  virtual const core::crypto::PublicKey& root_pk() const = 0;
  // X25519 of this device's static key with `peer_pub` (the secret stays in the store).
  virtual core::Result<std::array<uint8_t, 32>> StaticDh(
      const core::crypto::PublicKey& peer_pub) const = 0;

  // [SECTION] Reading what the device holds
  // A device that seals on demand turns its unsealed ops into segments here: a session calls it
  // before it reads the vector, a bundle before it is written. Default: nothing to seal.
  virtual core::Status SealUnsealed() { return core::Ok(); }
  // Ops committed but not yet sealed (they change the beacon digest, so peers still dial).
  virtual uint64_t UnsealedOps() { return 0; }
  virtual core::Result<VersionVector> Vector() = 0;
  // The signed enrollment certificate of `device`, if known.
  virtual core::Result<std::optional<core::Bytes>> SignedCert(const core::Id16& device) = 0;
  // The verified certificate of `device`, or nullptr when unknown.
  virtual const core::DeviceCert* FindCert(const core::Id16& device) const = 0;
  virtual core::Result<std::optional<core::Segment>> GetSegment(const core::Id16& device,
                                                                uint64_t number) = 0;
  // Every revocation, key grant and signed list held, for passing on.
  virtual core::Result<std::vector<core::Bytes>> TrustItems() = 0;
  virtual bool IsRevoked(const core::Id16& device) const = 0;
  // False for a revoked device's segment written after its revocation (never passed on).
  virtual bool Admissible(const core::SegmentHeader& h) const = 0;

  // [SECTION] Writing what a peer sent (each item is verified by the store)
  // True when new. kCrypto (forged), kConflict (equivocation), kNotFound (unknown device), kIo.
  virtual core::Result<bool> Ingest(core::ByteView wire) = 0;
  virtual core::Status AddDeviceCert(core::ByteView signed_cert) = 0;
  virtual core::Result<bool> AddTrustItem(core::ByteView signed_item) = 0;
  // Where staff look (shelterctl status): a refused peer, by device id and kind, no personal data.
  virtual core::Status RecordIncident(std::string_view kind, const core::Id16& device,
                                      std::string_view detail) = 0;

  // [SECTION] Group commit
  // A store that defers durability (HQ) makes what arrived durable here; an error stops the
  // server, which returns it. Default: nothing (a tablet's Node commits every write).
  virtual core::Status OnBatchEnd(BatchEnd) { return core::Ok(); }
};

}  // namespace shelter::sync
