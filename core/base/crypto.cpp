#include "core/base/crypto.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace shelter::core::crypto {

Status InitCrypto() {
  if (sodium_init() < 0) return MakeError(ErrorCode::kInternal, "libsodium failed to initialise");
  return Ok();
}

Secret& Secret::operator=(const Secret& o) {
  if (this != &o) {
    if (!b_.empty()) sodium_memzero(b_.data(), b_.size());
    b_ = o.b_;
  }
  return *this;
}
Secret& Secret::operator=(Secret&& o) noexcept {
  if (this != &o) {
    if (!b_.empty()) sodium_memzero(b_.data(), b_.size());
    b_ = std::move(o.b_);
  }
  return *this;
}
Secret::~Secret() {
  if (!b_.empty()) sodium_memzero(b_.data(), b_.size());
}

Hash32 Sha256(ByteView data) {
  Hash32 h;
  crypto_hash_sha256(h.data(), data.data(), data.size());
  return h;
}

static_assert(sizeof(crypto_hash_sha256_state) <= 128 && alignof(crypto_hash_sha256_state) <= 8);

Sha256Stream::Sha256Stream() {
  crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_.data()));
}

void Sha256Stream::Update(ByteView data) {
  crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_.data()), data.data(),
                            data.size());
}

Hash32 Sha256Stream::Final() {
  Hash32 h;
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_.data()), h.data());
  return h;
}

Secret RandomSecret(size_t n) {
  Secret s(n);
  if (n) randombytes_buf(s.data(), n);  // an empty buffer's data() may be null (nonnull argument)
  return s;
}

Bytes RandomBytes(size_t n) {
  Bytes b(n);
  if (n) randombytes_buf(b.data(), n);  // an empty vector's data() is null (nonnull argument)
  return b;
}

SignKeyPair GenerateSignKeyPair() {
  SignKeyPair kp{{}, Secret(crypto_sign_SECRETKEYBYTES)};
  crypto_sign_keypair(kp.pk.data(), kp.sk.data());
  return kp;
}

KeyId KeyIdOf(const PublicKey& pk) {
  Hash32 h = Sha256(ByteView(pk.data(), pk.size()));
  KeyId id{};
  std::copy_n(h.begin(), id.size(), id.begin());
  return id;
}

Signature Sign(const Secret& sk, ByteView message) {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk.data());
  return sig;
}

bool Verify(const PublicKey& pk, ByteView message, ByteView signature) {
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), pk.data()) ==
         0;
}

BoxKeyPair GenerateBoxKeyPair() {
  BoxKeyPair kp{{}, Secret(crypto_box_SECRETKEYBYTES)};
  crypto_box_keypair(kp.pk.data(), kp.sk.data());
  return kp;
}

Bytes SealTo(const PublicKey& pk, ByteView plaintext) {
  Bytes out(plaintext.size() + crypto_box_SEALBYTES);
  crypto_box_seal(out.data(), plaintext.data(), plaintext.size(), pk.data());
  return out;
}

Result<Secret> OpenSealed(const BoxKeyPair& kp, ByteView sealed) {
  if (sealed.size() < crypto_box_SEALBYTES)
    return MakeError(ErrorCode::kCrypto, "sealed box too short");
  Secret out(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), kp.pk.data(), kp.sk.data()) !=
      0)
    return MakeError(ErrorCode::kCrypto, "sealed box does not open with this device key");
  return out;
}

Bytes AeadEncrypt(const Secret& key, ByteView nonce, ByteView plaintext, ByteView ad) {
  Bytes out(plaintext.size() + kAeadTagBytes);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &len, plaintext.data(), plaintext.size(),
                                             ad.data(), ad.size(), nullptr, nonce.data(),
                                             key.data());
  out.resize(len);
  return out;
}

Result<Bytes> AeadDecrypt(const Secret& key, ByteView nonce, ByteView ciphertext, ByteView ad) {
  if (ciphertext.size() < kAeadTagBytes || nonce.size() != kAeadNonceBytes || key.size() != 32)
    return MakeError(ErrorCode::kCrypto, "ciphertext too short");
  Bytes out(ciphertext.size() - kAeadTagBytes);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &len, nullptr, ciphertext.data(),
                                                 ciphertext.size(), ad.data(), ad.size(),
                                                 nonce.data(), key.data()) != 0)
    return MakeError(ErrorCode::kCrypto, "ciphertext failed authentication");
  out.resize(len);
  return out;
}

Bytes WrapSecret(const Secret& key, ByteView secret) {
  Bytes out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + secret.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, secret.data(), secret.size(),
                        out.data(), key.data());
  return out;
}

Result<Secret> UnwrapSecret(const Secret& key, ByteView wrapped) {
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (wrapped.size() < kOverhead || key.size() != crypto_secretbox_KEYBYTES)
    return MakeError(ErrorCode::kCrypto, "wrapped key too short");
  Secret out(wrapped.size() - kOverhead);
  if (crypto_secretbox_open_easy(out.data(), wrapped.data() + crypto_secretbox_NONCEBYTES,
                                 wrapped.size() - crypto_secretbox_NONCEBYTES, wrapped.data(),
                                 key.data()) != 0)
    return MakeError(ErrorCode::kCrypto, "wrapped key does not open with this key");
  return out;
}

PwHashParams PwHashParams::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PwHashParams PwHashParams::ForTests() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<Secret> DeriveKeyFromPin(std::string_view pin, ByteView salt16, const PwHashParams& params) {
  if (salt16.size() != crypto_pwhash_SALTBYTES)
    return MakeError(ErrorCode::kInvalidArgument, "salt must be 16 bytes");
  Secret key(32);
  if (crypto_pwhash(key.data(), key.size(), pin.data(), pin.size(), salt16.data(), params.ops,
                    params.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return MakeError(ErrorCode::kInternal, "Argon2id could not allocate its memory");
  return key;
}

bool ConstantTimeEqual(ByteView a, ByteView b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace shelter::core::crypto
