// A municipality with one shelter and N enrolled tablets (staff "lead", PIN 5678), each opened
// and logged in unless `open_tablets` is false (tests that fork open them in the child), in a
// temporary directory removed on destruction. Fast Argon2 parameters.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/node/node.hpp"
#include "tests/support/temp_dir.hpp"

namespace shelter::test {

// Every segment a node's log holds (its own and those it received), in log order.
std::vector<core::Bytes> LogSegments(core::Node& n);

class TestShelter {
 public:
  explicit TestShelter(int tablets, const char* vfs = nullptr, bool open_tablets = true);
  ~TestShelter();

  core::Node& admin() { return *admin_; }
  core::Node& tablet(int i) { return *tablets_.at(i); }
  const std::string& tablet_dir(int i) const { return dirs_.at(i); }
  const core::Id16& shelter_id() const { return shelter_; }
  std::string root() const { return dir_.path().string(); }
  core::NodeOptions options() const { return opts_; }
  // Closes and reopens tablet i (logged in again), as after a restart.
  void Reopen(int i);
  void Reopen(int i, const core::NodeOptions& opts);
  // Opens a node on a directory (a tablet's, or a copy), logged in as lead; `opts` defaults to
  // the shelter's own options.
  std::unique_ptr<core::Node> OpenLoggedIn(const std::string& dir);
  std::unique_ptr<core::Node> OpenLoggedIn(const std::string& dir, const core::NodeOptions& opts);

 private:
  TempDir dir_;
  core::NodeOptions opts_;
  std::unique_ptr<core::Node> admin_;
  core::Id16 shelter_;
  std::vector<std::string> dirs_;
  std::vector<std::unique_ptr<core::Node>> tablets_;
};

}  // namespace shelter::test
