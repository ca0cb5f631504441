// Shared plumbing for shelterctl commands: argument parsing, PIN input (stdin or --pin-fd, never
// argv), opening the data directory and printing results as text or JSON. Single-threaded.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/result.hpp"
#include "core/node/node.hpp"

namespace shelter::tools {

using core::Result;
using core::Status;
using json = nlohmann::json;

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;     // --key value (the last one given)
  std::multimap<std::string, std::string> every;  // every value of a repeated option, in order
  std::map<std::string, bool> flags;              // --flag

  bool Flag(const std::string& name) const { return flags.count(name) > 0; }
  std::optional<std::string> Opt(const std::string& name) const;
  std::vector<std::string> All(const std::string& name) const;  // --set A --set B
  // Returns kInvalidArgument naming the missing option.
  Result<std::string> Need(const std::string& name) const;
};

// Options that take a value; everything else starting with "--" is a flag.
Result<Args> ParseArgs(int argc, char** argv, int first);

// Reads PINs and other secret lines: from --pin-fd N if given, else stdin (without echo on a
// terminal). Lines are consumed in order, so "login PIN, new PIN" can be piped as two lines.
class SecretInput {
 public:
  explicit SecretInput(std::optional<int> fd) : fd_(fd.value_or(0)) {}
  Result<std::string> ReadLine(const char* prompt);
  // The rest of stdin (for `register -`), after any PIN lines taken from it.
  Result<std::string> ReadRest();

 private:
  int fd_;
  std::string buffer_;
  bool eof_ = false;
  Status Fill();
};

struct Context {
  Args args;
  std::string data_dir;
  bool json = false;
  SecretInput secrets{std::nullopt};
  core::NodeOptions node_options;

  // Opens the data dir and logs in with --staff (default: the only account, or "admin").
  Result<std::unique_ptr<core::Node>> OpenAndLogin();
};

// Prints `j` as JSON when --json, else the given text.
void Emit(const Context& ctx, const json& j, const std::string& text);
// The whole file. kNotFound when it cannot be opened, kIo when reading fails, kInvalidArgument
// when it is larger than `max_bytes` (checked from its size before anything is read).
Result<std::string> ReadFileBytes(const std::string& path, size_t max_bytes = SIZE_MAX);
// The shelter of --shelter (our id or 共通ID), else this device's own shelter; with `required`,
// kInvalidArgument when neither exists.
Result<core::Id16> ShelterOption(Context& ctx, core::Node& node, bool required);

using Command = Status (*)(Context&);
Status CmdInit(Context&);
Status CmdShelterImport(Context&);
Status CmdShelterList(Context&);
Status CmdShelterSet(Context&);
Status CmdShelterOpen(Context&);
Status CmdShelterClose(Context&);
Status CmdShelterFacilities(Context&);
Status CmdDeviceList(Context&);
Status CmdDeviceEnroll(Context&);
Status CmdStaffAdd(Context&);
Status CmdStaffList(Context&);
Status CmdRegister(Context&);
Status CmdPreregShow(Context&);
Status CmdPassIssue(Context&);
Status CmdPassVerify(Context&);
Status CmdPassSheet(Context&);
Status CmdSearch(Context&);
Status CmdCheckin(Context&);
Status CmdCheckout(Context&);
Status CmdMove(Context&);
Status CmdUndo(Context&);
Status CmdRoster(Context&);
Status CmdCounts(Context&);
Status CmdReport(Context&);
Status CmdExport(Context&);
Status CmdHousehold(Context&);
Status CmdStatus(Context&);
Status CmdCardStatus(Context&);
Status CmdCardRead(Context&);
Status CmdDisasterAdd(Context&);
Status CmdDisasterList(Context&);
Status CmdAssess(Context&);
Status CmdAssessHistory(Context&);
Status CmdCertKeyNew(Context&);
Status CmdTrustAdd(Context&);
Status CmdTrustWithdraw(Context&);
Status CmdTrustRetitle(Context&);
Status CmdMunicipalitySet(Context&);
Status CmdTrustExport(Context&);
Status CmdTrustPublishStatus(Context&);
Status CmdTrustImport(Context&);
Status CmdTrustShow(Context&);
Status CmdCertIssue(Context&);
Status CmdCertReissue(Context&);
Status CmdCertRevoke(Context&);
Status CmdCertList(Context&);
Status CmdCertVerify(Context&);
Status CmdQrEncode(Context&);
Status CmdQrDecode(Context&);
Status CmdQrSheet(Context&);
Status CmdDupes(Context&);
Status CmdMerge(Context&);
Status CmdUnmerge(Context&);
Status CmdSync(Context&);
Status CmdDeviceRevoke(Context&);
Status CmdServe(Context&);
Status CmdBundleExport(Context&);
Status CmdBundleImport(Context&);
Status CmdPersonEdit(Context&);
Status CmdHouseholdEdit(Context&);
Status CmdConflicts(Context&);
Status CmdResolve(Context&);

}  // namespace shelter::tools
