// NameIndex: a log-structured sorted index held in three runs. Additions are appended to
// `pending_` (no ordering work while a registration commits); the first walk after them, or a
// commit that added many (State), sorts them into `delta_`; when `delta_` has grown to an eighth
// of `main_` the two are merged. A walk
// merges `main_` and `delta_` on the fly, so a single registration followed by a search costs a
// sort of its few keys and a merge into the small delta, never a pass over the whole index.
#include "core/model/name_index.hpp"

#include <algorithm>
#include <cstring>

#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

constexpr size_t kMinDelta = 4096;  // entries: below this a delta is never folded into main_

// Bytes [from, from + 8) of `s` as a big-endian integer, zero-padded past its end.
uint64_t BigEndianAt(const uint8_t* s, size_t size, size_t from) {
  uint64_t h = 0;
  for (size_t i = from; i < from + 8; ++i) h = (h << 8) | (i < size ? s[i] : 0u);
  return h;
}
uint64_t HeadAt(std::string_view key, size_t from) {
  return BigEndianAt(reinterpret_cast<const uint8_t*>(key.data()), key.size(), from);
}

}  // namespace

size_t NameIndex::IdHash::operator()(const Id16& id) const {
  uint64_t v;  // ids are random (or hashes): any 8 of their bytes spread well
  std::memcpy(&v, id.b.data(), sizeof v);
  return static_cast<size_t>(v);
}

bool NameIndex::Less(const Entry& a, const Entry& b) const {
  if (a.head[0] != b.head[0]) return a.head[0] < b.head[0];
  if (a.head[1] != b.head[1]) return a.head[1] < b.head[1];
  // Equal heads: keys of up to 16 bytes are then equal; longer ones differ after the head.
  if (a.len > 16 || b.len > 16) {
    const int c = KeyOf(a).compare(KeyOf(b));
    if (c != 0) return c < 0;
  }
  if (a.id_head != b.id_head) return a.id_head < b.id_head;
  return slots_[a.slot].id < slots_[b.slot].id;
}

void NameIndex::Set(const Id16& person, std::string_view name, std::string_view kana) {
  std::vector<std::string> keys = NameSearchKeys(name);
  for (auto& k : NameSearchKeys(kana)) keys.push_back(std::move(k));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

  auto [it, added] = slot_of_.try_emplace(person, static_cast<uint32_t>(slots_.size()));
  if (added) {
    slots_.push_back({person, 0, 0, 0});
  } else {
    Slot& s = slots_[it->second];
    ++s.gen;  // its entries so far are stale
    live_ -= s.keys;
    live_bytes_ -= s.bytes;
  }
  Slot& s = slots_[it->second];
  s.keys = static_cast<uint32_t>(keys.size());
  s.bytes = 0;
  for (const std::string& k : keys) {
    pending_.push_back({{HeadAt(k, 0), HeadAt(k, 8)},
                        BigEndianAt(person.b.data(), person.b.size(), 0),
                        static_cast<uint32_t>(arena_.size()),
                        static_cast<uint32_t>(k.size()),
                        it->second,
                        s.gen});
    arena_ += k;
    s.bytes += k.size();
  }
  live_ += s.keys;
  live_bytes_ += s.bytes;
}

void NameIndex::Clear() { *this = NameIndex(); }

void NameIndex::Settle() {
  if (!pending_.empty()) {
    auto less = [this](const Entry& a, const Entry& b) { return Less(a, b); };
    std::sort(pending_.begin(), pending_.end(), less);
    if (delta_.empty()) {
      delta_.swap(pending_);
    } else {
      std::vector<Entry> merged;
      merged.reserve(delta_.size() + pending_.size());
      std::merge(delta_.begin(), delta_.end(), pending_.begin(), pending_.end(),
                 std::back_inserter(merged), less);
      delta_.swap(merged);
    }
    pending_.clear();
  }
  if (delta_.size() > std::max(kMinDelta, main_.size() / 8)) Compact();
}

void NameIndex::Compact() {
  auto less = [this](const Entry& a, const Entry& b) { return Less(a, b); };
  std::vector<Entry> merged;
  merged.reserve(live_);
  auto live = [this](const Entry& e) { return Live(e); };
  std::copy_if(main_.begin(), main_.end(), std::back_inserter(merged), live);
  const size_t mid = merged.size();
  std::copy_if(delta_.begin(), delta_.end(), std::back_inserter(merged), live);
  std::inplace_merge(merged.begin(), merged.begin() + mid, merged.end(), less);
  delta_.clear();
  main_.swap(merged);
  // Renamed persons leave their old keys in the arena: copy the live ones out when they are
  // fewer than half of it.
  if (arena_.size() > 2 * live_bytes_ + 4096) {
    std::string fresh;
    fresh.reserve(live_bytes_);
    for (Entry& e : main_) {
      const std::string_view k = KeyOf(e);
      e.off = static_cast<uint32_t>(fresh.size());
      fresh += k;
    }
    arena_.swap(fresh);
  }
}

void NameIndex::ForEachWithPrefix(std::string_view prefix,
                                  const std::function<bool(const Id16&)>& fn) {
  Walk(prefix, /*exact=*/false, fn);
}

void NameIndex::ForEachWithKey(std::string_view key, const std::function<bool(const Id16&)>& fn) {
  Walk(key, /*exact=*/true, fn);
}

void NameIndex::Walk(std::string_view prefix, bool exact,
                     const std::function<bool(const Id16&)>& fn) {
  Settle();
  const uint64_t head[2] = {HeadAt(prefix, 0), HeadAt(prefix, 8)};
  auto before = [&](const Entry& e, std::string_view) {
    if (e.head[0] != head[0]) return e.head[0] < head[0];
    if (e.head[1] != head[1]) return e.head[1] < head[1];
    return KeyOf(e) < prefix;
  };
  auto matches = [&](const Entry& e) {
    const std::string_view k = KeyOf(e);
    return exact ? k == prefix : k.starts_with(prefix);
  };
  auto m = std::lower_bound(main_.begin(), main_.end(), prefix, before);
  auto d = std::lower_bound(delta_.begin(), delta_.end(), prefix, before);
  while (true) {
    const bool m_ok = m != main_.end() && matches(*m);
    const bool d_ok = d != delta_.end() && matches(*d);
    if (!m_ok && !d_ok) return;
    const Entry& e = (m_ok && (!d_ok || Less(*m, *d))) ? *m++ : *d++;
    if (Live(e) && !fn(slots_[e.slot].id)) return;
  }
}

}  // namespace shelter::core
