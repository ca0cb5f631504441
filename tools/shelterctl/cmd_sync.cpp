// shelterctl commands that move the op log between devices: sync with a peer over TCP, serve
// as a long-running peer, and bundles for a USB stick or any file channel.
#include <csignal>
#include <cstdio>
#include <iostream>

#include "core/ops/master_data.hpp"
#include "sync/bundle.hpp"
#include "sync/node_peer.hpp"
#include "sync/tcp_link.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {
namespace {

using core::ErrorCode;
using core::MakeError;

volatile std::sig_atomic_t g_stop = 0;  // set by SIGINT/SIGTERM while serving
void OnSignal(int) { g_stop = 1; }

json StatsJson(const sync::TcpResult& r) {
  const auto& s = r.stats;
  return {{"peer", r.peer_device},
          {"in_sync", s.in_sync},
          {"bytes_out", s.bytes_out},
          {"bytes_in", s.bytes_in},
          {"handshake_bytes", s.handshake_bytes_out + s.handshake_bytes_in},
          {"segments_sent", s.segments_sent},
          {"segments_new", s.segments_new},
          {"segments_duplicate", s.segments_duplicate},
          {"rejected", s.segments_rejected + s.certs_rejected},
          {"reports", r.reports}};
}

std::string StatsText(const sync::TcpResult& r) {
  const auto& s = r.stats;
  std::string peer = r.peer_device.empty() ? "?" : r.peer_device.substr(0, 8);
  if (s.in_sync)
    return "peer " + peer + ": already in sync (" + std::to_string(s.bytes_out + s.bytes_in) +
           " bytes)\n";
  std::string t = "peer " + peer + ": sent " + std::to_string(s.segments_sent) +
                  " segments, received " + std::to_string(s.segments_new) + " new (" +
                  std::to_string(s.bytes_out) + " B out, " + std::to_string(s.bytes_in) + " B in)";
  if (s.segments_rejected + s.certs_rejected)
    t += ", refused " + std::to_string(s.segments_rejected + s.certs_rejected);
  t += "\n";
  for (auto& rep : r.reports) t += "  refused: " + rep + "\n";
  return t;
}

Result<int64_t> IntOpt(const Context& ctx, const char* name, int64_t fallback) {
  auto v = ctx.args.Opt(name);
  if (!v) return fallback;
  try {
    return std::stoll(*v);
  } catch (...) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("--") + name + " needs a number");
  }
}

}  // namespace

Status CmdSync(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(std::string peer, ctx.args.Need("peer"));
  SHELTER_ASSIGN_OR_RETURN(auto hp, sync::ParseHostPort(peer));
  SHELTER_ASSIGN_OR_RETURN(int64_t timeout, IntOpt(ctx, "timeout", 60));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  sync::TcpOptions o;
  o.timeout = std::chrono::seconds(timeout);
  sync::NodePeer store(*node);
  SHELTER_ASSIGN_OR_RETURN(sync::TcpResult r, sync::SyncOverTcp(store, hp.first, hp.second, o));
  Emit(ctx, StatsJson(r), StatsText(r));
  return core::Ok();
}

Status CmdServe(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(sync::ServeOptions o,
                           sync::ParseServeOptions(ctx.args.options, ctx.args.Flag("discover")));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  o.on_listening = [&](uint16_t p) {
    Emit(ctx, {{"listening", p}}, "listening on port " + std::to_string(p) + "\n");
  };
  o.on_warning = [](const std::string& w) { std::fprintf(stderr, "warning: %s\n", w.c_str()); };
  o.on_session = [&](const Result<sync::TcpResult>& r) {
    if (r.ok()) {
      Emit(ctx, StatsJson(*r), StatsText(*r));
    } else {
      Emit(ctx, {{"error", r.error().detail}}, "session failed: " + r.error().detail + "\n");
    }
  };
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  o.should_stop = [] { return g_stop != 0; };
  sync::NodePeer store(*node);
  return sync::ServeTcp(store, o);
}

Status CmdDeviceRevoke(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument,
                     "device revoke needs one DEVICE_ID (or a unique prefix; see `device list`)");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Id16 dev, core::FindDeviceByPrefix(*node, ctx.args.positional[0]));
  SHELTER_ASSIGN_OR_RETURN(uint32_t epoch, node->RevokeDevice(dev));
  Emit(ctx, {{"revoked", dev.Hex()}, {"epoch", epoch}},
       "revoked device " + dev.Hex() + "; its shelter's scope key is now at epoch " +
           std::to_string(epoch) + " (sync to spread it)\n");
  return core::Ok();
}

Status CmdBundleExport(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "bundle export needs one FILE");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  std::string path = ctx.args.positional[0];
  sync::NodePeer store(*node);
  SHELTER_ASSIGN_OR_RETURN(uint64_t bytes, sync::WriteBundleFile(store, path));
  Emit(ctx, {{"file", path}, {"bytes", bytes}},
       "wrote " + std::to_string(bytes) + " bytes to " + path + "\n");
  return core::Ok();
}

Status CmdBundleImport(Context& ctx) {
  if (ctx.args.positional.size() != 1)
    return MakeError(ErrorCode::kInvalidArgument, "bundle import needs one FILE");
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  // Streamed: the file is read in pieces, never held whole.
  sync::NodePeer store(*node);
  SHELTER_ASSIGN_OR_RETURN(sync::BundleImport r,
                           sync::ImportBundleFile(store, ctx.args.positional[0]));
  std::string text = "imported " + std::to_string(r.segments_new) + " new segments (" +
                     std::to_string(r.segments_duplicate) + " already held, " +
                     std::to_string(r.rejected) + " refused)\n";
  for (auto& rep : r.reports) text += "  refused: " + rep + "\n";
  json j = {{"segments_new", r.segments_new},
            {"segments_duplicate", r.segments_duplicate},
            {"certs", r.certs},
            {"rejected", r.rejected},
            {"reports", r.reports}};
  if (r.rejected == 0) {
    Emit(ctx, j, text);
    return core::Ok();
  }
  // A partly refused bundle is a failure for scripts: what was good is kept, the exit is non-zero.
  if (!ctx.json) std::cout << text;
  return MakeError(ErrorCode::kCrypto, "bundle partly refused: " + std::to_string(r.rejected) +
                                           " refused, " + std::to_string(r.segments_new) +
                                           " new segments kept" +
                                           (r.reports.empty() ? "" : "; first: " + r.reports[0]));
}

}  // namespace shelter::tools
