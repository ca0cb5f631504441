#include "tools/shelterctl/cli.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <set>

#include "core/ops/master_data.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

static const std::set<std::string> kValueOptions = {
    "data", "staff", "pin-fd", "code", "name", "admin", "shelter", "to", "role", "label", "lead",
    "handle", "place", "limit", "o", "out", "kana", "dob", "wait", "ecc", "scale", "names", "dpi",
    "person",
    // shelter master data
    "capacity", "toilets-women", "toilets-men", "toilets-accessible", "baths", "floor-m2", "beds",
    "power", "water",
    // sync
    "peer", "listen", "bind", "sessions", "timeout", "peers", "hq", "peer-interval",
    "beacon-interval", "beacon-port",
    // certificates
    "date", "kind", "level", "flood", "stage", "surveyor", "site", "note", "disaster", "type",
    "household", "key", "types", "days", "kid", "reason", "issuer-title", "from", "until", "title",
    "verify-url", "trust", "status", "root",
    // edits and conflicts
    "set", "keep"};

std::optional<std::string> Args::Opt(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Args::All(const std::string& name) const {
  std::vector<std::string> out;
  for (auto [it, end] = every.equal_range(name); it != end; ++it) out.push_back(it->second);
  return out;
}

Result<std::string> Args::Need(const std::string& name) const {
  auto v = Opt(name);
  if (!v || v->empty()) return MakeError(ErrorCode::kInvalidArgument, "missing --" + name);
  return *v;
}

Result<Args> ParseArgs(int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (s.size() > 2 && s.rfind("--", 0) == 0) {
      std::string key = s.substr(2);
      std::string value;
      bool has_value = false;
      if (auto eq = key.find('='); eq != std::string::npos) {
        value = key.substr(eq + 1);
        key = key.substr(0, eq);
        has_value = true;
      }
      if (key == "pin")
        return MakeError(ErrorCode::kInvalidArgument,
                         "PINs are never passed as arguments: use stdin or --pin-fd");
      if (kValueOptions.count(key)) {
        if (!has_value) {
          if (i + 1 >= argc)
            return MakeError(ErrorCode::kInvalidArgument, "--" + key + " needs a value");
          value = argv[++i];
        }
        a.options[key] = value;
        a.every.emplace(key, value);
      } else {
        a.flags[key] = true;
      }
    } else if (s == "-o") {
      if (i + 1 >= argc) return MakeError(ErrorCode::kInvalidArgument, "-o needs a file name");
      a.options["o"] = argv[++i];
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

Status SecretInput::Fill() {
  char buf[4096];
  ssize_t n = read(fd_, buf, sizeof buf);
  if (n < 0) return MakeError(ErrorCode::kIo, "cannot read the PIN input");
  if (n == 0) eof_ = true;
  buffer_.append(buf, static_cast<size_t>(n));
  return core::Ok();
}

Result<std::string> SecretInput::ReadLine(const char* prompt) {
  bool tty = isatty(fd_);
  termios old{};
  if (tty) {
    std::fprintf(stderr, "%s: ", prompt);
    tcgetattr(fd_, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd_, TCSANOW, &quiet);
  }
  size_t nl;
  while ((nl = buffer_.find('\n')) == std::string::npos && !eof_) {
    Status s = Fill();
    if (!s.ok()) {
      if (tty) tcsetattr(fd_, TCSANOW, &old);
      return s.error();
    }
  }
  if (tty) {
    tcsetattr(fd_, TCSANOW, &old);
    std::fprintf(stderr, "\n");
  }
  std::string line = buffer_.substr(0, nl == std::string::npos ? buffer_.size() : nl);
  buffer_.erase(0, nl == std::string::npos ? buffer_.size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty() && eof_)
    return MakeError(ErrorCode::kInvalidArgument, std::string("expected a line on ") +
                                                      (fd_ == 0 ? "stdin" : "the PIN fd") +
                                                      " for: " + prompt);
  return line;
}

Result<std::string> SecretInput::ReadRest() {
  if (fd_ != 0) buffer_.clear();  // PINs came from another fd; the document is all of stdin
  int fd = 0;
  std::string out = fd_ == 0 ? buffer_ : std::string();
  char buf[65536];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) return MakeError(ErrorCode::kIo, "cannot read stdin");
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > (64u << 20))
      return MakeError(ErrorCode::kInvalidArgument, "input larger than 64 MiB");
  }
  return out;
}

Result<std::unique_ptr<core::Node>> Context::OpenAndLogin() {
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(data_dir, node_options));
  std::string handle;
  if (auto h = args.Opt("staff")) {
    handle = *h;
  } else {
    SHELTER_ASSIGN_OR_RETURN(auto all, node->log().AllStaff());
    if (all.size() == 1)
      handle = all.front().handle;
    else
      return MakeError(ErrorCode::kInvalidArgument,
                       "several staff accounts: say which with --staff");
  }
  SHELTER_ASSIGN_OR_RETURN(std::string pin, secrets.ReadLine(("PIN for " + handle).c_str()));
  SHELTER_TRY(node->Login(handle, pin));
  return node;
}

void Emit(const Context& ctx, const json& j, const std::string& text) {
  if (ctx.json)
    std::cout << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  else
    std::cout << text;
  std::cout.flush();
}

Result<std::string> ReadFileBytes(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kNotFound, "cannot open " + path);
  auto too_large =
      MakeError(ErrorCode::kInvalidArgument,
                path + " is larger than the " + std::to_string(max_bytes) + " bytes accepted here");
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return too_large;
  }
  std::string out;
  char buf[65536];
  while (true) {  // a pipe or a growing file has no size to check first: bounded as it comes
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return MakeError(ErrorCode::kIo, "cannot read " + path);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return too_large;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<core::Id16> ShelterOption(Context& ctx, core::Node& node, bool required) {
  if (auto s = ctx.args.Opt("shelter")) {
    SHELTER_ASSIGN_OR_RETURN(core::ShelterInfo info, core::FindShelter(node, *s));
    return info.id;
  }
  if (!node.device().shelter_scope.IsZero()) return node.device().shelter_scope;
  if (required) return MakeError(ErrorCode::kInvalidArgument, "missing --shelter");
  return core::Id16{};
}

}  // namespace shelter::tools
