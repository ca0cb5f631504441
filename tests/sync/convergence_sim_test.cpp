// Specifies sync/session and sync/version_vector.
// The seeded convergence simulator (DESIGN §5): 3–8 replicas (tablets of one shelter, a tablet of
// another shelter that relays what it cannot read, sometimes HQ) edit concurrently with clocks
// off by up to a year, while a seeded schedule syncs random pairs over cut connections, delivers
// segments out of order and twice, partitions and heals the network, crashes replicas between
// storing a segment and applying it, and injects forged, replayed, unknown-device and
// equivocating segments. After healing, every replica must hold the same segments, readers of
// the same scopes the same state hash (also after a rebuild), no accepted op may be lost, the
// attacks must have changed nothing, and the relay's files must hold none of the canaries.
// SHELTER_SIM_SEEDS overrides the seed count (default 200).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>

#include "core/model/entities.hpp"
#include "sync/version_vector.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_shelter.hpp"
#include "tests/sync/sync_harness.hpp"

using namespace shelter;
using namespace shelter::core;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kYearMs = 365LL * 24 * 3600 * 1000;
constexpr int kMaxTablets = 6;
constexpr int kForkSegments = 2;

// Runs on tmpfs when there is one: the simulator exercises the protocol, not fsync latency
// (durability has its own tests in core).
struct FastTmp {
  std::string old;
  bool had = false;
  FastTmp() {
    if (const char* t = std::getenv("TMPDIR")) had = true, old = t;
    std::error_code ec;
    if (fs::is_directory("/dev/shm", ec)) setenv("TMPDIR", "/dev/shm", 1);
  }
  ~FastTmp() { had ? setenv("TMPDIR", old.c_str(), 1) : unsetenv("TMPDIR"); }
};

// Devices enrolled once; every seed copies the directories it uses.
struct Template {
  FastTmp fast;
  test::TestShelter shelter{kMaxTablets, nullptr, false};
  Id16 other = DerivedId("shelter", "E1310100000002");
  std::string relay, hq, fork;
  std::unique_ptr<test::TestShelter> rogue;  // another municipality
  Bytes rogue_segment;

  Template() {
    relay = shelter.root() + "/relay";
    hq = shelter.root() + "/hq";
    fork = shelter.root() + "/fork";
    REQUIRE(shelter.admin()
                .EnrollDevice(relay, other, DeviceRole::kTablet, "relay", "lead", "5678")
                .ok());
    REQUIRE(shelter.admin().EnrollDevice(hq, Id16{}, DeviceRole::kHq, "hq", "lead", "5678").ok());
    fs::copy(shelter.tablet_dir(0), fork, fs::copy_options::recursive);  // a restored backup
    rogue = std::make_unique<test::TestShelter>(1);
    REQUIRE(
        rogue->tablet(0)
            .Commit(rogue->shelter_id(),
                    {{Id16::Random(), RecordType::kPerson, {{field::kName, cbor::Item("rogue")}}}})
            .ok());
    auto seg = rogue->tablet(0).log().GetSegment(rogue->tablet(0).device().device, 1);
    REQUIRE(seg.ok());
    rogue_segment = (*seg)->wire;
  }
};

struct Replica {
  std::string name, dir;
  std::unique_ptr<Node> node;
  int64_t skew_ms = 0;
  bool reads_a = false, reads_b = false;
  Id16 writes;  // scope it writes into; zero = read-only
  int side = 0;
};

struct OpInfo {
  Id16 record;
  Id16 scope;
  std::vector<std::string> fields;
  std::set<Dot> supersedes;
};

class Sim {
 public:
  Sim(uint64_t seed, Template& t) : seed_(seed), rng_(seed), t_(t) {}

  void Run() {
    Setup();
    int steps = 12 + Pick(28);
    for (int i = 0; i < steps; ++i) Step();
    Finish();
  }
  int sessions = 0, cuts = 0, attacks = 0, crashes = 0;

