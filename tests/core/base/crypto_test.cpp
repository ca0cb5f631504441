// Tests for core/base/crypto: SHA-256 against FIPS 180-2 vectors (whole and streamed), Ed25519
// signatures, sealed boxes, XChaCha20-Poly1305 with associated data, wrapped secrets and the
// PIN-derived key: each refuses another key, and any changed byte, with kCrypto.
#include "core/base/crypto.hpp"

#include <doctest/doctest.h>

#include <string>

namespace shelter::core::crypto {
namespace {

std::string HexOf(const Hash32& h) { return ToHex(ByteView(h.data(), h.size())); }
ByteView ViewOf(const Signature& s) { return ByteView(s.data(), s.size()); }

TEST_CASE("crypto: SHA-256 of the FIPS 180-2 examples, whole and in pieces") {
  REQUIRE(InitCrypto().ok());
  CHECK(HexOf(Sha256(View(std::string_view("abc")))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HexOf(Sha256(ByteView())) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  std::string expected = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
  CHECK(HexOf(Sha256(View(two_blocks))) == expected);
  Sha256Stream stream;
  for (size_t i = 0; i < two_blocks.size(); i += 5)
    stream.Update(View(std::string_view(two_blocks).substr(i, 5)));
  CHECK(HexOf(stream.Final()) == expected);
}

TEST_CASE("crypto: a signature verifies with its key only, over its message only") {
  REQUIRE(InitCrypto().ok());
  SignKeyPair kp = GenerateSignKeyPair();
  SignKeyPair other = GenerateSignKeyPair();
  CHECK(kp.sk.size() == 64);
  Bytes msg = RandomBytes(100);
  Signature sig = Sign(kp.sk, View(msg));
  CHECK(Verify(kp.pk, View(msg), ViewOf(sig)));
  CHECK_FALSE(Verify(other.pk, View(msg), ViewOf(sig)));
  Bytes changed = msg;
  changed[50] ^= 1;
  CHECK_FALSE(Verify(kp.pk, View(changed), ViewOf(sig)));
  Signature bad = sig;
  bad[0] ^= 1;
  CHECK_FALSE(Verify(kp.pk, View(msg), ViewOf(bad)));
  CHECK_FALSE(Verify(kp.pk, View(msg), ViewOf(sig).substr(0, 63)));  // a short signature
}

TEST_CASE("crypto: a key id is the first 8 bytes of SHA-256 of the public key") {
  REQUIRE(InitCrypto().ok());
  SignKeyPair kp = GenerateSignKeyPair();
  KeyId kid = KeyIdOf(kp.pk);
  Hash32 h = Sha256(ByteView(kp.pk.data(), kp.pk.size()));
  CHECK(std::equal(kid.begin(), kid.end(), h.begin()));
  CHECK(KeyIdOf(GenerateSignKeyPair().pk) != kid);
}

TEST_CASE("crypto: a sealed box opens with its recipient's key pair only") {
  REQUIRE(InitCrypto().ok());
  BoxKeyPair kp = GenerateBoxKeyPair();
  BoxKeyPair other = GenerateBoxKeyPair();
  Bytes secret = RandomBytes(32);
  Bytes sealed = SealTo(kp.pk, View(secret));
  auto opened = OpenSealed(kp, View(sealed));
  REQUIRE(opened.ok());
  CHECK(Bytes(opened->view().begin(), opened->view().end()) == secret);
  CHECK(OpenSealed(other, View(sealed)).error().code == ErrorCode::kCrypto);
  Bytes altered = sealed;
  altered.back() ^= 1;
  CHECK(OpenSealed(kp, View(altered)).error().code == ErrorCode::kCrypto);
  CHECK_FALSE(OpenSealed(kp, View(Bytes(10))).ok());  // shorter than a box
}

TEST_CASE("crypto: AEAD binds the key, the nonce and the associated data") {
  REQUIRE(InitCrypto().ok());
  Secret key = RandomSecret(32);
  Bytes nonce = RandomBytes(kAeadNonceBytes);
  Bytes ad = {1, 2, 3};
  Bytes plain = RandomBytes(200);
  Bytes ct = AeadEncrypt(key, View(nonce), View(plain), View(ad));
  CHECK(ct.size() == plain.size() + kAeadTagBytes);
  auto back = AeadDecrypt(key, View(nonce), View(ct), View(ad));
  REQUIRE(back.ok());
  CHECK(*back == plain);

  Bytes other_ad = {1, 2, 4};
  CHECK(AeadDecrypt(key, View(nonce), View(ct), View(other_ad)).error().code == ErrorCode::kCrypto);
  Bytes other_nonce = nonce;
  other_nonce[0] ^= 1;
  CHECK(AeadDecrypt(key, View(other_nonce), View(ct), View(ad)).error().code == ErrorCode::kCrypto);
  CHECK(AeadDecrypt(RandomSecret(32), View(nonce), View(ct), View(ad)).error().code ==
        ErrorCode::kCrypto);
  Bytes flipped = ct;
  flipped[10] ^= 0x80;
  CHECK(AeadDecrypt(key, View(nonce), View(flipped), View(ad)).error().code == ErrorCode::kCrypto);
  CHECK_FALSE(AeadDecrypt(key, View(nonce), View(ct).substr(0, 5), View(ad)).ok());
}

TEST_CASE("crypto: a wrapped secret unwraps under its key only, with a fresh nonce each time") {
  REQUIRE(InitCrypto().ok());
  Secret key = RandomSecret(32);
  Bytes secret = RandomBytes(64);
  Bytes a = WrapSecret(key, View(secret));
  Bytes b = WrapSecret(key, View(secret));
  CHECK(a != b);
  auto back = UnwrapSecret(key, View(a));
  REQUIRE(back.ok());
  CHECK(Bytes(back->view().begin(), back->view().end()) == secret);
  CHECK(UnwrapSecret(RandomSecret(32), View(a)).error().code == ErrorCode::kCrypto);
  Bytes altered = a;
  altered.back() ^= 1;
  CHECK(UnwrapSecret(key, View(altered)).error().code == ErrorCode::kCrypto);
  CHECK_FALSE(UnwrapSecret(key, View(Bytes(3))).ok());
}

TEST_CASE("crypto: a PIN-derived key depends on the PIN and the salt, and repeats") {
  REQUIRE(InitCrypto().ok());
  PwHashParams fast = PwHashParams::ForTests();
  Bytes salt = RandomBytes(16);
  auto a = DeriveKeyFromPin("5678", View(salt), fast);
  auto again = DeriveKeyFromPin("5678", View(salt), fast);
  auto other_pin = DeriveKeyFromPin("5679", View(salt), fast);
  Bytes other_salt = RandomBytes(16);
  auto salted = DeriveKeyFromPin("5678", View(other_salt), fast);
  REQUIRE(a.ok());
  REQUIRE(again.ok());
  REQUIRE(other_pin.ok());
  REQUIRE(salted.ok());
  CHECK(a->size() == 32);
  CHECK(ConstantTimeEqual(a->view(), again->view()));
  CHECK_FALSE(ConstantTimeEqual(a->view(), other_pin->view()));
  CHECK_FALSE(ConstantTimeEqual(a->view(), salted->view()));
  CHECK(DeriveKeyFromPin("5678", View(Bytes(15)), fast).error().code ==
        ErrorCode::kInvalidArgument);  // the salt is 16 bytes
}

TEST_CASE("crypto: ConstantTimeEqual compares lengths and every byte") {
  Bytes a = {1, 2, 3}, b = {1, 2, 3}, c = {1, 2, 4}, d = {1, 2};
  CHECK(ConstantTimeEqual(View(a), View(b)));
  CHECK_FALSE(ConstantTimeEqual(View(a), View(c)));
  CHECK_FALSE(ConstantTimeEqual(View(a), View(d)));
  CHECK(ConstantTimeEqual(ByteView(), ByteView()));
}

TEST_CASE("crypto: random bytes and secrets have the asked length and differ") {
  REQUIRE(InitCrypto().ok());
  CHECK(RandomBytes(0).empty());  // no null pointer handed to libsodium (UBSan: nonnull)
  CHECK(RandomSecret(0).size() == 0);
  CHECK(RandomBytes(33).size() == 33);
  CHECK(RandomSecret(32).size() == 32);
  CHECK(RandomBytes(32) != RandomBytes(32));
}

}  // namespace
}  // namespace shelter::core::crypto
