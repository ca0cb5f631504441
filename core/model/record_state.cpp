#include "core/model/record_state.hpp"

#include <algorithm>

#include "core/model/entities.hpp"

namespace shelter::core {

static bool Later(const RegisterValue& a, const RegisterValue& b) {
  if (a.hlc != b.hlc) return a.hlc > b.hlc;
  return a.dot > b.dot;
}

const RegisterValue* RecordState::Winner(const std::string& name) const {
  auto it = fields.find(name);
  if (it == fields.end() || it->second.empty()) return nullptr;
  const RegisterValue* best = &it->second.front();
  for (auto& v : it->second)
    if (Later(v, *best)) best = &v;
  return best;
}

const cbor::Item& RecordState::Get(const std::string& name) const {
  static const cbor::Item kNull;
  auto* w = Winner(name);
  return w ? w->value : kNull;
}

std::string RecordState::Text(const std::string& name) const {
  auto* t = Get(name).as_text();
  return t ? *t : std::string();
}

int64_t RecordState::Int(const std::string& name, int64_t fallback) const {
  auto* i = Get(name).as_int();
  return i ? *i : fallback;
}

bool RecordState::Bool(const std::string& name, bool fallback) const {
  auto* b = Get(name).as_bool();
  return b ? *b : fallback;
}

// Concurrent writes of one value (two tablets typed the same) agree: only differing values
// conflict.
static bool Differ(const std::vector<RegisterValue>& vals) {
  for (size_t i = 1; i < vals.size(); ++i)
    if (!(vals[i].value == vals[0].value)) return true;
  return false;
}

bool RecordState::InConflict(const std::string& name) const {
  auto it = fields.find(name);
  return it != fields.end() && Differ(it->second);
}

std::vector<std::string> RecordState::ConflictedFields() const {
  std::vector<std::string> out;
  for (auto& [name, vals] : fields)
    if (Differ(vals)) out.push_back(name);
  return out;
}

bool RecordState::Deleted() const {
  if (!Bool(field::kDeleted)) return false;
  for (auto& [name, vals] : fields) {
    if (name == field::kDeleted) continue;
    for (auto& v : vals)
      if (!v.value.is_null()) return false;
  }
  return true;
}

std::vector<Dot> RecordState::Seen(const std::string& name) const {
  std::vector<Dot> out;
  auto it = fields.find(name);
  if (it != fields.end())
    for (auto& v : it->second) out.push_back(v.dot);
  return out;
}

Bytes EncodeRegisters(const RecordState& r) {
  // Streamed straight into the output: building the cbor::Item tree first copied every value and
  // was most of the cost of folding an op into the state. Same bytes as encoding
  // {name: [[device, seq, hlc, value], ...], ...} as an Item.
  auto text = [](std::string_view s, Bytes& out) {
    cbor::EncodeHead(3, s.size(), out);
    Append(out, View(s));
  };
  auto integer = [](int64_t i, Bytes& out) {
    if (i >= 0)
      cbor::EncodeHead(0, static_cast<uint64_t>(i), out);
    else
      cbor::EncodeHead(1, static_cast<uint64_t>(-1 - i), out);
  };
  Bytes out;
  out.reserve(64 * r.fields.size());
  size_t fields = 0;
  for (auto& [name, vals] : r.fields) fields += !vals.empty();
  cbor::EncodeHead(5, fields, out);
  for (auto& [name, vals] : r.fields) {
    if (vals.empty()) continue;
    text(name, out);
    cbor::EncodeHead(4, vals.size(), out);
    for (auto& v : vals) {
      cbor::EncodeHead(4, 4, out);
      cbor::EncodeHead(2, v.dot.device.b.size(), out);
      Append(out, v.dot.device.view());
      integer(static_cast<int64_t>(v.dot.seq), out);
      integer(static_cast<int64_t>(v.hlc), out);
      cbor::EncodeTo(v.value, out);
    }
  }
  return out;
}

Result<RecordState> DecodeRegisters(const Id16& id, RecordType type, const Id16& scope,
                                    ByteView blob) {
  auto bad = [] { return MakeError(ErrorCode::kCorrupt, "stored record registers are malformed"); };
  SHELTER_ASSIGN_OR_RETURN(cbor::Item doc, cbor::Decode(blob));
  auto* m = doc.as_map();
  if (!m) return bad();
  RecordState r{id, type, scope, {}};
  for (auto& [k, v] : *m) {
    auto* name = k.as_text();
    auto* arr = v.as_array();
    if (!name || !arr) return bad();
    auto& vals = r.fields[*name];
    for (auto& e : *arr) {
      auto* t = e.as_array();
      if (!t || t->size() != 4) return bad();
      auto* dev = (*t)[0].as_bytes();
      auto* seq = (*t)[1].as_int();
      auto* hlc = (*t)[2].as_int();
      if (!dev || !seq || !hlc) return bad();
      SHELTER_ASSIGN_OR_RETURN(Id16 did, Id16::FromBytes(View(*dev)));
      vals.push_back({{did, static_cast<uint64_t>(*seq)}, static_cast<Hlc>(*hlc), (*t)[3]});
    }
  }
  return r;
}

}  // namespace shelter::core
