// The Noise protocol framework (revision 34) for 25519 / ChaChaPoly / SHA256, built from
// libsodium primitives: CipherState, SymmetricState and a HandshakeState for the NN, KK, IK and XX
// patterns. Pure computation, no sockets. Value types; one owner at a time (not thread-safe).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"

namespace shelter::sync {

using core::Bytes;
using core::ByteView;
using core::Result;
using core::Status;
using Key32 = std::array<uint8_t, 32>;

constexpr size_t kNoiseMaxMessage = 65535;
constexpr size_t kNoiseTagBytes = 16;
constexpr size_t kNoiseMaxPlaintext = kNoiseMaxMessage - kNoiseTagBytes;

// HKDF over HMAC-SHA256 as the Noise spec defines it (two or three 32-byte outputs).
std::array<Key32, 3> NoiseHkdf(const Key32& chaining_key, ByteView ikm);

// A ChaCha20-Poly1305 key and a 64-bit nonce counter.
class CipherState {
 public:
  void InitializeKey(const Key32& k);
  bool HasKey() const { return has_key_; }
  void SetNonce(uint64_t n) { n_ = n; }
  uint64_t nonce() const { return n_; }
  // Without a key these return the input unchanged (the spec's handshake rule).
  // kCrypto on an authentication failure or when the nonce is exhausted.
  Result<Bytes> EncryptWithAd(ByteView ad, ByteView plaintext);
  Result<Bytes> DecryptWithAd(ByteView ad, ByteView ciphertext);

 private:
  core::crypto::Secret k_{32};
  bool has_key_ = false;
  uint64_t n_ = 0;
};

class SymmetricState {
 public:
  explicit SymmetricState(std::string_view protocol_name);
  void MixKey(ByteView ikm);
  void MixHash(ByteView data);
  Result<Bytes> EncryptAndHash(ByteView plaintext);
  Result<Bytes> DecryptAndHash(ByteView ciphertext);
  bool HasKey() const { return cipher_.HasKey(); }
  std::pair<CipherState, CipherState> Split() const;
  const Key32& h() const { return h_; }

 private:
  Key32 ck_{};
  Key32 h_{};
  CipherState cipher_;
};

enum class NoisePattern { kNN, kKK, kIK, kXX };
const char* NoisePatternName(NoisePattern p);

// A static X25519 key. The secret half may stay with its owner: `dh` computes X25519(secret, peer)
// and returns kCrypto for a low-order peer key.
struct NoiseStatic {
  Key32 pub{};
  std::function<Result<Key32>(const Key32& peer_pub)> dh;
  static NoiseStatic FromSecret(const core::crypto::Secret& sk);
};

// X25519 with the all-zero output rejected. kCrypto for a low-order peer key.
Result<Key32> X25519(ByteView secret, const Key32& peer_pub);
Key32 X25519Public(ByteView secret);

struct HandshakeConfig {
  NoisePattern pattern = NoisePattern::kXX;
  bool initiator = true;
  Bytes prologue;
  std::optional<NoiseStatic> s;           // required by KK, IK (both) and XX
  std::optional<Key32> rs;                // pre-known remote static: KK, IK initiator
  std::optional<core::crypto::Secret> e;  // fixed ephemeral secret: test vectors only
};

// The transport after the handshake: one CipherState each way.
struct NoiseTransport {
  CipherState send, recv;
  Result<Bytes> Encrypt(ByteView plaintext) { return send.EncryptWithAd({}, plaintext); }
  Result<Bytes> Decrypt(ByteView ciphertext) { return recv.DecryptWithAd({}, ciphertext); }
};

class HandshakeState {
 public:
  // kInvalidArgument when the config lacks a key its pattern needs.
  static Result<HandshakeState> Create(HandshakeConfig config);

  bool IsMyTurn() const;
  bool Finished() const { return next_ >= MessageCount(); }
  // REQUIRES: IsMyTurn(). kInvalidArgument when the message would exceed 65535 bytes.
  Result<Bytes> WriteMessage(ByteView payload);
  // REQUIRES: !IsMyTurn() and !Finished(). Returns the payload; kParse for a short message,
  // kCrypto when authentication fails (the handshake is then unusable).
  Result<Bytes> ReadMessage(ByteView message);
  // REQUIRES: Finished().
  NoiseTransport Split() const;
  const Key32& handshake_hash() const { return sym_.h(); }
  const std::optional<Key32>& remote_static() const { return rs_; }

 private:
  explicit HandshakeState(HandshakeConfig c, std::string_view name)
      : cfg_(std::move(c)), sym_(name) {}
  size_t MessageCount() const;
  Status MixDh(char a, char b);  // a: our key ('e'/'s'), b: theirs ('e'/'s')

  HandshakeConfig cfg_;
  SymmetricState sym_;
  std::optional<Key32> rs_, re_;
  Key32 e_pub_{};
  core::crypto::Secret e_sk_;
  size_t next_ = 0;  // index of the next handshake message
  bool failed_ = false;
};

}  // namespace shelter::sync
