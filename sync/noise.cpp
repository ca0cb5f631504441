// Noise (revision 34) for 25519 / ChaChaPoly / SHA256 (see noise.hpp).
//
// [SECTION] index
//   Patterns         the NN, KK, IK and XX message patterns, HMAC-SHA256
//   HKDF             NoiseHkdf
//   CipherState      InitializeKey, EncryptWithAd, DecryptWithAd
//   SymmetricState   MixKey, MixHash, EncryptAndHash, DecryptAndHash, Split
//   Keys             X25519, X25519Public, NoiseStatic, NoisePatternName
//   HandshakeState   Create, MixDh, WriteMessage, ReadMessage, Split
#include "sync/noise.hpp"

#include <cstring>

#include <sodium.h>

namespace shelter::sync {
namespace {

using core::ErrorCode;
using core::MakeError;

// [SECTION] Patterns ------------------------------------------------------------------------------

// Tokens of one handshake pattern (Noise spec §7). "es" names (initiator key, responder key).
struct PatternDef {
  bool pre_initiator_s;
  bool pre_responder_s;
  std::vector<std::vector<std::string_view>> messages;
};

const PatternDef& Def(NoisePattern p) {
  static const PatternDef kNn{false, false, {{"e"}, {"e", "ee"}}};
  static const PatternDef kKk{true, true, {{"e", "es", "ss"}, {"e", "ee", "se"}}};
  static const PatternDef kIk{false, true, {{"e", "es", "s", "ss"}, {"e", "ee", "se"}}};
  static const PatternDef kXx{false, false, {{"e"}, {"e", "ee", "s", "es"}, {"s", "se"}}};
  switch (p) {
    case NoisePattern::kNN: return kNn;
    case NoisePattern::kKK: return kKk;
    case NoisePattern::kIK: return kIk;
    case NoisePattern::kXX: return kXx;
  }
  return kXx;
}

Key32 HmacSha256(const Key32& key, ByteView a, ByteView b = {}) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.data(), key.size());
  crypto_auth_hmacsha256_update(&st, a.data(), a.size());
  crypto_auth_hmacsha256_update(&st, b.data(), b.size());
  Key32 out;
  crypto_auth_hmacsha256_final(&st, out.data());
  sodium_memzero(&st, sizeof st);
  return out;
}

ByteView V(const Key32& k) { return ByteView(k.data(), k.size()); }

}  // namespace

// [SECTION] HKDF ----------------------------------------------------------------------------------

std::array<Key32, 3> NoiseHkdf(const Key32& chaining_key, ByteView ikm) {
  Key32 temp = HmacSha256(chaining_key, ikm);
  const uint8_t one = 1, two = 2, three = 3;
  std::array<Key32, 3> out;
  out[0] = HmacSha256(temp, ByteView(&one, 1));
  out[1] = HmacSha256(temp, V(out[0]), ByteView(&two, 1));
  out[2] = HmacSha256(temp, V(out[1]), ByteView(&three, 1));
  sodium_memzero(temp.data(), temp.size());
  return out;
}

// [SECTION] CipherState ---------------------------------------------------------------------------

void CipherState::InitializeKey(const Key32& k) {
  std::memcpy(k_.data(), k.data(), 32);
  has_key_ = true;
  n_ = 0;
}

Result<Bytes> CipherState::EncryptWithAd(ByteView ad, ByteView plaintext) {
  if (!has_key_) return Bytes(plaintext.begin(), plaintext.end());
  if (n_ == UINT64_MAX) return MakeError(ErrorCode::kCrypto, "noise nonce exhausted");
  std::array<uint8_t, 12> nonce{};
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(n_ >> (8 * i));
  Bytes out(plaintext.size() + kNoiseTagBytes);
  unsigned long long len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &len, plaintext.data(), plaintext.size(),
                                            ad.data(), ad.size(), nullptr, nonce.data(), k_.data());
  out.resize(len);
  ++n_;
  return out;
}

Result<Bytes> CipherState::DecryptWithAd(ByteView ad, ByteView ciphertext) {
  if (!has_key_) return Bytes(ciphertext.begin(), ciphertext.end());
  if (n_ == UINT64_MAX) return MakeError(ErrorCode::kCrypto, "noise nonce exhausted");
  if (ciphertext.size() < kNoiseTagBytes)
    return MakeError(ErrorCode::kCrypto, "noise ciphertext shorter than its tag");
  std::array<uint8_t, 12> nonce{};
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(n_ >> (8 * i));
  Bytes out(ciphertext.size() - kNoiseTagBytes);
  unsigned long long len = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &len, nullptr, ciphertext.data(),
                                                ciphertext.size(), ad.data(), ad.size(),
                                                nonce.data(), k_.data()) != 0)
    return MakeError(ErrorCode::kCrypto, "noise message failed authentication");
  out.resize(len);
  ++n_;
  return out;
}

