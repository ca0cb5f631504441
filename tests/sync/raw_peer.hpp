// A certified device gone bad, for attack tests: it takes a tablet's own keys out of its data
// directory (as a thief with the PIN could) and speaks the sync protocol by hand, so it can send
// whatever bytes it likes after a valid handshake. Single-threaded.
#pragma once

#include <doctest/doctest.h>

#include <cstring>

#include "core/log/log_store.hpp"
#include "core/node/node.hpp"
#include "sync/frame.hpp"
#include "sync/noise.hpp"
#include "sync/session.hpp"

namespace shelter::test {

struct StolenKeys {
  core::crypto::Secret sign_sk, box_sk;
  core::Bytes cert;
  core::Id16 device;
};

inline StolenKeys StealKeys(const std::string& dir, const std::string& pin = "5678") {
  auto log = core::LogStore::Open(dir + "/log.db");
  REQUIRE(log.ok());
  auto staff = (*log)->StaffByHandle("lead");
  REQUIRE(staff.ok());
  REQUIRE(staff->has_value());
  const core::StaffRow& row = **staff;
  auto kek = core::crypto::DeriveKeyFromPin(
      pin, core::View(row.kdf_salt),
      {static_cast<uint64_t>(row.kdf_ops), static_cast<uint64_t>(row.kdf_mem)});
  REQUIRE(kek.ok());
  auto master = core::crypto::UnwrapSecret(*kek, core::View(row.wrapped_key));
  REQUIRE(master.ok());
  auto wrapped = (*log)->GetMeta("device_secrets");
  REQUIRE(wrapped.ok());
  auto secrets = core::crypto::UnwrapSecret(*master, core::View(**wrapped));
  REQUIRE(secrets.ok());
  REQUIRE(secrets->size() == 96);
  StolenKeys k;
  k.sign_sk = core::crypto::Secret(core::Bytes(secrets->data(), secrets->data() + 64));
  k.box_sk = core::crypto::Secret(core::Bytes(secrets->data() + 64, secrets->data() + 96));
  auto cert = (*log)->GetMeta("device_cert");
  REQUIRE(cert.ok());
  k.cert = **cert;
  return k;
}

// Drives a victim responder session by hand as the initiator.
class RawPeer {
 public:
  explicit RawPeer(const StolenKeys& keys) : keys_(keys) {
    sync::HandshakeConfig c;
    c.s = sync::NoiseStatic::FromSecret(keys.box_sk);
    std::string_view p = "shelterkit sync";
    c.prologue = core::Bytes(p.begin(), p.end());
    auto hs = sync::HandshakeState::Create(c);
    REQUIRE(hs.ok());
    hs_.emplace(std::move(hs).value());
  }

  // Runs the handshake against `victim`; afterwards Send() talks in the encrypted stream.
  void Handshake(sync::SyncSession& victim) {
    REQUIRE(victim.Start().ok());
    core::Bytes payload = core::cbor::Encode(core::cbor::Item(core::cbor::Array{1, 1}));
    auto m1 = hs_->WriteMessage(core::View(payload));
    REQUIRE(m1.ok());
    core::Bytes f;
    sync::AppendFrame(f, core::View(*m1));
    REQUIRE(victim.OnReceive(core::View(f)).ok());
    Receive(victim.TakeOutput());
    auto m3 = hs_->WriteMessage(core::View(
        core::cbor::Encode(core::cbor::Item(core::cbor::Array{core::cbor::Item(keys_.cert)}))));
    REQUIRE(m3.ok());
    core::Bytes f3;
    sync::AppendFrame(f3, core::View(*m3));
    transport_ = hs_->Split();
    REQUIRE(victim.OnReceive(core::View(f3)).ok());
    Receive(victim.TakeOutput());
  }

  // Encrypts `plain` (already message-encoded) into frames.
  core::Bytes Seal(core::ByteView plain) {
    core::Bytes out;
    for (size_t off = 0; off < plain.size(); off += sync::kNoiseMaxPlaintext) {
      auto ct = transport_->Encrypt(plain.substr(off, sync::kNoiseMaxPlaintext));
      REQUIRE(ct.ok());
      sync::AppendFrame(out, core::View(*ct));
    }
    return out;
  }

  void Receive(const core::Bytes& bytes) {
    frames_.Feed(core::View(bytes));
    while (true) {
      auto f = frames_.Next();
      REQUIRE(f.ok());
      if (!*f) return;
      if (!transport_) {
        auto p = hs_->ReadMessage(core::View(**f));
        REQUIRE(p.ok());
      } else {
        auto p = transport_->Decrypt(core::View(**f));
        REQUIRE(p.ok());
      }
    }
  }

  const StolenKeys& keys() const { return keys_; }

 private:
  StolenKeys keys_;
  std::optional<sync::HandshakeState> hs_;
  std::optional<sync::NoiseTransport> transport_;
  sync::FrameReader frames_;
};

}  // namespace shelter::test
