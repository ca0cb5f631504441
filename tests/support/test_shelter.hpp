// A municipality with one shelter and N enrolled tablets, each opened and logged in as "lead"
// (PIN 5678), in a temporary directory removed on destruction. Fast Argon2 parameters.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/node.hpp"

namespace shelter::test {

std::string MakeTempDir(const std::string& prefix = "shelterkit-test");
void RemoveTree(const std::string& dir);

class TestShelter {
 public:
  explicit TestShelter(int tablets, const char* vfs = nullptr);
  ~TestShelter();

  core::Node& admin() { return *admin_; }
  core::Node& tablet(int i) { return *tablets_.at(i); }
  const std::string& tablet_dir(int i) const { return dirs_.at(i); }
  const core::Id16& shelter_id() const { return shelter_; }
  const std::string& root() const { return root_; }
  core::NodeOptions options() const { return opts_; }
  // Closes and reopens tablet i (logged in again), as after a restart.
  void Reopen(int i);
  // Opens another node on a directory (e.g. a copy), logged in as lead.
  std::unique_ptr<core::Node> OpenLoggedIn(const std::string& dir);

 private:
  std::string root_;
  core::NodeOptions opts_;
  std::unique_ptr<core::Node> admin_;
  core::Id16 shelter_;
  std::vector<std::string> dirs_;
  std::vector<std::unique_ptr<core::Node>> tablets_;
};

}  // namespace shelter::test