// [SECTION] SymmetricState ------------------------------------------------------------------------

SymmetricState::SymmetricState(std::string_view protocol_name) {
  if (protocol_name.size() <= h_.size()) {
    std::memcpy(h_.data(), protocol_name.data(), protocol_name.size());
  } else {
    crypto_hash_sha256(h_.data(), reinterpret_cast<const uint8_t*>(protocol_name.data()),
                       protocol_name.size());
  }
  ck_ = h_;
}

void SymmetricState::MixKey(ByteView ikm) {
  auto out = NoiseHkdf(ck_, ikm);
  ck_ = out[0];
  cipher_.InitializeKey(out[1]);
  sodium_memzero(out.data(), sizeof out);
}

void SymmetricState::MixHash(ByteView data) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, h_.data(), h_.size());
  crypto_hash_sha256_update(&st, data.data(), data.size());
  crypto_hash_sha256_final(&st, h_.data());
}

Result<Bytes> SymmetricState::EncryptAndHash(ByteView plaintext) {
  SHELTER_ASSIGN_OR_RETURN(Bytes ct, cipher_.EncryptWithAd(V(h_), plaintext));
  MixHash(core::View(ct));
  return ct;
}

Result<Bytes> SymmetricState::DecryptAndHash(ByteView ciphertext) {
  SHELTER_ASSIGN_OR_RETURN(Bytes pt, cipher_.DecryptWithAd(V(h_), ciphertext));
  MixHash(ciphertext);
  return pt;
}

std::pair<CipherState, CipherState> SymmetricState::Split() const {
  auto out = NoiseHkdf(ck_, {});
  std::pair<CipherState, CipherState> cs;
  cs.first.InitializeKey(out[0]);
  cs.second.InitializeKey(out[1]);
  sodium_memzero(out.data(), sizeof out);
  return cs;
}

// [SECTION] Keys ----------------------------------------------------------------------------------

Result<Key32> X25519(ByteView secret, const Key32& peer_pub) {
  Key32 out;
  if (secret.size() != 32 || crypto_scalarmult(out.data(), secret.data(), peer_pub.data()) != 0)
    return MakeError(ErrorCode::kCrypto, "X25519 with a low-order public key");
  return out;
}

Key32 X25519Public(ByteView secret) {
  Key32 pub{};
  if (secret.size() == 32) crypto_scalarmult_base(pub.data(), secret.data());
  return pub;
}

NoiseStatic NoiseStatic::FromSecret(const core::crypto::Secret& sk) {
  NoiseStatic s;
  s.pub = X25519Public(sk.view());
  s.dh = [sk](const Key32& peer) { return X25519(sk.view(), peer); };
  return s;
}

const char* NoisePatternName(NoisePattern p) {
  switch (p) {
    case NoisePattern::kNN: return "NN";
    case NoisePattern::kKK: return "KK";
    case NoisePattern::kIK: return "IK";
    case NoisePattern::kXX: return "XX";
  }
  return "?";
}

// [SECTION] HandshakeState ------------------------------------------------------------------------

Result<HandshakeState> HandshakeState::Create(HandshakeConfig config) {
  const PatternDef& def = Def(config.pattern);
  bool i = config.initiator;
  bool need_s = config.pattern != NoisePattern::kNN;
  bool need_rs = (i && def.pre_responder_s) || (!i && def.pre_initiator_s);
  if (need_s && (!config.s || !config.s->dh))
    return MakeError(ErrorCode::kInvalidArgument, "noise pattern needs a static key");
  if (need_rs && !config.rs)
    return MakeError(ErrorCode::kInvalidArgument, "noise pattern needs the remote static key");
  std::string name =
      std::string("Noise_") + NoisePatternName(config.pattern) + "_25519_ChaChaPoly_SHA256";
  HandshakeState hs(std::move(config), name);
  hs.sym_.MixHash(core::View(hs.cfg_.prologue));
  if (need_rs) hs.rs_ = hs.cfg_.rs;
  // Pre-messages: the initiator's static first, then the responder's.
  if (def.pre_initiator_s) hs.sym_.MixHash(V(i ? hs.cfg_.s->pub : *hs.rs_));
  if (def.pre_responder_s) hs.sym_.MixHash(V(i ? *hs.rs_ : hs.cfg_.s->pub));
  return hs;
}

