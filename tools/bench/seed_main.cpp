// shelter-seed: makes a shelter of N people for the app benchmark (a municipality, one shelter
// with its tablet, staff "lead", households of 1-4 people with names, birth dates and needs,
// most checked in). Fast Argon2 parameters: a benchmark fixture, not a real device.
// Usage: echo PIN | shelter-seed DIR N
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/base/crypto.hpp"
#include "core/device/device_cert.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "core/ops/households.hpp"

using namespace shelter::core;

namespace {

int Fail(const char* what, const Error& e) {
  std::fprintf(stderr, "shelter-seed: %s: %s\n", what, e.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: echo PIN | shelter-seed DIR N\n");
    return 2;
  }
  std::string dir = argv[1];
  int n = std::stoi(argv[2]);
  std::string pin;
  if (!std::getline(std::cin, pin) || !ValidatePin(pin).ok()) {
    std::fprintf(stderr, "shelter-seed: a PIN of 4-12 digits on stdin\n");
    return 2;
  }
  NodeOptions opts;
  opts.pwhash = crypto::PwHashParams::ForTests();
  auto admin = Node::InitMunicipality(dir + "/admin", "131016", "千代田区", "admin", pin, opts);
  if (!admin.ok()) return Fail("init", admin.error());
  ShelterInfo info;
  info.id = DerivedId("shelter", "bench");
  info.municipality_code = "131016";
  info.name = "千代田区立麹町小学校";
  info.kana = "ちよだくりつこうじまちしょうがっこう";
  info.address = "東京都千代田区麹町2-8";
  info.capacity = 6000;
  info.kind = "designated";
  info.status = "open";
  auto c = (*admin)->Commit((*admin)->municipality_scope(),
                            {{info.id, RecordType::kShelter, ShelterFields(info)}});
  if (!c.ok()) return Fail("shelter", c.error());
  auto dev = (*admin)->EnrollDevice(dir + "/tablet", info.id, DeviceRole::kTablet, "tablet-1",
                                    "lead", pin);
  if (!dev.ok()) return Fail("enroll", dev.error());
  auto tablet = Node::Open(dir + "/tablet", opts);
  if (!tablet.ok()) return Fail("open", tablet.error());
  if (auto s = (*tablet)->Login("lead", pin); !s.ok()) return Fail("login", s.error());

  const char* fam[] = {"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"};
  const char* fam_k[] = {"さとう", "すずき", "たかはし", "たなか", "いとう",
                         "わたなべ", "やまもと", "なかむら", "こばやし", "かとう"};
  const char* giv[] = {"太郎", "花子", "健", "美咲", "翔", "陽菜", "大輔", "結衣"};
  const char* giv_k[] = {"たろう", "はなこ", "けん", "みさき", "しょう", "ひな", "だいすけ", "ゆい"};
  const auto& needs = NeedCodes();
  std::mt19937 rng(42);
  std::vector<Household> hs;
  int people = 0;
  while (people < n) {
    Household h;
    h.address = "東京都千代田区麹町" + std::to_string(rng() % 6 + 1) + "丁目" + std::to_string(rng() % 20 + 1) + "番";
    int size = std::min<int>(static_cast<int>(rng() % 4) + 1, n - people);
    int f = static_cast<int>(rng() % 10);
    for (int m = 0; m < size; ++m) {
      Person p;
      int g = static_cast<int>(rng() % 8);
      p.name = std::string(fam[f]) + " " + giv[g];
      p.kana = std::string(fam_k[f]) + " " + giv_k[g];
      char dob[16];
      std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1935 + static_cast<int>(rng() % 88),
                    static_cast<int>(rng() % 12) + 1, static_cast<int>(rng() % 28) + 1);
      p.dob = dob;
      p.sex = g % 2 ? "female" : "male";
      if (rng() % 5 == 0) p.needs.push_back(needs[rng() % needs.size()]);
      h.members.push_back(std::move(p));
    }
    people += size;
    hs.push_back(std::move(h));
  }
  auto r = RegisterHouseholds(**tablet, std::move(hs), info.id, /*check_in=*/true);
  if (!r.ok()) return Fail("register", r.error());
  std::printf("seeded %d people in %zu households under %s/tablet\n", people, r->size(), dir.c_str());
  return 0;
}
