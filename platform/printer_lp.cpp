// Printing through CUPS' command-line clients, started with posix_spawnp (no shell): `lpstat -d`
// names the default destination, `lp -d DEST FILE` queues the job.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "platform/printer.hpp"

extern char** environ;

namespace shelter::platform {
namespace {

using core::ErrorCode;
using core::MakeError;

// Runs argv, returns (exit status, stdout). kNotFound when the program is missing.
core::Result<std::pair<int, std::string>> Run(std::vector<std::string> args) {
  int fds[2];
  if (pipe(fds) != 0) return MakeError(ErrorCode::kIo, "pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return MakeError(ErrorCode::kNotFound, args[0] + " is not installed (cups-client)");
  }
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : 128, out);
}

class LpPrinter : public Printer {
 public:
  core::Result<std::string> DefaultPrinter() override {
    SHELTER_ASSIGN_OR_RETURN(auto r, Run({"lpstat", "-d"}));
    const std::string marker = "system default destination: ";
    auto at = r.second.rfind(marker, 0);  // "no system default destination" means none
    if (r.first != 0 || at != 0)
      return MakeError(
          ErrorCode::kNotFound,
          "no default printer is configured (set one with lpoptions -d NAME); the PDF was kept");
    std::string name = r.second.substr(at + marker.size());
    while (!name.empty() && (name.back() == '\n' || name.back() == '\r' || name.back() == ' '))
      name.pop_back();
    return name;
  }
  core::Result<std::string> PrintPdf(const std::string& path, const std::string& printer) override {
    SHELTER_ASSIGN_OR_RETURN(auto r, Run({"lp", "-d", printer, "--", path}));
    if (r.first != 0) return MakeError(ErrorCode::kIo, "lp could not queue the job on " + printer);
    return r.second;
  }
};

}  // namespace

Printer::~Printer() = default;

std::unique_ptr<Printer> MakeLpPrinter() { return std::make_unique<LpPrinter>(); }

core::Result<std::string> PrintPdfBytes(Printer& printer, core::ByteView pdf) {
  SHELTER_ASSIGN_OR_RETURN(std::string dest, printer.DefaultPrinter());
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  std::string path = ((ec ? std::filesystem::path("/tmp") : dir) / "shelter-print-XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) return MakeError(ErrorCode::kIo, "cannot make a temporary file to print");
  size_t done = 0;
  while (done < pdf.size()) {
    ssize_t n = write(fd, pdf.data() + done, pdf.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  core::Result<std::string> job =
      MakeError(ErrorCode::kIo, "cannot write the temporary file to print");
  if (done == pdf.size()) job = printer.PrintPdf(path, dest);
  std::filesystem::remove(path, ec);
  return job;
}

}  // namespace shelter::platform
