#include "core/log/op.hpp"

#include <algorithm>
#include <type_traits>

namespace shelter::core {

bool IsKnownRecordType(int64_t t) { return t >= 1 && t <= 8; }

cbor::Item OpToCbor(const Op& op) {
  cbor::Map fields;
  for (auto& w : op.fields) fields.emplace_back(cbor::Item(w.field), w.value);
  cbor::Array sup;
  for (auto& d : op.supersedes)
    sup.push_back(cbor::Array{cbor::Item(Bytes(d.device.b.begin(), d.device.b.end())),
                              cbor::Item(static_cast<int64_t>(d.seq))});
  return cbor::Array{
      cbor::Item(static_cast<int64_t>(op.dot.seq)),
      cbor::Item(static_cast<int64_t>(op.hlc)),
      cbor::Item(Bytes(op.staff.b.begin(), op.staff.b.end())),
      cbor::Item(Bytes(op.record.b.begin(), op.record.b.end())),
      cbor::Item(static_cast<int64_t>(op.type)),
      cbor::Item(std::move(fields)),
      cbor::Item(std::move(sup)),
  };
}

static Error Bad(const char* what) {
  return MakeError(ErrorCode::kParse, std::string("op: ") + what);
}

namespace {

// Const items are copied into the op; an item handed over (ItemT non-const) is moved from.
template <typename ItemT>
Result<Op> OpFrom(ItemT& item, const Id16& device) {
  constexpr bool kSteal = !std::is_const_v<ItemT>;
  auto* a = std::get_if<cbor::Array>(&item.v);
  if (!a || a->size() != 7) return Bad("not a 7-element array");
  auto* seq = (*a)[0].as_int();
  auto* hlc = (*a)[1].as_int();
  auto* staff = (*a)[2].as_bytes();
  auto* rec = (*a)[3].as_bytes();
  auto* type = (*a)[4].as_int();
  auto* fields = std::get_if<cbor::Map>(&(*a)[5].v);
  auto* sup = (*a)[6].as_array();
  if (!seq || *seq < 1 || !hlc || *hlc < 0 || !staff || !rec || !type || !fields || !sup)
    return Bad("wrong element types");
  if (!IsKnownRecordType(*type)) return Bad("unknown record type");
  if (fields->empty() || fields->size() > kMaxFieldsPerOp) return Bad("bad number of fields");
  if (sup->size() > kMaxSupersedesPerOp) return Bad("too many superseded dots");
  Op op;
  op.dot = {device, static_cast<uint64_t>(*seq)};
  op.hlc = static_cast<Hlc>(*hlc);
  SHELTER_ASSIGN_OR_RETURN(op.staff, Id16::FromBytes(View(*staff)));
  SHELTER_ASSIGN_OR_RETURN(op.record, Id16::FromBytes(View(*rec)));
  op.type = static_cast<RecordType>(*type);
  op.fields.reserve(fields->size());
  for (auto& [k, v] : *fields) {
    auto* name = std::get_if<std::string>(&k.v);
    if (!name || name->empty() || name->size() > kMaxFieldNameBytes) return Bad("bad field name");
    if (!op.fields.empty() && !(op.fields.back().field < *name)) return Bad("fields not sorted");
    if constexpr (kSteal)
      op.fields.push_back({std::move(*name), std::move(v)});
    else
      op.fields.push_back({*name, v});
  }
  op.supersedes.reserve(sup->size());
  for (auto& s : *sup) {
    auto* pair = s.as_array();
    if (!pair || pair->size() != 2) return Bad("bad superseded dot");
    auto* dev = (*pair)[0].as_bytes();
    auto* dseq = (*pair)[1].as_int();
    if (!dev || !dseq || *dseq < 1) return Bad("bad superseded dot");
    SHELTER_ASSIGN_OR_RETURN(Id16 did, Id16::FromBytes(View(*dev)));
    Dot d{did, static_cast<uint64_t>(*dseq)};
    if (!op.supersedes.empty() && !(op.supersedes.back() < d)) return Bad("dots not sorted");
    op.supersedes.push_back(d);
  }
  return op;
}

}  // namespace

Result<Op> OpFromCbor(const cbor::Item& item, const Id16& device) { return OpFrom(item, device); }
Result<Op> OpFromCbor(cbor::Item&& item, const Id16& device) { return OpFrom(item, device); }

}  // namespace shelter::core
