// Fuzzes the trust-list and status-list parsers (core/formats/issuer_list). A signature stops
// random bytes long before the payload parser, so besides the bytes as they come (a signed list
// of a fixed root key) the target signs, with that root key, the payload of any COSE_Sign1 it is
// given (the seeds are real lists signed by other roots) and the bytes themselves as a payload.
// A list that parses and signs again must parse again to the same fields.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/base/crypto.hpp"
#include "core/formats/issuer_list.hpp"

using namespace shelter::core;

namespace {

const crypto::SignKeyPair& Root() {
  static const crypto::SignKeyPair kp = [] {
    crypto::SignKeyPair k{{}, crypto::Secret(64)};
    uint8_t seed[32];
    std::memset(seed, 0x42, sizeof seed);
    crypto_sign_seed_keypair(k.pk.data(), k.sk.data(), seed);
    return k;
  }();
  return kp;
}

bool SameKeys(const TrustList& a, const TrustList& b) {
  if (a.keys.size() != b.keys.size()) return false;
  for (size_t i = 0; i < a.keys.size(); ++i) {
    const IssuerKey &x = a.keys[i], &y = b.keys[i];
    if (x.kid != y.kid || x.label != y.label || x.serial_prefix != y.serial_prefix ||
        x.allowed != y.allowed || x.not_before != y.not_before || x.not_after != y.not_after ||
        x.withdrawn != y.withdrawn || x.title != y.title)
      return false;
  }
  return true;
}

void ParseSigned(ByteView signed_list) {
  const crypto::SignKeyPair& root = Root();
  if (auto t = VerifyTrustList(signed_list, root.pk); t.ok()) {
    (void)t->Find(signed_list.substr(0, cose::kKidBytes));
    if (auto again = SignTrustList(*t, root.sk, root.pk); again.ok()) {
      auto back = VerifyTrustList(View(*again), root.pk);
      if (!back.ok() || back->version != t->version ||
          back->municipality_code != t->municipality_code ||
          back->municipality_name != t->municipality_name || back->verify_url != t->verify_url ||
          !SameKeys(*t, *back))
        __builtin_trap();
    }
  }
  if (auto s = VerifyStatusList(signed_list, root.pk); s.ok()) {
    for (auto& e : s->entries) (void)s->Revokes(e.serial, e.below_issue + 1);
    if (auto again = SignStatusList(*s, root.sk, root.pk); again.ok()) {
      auto back = VerifyStatusList(View(*again), root.pk);
      if (!back.ok() || back->entries.size() != s->entries.size()) __builtin_trap();
      for (size_t i = 0; i < s->entries.size(); ++i)
        if (back->entries[i].serial != s->entries[i].serial ||
            back->entries[i].reason != s->entries[i].reason ||
            back->entries[i].at != s->entries[i].at)
          __builtin_trap();
    }
  }
  if (auto info = VerifySignedList(signed_list, root.pk); info.ok())
    (void)ListSupersedes(*info, signed_list, *info, signed_list);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool init = crypto::InitCrypto().ok();
  (void)init;
  ByteView in(data, size);
  (void)IsSignedListEnvelope(in);
  ParseSigned(in);
  const crypto::SignKeyPair& root = Root();
  if (auto m = cose::ParseSign1(in); m.ok())
    ParseSigned(View(cose::Sign1(View(m->payload), cose::KidOf(root.pk), root.sk)));
  if (size <= 4096) ParseSigned(View(cose::Sign1(in, cose::KidOf(root.pk), root.sk)));
  (void)IsVerifyUrl(AsChars(in));
  (void)IsRevocationReason(AsChars(in));
  return 0;
}
