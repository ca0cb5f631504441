// The store behind sync is an interface (sync/sync_peer.hpp): a session runs against a fake store
// that is no Node, and the serve loop calls the store's group-commit hook after each session,
// before reporting it, and while it serves; a failing hook stops the server.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "core/model/entities.hpp"
#include "sync/node_peer.hpp"
#include "sync/tcp_link.hpp"
#include "tests/support/test_shelter.hpp"
#include "tests/sync/sync_harness.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace std::chrono_literals;
using shelter::test::RunLink;
using shelter::test::TestShelter;

namespace {

// A relay's store in memory: segments and certificates in maps, each segment checked against its
// device's certificate, trust items kept as they came. Its identity (certificate, keys) is a
// real device's, borrowed from that device's Node; nothing else of the Node is used.
class MemoryPeer : public sync::SyncPeer {
 public:
  explicit MemoryPeer(Node& identity) : id_(identity) {
    auto own = id_.log().DeviceCert(id_.device().device);
    REQUIRE(own.ok());
    REQUIRE(own->has_value());
    REQUIRE(AddDeviceCert(View(**own)).ok());
  }

  bool Unlocked() const override { return true; }
  const DeviceCert& device() const override { return id_.device(); }
  const crypto::PublicKey& root_pk() const override { return id_.root_pk(); }
  Result<std::array<uint8_t, 32>> StaticDh(const crypto::PublicKey& peer) const override {
    return id_.StaticDh(peer);
  }

  Result<sync::VersionVector> Vector() override {
    sync::VersionVector v;
    for (auto& [key, seg] : segments_)
      if (key.second == v[key.first] + 1) v[key.first] = key.second;
    std::erase_if(v, [](auto& e) { return e.second == 0; });
    return v;
  }
  Result<std::optional<Bytes>> SignedCert(const Id16& device) override {
    auto it = signed_.find(device);
    if (it == signed_.end()) return std::optional<Bytes>();
    return std::optional<Bytes>(it->second);
  }
  const DeviceCert* FindCert(const Id16& device) const override {
    auto it = certs_.find(device);
    return it == certs_.end() ? nullptr : &it->second;
  }
  Result<std::optional<Segment>> GetSegment(const Id16& device, uint64_t number) override {
    auto it = segments_.find({device, number});
    if (it == segments_.end()) return std::optional<Segment>();
    return std::optional<Segment>(it->second);
  }
  Result<std::vector<Bytes>> TrustItems() override { return trust_; }
  bool IsRevoked(const Id16&) const override { return false; }
  bool Admissible(const SegmentHeader&) const override { return true; }

  Result<bool> Ingest(ByteView wire) override {
    SHELTER_ASSIGN_OR_RETURN(Segment seg, ParseSegment(wire));
    const DeviceCert* author = FindCert(seg.header.device);
    if (!author) return MakeError(ErrorCode::kNotFound, "unknown device");
    SHELTER_TRY(VerifySegment(seg, author->sign_pk));
    return segments_.emplace(std::make_pair(seg.header.device, seg.header.number), seg).second;
  }
  Status AddDeviceCert(ByteView signed_cert) override {
    SHELTER_ASSIGN_OR_RETURN(DeviceCert c, VerifyDeviceCert(signed_cert, root_pk()));
    signed_[c.device] = Bytes(signed_cert.begin(), signed_cert.end());
    certs_[c.device] = c;
    return Ok();
  }
  Result<bool> AddTrustItem(ByteView item) override {
    Bytes b(item.begin(), item.end());
    if (std::find(trust_.begin(), trust_.end(), b) != trust_.end()) return false;
    trust_.push_back(std::move(b));
    return true;
  }
  Status RecordIncident(std::string_view, const Id16&, std::string_view) override {
    ++incidents;
    return Ok();
  }

  size_t segments() const { return segments_.size(); }
  int incidents = 0;

