#include "tests/support/test_shelter.hpp"

#include <doctest/doctest.h>

#include "core/model/entities.hpp"

namespace shelter::test {

using namespace shelter::core;

TestShelter::TestShelter(int tablets, const char* vfs, bool open_tablets) {
  opts_.pwhash = crypto::PwHashParams::ForTests();
  opts_.vfs = vfs;
  auto admin =
      Node::InitMunicipality(dir_.Sub("admin"), "131016", "千代田区", "admin", "1234", opts_);
  REQUIRE_MESSAGE(admin.ok(), admin.error().ToString());
  admin_ = std::move(admin).value();
  shelter_ = DerivedId("shelter", "E1310100000001");
  ShelterInfo info;
  info.id = shelter_;
  info.common_id = "E1310100000001";
  info.name = "千代田区立麹町小学校";
  info.capacity = 500;
  info.kind = "designated";
  REQUIRE(admin_
              ->Commit(admin_->municipality_scope(),
                       {{shelter_, RecordType::kShelter, ShelterFields(info)}})
              .ok());
  for (int i = 0; i < tablets; ++i) {
    std::string dir = dir_.Sub("tablet" + std::to_string(i));
    auto dev = admin_->EnrollDevice(dir, shelter_, DeviceRole::kTablet,
                                    "tablet-" + std::to_string(i), "lead", "5678");
    REQUIRE_MESSAGE(dev.ok(), dev.error().ToString());
    dirs_.push_back(dir);
  }
  if (!open_tablets) return;
  // Every tablet learns every other tablet's certificate (enrolment only copies earlier ones).
  auto certs = admin_->log().DeviceCerts();
  REQUIRE(certs.ok());
  for (auto& dir : dirs_) {
    tablets_.push_back(OpenLoggedIn(dir));
    for (auto& c : *certs) REQUIRE(tablets_.back()->AddDeviceCert(View(c)).ok());
  }
}

TestShelter::~TestShelter() {
  tablets_.clear();
  admin_.reset();
}

std::unique_ptr<Node> TestShelter::OpenLoggedIn(const std::string& dir) {
  return OpenLoggedIn(dir, opts_);
}

std::unique_ptr<Node> TestShelter::OpenLoggedIn(const std::string& dir, const NodeOptions& opts) {
  auto node = Node::Open(dir, opts);
  REQUIRE_MESSAGE(node.ok(), node.error().ToString());
  auto login = (*node)->Login("lead", "5678");
  REQUIRE_MESSAGE(login.ok(), login.error().ToString());
  return std::move(node).value();
}

void TestShelter::Reopen(int i) { Reopen(i, opts_); }

void TestShelter::Reopen(int i, const NodeOptions& opts) {
  tablets_.at(i).reset();
  tablets_.at(i) = OpenLoggedIn(dirs_.at(i), opts);
}

std::vector<core::Bytes> LogSegments(core::Node& n) {
  std::vector<core::Bytes> out;
  REQUIRE(n.log()
              .ForEachSegment([&](const core::Segment& s) {
                out.push_back(s.wire);
                return core::Ok();
              })
              .ok());
  return out;
}

}  // namespace shelter::test
