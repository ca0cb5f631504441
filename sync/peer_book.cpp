#include "sync/peer_book.hpp"

#include <algorithm>

namespace shelter::sync {

uint64_t SegmentsBeyond(const VersionVector& mine, const VersionVector& theirs) {
  uint64_t n = 0;
  for (const auto& [device, number] : mine) {
    auto it = theirs.find(device);
    uint64_t held = it == theirs.end() ? 0 : it->second;
    if (number > held) n += number - held;
  }
  return n;
}

PeerRow& PeerBook::RowFor(const core::Id16& device) {
  PeerRow& row = rows_[device.Hex()];
  row.device = device;
  return row;
}

void PeerBook::OnBeacon(const Beacon& b, const std::string& address, bool in_sync, int64_t now_ms) {
  PeerRow& row = RowFor(b.device);
  if (!row.configured) row.address = address;
  row.last_contact_ms = now_ms;
  row.in_sync = in_sync;
  if (in_sync) row.behind = 0;
}

void PeerBook::OnSession(const core::Result<TcpResult>& r, const VersionVector& mine,
                         const core::DeviceCert* cert, int64_t now_ms) {
  if (!r.ok()) {
    // A dial that found nobody is not a refusal: the peer's row says it cannot be reached.
    if (r.error().code == core::ErrorCode::kIo && r.error().detail.rfind("cannot ", 0) == 0) return;
    refusals_.push_back({now_ms, {}, r.error().code});
    if (refusals_.size() > kMaxRefusals) refusals_.erase(refusals_.begin());
    return;
  }
  auto id = core::Id16::FromHex(r->peer_device);
  if (!id.ok()) return;
  MergeConfigured(id->Hex(), r->peer_address);
  PeerRow& row = RowFor(*id);
  if (cert) {
    row.label = cert->label;
    row.role = cert->role;
  }
  row.last_contact_ms = row.last_sync_ms = now_ms;
  row.known = mine;  // after a session both sides hold at least what this one holds
  row.behind = 0;
  row.in_sync = true;
  row.last_error.reset();
  ++row.sessions;
  row.segments_in += r->stats.segments_new;
  row.segments_out += r->stats.segments_sent;
}

void PeerBook::MergeConfigured(const std::string& device_key, const std::string& ip) {
  // A configured peer not reached yet that dialled us first: the one configured row on its IP
  // address is that device (two peers on one address stay apart until each is reached).
  for (const auto& [addr, dev] : address_device_)
    if (dev == device_key) return;
  std::string found;
  int matches = 0;
  for (const auto& [key, row] : rows_) {
    if (key.empty() || key[0] != '@') continue;
    auto hp = ParseHostPort(row.address);
    if (hp.ok() && hp->first == ip) {
      found = key;
      ++matches;
    }
  }
  if (matches != 1 || ip.empty()) return;
  PeerRow moved = rows_[found];
  rows_.erase(found);
  PeerRow& row = rows_[device_key];
  row.address = moved.address;
  row.configured = true;
  row.next_try_ms = moved.next_try_ms;
  address_device_[moved.address] = device_key;
}

void PeerBook::Configure(const std::vector<std::string>& addresses) {
  for (const auto& a : addresses) {
    if (address_device_.count(a)) continue;
    PeerRow& row = rows_["@" + a];
    row.address = a;
    row.configured = true;
  }
}

void PeerBook::OnDial(const std::string& address, const core::Result<TcpResult>& r,
                      int64_t next_try_ms, int64_t now_ms) {
  std::string key = "@" + address;
  if (r.ok()) {
    if (auto id = core::Id16::FromHex(r->peer_device); id.ok()) {
      rows_.erase(key);
      key = id->Hex();
      address_device_[address] = key;
      rows_[key].device = *id;
    }
  } else if (auto it = address_device_.find(address); it != address_device_.end()) {
    key = it->second;
  }
  PeerRow& row = rows_[key];
  row.address = address;
  row.configured = true;
  row.next_try_ms = next_try_ms;
  if (r.ok())
    row.last_error.reset();
  else
    row.last_error = r.error().code;
  if (!r.ok()) row.in_sync = false;
  (void)now_ms;
}

void PeerBook::Recount(const VersionVector& mine) {
  for (auto& [key, row] : rows_) {
    if (row.last_sync_ms == 0) continue;
    row.behind = SegmentsBeyond(mine, row.known);
    if (row.behind > 0) row.in_sync = false;
  }
}

std::vector<PeerRow> PeerBook::rows() const {
  std::vector<PeerRow> out;
  for (const auto& [key, row] : rows_) out.push_back(row);
  std::stable_sort(out.begin(), out.end(), [](const PeerRow& a, const PeerRow& b) {
    bool ha = a.role == core::DeviceRole::kHq, hb = b.role == core::DeviceRole::kHq;
    if (ha != hb) return ha;
    return a.label < b.label;
  });
  return out;
}

const PeerRow* PeerBook::hq() const {
  for (const auto& [key, row] : rows_)
    if (row.role == core::DeviceRole::kHq && row.last_sync_ms) return &row;
  return nullptr;
}

}  // namespace shelter::sync