 private:
  Node& id_;
  std::map<std::pair<Id16, uint64_t>, Segment> segments_;
  std::map<Id16, Bytes> signed_;
  std::map<Id16, DeviceCert> certs_;
  std::vector<Bytes> trust_;
};

void AddPerson(Node& n, const Id16& scope, const std::string& name) {
  auto r =
      n.Commit(scope, {{Id16::Random(), RecordType::kPerson, {{field::kName, cbor::Item(name)}}}});
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
}

uint64_t Held(Node& n, const Id16& device) {
  auto v = sync::VectorOf(n.log());
  REQUIRE(v.ok());
  return v->count(device) ? v->at(device) : 0;
}

// A Node's store whose group-commit hook counts its calls; with `fail_at_session_end` it fails
// when a session ends (as an HQ store that cannot write its tables).
class HookedPeer : public sync::NodePeer {
 public:
  using NodePeer::NodePeer;
  Status OnBatchEnd(sync::BatchEnd at) override {
    if (at == sync::BatchEnd::kPoll) {
      ++polls;
      return Ok();
    }
    ++session_ends;
    if (fail_at_session_end) return MakeError(ErrorCode::kIo, "store failed");
    return Ok();
  }
  std::atomic<int> session_ends{0}, polls{0};
  bool fail_at_session_end = false;
};

// Serves `store` on 127.0.0.1 on this thread while `client` syncs `from` to it from another
// (once the server has polled its hook twice). Returns what ServeTcp returned.
Status ServeOneClient(HookedPeer& store, Node& from, sync::ServeOptions o,
                      Result<sync::TcpResult>& client) {
  o.bind = "127.0.0.1";
  o.port = 0;
  std::thread t;
  o.on_listening = [&](uint16_t port) {
    t = std::thread([&, port] {
      for (int i = 0; i < 500 && store.polls < 2; ++i) std::this_thread::sleep_for(10ms);
      sync::NodePeer peer(from);
      sync::TcpOptions opts;
      opts.timeout = 10s;
      client = sync::SyncOverTcp(peer, "127.0.0.1", port, opts);
    });
  };
  Status served = sync::ServeTcp(store, o);
  if (t.joinable()) t.join();
  return served;
}

}  // namespace

TEST_CASE("sync peer: a session runs against a store that is no Node, both ways") {
  TestShelter sh(3);
  AddPerson(sh.tablet(0), sh.shelter_id(), "a");
  AddPerson(sh.tablet(0), sh.shelter_id(), "b");
  const Id16 author = sh.tablet(0).device().device;
  MemoryPeer relay(sh.tablet(1));

  sync::NodePeer t0(sh.tablet(0)), t2(sh.tablet(2));
  auto in = RunLink(t0, relay);  // the fake as responder
  REQUIRE(in.finished);
  CHECK(in.stats_b.segments_new == relay.segments());  // tablet 0's and what it holds of others
  CHECK(relay.segments() >= Held(sh.tablet(0), author));
  REQUIRE(Held(sh.tablet(0), author) == 2);
  auto out = RunLink(relay, t2);  // and as initiator: tablet 2 gets tablet 0's data through it
  REQUIRE(out.finished);
  CHECK(Held(sh.tablet(2), author) == Held(sh.tablet(0), author));
  CHECK(relay.incidents == 0);
  CHECK(RunLink(relay, t2).stats_a.in_sync);
}

TEST_CASE("serve: the store's group-commit hook runs after each session, before it is reported") {
  TestShelter sh(2);
  AddPerson(sh.tablet(0), sh.shelter_id(), "a");
  HookedPeer store(sh.tablet(1));
  sync::ServeOptions o;
  o.max_sessions = 1;
  int hooked_when_reported = -1;
  o.on_session = [&](const Result<sync::TcpResult>&) { hooked_when_reported = store.session_ends; };
  Result<sync::TcpResult> client = MakeError(ErrorCode::kInternal, "not run");
  Status served = ServeOneClient(store, sh.tablet(0), o, client);
  REQUIRE_MESSAGE(served.ok(), served.error().ToString());
  REQUIRE_MESSAGE(client.ok(), client.error().ToString());
  CHECK(hooked_when_reported == 1);
  CHECK(store.session_ends == 1);
  CHECK(store.polls >= 2);  // and while serving
  CHECK(Held(sh.tablet(1), sh.tablet(0).device().device) >= 1);
}

TEST_CASE("serve: a failing group commit stops the server, which returns its error") {
  TestShelter sh(2);
  AddPerson(sh.tablet(0), sh.shelter_id(), "a");
  HookedPeer store(sh.tablet(1));
  store.fail_at_session_end = true;
  int reported = 0;
  sync::ServeOptions o;  // no session limit: only the failure stops the server
  o.on_session = [&](const Result<sync::TcpResult>&) { ++reported; };
  Result<sync::TcpResult> client = MakeError(ErrorCode::kInternal, "not run");
  Status served = ServeOneClient(store, sh.tablet(0), o, client);
  REQUIRE_MESSAGE(client.ok(), client.error().ToString());
  REQUIRE_FALSE(served.ok());
  CHECK(served.error().code == ErrorCode::kIo);
  CHECK(served.error().detail == "store failed");
  CHECK(reported == 1);  // the session is still reported, then the server stops
  CHECK(store.session_ends == 1);
}