 private:
  uint64_t Pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  void Setup() {
    int tablets = 2 + static_cast<int>(Pick(kMaxTablets - 1));  // 2..6
    bool with_hq = tablets < 6 && Chance(0.5);
    auto add = [&](const std::string& name, const std::string& src, Id16 writes) {
      Replica r;
      r.name = name;
      r.dir = dir_.Sub(name);
      fs::copy(src, r.dir, fs::copy_options::recursive);
      int64_t skews[] = {0, 0, kYearMs, -kYearMs, 90'000, -3'600'000};
      r.skew_ms = skews[Pick(6)];
      r.writes = writes;
      reps_.push_back(std::move(r));
      Open(reps_.size() - 1);
      reps_.back().reads_a = reps_.back().node->HasScopeKey(t_.shelter.shelter_id());
      reps_.back().reads_b = reps_.back().node->HasScopeKey(t_.other);
    };
    for (int i = 0; i < tablets; ++i)
      add("tablet" + std::to_string(i), t_.shelter.tablet_dir(i), t_.shelter.shelter_id());
    add("relay", t_.relay, t_.other);
    if (with_hq) add("hq", t_.hq, Id16{});
    REQUIRE(reps_.size() >= 3);
    REQUIRE(reps_.size() <= 8);
    // The fork: tablet 0's identity from a restored backup, writing its own segments 1..k.
    fs::copy(t_.fork, dir_.Sub("fork"), fs::copy_options::recursive);
    auto fork = t_.shelter.OpenLoggedIn(dir_.Sub("fork"));
    for (int i = 0; i < kForkSegments; ++i) {
      auto r = fork->Commit(
          t_.shelter.shelter_id(),
          {{Id16::Random(), RecordType::kPerson, {{field::kName, cbor::Item("fork")}}}});
      REQUIRE(r.ok());
      fork_.push_back((*fork->log().GetSegment(fork->device().device, i + 1))->wire);
    }
    forked_device_ = fork->device().device;
    REQUIRE(forked_device_ == reps_[0].node->device().device);
  }

  void Open(size_t i) {
    Replica& r = reps_[i];
    r.node.reset();
    NodeOptions o = t_.shelter.options();
    int64_t* now = &now_ms_;
    int64_t skew = r.skew_ms;
    o.now_ms = [now, skew] { return *now + skew; };
    r.node = t_.shelter.OpenLoggedIn(r.dir, o);
  }

  bool Connected(size_t a, size_t b) const { return reps_[a].side == reps_[b].side; }

  void Step() {
    now_ms_ += 1 + static_cast<int64_t>(Pick(5000));
    switch (Pick(12)) {
      case 0:
      case 1:
      case 2:
      case 3: Edit(); break;
      case 4:
      case 5:
      case 6: SyncPair(); break;
      case 7:
      case 8: Deliver(); break;
      case 9: Crash(); break;
      case 10: Partition(); break;
      case 11: Attack(); break;
    }
  }

  void Edit() {
    size_t w = Pick(reps_.size());
    Replica& r = reps_[w];
    if (r.writes.IsZero()) return;
    auto& records = records_[r.writes];
    std::vector<OpDraft> drafts;
    std::vector<OpInfo> infos;
    std::set<Id16> used;
    int n = 1 + static_cast<int>(Pick(3));
    for (int i = 0; i < n; ++i) {
      OpDraft d{Id16{}, RecordType::kPerson, {}};
      if (records.empty() || Chance(0.3)) {
        d.record = Id16::Random();
        records.push_back(d.record);
        d.fields = {{field::kName, cbor::Item(Canary())}, {field::kNote, cbor::Item("new")}};
      } else {
        d.record = records[Pick(std::min<size_t>(records.size(), 6))];  // a few hot records
        if (Chance(0.1)) {
          d.fields = {{field::kDeleted, cbor::Item(true)},
                      {field::kName, cbor::Item(cbor::Null{})}};
        } else if (Chance(0.5)) {
          d.fields = {{field::kNote, cbor::Item(r.name + "-" + std::to_string(now_ms_))}};
        } else {
          d.fields = {{field::kName, cbor::Item(Canary())}, {field::kNote, cbor::Item("both")}};
        }
      }
      if (!used.insert(d.record).second) continue;  // one op per record per commit
      OpInfo info{d.record, r.writes, {}, {}};
      auto cur = r.node->state().Get(d.record);
      REQUIRE(cur.ok());
      for (auto& f : d.fields) {
        info.fields.push_back(f.field);
        if (*cur)
          for (auto& dot : (*cur)->Seen(f.field)) info.supersedes.insert(dot);
      }
      drafts.push_back(std::move(d));
      infos.push_back(std::move(info));
    }
    auto dots = r.node->Commit(r.writes, drafts);
    REQUIRE_MESSAGE(dots.ok(), dots.error().ToString());
    for (size_t i = 0; i < dots->size(); ++i) ops_[(*dots)[i]] = infos[i];
  }

  std::string Canary() {
    return "CANARY-" + std::to_string(seed_) + "-" + std::to_string(canaries_++);
  }

  void SyncPair() {
    size_t a = Pick(reps_.size()), b = Pick(reps_.size());
    if (a == b || !Connected(a, b)) return;
    std::optional<uint64_t> cut;
    if (Chance(0.25)) cut = 100 + Pick(3000);
    auto run = test::RunLink(*reps_[a].node, *reps_[b].node, cut);
    ++sessions;
    if (run.cut) ++cuts;
    CHECK_MESSAGE(run.a.ok(), run.a.error().ToString());
    CHECK_MESSAGE(run.b.ok(), run.b.error().ToString());
    CHECK(run.stats_a.segments_rejected + run.stats_b.segments_rejected == 0);
    if (!run.cut) CHECK(run.finished);
  }

  // Store-and-forward without a session: certificates, then some segments out of order and twice.
  void Deliver() {
    size_t a = Pick(reps_.size()), b = Pick(reps_.size());
    if (a == b || !Connected(a, b)) return;
    Node& src = *reps_[a].node;
    Node& dst = *reps_[b].node;
    auto certs = src.log().DeviceCerts();
    REQUIRE(certs.ok());
    for (auto& c : *certs) REQUIRE(dst.AddDeviceCert(View(c)).ok());
    std::vector<Bytes> segs;
    REQUIRE(src.log()
                .ForEachSegment([&](const Segment& s) {
                  if (Chance(0.5)) segs.push_back(s.wire);
                  if (Chance(0.1)) segs.push_back(s.wire);  // duplicated
                  return Ok();
                })
                .ok());
    std::shuffle(segs.begin(), segs.end(), rng_);
    for (auto& w : segs) {
      auto r = dst.Ingest(View(w));
      CHECK_MESSAGE(r.ok(), r.error().ToString());
    }
  }

  // A segment reaches the log, then the process dies before the state sees it; restart.
  void Crash() {
    size_t a = Pick(reps_.size()), b = Pick(reps_.size());
    if (a == b) return;
    auto mine = sync::VectorOf(reps_[b].node->log());
    auto theirs = sync::VectorOf(reps_[a].node->log());
    REQUIRE(mine.ok());
    REQUIRE(theirs.ok());
    auto wants = sync::MissingFrom(*theirs, *mine);
    if (!wants.empty()) {
      auto& w = wants[Pick(wants.size())];
      if (reps_[b].node->FindCert(w.device)) {
        auto seg = reps_[a].node->log().GetSegment(w.device, w.from_number);
        REQUIRE(seg.ok());
        REQUIRE(seg->has_value());
        Transaction tx(reps_[b].node->log().db());
        REQUIRE(tx.Begin().ok());
        REQUIRE(reps_[b].node->log().PutSegment(**seg).ok());
        REQUIRE(tx.Commit().ok());
      }
    }
    Open(b);
    ++crashes;
  }

  void Partition() {
    if (Chance(0.4)) {
      for (auto& r : reps_) r.side = 0;
    } else {
      for (auto& r : reps_) r.side = static_cast<int>(Pick(2));
    }
  }

  void Attack() {
    size_t v = Pick(reps_.size());
    Node& n = *reps_[v].node;
    auto before = n.state().StateHash();
    REQUIRE(before.ok());
    auto segs_before = n.log().SegmentCount();
    ++attacks;
    switch (Pick(5)) {
      case 0: {  // forged: a stored segment with one byte changed
        std::vector<Bytes> all;
        REQUIRE(n.log()
                    .ForEachSegment([&](const Segment& s) {
                      all.push_back(s.wire);
                      return Ok();
                    })
                    .ok());
        Bytes w = all[Pick(all.size())];
        size_t at = kSegmentHeaderBytes + 4 + Pick(w.size() - kSegmentHeaderBytes - 4);
        w[at] ^= static_cast<uint8_t>(1 + Pick(255));
        auto r = n.Ingest(View(w));
        CHECK(!r.ok());
        break;
      }
      case 1: {  // replayed
        std::vector<Bytes> all;
        REQUIRE(n.log()
                    .ForEachSegment([&](const Segment& s) {
                      all.push_back(s.wire);
                      return Ok();
                    })
                    .ok());
        auto r = n.Ingest(View(all[Pick(all.size())]));
        REQUIRE(r.ok());
        CHECK(!*r);
        break;
      }
      case 2: {  // unknown device (another municipality)
        auto r = n.Ingest(View(t_.rogue_segment));
        CHECK(!r.ok());
        break;
      }
      case 3: {  // equivocation, where the honest segment with that number is already held
        auto tip = n.log().Tip(forked_device_);
        REQUIRE(tip.ok());
        size_t k = Pick(kForkSegments);
        if (*tip && (*tip)->number > k) {
          auto r = n.Ingest(View(fork_[k]));
          REQUIRE(!r.ok());
          CHECK(r.error().code == ErrorCode::kConflict);
        }
        break;
      }
      case 4: {  // a rogue device tries a session
        auto run = test::RunLink(t_.rogue->tablet(0), n);
        CHECK(!run.finished);
        CHECK(!run.a.ok());
        break;
      }
    }
    auto after = n.state().StateHash();
    REQUIRE(after.ok());
    CHECK(*after == *before);
    CHECK(n.log().SegmentCount().value() == segs_before.value());
  }

  void Finish() {
    for (auto& r : reps_) r.side = 0;
    // Make sure tablet 0 has written past the fork, so every equivocation below is detectable.
    for (int i = 0; i < kForkSegments; ++i) {
      auto& r = reps_[0];
      auto cur = r.node->log().Tip(r.node->device().device);
      if (*cur && (*cur)->number >= static_cast<uint64_t>(kForkSegments)) break;
      Id16 id = Id16::Random();
      records_[r.writes].push_back(id);
      auto dots = r.node->Commit(
          r.writes, {{id, RecordType::kPerson, {{field::kName, cbor::Item(Canary())}}}});
      REQUIRE(dots.ok());
      ops_[(*dots)[0]] = OpInfo{id, r.writes, {field::kName}, {}};
    }
    // Heal through a hub: everyone to the hub, the hub to everyone, then a round that must be
    // all in sync. (The random phase above already mixed arbitrary topologies.)
    size_t hub = Pick(reps_.size());
    bool quiet = false;
    for (int round = 0; round < 4 && !quiet; ++round) {
      quiet = true;
      std::vector<size_t> order;
      for (size_t i = 0; i < reps_.size(); ++i)
        if (i != hub) order.push_back(i);
      std::shuffle(order.begin(), order.end(), rng_);
      for (size_t i : order) {
        bool from_hub = Chance(0.5);
        auto run = test::RunLink(*reps_[from_hub ? hub : i].node, *reps_[from_hub ? i : hub].node);
        REQUIRE_MESSAGE(run.a.ok(), run.a.error().ToString());
        REQUIRE_MESSAGE(run.b.ok(), run.b.error().ToString());
        REQUIRE(run.finished);
        if (!run.stats_a.in_sync) quiet = false;
      }
    }
    REQUIRE_MESSAGE(quiet, "no quiescence after 4 rounds, seed " << seed_);

    // Same segments everywhere; equal hashes for equal readers, also after a rebuild.
    auto v0 = sync::VectorOf(reps_[0].node->log());
    REQUIRE(v0.ok());
    std::map<std::pair<bool, bool>, Hash32> by_keys;
    for (size_t i = 0; i < reps_.size(); ++i) {
      Node& n = *reps_[i].node;
      CHECK(sync::VectorOf(n.log()).value() == *v0);
      Hash32 h = n.state().StateHash().value();
      auto [it, fresh] = by_keys.emplace(std::make_pair(reps_[i].reads_a, reps_[i].reads_b), h);
      CHECK_MESSAGE(it->second == h, "state differs at " << reps_[i].name << ", seed " << seed_);
      REQUIRE(n.Rebuild().ok());
      CHECK(n.state().StateHash().value() == h);
      for (auto& f : fork_) {  // equivocation: refused everywhere, nothing changes
        auto r = n.Ingest(View(f));
        REQUIRE(!r.ok());
        CHECK(r.error().code == ErrorCode::kConflict);
      }
      CHECK(n.state().StateHash().value() == h);
    }
    // Every op written is stored everywhere (the log) ...
    std::map<Id16, uint64_t> per_device;
    for (auto& [dot, info] : ops_)
      per_device[dot.device] = std::max(per_device[dot.device], dot.seq);
    for (auto& r : reps_)
      for (auto& [dev, seq] : per_device) {
        auto tip = r.node->log().Tip(dev);
        REQUIRE(tip.ok());
        REQUIRE(tip->has_value());
        CHECK((*tip)->last_seq == seq);
      }
    // ... and visible to every reader of its scope, or superseded by an op that saw it.
    std::map<std::pair<Id16, std::string>, std::set<Dot>> superseded;
    for (auto& [dot, info] : ops_)
      for (auto& f : info.fields)
        superseded[{info.record, f}].insert(info.supersedes.begin(), info.supersedes.end());
    for (auto& r : reps_) {
      for (auto& [dot, info] : ops_) {
        bool readable = info.scope == t_.shelter.shelter_id() ? r.reads_a : r.reads_b;
        if (!readable) continue;
        auto rec = r.node->state().Get(info.record);
        REQUIRE(rec.ok());
        REQUIRE_MESSAGE(rec->has_value(), "record lost at " << r.name << ", seed " << seed_);
        for (auto& f : info.fields) {
          auto& values = (*rec)->fields[f];
          bool present =
              std::any_of(values.begin(), values.end(), [&](auto& v) { return v.dot == dot; });
          bool gone = superseded[{info.record, f}].count(dot) > 0;
          CHECK_MESSAGE(present != gone,
                        "op lost or kept wrongly at " << r.name << ", seed " << seed_);
        }
      }
    }
    // The relay never held shelter A's plaintext.
    for (auto& r : reps_) {
      if (r.reads_a) continue;
      r.node.reset();
      for (auto& e : fs::directory_iterator(r.dir)) {
        std::ifstream f(e.path(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(f)), {});
        CHECK_MESSAGE(bytes.find("CANARY-" + std::to_string(seed_)) == std::string::npos,
                      "plaintext in " << e.path().filename() << ", seed " << seed_);
      }
    }
  }

  uint64_t seed_;
  std::mt19937_64 rng_;
  Template& t_;
  test::TempDir dir_{"shelterkit-sim"};
  std::vector<Replica> reps_;
  std::vector<Bytes> fork_;
  Id16 forked_device_;
  std::map<Id16, std::vector<Id16>> records_;
  std::map<Dot, OpInfo> ops_;
  int64_t now_ms_ = 1'780'000'000'000;
  int canaries_ = 0;
};

}  // namespace

TEST_CASE("convergence simulator: seeded schedules over 3-8 replicas") {
  int seeds = 200;
  if (const char* s = std::getenv("SHELTER_SIM_SEEDS")) seeds = std::atoi(s);
  Template t;
  FastTmp fast;
  int sessions = 0, cuts = 0, attacks = 0, crashes = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    Sim sim(static_cast<uint64_t>(seed), t);
    sim.Run();
    sessions += sim.sessions;
    cuts += sim.cuts;
    attacks += sim.attacks;
    crashes += sim.crashes;
  }
  MESSAGE(seeds << " seeds: " << sessions << " sessions (" << cuts << " cut), " << crashes
                << " crashes, " << attacks << " attacks");
  CHECK(cuts > 0);
  CHECK(attacks > 0);
}
