// LockedPeer: a store (SyncPeer) shared between a sync worker thread and the thread that owns it
// (the tablet app's UI thread): every call takes the owner's mutex for that call only, so the
// other thread waits at most one store call (one segment's transaction), never the network. It
// counts the segments that arrived new, so the owner can tell cheaply that it must redraw.
// Thread-safe: any thread, as long as the owner holds the same mutex while it uses the store.
#pragma once

#include <atomic>
#include <map>
#include <mutex>

#include "sync/sync_peer.hpp"

namespace shelter::sync {

// The mutex a store's owner (a UI thread drawing frame after frame) shares with the threads that
// sync or copy bundles. std::mutex is not fair: an owner that unlocks and locks again at once
// would starve them, so the owner asks contended() after unlocking and, if someone waits, gives
// them a slice of time (StoreMutex::kSliceMs) before it locks again. BasicLockable.
class StoreMutex {
 public:
  void lock() {
    waiting_.fetch_add(1, std::memory_order_acq_rel);
    mu_.lock();
    waiting_.fetch_sub(1, std::memory_order_acq_rel);
  }
  void unlock() { mu_.unlock(); }
  bool contended() const { return waiting_.load(std::memory_order_acquire) > 0; }
  static constexpr int kSliceMs = 4;

 private:
  std::mutex mu_;
  std::atomic<int> waiting_{0};
};

class LockedPeer : public SyncPeer {
 public:
  LockedPeer(SyncPeer& inner, StoreMutex& mu) : inner_(inner), mu_(mu) {}

  // Segments ingested as new so far (grows; compare with the last value seen).
  uint64_t arrived() const { return arrived_.load(std::memory_order_acquire); }
  // Segments read so far (a bundle being written: its progress).
  uint64_t reads() const { return reads_.load(std::memory_order_relaxed); }

 private:
  template <typename F>
  auto With(F f) const {
    std::lock_guard<StoreMutex> lock(mu_);
    return f();
  }

 public:
  bool Unlocked() const override {
    return With([&] { return inner_.Unlocked(); });
  }
  // The device's own certificate and the root key do not change while it runs.
  const core::DeviceCert& device() const override { return inner_.device(); }
  const core::crypto::PublicKey& root_pk() const override { return inner_.root_pk(); }
  core::Result<std::array<uint8_t, 32>> StaticDh(
      const core::crypto::PublicKey& peer_pub) const override {
    return With([&] { return inner_.StaticDh(peer_pub); });
  }
  core::Status SealUnsealed() override {
    return With([&] { return inner_.SealUnsealed(); });
  }
  uint64_t UnsealedOps() override {
    return With([&] { return inner_.UnsealedOps(); });
  }
  core::Result<VersionVector> Vector() override {
    return With([&] { return inner_.Vector(); });
  }
  core::Result<std::optional<core::Bytes>> SignedCert(const core::Id16& device) override {
    return With([&] { return inner_.SignedCert(device); });
  }
  // A copy kept here: the owner may reload its certificates (a login) while a session holds the
  // pointer. A device's certificate never changes.
  const core::DeviceCert* FindCert(const core::Id16& device) const override {
    std::lock_guard<StoreMutex> lock(mu_);
    if (auto it = certs_.find(device); it != certs_.end()) return &it->second;
    const core::DeviceCert* c = inner_.FindCert(device);
    return c ? &certs_.emplace(device, *c).first->second : nullptr;
  }
  core::Result<std::optional<core::Segment>> GetSegment(const core::Id16& device,
                                                        uint64_t number) override {
    reads_.fetch_add(1, std::memory_order_relaxed);
    return With([&] { return inner_.GetSegment(device, number); });
  }
  core::Result<std::vector<core::Bytes>> TrustItems() override {
    return With([&] { return inner_.TrustItems(); });
  }
  bool IsRevoked(const core::Id16& device) const override {
    return With([&] { return inner_.IsRevoked(device); });
  }
  bool Admissible(const core::SegmentHeader& h) const override {
    return With([&] { return inner_.Admissible(h); });
  }
  core::Result<bool> Ingest(core::ByteView wire) override {
    auto r = With([&] { return inner_.Ingest(wire); });
    if (r.ok() && *r) arrived_.fetch_add(1, std::memory_order_acq_rel);
    return r;
  }
  core::Status AddDeviceCert(core::ByteView signed_cert) override {
    return With([&] { return inner_.AddDeviceCert(signed_cert); });
  }
  core::Result<bool> AddTrustItem(core::ByteView signed_item) override {
    auto r = With([&] { return inner_.AddTrustItem(signed_item); });
    if (r.ok() && *r) arrived_.fetch_add(1, std::memory_order_acq_rel);
    return r;
  }
  core::Status RecordIncident(std::string_view kind, const core::Id16& device,
                              std::string_view detail) override {
    return With([&] { return inner_.RecordIncident(kind, device, detail); });
  }
  core::Status OnBatchEnd(BatchEnd at) override {
    return With([&] { return inner_.OnBatchEnd(at); });
  }

 private:
  SyncPeer& inner_;
  StoreMutex& mu_;
  std::atomic<uint64_t> arrived_{0}, reads_{0};
  mutable std::map<core::Id16, core::DeviceCert> certs_;  // under mu_
};

}  // namespace shelter::sync
