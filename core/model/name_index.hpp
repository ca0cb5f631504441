// The in-memory index of name search keys behind State's name search and duplicate lookup: each
// person under the NameSearchKeys of its 氏名 and ふりがな, walked in (key, person) order. Not a
// SQLite table: the keys are personal data, they are cheap to recompute from person_index, and a
// B-tree write per key was most of the cost of registering a person. One thread at a time
// (State's).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/bytes.hpp"

namespace shelter::core {

class NameIndex {
 public:
  // Indexes `person` under the keys of `name` and `kana`, replacing the keys it had.
  void Set(const Id16& person, std::string_view name, std::string_view kana);
  void Clear();

  // Calls `fn` for every (key, person) whose key starts with `prefix` (every key for an empty
  // prefix), in (key bytes, person id) order; a person indexed under several matching keys comes
  // once per key. Stops when `fn` returns false.
  void ForEachWithPrefix(std::string_view prefix, const std::function<bool(const Id16&)>& fn);
  // The same for the persons indexed under exactly `key`, in person id order.
  void ForEachWithKey(std::string_view key, const std::function<bool(const Id16&)>& fn);

  size_t live_entries() const { return live_; }

  // Sorts what was added since the last walk (a commit that added many keys calls it, so that
  // the first search after a bulk load does not pay for the whole load).
  void Settle();
  // Entries added and not yet sorted.
  size_t unsorted_entries() const { return pending_.size(); }

 private:
  // One (key, person) pair. `head` holds the key's first 16 bytes big-endian (zero-padded: keys
  // hold no NUL) and `id_head` the person id's first 8, so sorting and merging compare integers
  // and rarely reach the arena or the slots (random reads that made sorting a large load slow);
  // `gen` is the person's generation when the entry was made, and an entry of an older
  // generation is stale (dropped when runs merge).
  struct Entry {
    uint64_t head[2];
    uint64_t id_head;
    uint32_t off, len;  // the key in arena_
    uint32_t slot, gen;
  };
  struct Slot {
    Id16 id;
    uint32_t gen = 0;
    uint32_t keys = 0, bytes = 0;  // its live entries and their key bytes
  };
  struct IdHash {
    size_t operator()(const Id16& id) const;
  };

  std::string_view KeyOf(const Entry& e) const { return {arena_.data() + e.off, e.len}; }
  bool Less(const Entry& a, const Entry& b) const;
  bool Live(const Entry& e) const { return slots_[e.slot].gen == e.gen; }
  // Folds delta_ into main_, dropping stale entries (Settle does when delta_ has grown large
  // against main_: the cost of a merge is then spread over many additions).
  void Compact();
  void Walk(std::string_view prefix, bool exact, const std::function<bool(const Id16&)>& fn);

  std::string arena_;                // key bytes of every entry, live or stale
  std::vector<Entry> main_, delta_;  // sorted runs
  std::vector<Entry> pending_;       // added since the last walk, unsorted
  std::vector<Slot> slots_;          // by slot number
  std::unordered_map<Id16, uint32_t, IdHash> slot_of_;
  size_t live_ = 0, live_bytes_ = 0;
};

}  // namespace shelter::core
