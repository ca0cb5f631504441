// Master data on a logged-in Node: shelters (import from open-data CSV, 想定収容人数, 開設/閉鎖,
// lookup) and known devices (lookup by id prefix). Writers check the role and commit one durable
// transaction. One thread at a time (like Node).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/formats/shelter_import.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

struct ShelterImportResult {
  size_t imported = 0;
  std::vector<ImportRowError> errors;
  std::string format;
};
// Admin: imports shelter master data (GSI / open-data CSV bytes) into the municipality scope.
// Re-importing the same file updates the same records (ids derive from 共通ID or name+address).
// For a shelter that already exists, what the file does not carry keeps its value: 想定収容人数
// and coordinates when the row has none, kana when empty, hazards from a GSI 指定避難所 file,
// and a 指定避難所/福祉避難所 kind when an emergency-site list (GSI or open data) lists it too.
// The open/closed status is never changed by an import.
Result<ShelterImportResult> ImportShelters(Node& node, std::string_view file_bytes);
Id16 ShelterIdFor(const std::string& municipality_code, const ShelterMaster& s);
// Lead or admin: sets 想定収容人数 (0 = unknown). kInvalidArgument outside
// 0..kMaxShelterCapacity, kNotFound for an unknown shelter.
inline constexpr int64_t kMaxShelterCapacity = 10'000'000;
Status SetShelterCapacity(Node& node, const Id16& shelter, int64_t capacity);
// Lead or admin: opens (開設) or closes a shelter. kNotFound for an unknown shelter.
Status SetShelterOpen(Node& node, const Id16& shelter, bool open);
// A shelter counts as open when it was opened or anyone is in it (a shelter full of people that
// nobody marked open is open).
bool ShelterIsOpen(const ShelterInfo& s, int64_t in_shelter);
// The known device whose hex id starts with `prefix` (any case). kInvalidArgument for a prefix
// that is not hex or that several devices share (the detail says how many), kNotFound for none.
Result<Id16> FindDeviceByPrefix(const Node& node, std::string_view prefix);
// Finds a shelter by our hex id or its 共通ID.
Result<ShelterInfo> FindShelter(Node& node, std::string_view id_or_common_id);
Result<std::vector<ShelterInfo>> ListShelters(Node& node);

}  // namespace shelter::core