size_t HandshakeState::MessageCount() const { return Def(cfg_.pattern).messages.size(); }

bool HandshakeState::IsMyTurn() const {
  if (Finished() || failed_) return false;
  bool initiator_turn = next_ % 2 == 0;
  return initiator_turn == cfg_.initiator;
}

Status HandshakeState::MixDh(char ours, char theirs) {
  const std::optional<Key32>& peer = theirs == 'e' ? re_ : rs_;
  if (!peer) return MakeError(ErrorCode::kInternal, "noise: remote key missing");
  Result<Key32> shared = ours == 'e' ? X25519(e_sk_.view(), *peer) : cfg_.s->dh(*peer);
  if (!shared.ok()) return shared.error();
  sym_.MixKey(V(*shared));
  sodium_memzero(shared->data(), shared->size());
  return core::Ok();
}

Result<Bytes> HandshakeState::WriteMessage(ByteView payload) {
  if (!IsMyTurn()) return MakeError(ErrorCode::kInternal, "noise: not our turn to write");
  Bytes out;
  bool i = cfg_.initiator;
  for (std::string_view t : Def(cfg_.pattern).messages[next_]) {
    if (t == "e") {
      if (cfg_.e) {
        e_sk_ = *cfg_.e;
      } else {
        e_sk_ = core::crypto::RandomSecret(32);
      }
      e_pub_ = X25519Public(e_sk_.view());
      core::Append(out, V(e_pub_));
      sym_.MixHash(V(e_pub_));
    } else if (t == "s") {
      SHELTER_ASSIGN_OR_RETURN(Bytes c, sym_.EncryptAndHash(V(cfg_.s->pub)));
      core::Append(out, core::View(c));
    } else {
      // Two-letter DH tokens name (initiator's key, responder's key).
      char ours = i ? t[0] : t[1], theirs = i ? t[1] : t[0];
      Status s = MixDh(ours, theirs);
      if (!s.ok()) {
        failed_ = true;
        return s.error();
      }
    }
  }
  SHELTER_ASSIGN_OR_RETURN(Bytes c, sym_.EncryptAndHash(payload));
  core::Append(out, core::View(c));
  if (out.size() > kNoiseMaxMessage) {
    failed_ = true;
    return MakeError(ErrorCode::kInvalidArgument, "noise handshake message too large");
  }
  ++next_;
  return out;
}

Result<Bytes> HandshakeState::ReadMessage(ByteView msg) {
  if (Finished() || IsMyTurn() || failed_)
    return MakeError(ErrorCode::kInternal, "noise: not our turn to read");
  if (msg.size() > kNoiseMaxMessage) return MakeError(ErrorCode::kParse, "noise message too large");
  bool i = cfg_.initiator;
  auto fail = [&](core::Error e) -> Result<Bytes> {
    failed_ = true;
    return e;
  };
  for (std::string_view t : Def(cfg_.pattern).messages[next_]) {
    if (t == "e") {
      if (msg.size() < 32) return fail(MakeError(ErrorCode::kParse, "noise message too short"));
      Key32 re;
      std::memcpy(re.data(), msg.data(), 32);
      msg.remove_prefix(32);
      re_ = re;
      sym_.MixHash(V(re));
    } else if (t == "s") {
      size_t n = 32 + (sym_.HasKey() ? kNoiseTagBytes : 0);
      if (msg.size() < n) return fail(MakeError(ErrorCode::kParse, "noise message too short"));
      auto rs = sym_.DecryptAndHash(msg.substr(0, n));
      if (!rs.ok()) return fail(rs.error());
      msg.remove_prefix(n);
      Key32 k;
      std::memcpy(k.data(), rs->data(), 32);
      rs_ = k;
    } else {
      char ours = i ? t[0] : t[1], theirs = i ? t[1] : t[0];
      Status s = MixDh(ours, theirs);
      if (!s.ok()) return fail(s.error());
    }
  }
  if (sym_.HasKey() && msg.size() < kNoiseTagBytes)
    return fail(MakeError(ErrorCode::kParse, "noise message too short"));
  auto payload = sym_.DecryptAndHash(msg);
  if (!payload.ok()) return fail(payload.error());
  ++next_;
  return payload;
}

NoiseTransport HandshakeState::Split() const {
  auto [c1, c2] = sym_.Split();
  NoiseTransport t;
  if (cfg_.initiator) {
    t.send = c1;
    t.recv = c2;
  } else {
    t.send = c2;
    t.recv = c1;
  }
  return t;
}

}  // namespace shelter::sync
