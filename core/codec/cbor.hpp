// A small CBOR (RFC 8949) value type with a canonical encoder and a defensive decoder.
// Supports unsigned/negative integers, byte and text strings, arrays, maps, tags, false/true/null.
// Floats and indefinite lengths are rejected by the decoder. Value types; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"

namespace shelter::core::cbor {

struct Item;
using Array = std::vector<Item>;
using Map =
    std::vector<std::pair<Item, Item>>;  // encoded in insertion order; build sorted for determinism
struct Null {
  bool operator==(const Null&) const = default;
};
struct Tagged {
  uint64_t tag;
  std::shared_ptr<Item> item;
};

struct Item {
  // int64_t covers both major types 0 and 1 within the range we accept (|n| < 2^63).
  std::variant<Null, bool, int64_t, Bytes, std::string, Array, Map, Tagged> v;

  Item() = default;
  Item(Null) {}                                     // NOLINT
  Item(bool b) : v(b) {}                            // NOLINT
  Item(int64_t i) : v(i) {}                         // NOLINT
  Item(int i) : v(static_cast<int64_t>(i)) {}       // NOLINT
  Item(uint32_t i) : v(static_cast<int64_t>(i)) {}  // NOLINT
  Item(Bytes b) : v(std::move(b)) {}                // NOLINT
  Item(std::string s) : v(std::move(s)) {}          // NOLINT
  Item(const char* s) : v(std::string(s)) {}        // NOLINT
  Item(Array a) : v(std::move(a)) {}                // NOLINT
  Item(Map m) : v(std::move(m)) {}                  // NOLINT
  static Item Tag(uint64_t tag, Item inner) {
    Item it;
    it.v = Tagged{tag, std::make_shared<Item>(std::move(inner))};
    return it;
  }

  bool is_null() const { return std::holds_alternative<Null>(v); }
  const int64_t* as_int() const { return std::get_if<int64_t>(&v); }
  const bool* as_bool() const { return std::get_if<bool>(&v); }
  const Bytes* as_bytes() const { return std::get_if<Bytes>(&v); }
  const std::string* as_text() const { return std::get_if<std::string>(&v); }
  const Array* as_array() const { return std::get_if<Array>(&v); }
  const Map* as_map() const { return std::get_if<Map>(&v); }
  const Tagged* as_tagged() const { return std::get_if<Tagged>(&v); }

  // Map lookup by integer or text key; nullptr when absent or not a map.
  const Item* Find(int64_t key) const;
  const Item* Find(std::string_view key) const;
};

bool operator==(const Item& a, const Item& b);

void EncodeTo(const Item& item, Bytes& out);
Bytes Encode(const Item& item);
// Low-level head writer, for streaming encoders (major type 0..7, argument).
void EncodeHead(uint8_t major, uint64_t arg, Bytes& out);

struct DecodeLimits {
  size_t max_depth = 16;
  size_t max_items = 1u << 20;  // total items in one document
};
// Decodes exactly one item that must span all of `in`. Returns kParse on truncation, trailing
// bytes, floats, indefinite lengths, integers beyond int64, invalid UTF-8 text, or limits exceeded.
Result<Item> Decode(ByteView in, const DecodeLimits& limits = {});
// Decodes one item from the front of `in`, advancing `in` past it.
Result<Item> DecodePrefix(ByteView& in, const DecodeLimits& limits = {});

}  // namespace shelter::core::cbor
