#include "sync/bundle.hpp"

#include <set>

#include "sync/frame.hpp"

namespace shelter::sync {

using core::ErrorCode;
using core::MakeError;
using core::Result;

Result<core::Bytes> ExportBundle(core::Node& node, const VersionVector& peer) {
  SHELTER_ASSIGN_OR_RETURN(VersionVector mine, VectorOf(node.log()));
  core::Bytes out(kBundleMagic.begin(), kBundleMagic.end());
  SHELTER_ASSIGN_OR_RETURN(auto trust, node.TrustItems());
  for (auto& t : trust) AppendMessage(out, MsgType::kTrust, core::View(t));
  auto wants = MissingFrom(mine, peer);
  for (const Want& w : wants) {
    SHELTER_ASSIGN_OR_RETURN(auto cert, node.log().DeviceCert(w.device));
    if (cert) AppendMessage(out, MsgType::kCert, core::View(*cert));
  }
  uint64_t sent = 0;
  for (const Want& w : wants)
    for (uint64_t n = w.from_number; n <= w.to_number; ++n) {
      SHELTER_ASSIGN_OR_RETURN(auto seg, node.log().GetSegment(w.device, n));
      if (!seg) continue;
      AppendMessage(out, MsgType::kSegment, core::View(seg->wire));
      ++sent;
    }
  AppendMessage(out, MsgType::kDone, core::View(EncodeDone(sent)));
  return out;
}

Result<BundleImport> ImportBundle(core::Node& node, core::ByteView bytes) {
  if (bytes.substr(0, kBundleMagic.size()) != core::View(kBundleMagic))
    return MakeError(ErrorCode::kParse, "not a shelterkit bundle");
  MessageReader reader;
  reader.Feed(bytes.substr(kBundleMagic.size()));
  BundleImport r;
  bool done = false;
  while (!done) {
    SHELTER_ASSIGN_OR_RETURN(std::optional<Message> m, reader.Next());
    if (!m) return MakeError(ErrorCode::kParse, "bundle is cut short");
    core::ByteView body = core::View(m->body);
    switch (static_cast<MsgType>(m->type)) {
      case MsgType::kCert: {
        core::Status s = node.AddDeviceCert(body);
        if (s.ok()) {
          ++r.certs;
        } else {
          ++r.rejected;
          r.reports.push_back("certificate refused: " + s.error().detail);
        }
        break;
      }
      case MsgType::kSegment: {
        auto in = node.Ingest(body);
        if (in.ok()) {
          ++(*in ? r.segments_new : r.segments_duplicate);
        } else if (in.error().code == ErrorCode::kIo || in.error().code == ErrorCode::kInternal) {
          return in.error();
        } else {
          ++r.rejected;
          r.reports.push_back(std::string("segment refused (") +
                              core::ErrorCodeName(in.error().code) + "): " + in.error().detail);
        }
        break;
      }
      case MsgType::kTrust: {
        auto t = node.AddTrustItem(body);
        if (t.ok()) {
          r.trust += *t ? 1 : 0;
        } else {
          ++r.rejected;
          r.reports.push_back("trust item refused: " + t.error().detail);
        }
        break;
      }
      case MsgType::kDone: done = true; break;
      default: break;  // unknown types are skipped
    }
  }
  return r;
}

}  // namespace shelter::sync
