// Bundles: the certificates and segments of a device's log in one file, for a USB stick or any
// file channel (sync/PROTOCOL.md "Bundles"). Segments stay encrypted and signed; importing checks
// each one exactly as a sync session does. One thread at a time; borrows the Node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/node.hpp"
#include "sync/version_vector.hpp"

namespace shelter::sync {

constexpr std::string_view kBundleMagic = "SKB1";

// Everything `node` holds that a peer with vector `peer` lacks (everything by default), with the
// certificates of the devices involved.
core::Result<core::Bytes> ExportBundle(core::Node& node, const VersionVector& peer = {});

struct BundleImport {
  uint64_t certs = 0, trust = 0, segments_new = 0, segments_duplicate = 0, rejected = 0;
  std::vector<std::string> reports;  // what was refused and why; no personal data
};
// kParse when the file is not a bundle or is cut short (what came before is kept: each segment
// is committed on its own); refused items are counted and reported, not fatal.
core::Result<BundleImport> ImportBundle(core::Node& node, core::ByteView bytes);

}  // namespace shelter::sync
