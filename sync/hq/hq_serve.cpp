#include "sync/hq/hq_serve.hpp"

#include <csignal>
#include <cstdint>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "sync/hq/hq_node.hpp"
#include "sync/tcp_link.hpp"

namespace shelter::hq {
namespace {

using nlohmann::ordered_json;

volatile std::sig_atomic_t g_stop = 0;  // set by SIGINT/SIGTERM
void OnSignal(int) { g_stop = 1; }

class Server {
 public:
  Server(const std::map<std::string, std::string>& opts, const std::set<std::string>& flags)
      : opts_(opts), json_(flags.count("json") > 0), discover_(flags.count("discover") > 0) {}

  int Run(const std::string& pin) {
    auto parsed = sync::ParseServeOptions(opts_, discover_);
    if (!parsed.ok()) return Fail(parsed.error().detail);
    sync::ServeOptions o = std::move(parsed).value();
    auto hq = HqNode::Open(Opt("data"), Opt("db"), Opt("user", "lead"), pin);
    if (!hq.ok()) return Fail(hq.error().ToString());
    hq_ = std::move(hq).value();

    o.on_listening = [&](uint16_t p) {
      Emit({{"listening", p}}, "listening on port " + std::to_string(p) + "\n");
    };
    o.on_session = [&](const core::Result<sync::TcpResult>& r) { OnSession(r); };
    o.on_warning = [](const std::string& w) { std::fprintf(stderr, "warning: %s\n", w.c_str()); };
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    o.should_stop = [] { return g_stop != 0; };
    // The HQ node flushes after every session and while data arrives (HqNode::OnBatchEnd).
    core::Status served = sync::ServeTcp(*hq_, o);
    // Whatever arrived before the stop is made durable and applied before exiting.
    core::Status last = hq_->Flush();
    if (!served.ok() && !hq_->last_flush().ok) {
      // A failing store stopped the server: its memory is ahead of the database, and a restart
      // rebuilds both from the log.
      std::fprintf(stderr, "shelter-hq: serve: the HQ store failed, stopping: %s\n",
                   served.error().ToString().c_str());
      return 1;
    }
    if (!served.ok()) return Fail(served.error().ToString());
    if (!last.ok()) return Fail("flush: " + last.error().ToString());
    return 0;
  }

 private:
  std::string Opt(const std::string& k, const std::string& d = "") const {
    auto it = opts_.find(k);
    return it == opts_.end() ? d : it->second;
  }

  int Fail(const std::string& what) const {
    std::fprintf(stderr, "shelter-hq: serve: %s\n", what.c_str());
    return 1;
  }

  void Emit(const ordered_json& j, const std::string& text) const {
    if (json_)
      std::printf("%s\n", j.dump().c_str());
    else
      std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
  }

  void OnSession(const core::Result<sync::TcpResult>& r) {
    // The HQ node has flushed what the session brought (HqNode::OnBatchEnd) before this call.
    double flush_ms = hq_->last_flush().ms;
    bool flushed = hq_->last_flush().ok;
    if (!r.ok()) {
      Emit({{"error", r.error().detail}, {"flushed", flushed}},
           "session failed: " + r.error().detail + "\n");
      return;
    }
    const auto& s = r->stats;
    uint64_t refused = s.segments_rejected + s.certs_rejected + s.trust_rejected;
    ordered_json j = {{"peer", r->peer_device},
                      {"in_sync", s.in_sync},
                      {"bytes_out", s.bytes_out},
                      {"bytes_in", s.bytes_in},
                      {"handshake_bytes", s.handshake_bytes_out + s.handshake_bytes_in},
                      {"segments_sent", s.segments_sent},
                      {"segments_new", s.segments_new},
                      {"segments_duplicate", s.segments_duplicate},
                      {"trust_new", s.trust_new},
                      {"rejected", refused},
                      {"reports", r->reports},
                      {"flushed", flushed},
                      {"flush_ms", flush_ms}};
    std::string peer = r->peer_device.empty() ? "?" : r->peer_device.substr(0, 8);
    std::string t;
    if (s.in_sync) {
      t = "peer " + peer + ": already in sync (" + std::to_string(s.bytes_out + s.bytes_in) +
          " bytes)\n";
    } else {
      char line[200];
      std::snprintf(line, sizeof line,
                    "peer %s: received %llu new segments (%llu already held), sent %llu; "
                    "%llu B in, %llu B out; flushed in %.1f ms\n",
                    peer.c_str(), static_cast<unsigned long long>(s.segments_new),
                    static_cast<unsigned long long>(s.segments_duplicate),
                    static_cast<unsigned long long>(s.segments_sent),
                    static_cast<unsigned long long>(s.bytes_in),
                    static_cast<unsigned long long>(s.bytes_out), flush_ms);
      t = line;
      if (refused) t += "  refused " + std::to_string(refused) + "\n";
      for (auto& rep : r->reports) t += "  refused: " + rep + "\n";
    }
    Emit(j, t);
  }

  const std::map<std::string, std::string>& opts_;
  bool json_, discover_;
  std::unique_ptr<HqNode> hq_;
};

}  // namespace

int RunServe(const std::map<std::string, std::string>& opts, const std::set<std::string>& flags,
             const std::string& pin) {
  Server server(opts, flags);
  return server.Run(pin);
}

}  // namespace shelter::hq
