// shelter-seed: makes a shelter of N people for the app benchmark (a municipality, one shelter
// with its tablet, staff "lead", households of 1-4 people with names, birth dates, addresses and
// needs from the fixtures' household generator, all checked in). Fast Argon2 parameters: a
// benchmark fixture, not a real device.
// Usage: echo PIN | shelter-seed DIR N
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "core/base/crypto.hpp"
#include "core/device/device_cert.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "core/ops/households.hpp"
#include "tools/fixtures/population.hpp"

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

  shelter::test::HouseholdOptions kinds;  // 1-4 members, seed 42
  kinds.need_share = 0.2;                 // one in five people 要配慮者
  shelter::test::HouseholdGenerator gen(kinds);
  std::vector<Household> hs;
  int people = 0;
  while (people < n) {
    hs.push_back(gen.Next(n - people));
    people += static_cast<int>(hs.back().members.size());
  }
  auto r = RegisterHouseholds(**tablet, std::move(hs), info.id, /*check_in=*/true);
  if (!r.ok()) return Fail("register", r.error());
  std::printf("seeded %d people in %zu households under %s/tablet\n", people, r->size(),
              dir.c_str());
  return 0;
}
