#include "sync/version_vector.hpp"

#include "core/base/stmt_rows.hpp"
#include "core/codec/cbor.hpp"

namespace shelter::sync {

using core::Result;

Result<VersionVector> VectorOf(core::LogStore& log) {
  VersionVector v;
  SHELTER_ASSIGN_OR_RETURN(
      core::Stmt * st,
      log.db().Prepare("SELECT device, number FROM segments ORDER BY device, number"));
  SHELTER_TRY(core::ForEachRow(*st, [&](const core::Stmt& row) {
    auto dev = core::Id16::FromBytes(core::View(row.Blob(0)));
    if (!dev.ok()) return;
    uint64_t n = static_cast<uint64_t>(row.Int(1));
    uint64_t& run = v[*dev];
    if (n == run + 1) run = n;  // contiguous from 1; anything after a gap is not counted yet
  }));
  std::erase_if(v, [](auto& e) { return e.second == 0; });
  return v;
}

std::vector<Want> MissingFrom(const VersionVector& have, const VersionVector& peer) {
  std::vector<Want> out;
  for (auto& [dev, n] : have) {
    auto it = peer.find(dev);
    uint64_t theirs = it == peer.end() ? 0 : it->second;
    if (theirs < n) out.push_back({dev, theirs + 1, n});
  }
  return out;
}

core::Bytes EncodeVector(const VersionVector& v) {
  core::cbor::Map m;
  for (auto& [dev, n] : v)
    m.emplace_back(core::cbor::Item(core::Bytes(dev.b.begin(), dev.b.end())),
                   core::cbor::Item(static_cast<int64_t>(n)));
  return core::cbor::Encode(core::cbor::Item(std::move(m)));
}

Result<VersionVector> DecodeVector(core::ByteView bytes) {
  SHELTER_ASSIGN_OR_RETURN(core::cbor::Item doc, core::cbor::Decode(bytes));
  auto* m = doc.as_map();
  if (!m) return core::MakeError(core::ErrorCode::kParse, "version vector is not a map");
  VersionVector v;
  for (auto& [k, val] : *m) {
    auto* b = k.as_bytes();
    auto* n = val.as_int();
    if (!b || !n || *n < 1)
      return core::MakeError(core::ErrorCode::kParse, "bad version vector entry");
    SHELTER_ASSIGN_OR_RETURN(core::Id16 dev, core::Id16::FromBytes(core::View(*b)));
    if (!v.emplace(dev, static_cast<uint64_t>(*n)).second)
      return core::MakeError(core::ErrorCode::kParse, "duplicate device in version vector");
  }
  return v;
}

}  // namespace shelter::sync
