// Thin, typed wrappers over libsodium: hashing, Ed25519 signatures, X25519 sealed boxes,
// XChaCha20-Poly1305 AEAD, secretbox key wrapping and Argon2id. Thread-safe after InitCrypto().
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"

namespace shelter::core::crypto {

// Must run once before any other call (idempotent, thread-safe). Returns kInternal if libsodium
// fails.
Status InitCrypto();

// A byte buffer wiped on destruction; for secret keys and PIN-derived keys.
class Secret {
 public:
  Secret() = default;
  explicit Secret(size_t n) : b_(n) {}
  explicit Secret(Bytes b) : b_(std::move(b)) {}
  Secret(const Secret& o) : b_(o.b_) {}
  Secret(Secret&& o) noexcept : b_(std::move(o.b_)) {}
  Secret& operator=(const Secret& o);
  Secret& operator=(Secret&& o) noexcept;
  ~Secret();
  uint8_t* data() { return b_.data(); }
  const uint8_t* data() const { return b_.data(); }
  size_t size() const { return b_.size(); }
  bool empty() const { return b_.empty(); }
  ByteView view() const { return ByteView(b_.data(), b_.size()); }

 private:
  Bytes b_;
};

Hash32 Sha256(ByteView data);
// SHA-256 of data given in pieces (files too large to hold at once). One owner.
class Sha256Stream {
 public:
  Sha256Stream();
  void Update(ByteView data);
  Hash32 Final();  // REQUIRES: called once, after the last Update

 private:
  alignas(8) std::array<uint8_t, 128> state_{};  // crypto_hash_sha256_state
};
Secret RandomSecret(size_t n);
Bytes RandomBytes(size_t n);

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;
// A key's short name in signed QR payloads (JSP1, JDV1): the first 8 bytes of SHA-256(pk).
using KeyId = std::array<uint8_t, 8>;
KeyId KeyIdOf(const PublicKey& pk);

struct SignKeyPair {
  PublicKey pk{};
  Secret sk;  // 64 bytes (libsodium's seed || pk form)
};
SignKeyPair GenerateSignKeyPair();
Signature Sign(const Secret& sk, ByteView message);
bool Verify(const PublicKey& pk, ByteView message, ByteView signature);

struct BoxKeyPair {
  PublicKey pk{};
  Secret sk;  // 32 bytes
};
BoxKeyPair GenerateBoxKeyPair();
// Anonymous sealed box to `pk` (crypto_box_seal).
Bytes SealTo(const PublicKey& pk, ByteView plaintext);
// Returns kCrypto when the box was not sealed to this key pair or was altered.
Result<Secret> OpenSealed(const BoxKeyPair& kp, ByteView sealed);

constexpr size_t kAeadNonceBytes = 24;  // XChaCha20-Poly1305
constexpr size_t kAeadTagBytes = 16;
Bytes AeadEncrypt(const Secret& key, ByteView nonce, ByteView plaintext, ByteView ad);
// Returns kCrypto when the ciphertext, nonce, key or associated data does not match.
Result<Bytes> AeadDecrypt(const Secret& key, ByteView nonce, ByteView ciphertext, ByteView ad);

// Wraps a secret under a 32-byte key: random nonce || secretbox. Unwrap returns kCrypto on
// mismatch.
Bytes WrapSecret(const Secret& key, ByteView secret);
Result<Secret> UnwrapSecret(const Secret& key, ByteView wrapped);

struct PwHashParams {
  uint64_t ops = 3;             // crypto_pwhash_OPSLIMIT_MODERATE
  uint64_t mem = 256ull << 20;  // crypto_pwhash_MEMLIMIT_MODERATE
  static PwHashParams Interactive();
  static PwHashParams ForTests();  // the library minimum: fast, for test suites only
};
// Argon2id (crypto_pwhash). Returns kInternal when memory cannot be allocated.
Result<Secret> DeriveKeyFromPin(std::string_view pin, ByteView salt16, const PwHashParams& params);

bool ConstantTimeEqual(ByteView a, ByteView b);

}  // namespace shelter::core::crypto
