// shelter-sync-bench: replays the seeded sync workload (tools/bench/sync/workload.mjs) on three
// tablets with the real engine (segments, Noise sessions over an in-memory link) and prints one
// JSON line in the same shape as tools/bench/sync/peers.mjs, for tools/bench/sync/compare.sh.
// Usage: shelter-sync-bench TRACE.json [EDITS_PER_COMMIT]  (default 1: every edit its own commit;
// the tablets seal on demand, as the app does, so a sync sends one segment per device)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "sync/node_peer.hpp"
#include "sync/session.hpp"

using namespace shelter;
using namespace shelter::core;
using json = nlohmann::json;

namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  std::exit(1);
}
template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.error().ToString());
  return std::move(r).value();
}
void Must(Status s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.error().ToString());
}

struct Link {
  uint64_t bytes = 0, handshake = 0, flights = 0;
};

// One session over an in-memory link; a flight is one side's output delivered to the other.
void Sync(Node& a, Node& b, Link& link) {
  sync::NodePeer pa(a), pb(b);
  sync::SyncSession sa(pa, true), sb(pb, false);
  Must(sa.Start(), "start");
  Must(sb.Start(), "start");
  bool turn_a = true;
  for (int idle = 0; idle < 2;) {
    sync::SyncSession& from = turn_a ? sa : sb;
    sync::SyncSession& to = turn_a ? sb : sa;
    turn_a = !turn_a;
    Bytes out;
    for (Bytes c = from.TakeOutput(); !c.empty(); c = from.TakeOutput()) Append(out, View(c));
    if (out.empty()) {
      ++idle;
      continue;
    }
    idle = 0;
    ++link.flights;
    link.bytes += out.size();
    Must(to.OnReceive(View(out)), "sync");
  }
  if (!sa.Finished() || !sb.Finished()) Die("session did not finish");
  link.handshake += sa.stats().handshake_bytes_out + sb.stats().handshake_bytes_out;
}

