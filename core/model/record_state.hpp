// A materialized record: every field is a multi-value register holding all concurrent values
// (DESIGN §4). The shown value is a fixed winner by (HLC, device); concurrent values that differ
// are a conflict for staff to resolve (equal ones agree). Value types.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/codec/cbor.hpp"
#include "core/log/op.hpp"

namespace shelter::core {

struct RegisterValue {
  Dot dot;
  Hlc hlc = 0;
  cbor::Item value;
};

struct RecordState {
  Id16 id;
  RecordType type = RecordType::kPerson;
  Id16 scope;
  std::map<std::string, std::vector<RegisterValue>> fields;  // values sorted by dot

  // The shown value of a field (null Item when absent); deterministic for equal value sets.
  const cbor::Item& Get(const std::string& name) const;
  const RegisterValue* Winner(const std::string& name) const;
  std::string Text(const std::string& name) const;  // "" unless a text value
  int64_t Int(const std::string& name, int64_t fallback = 0) const;
  bool Bool(const std::string& name, bool fallback = false) const;
  bool InConflict(const std::string& name) const;
  std::vector<std::string> ConflictedFields() const;
  // Deleted: the delete flag wins and no concurrent edit left a non-null value (DESIGN §4).
  bool Deleted() const;
  // Dots of the current values of `name`: what a writer "saw" and supersedes.
  std::vector<Dot> Seen(const std::string& name) const;
};

// Canonical encoding of the registers (sorted fields, values sorted by dot): the state hash input.
Bytes EncodeRegisters(const RecordState& r);
Result<RecordState> DecodeRegisters(const Id16& id, RecordType type, const Id16& scope,
                                    ByteView blob);

}  // namespace shelter::core
