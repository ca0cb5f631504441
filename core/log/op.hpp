// Ops: the unit of change in the op log (DESIGN §4). An op sets one or more fields of one record;
// `supersedes` names the dots whose values of those fields the author saw. Value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/hlc.hpp"
#include "core/base/result.hpp"
#include "core/codec/cbor.hpp"

namespace shelter::core {

// The identity of an op: the authoring device and its per-device sequence number (from 1).
struct Dot {
  Id16 device;
  uint64_t seq = 0;
  auto operator<=>(const Dot&) const = default;
};

enum class RecordType : uint8_t {
  kMunicipality = 1,
  kDisaster = 2,
  kShelter = 3,
  kHousehold = 4,
  kPerson = 5,
  kStay = 6,
  kAssessment = 7,
  kCertificate = 8,
};
bool IsKnownRecordType(int64_t t);

struct FieldWrite {
  std::string field;
  cbor::Item value;  // null deletes the field's value
};

struct Op {
  Dot dot;
  Hlc hlc = 0;
  Id16 staff;  // who made the change (audit); zero for system ops
  Id16 record;
  RecordType type = RecordType::kPerson;
  std::vector<FieldWrite> fields;  // sorted by field name, unique
  std::vector<Dot> supersedes;     // sorted, unique
};

// Encoding inside a segment (the device is implied by the segment): see core/FORMATS.md.
cbor::Item OpToCbor(const Op& op);
// Returns kParse when the item is not a well-formed op (unknown type, unsorted or duplicate
// fields, oversized field names, ...).
Result<Op> OpFromCbor(const cbor::Item& item, const Id16& device);
// The same, moving the field values out of `item` (a decoded segment it is not needed after).
Result<Op> OpFromCbor(cbor::Item&& item, const Id16& device);

constexpr size_t kMaxFieldNameBytes = 32;
constexpr size_t kMaxFieldsPerOp = 64;
constexpr size_t kMaxSupersedesPerOp = 256;

}  // namespace shelter::core
