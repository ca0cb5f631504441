// NodePeer: a tablet's (or any device's) core::Node as the store behind sync (sync/sync_peer.hpp).
// Every write commits durably on its own, so the group-commit hook does nothing. Borrows the
// Node, which must outlive it; one thread at a time, as the Node.
#pragma once

#include "core/node/node.hpp"
#include "sync/sync_peer.hpp"

namespace shelter::sync {

class NodePeer : public SyncPeer {
 public:
  explicit NodePeer(core::Node& node) : node_(node) {}

  bool Unlocked() const override { return node_.keys_held(); }
  const core::DeviceCert& device() const override { return node_.device(); }
  const core::crypto::PublicKey& root_pk() const override { return node_.root_pk(); }
  core::Result<std::array<uint8_t, 32>> StaticDh(
      const core::crypto::PublicKey& peer_pub) const override {
    return node_.StaticDh(peer_pub);
  }

  core::Status SealUnsealed() override { return node_.SealUnsealed(); }
  uint64_t UnsealedOps() override { return node_.unsealed_ops(); }
  core::Result<VersionVector> Vector() override { return VectorOf(node_.log()); }
  core::Result<std::optional<core::Bytes>> SignedCert(const core::Id16& device) override {
    return node_.log().DeviceCert(device);
  }
  const core::DeviceCert* FindCert(const core::Id16& device) const override {
    return node_.FindCert(device);
  }
  core::Result<std::optional<core::Segment>> GetSegment(const core::Id16& device,
                                                        uint64_t number) override {
    return node_.log().GetSegment(device, number);
  }
  core::Result<std::vector<core::Bytes>> TrustItems() override { return node_.TrustItems(); }
  bool IsRevoked(const core::Id16& device) const override { return node_.IsRevoked(device); }
  bool Admissible(const core::SegmentHeader& h) const override { return node_.Admissible(h); }

  core::Result<bool> Ingest(core::ByteView wire) override { return node_.Ingest(wire); }
  core::Status AddDeviceCert(core::ByteView signed_cert) override {
    return node_.AddDeviceCert(signed_cert);
  }
  core::Result<bool> AddTrustItem(core::ByteView signed_item) override {
    return node_.AddTrustItem(signed_item);
  }
  core::Status RecordIncident(std::string_view kind, const core::Id16& device,
                              std::string_view detail) override {
    return node_.log().RecordIncident(kind, device, detail);
  }

  core::Node& node() { return node_; }

 private:
  core::Node& node_;
};

}  // namespace shelter::sync