double CpuMs() { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) Die("usage: shelter-sync-bench TRACE.json [EDITS_PER_COMMIT]");
  size_t per_commit = argc == 3 ? static_cast<size_t>(std::max(1, std::atoi(argv[2]))) : 1;
  std::ifstream in(argv[1]);
  json trace = json::parse(in, nullptr, false);
  if (trace.is_discarded()) Die("cannot read the trace");
  Must(crypto::InitCrypto(), "crypto");
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "shelter-sync-bench-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) Die("cannot create a temporary directory");
  std::string root = tmpl;

  NodeOptions opts;
  opts.pwhash = crypto::PwHashParams::ForTests();
  opts.seal_on_demand = true;  // as the tablet app: a peer's request seals what is unsealed
  auto admin = Must(
      Node::InitMunicipality(root + "/admin", "131016", "千代田区", "admin", "1234", opts), "init");
  Id16 shelter = DerivedId("shelter", "E1310100000001");
  std::vector<std::unique_ptr<Node>> t;
  for (int i = 0; i < 3; ++i) {
    std::string dir = root + "/t" + std::to_string(i);
    Must(admin->EnrollDevice(dir, shelter, DeviceRole::kTablet, "t" + std::to_string(i), "lead",
                             "5678"),
         "enroll");
  }
  auto certs = Must(admin->log().DeviceCerts(), "certs");
  for (int i = 0; i < 3; ++i) {
    t.push_back(Must(Node::Open(root + "/t" + std::to_string(i), opts), "open"));
    Must(t.back()->Login("lead", "5678"), "login");
    for (auto& c : certs) Must(t.back()->AddDeviceCert(View(c)), "cert");
  }

  // P1: registration burst on tablet 0 (households of up to 50 records per commit), shared.
  std::vector<Id16> ids;
  std::vector<OpDraft> batch;
  int64_t before = Must(t[0]->log().SegmentCount(), "count");
  for (auto& r : trace["records"]) {
    Id16 id = Must(Id16::FromHex(r["id"].get<std::string>()), "id");
    ids.push_back(id);
    batch.push_back({id,
                     RecordType::kPerson,
                     {{field::kName, cbor::Item(r["name"].get<std::string>())},
                      {field::kKana, cbor::Item(r["kana"].get<std::string>())},
                      {field::kDob, cbor::Item(r["dob"].get<std::string>())},
                      {field::kSex, cbor::Item(r["sex"].get<std::string>())},
                      {field::kStatus, cbor::Item(r["status"].get<std::string>())},
                      {field::kNote, cbor::Item(r["note"].get<std::string>())}}});
    if (batch.size() == 50) {
      Must(t[0]->Commit(shelter, batch), "commit");
      batch.clear();
    }
  }
  if (!batch.empty()) Must(t[0]->Commit(shelter, batch), "commit");
  Link setup;
  auto w0 = std::chrono::steady_clock::now();
  double s0 = CpuMs();
  Sync(*t[0], *t[1], setup);  // seals what tablet 0 committed, then sends it
  double initial_cpu_ms = CpuMs() - s0;
  double initial_wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count();
  uint64_t initial_bytes = setup.bytes;
  int64_t p1_segments = Must(t[0]->log().SegmentCount(), "count") - before;
  uint64_t full_bytes = 0;
  Must(t[0]->log().ForEachSegment([&](const Segment& s) {
    if (s.header.device == t[0]->device().device) full_bytes += s.wire.size();
    return Ok();
  }),
       "size");
  Sync(*t[0], *t[2], setup);

  // P2: the offline day: every edit its own commit by default (each acknowledged on its own),
  // or `per_commit` edits of one tablet per commit (one op per record per commit).
  std::vector<std::vector<OpDraft>> pending(3);
  auto flush = [&](int r) {
    if (!pending[r].empty()) Must(t[r]->Commit(shelter, pending[r]), "edit");
    pending[r].clear();
  };
  for (auto& e : trace["edits"]) {
    int r = e["replica"];
    Id16 id = ids.at(e["record"].get<size_t>());
    for (auto& d : pending[r])
      if (d.record == id) flush(r);
    pending[r].push_back(
        {id, RecordType::kPerson, {{field::kStatus, cbor::Item(e["value"].get<std::string>())}}});
    if (pending[r].size() >= per_commit) flush(r);
  }
  for (int r = 0; r < 3; ++r) flush(r);

  // P3: the reconcile syncs, measured.
  Link link;
  double c0 = CpuMs();
  for (auto& s : trace["syncs"]) Sync(*t[s[0].get<int>()], *t[s[1].get<int>()], link);
  double cpu_ms = CpuMs() - c0;
  Link settle, idle;
  Sync(*t[0], *t[2], settle);
  Sync(*t[0], *t[2], idle);

  int kept = 0;
  for (auto& h : trace["hot"]) {
    auto rec = Must(t[2]->state().Get(ids.at(h.get<size_t>())), "get");
    if (rec) kept += static_cast<int>(rec->fields[field::kStatus].size());
  }
  bool converged =
      Must(t[0]->state().StateHash(), "hash") == Must(t[2]->state().StateHash(), "hash") &&
      Must(t[1]->state().StateHash(), "hash") == Must(t[2]->state().StateHash(), "hash");
  json out = {{"peer", "shelterkit (" + std::to_string(per_commit) + " edit" +
                           (per_commit > 1 ? "s" : "") + " per commit)"},
              {"full_state_bytes", full_bytes},
              {"bytes", link.bytes},
              {"handshake_bytes", link.handshake},
              {"messages", link.flights},
              {"roundTrips", (link.flights + 1) / 2},
              {"cpu_ms", cpu_ms},
              {"hot_values_kept", kept},
              {"hot_values_written", trace["hot"].size() * 3},
              {"idle_check_bytes", idle.bytes},
              {"idle_check_bytes_after_handshake", idle.bytes - idle.handshake},
              {"segments_p1", p1_segments},
              {"initial_sync",
               {{"segments", p1_segments},
                {"bytes", initial_bytes},
                {"cpu_ms", initial_cpu_ms},
                {"wall_ms", initial_wall_ms}}},
              {"converged", converged}};
  std::cout << out.dump() << "\n";
  t.clear();
  admin.reset();
  std::filesystem::remove_all(root);
  return converged ? 0 : 1;
}
