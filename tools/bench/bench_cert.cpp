#include "tools/bench/bench_cert.hpp"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "core/codec/qr_code.hpp"
#include "core/model/entities.hpp"
#include "core/ops/assessment.hpp"
#include "core/ops/certificate_issuance.hpp"
#include "core/ops/households.hpp"
#include "platform/printer.hpp"

namespace shelter::bench {
namespace {

using namespace shelter::core;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
// CPU time of this thread: the figure that stays meaningful when other jobs share the cores.
double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "shelter-bench: %s failed: %s\n", what, r.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

}  // namespace

CertFigures BenchCertificates(const std::string& dir, int n) {
  NodeOptions opts;
  opts.pwhash = crypto::PwHashParams::ForTests();
  auto office = Must(
      Node::InitMunicipality(dir + "/office", "131016", "千代田区", "admin", "1234", opts), "init");
  ShelterInfo sh;
  sh.id = DerivedId("shelter", "bench");
  sh.municipality_code = "131016";
  sh.name = "千代田区立麹町小学校";
  Must(office->Commit(office->municipality_scope(),
                      {{sh.id, RecordType::kShelter, ShelterFields(sh)}}),
       "shelter");
  Must(office->EnrollDevice(dir + "/tablet", sh.id, DeviceRole::kTablet, "t", "lead", "5678"),
       "enroll");
  Household h;
  h.address = "東京都千代田区麹町二丁目八番";
  Person head;
  head.name = "山田 太郎";
  head.kana = "やまだ たろう";
  h.members = {head};
  auto reg = Must(RegisterHousehold(*office, h, sh.id, true), "register");
  Id16 disaster =
      Must(AddDisaster(*office, {{}, "令和7年8月の大雨", "2025-08-10", "flood"}), "disaster");
  Assessment a;
  a.household = reg.household;
  a.disaster = disaster;
  a.level = DamageLevel::kDaikiboHankai;
  a.flood = Flood::kAboveFloor;
  a.date = "2025-08-20";
  Must(RecordAssessment(*office, a), "assess");
  int64_t now = HlcClock::SystemNowMs() / 1000;
  crypto::PublicKey pk = Must(CreateIssuingKey(*office), "key");
  Must(TrustIssuingKey(*office,
                       {pk, "bench", {CertType::kRisai}, now - 60, now + 86400, "千代田区長"}, now),
       "trust");
  TrustList trust = *Must(LoadTrustList(*office), "trust list");

  // A status list of 10,000 revocations: verification includes the lookup.
  StatusList status;
  status.municipality_code = "131016";
  for (int i = 0; i < 10000; ++i) {
    char s[32];
    std::snprintf(s, sizeof s, "K999-%06d", i);
    status.entries.push_back({s, 0, now});
  }

  IssueRequest req{CertType::kRisai, reg.household, {}, "", false, 0};
  IssuedCertificate ic = Must(IssueCertificate(*office, req), "issue");  // warm-up + claims
  crypto::SignKeyPair kp{{}, crypto::Secret(64)};
  crypto_sign_keypair(kp.pk.data(), kp.sk.data());
  Bytes tbs = cose::SigStructure(ByteView((const uint8_t*)"\xA1\x01\x27", 3), {},
                                 View(cbor::Encode(ClaimsToCwt(ic.claims))));

  std::vector<double> sign_ms, qr_ms, pdf_ms, issue_ms, issue_cpu, record_ms, verify_ms,
      anchor_sign, anchor_verify;
  size_t pdf_bytes = 0;
  for (int i = 0; i < n; ++i) {
    double c0 = CpuMs();
    auto t0 = Clock::now();
    Bytes cose = SignCertificate(ic.claims, kp.sk, kp.pk);
    std::string text = EncodeJdv1(View(cose));
    sign_ms.push_back(MsSince(t0));
    auto t1 = Clock::now();
    QrSymbol qr = Must(EncodeQr(text, QrEcc::kQ), "qr");
    qr_ms.push_back(MsSince(t1));
    auto t2 = Clock::now();
    Bytes pdf = Must(
        platform::RenderCertificatePdf({ic.claims, text, "https://www.city.chiyoda.lg.jp/verify/"}),
        "pdf");
    pdf_ms.push_back(MsSince(t2));
    pdf_bytes = pdf.size();
    issue_ms.push_back(MsSince(t0));
    issue_cpu.push_back(CpuMs() - c0);
    (void)qr;

    auto t3 = Clock::now();
    Must(IssueCertificate(*office, req), "issue");
    record_ms.push_back(MsSince(t3));

    auto t4 = Clock::now();
    CertVerification v = VerifyJdv1(ic.jdv1, trust, &status);
    verify_ms.push_back(MsSince(t4));
    if (!v.ok()) {
      std::fprintf(stderr, "shelter-bench: verify failed: %s\n", v.reason.c_str());
      std::exit(1);
    }

    unsigned char sig[64];
    auto t5 = Clock::now();
    crypto_sign_detached(sig, nullptr, tbs.data(), tbs.size(), kp.sk.data());
    anchor_sign.push_back(MsSince(t5));
    auto t6 = Clock::now();
    if (crypto_sign_verify_detached(sig, tbs.data(), tbs.size(), kp.pk.data()) != 0) std::exit(1);
    anchor_verify.push_back(MsSince(t6));
  }
  CertFigures f{Median(issue_ms), Median(verify_ms)};
  double as = Median(anchor_sign), av = Median(anchor_verify);
  std::printf(
      "[4] certificates: typical 罹災証明書, COSE %zu B, QR text %zu chars, PDF %zu B, n=%d "
      "(medians)\n",
      ic.cose.size(), ic.jdv1.size(), pdf_bytes, n);
  std::printf(
      "    sign (CWT + COSE_Sign1 + JDV1)  %8.3f ms   (%.1fx bare crypto_sign_detached %.3f ms)\n",
      Median(sign_ms), Median(sign_ms) / as, as);
  std::printf("    QR encode (ECC Q)               %8.3f ms\n", Median(qr_ms));
  std::printf("    PDF render (A4, CJK subset)     %8.3f ms\n", Median(pdf_ms));
  std::printf("    issue = sign + QR + PDF         %8.3f ms   (CPU time %.3f ms)\n", f.issue_ms,
              Median(issue_cpu));
  std::printf(
      "    IssueCertificate (claims from the log, serial, sign, durable record)  %8.3f ms\n",
      Median(record_ms));
  std::printf(
      "    verify (JDV1 text, 10k-entry status list)  %8.3f ms   (%.1fx bare "
      "crypto_sign_verify_detached %.3f ms)\n\n",
      f.verify_ms, f.verify_ms / av, av);
  return f;
}

}  // namespace shelter::bench
