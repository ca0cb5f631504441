// Noise handshake and transport against the public cacophony test vectors (NN, KK, IK, XX), plus
// the failure paths the sync transport depends on.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "sync/noise.hpp"

using namespace shelter;
using namespace shelter::sync;

namespace {

Bytes Hex(const nlohmann::json& j, const char* key) {
  auto r = core::FromHex(j.at(key).get<std::string>());
  REQUIRE(r.ok());
  return *r;
}

core::crypto::Secret SecretHex(const nlohmann::json& j, const char* key) {
  return core::crypto::Secret(Hex(j, key));
}

Key32 KeyHex(const nlohmann::json& j, const char* key) {
  Bytes b = Hex(j, key);
  REQUIRE(b.size() == 32);
  Key32 k;
  std::copy(b.begin(), b.end(), k.begin());
  return k;
}

NoisePattern PatternOf(const std::string& name) {
  if (name.find("_NN_") != std::string::npos) return NoisePattern::kNN;
  if (name.find("_KK_") != std::string::npos) return NoisePattern::kKK;
  if (name.find("_IK_") != std::string::npos) return NoisePattern::kIK;
  return NoisePattern::kXX;
}

}  // namespace

TEST_CASE("noise: cacophony vectors for 25519/ChaChaPoly/SHA256") {
  REQUIRE(core::crypto::InitCrypto().ok());
  std::ifstream f(std::string(SHELTER_SOURCE_DIR) +
                  "/tests/sync/data/noise_vectors_25519_ChaChaPoly_SHA256.json");
  REQUIRE(f.good());
  auto doc = nlohmann::json::parse(f);
  int checked = 0;
  for (auto& v : doc.at("vectors")) {
    std::string name = v.at("protocol_name");
    CAPTURE(name);
    NoisePattern p = PatternOf(name);
    HandshakeConfig ic, rc;
    ic.pattern = rc.pattern = p;
    ic.initiator = true;
    rc.initiator = false;
    ic.prologue = Hex(v, "init_prologue");
    rc.prologue = Hex(v, "resp_prologue");
    ic.e = SecretHex(v, "init_ephemeral");
    rc.e = SecretHex(v, "resp_ephemeral");
    if (v.contains("init_static")) ic.s = NoiseStatic::FromSecret(SecretHex(v, "init_static"));
    if (v.contains("resp_static")) rc.s = NoiseStatic::FromSecret(SecretHex(v, "resp_static"));
    if (v.contains("init_remote_static")) ic.rs = KeyHex(v, "init_remote_static");
    if (v.contains("resp_remote_static")) rc.rs = KeyHex(v, "resp_remote_static");
    auto ini = HandshakeState::Create(ic);
    auto res = HandshakeState::Create(rc);
    REQUIRE(ini.ok());
    REQUIRE(res.ok());
    std::optional<NoiseTransport> ti, tr;
    size_t i = 0;
    for (auto& m : v.at("messages")) {
      Bytes payload = Hex(m, "payload");
      Bytes expect = Hex(m, "ciphertext");
      bool from_init = i % 2 == 0;
      if (!ti) {
        HandshakeState& w = from_init ? *ini : *res;
        HandshakeState& r = from_init ? *res : *ini;
        REQUIRE(w.IsMyTurn());
        auto ct = w.WriteMessage(core::View(payload));
        REQUIRE(ct.ok());
        CHECK(core::ToHex(core::View(*ct)) == core::ToHex(core::View(expect)));
        auto pt = r.ReadMessage(core::View(*ct));
        REQUIRE(pt.ok());
        CHECK(*pt == payload);
        if (ini->Finished()) {
          REQUIRE(res->Finished());
          CHECK(core::ToHex(core::ByteView(ini->handshake_hash().data(), 32)) ==
                v.at("handshake_hash").get<std::string>());
          CHECK(ini->handshake_hash() == res->handshake_hash());
          ti = ini->Split();
          tr = res->Split();
        }
      } else {
        NoiseTransport& w = from_init ? *ti : *tr;
        NoiseTransport& r = from_init ? *tr : *ti;
        auto ct = w.Encrypt(core::View(payload));
        REQUIRE(ct.ok());
        CHECK(core::ToHex(core::View(*ct)) == core::ToHex(core::View(expect)));
        auto pt = r.Decrypt(core::View(*ct));
        REQUIRE(pt.ok());
        CHECK(*pt == payload);
      }
      ++i;
    }
    CHECK(ti.has_value());
    ++checked;
  }
  CHECK(checked == 4);
}

TEST_CASE("noise: XX learns the peer's static key, tampering and replay fail") {
  REQUIRE(core::crypto::InitCrypto().ok());
  auto is = core::crypto::RandomSecret(32), rs = core::crypto::RandomSecret(32);
  HandshakeConfig ic, rc;
  ic.s = NoiseStatic::FromSecret(is);
  rc.s = NoiseStatic::FromSecret(rs);
  rc.initiator = false;
  auto a = HandshakeState::Create(ic);
  auto b = HandshakeState::Create(rc);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto m1 = a->WriteMessage(core::View("hello"));
  REQUIRE(m1.ok());
  REQUIRE(b->ReadMessage(core::View(*m1)).ok());
  auto m2 = b->WriteMessage({});
  REQUIRE(m2.ok());
  SUBCASE("a flipped bit in message 2 fails authentication") {
    (*m2)[40] ^= 1;
    auto r = a->ReadMessage(core::View(*m2));
    REQUIRE(!r.ok());
    CHECK(r.error().code == core::ErrorCode::kCrypto);
    CHECK(!a->IsMyTurn());  // unusable afterwards
  }
  SUBCASE("a truncated message 2 is a parse error") {
    auto r = a->ReadMessage(core::View(*m2).substr(0, 40));
    CHECK(!r.ok());
  }
  SUBCASE("complete, then transport messages cannot be replayed") {
    REQUIRE(a->ReadMessage(core::View(*m2)).ok());
    auto m3 = a->WriteMessage(core::View("cert"));
    REQUIRE(m3.ok());
    auto p3 = b->ReadMessage(core::View(*m3));
    REQUIRE(p3.ok());
    CHECK(*a->remote_static() == rc.s->pub);
    CHECK(*b->remote_static() == ic.s->pub);
    auto ta = a->Split();
    auto tb = b->Split();
    auto c = ta.Encrypt(core::View("x"));
    REQUIRE(c.ok());
    REQUIRE(tb.Decrypt(core::View(*c)).ok());
    CHECK(!tb.Decrypt(core::View(*c)).ok());  // same ciphertext, next nonce: rejected
  }
}

TEST_CASE("noise: a low-order remote ephemeral is refused") {
  REQUIRE(core::crypto::InitCrypto().ok());
  HandshakeConfig rc;
  rc.initiator = false;
  rc.s = NoiseStatic::FromSecret(core::crypto::RandomSecret(32));
  auto b = HandshakeState::Create(rc);
  REQUIRE(b.ok());
  Bytes m1(32, 0);                               // the all-zero point
  REQUIRE(b->ReadMessage(core::View(m1)).ok());  // "e" alone does no DH in XX message 1
  auto m2 = b->WriteMessage({});                 // "ee" with a zero point
  CHECK(!m2.ok());
}
