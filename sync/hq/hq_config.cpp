#include "sync/hq/hq_config.hpp"

#include <sys/stat.h>

#include <cstdio>

#include "core/text/text_normalize.hpp"

namespace shelter::hq {
namespace {

using core::ErrorCode;
using core::MakeError;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool HasControl(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

bool IsPort(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v >= 1 && v <= 65535;
}

// An address as the listener takes it: IPv4, IPv6 (without brackets) or a host name.
bool IsAddress(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == ':' || c == '-' || c == '%' || c == '_'))
      return false;
  return true;
}

// "PORT", "ADDR:PORT" or "[IPV6]:PORT" into bind and port; false when it is none of them.
bool SplitListen(std::string_view v, HqConfig* c) {
  if (IsPort(v)) {
    c->port = std::string(v);
    return true;
  }
  std::string_view addr, port;
  if (v.front() == '[') {
    size_t close = v.find("]:");
    if (close == std::string_view::npos) return false;
    addr = v.substr(1, close - 1);
    port = v.substr(close + 2);
  } else {
    size_t colon = v.rfind(':');
    if (colon == std::string_view::npos) return false;
    addr = v.substr(0, colon);
    port = v.substr(colon + 1);
    if (addr.find(':') != std::string_view::npos) return false;  // IPv6 needs brackets
  }
  if (!IsAddress(addr) || !IsPort(port)) return false;
  c->bind = std::string(addr);
  c->port = std::string(port);
  return true;
}

}  // namespace

core::Result<HqConfig> ParseHqConfig(std::string_view text) {
  if (text.size() > kMaxHqConfigBytes)
    return MakeError(ErrorCode::kParse,
                     "hq.conf is over " + std::to_string(kMaxHqConfigBytes / 1024) + " KiB");
  if (!core::IsValidUtf8(text)) return MakeError(ErrorCode::kParse, "hq.conf is not UTF-8");
  HqConfig c;
  bool seen_data = false, seen_db = false, seen_listen = false, seen_user = false;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    auto bad = [&](const std::string& what) {
      return MakeError(ErrorCode::kParse, "hq.conf line " + std::to_string(line_no) + ": " + what);
    };
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return bad("expected key = value");
    std::string_view key = Trim(line.substr(0, eq)), v = Trim(line.substr(eq + 1));
    // Keys are echoed in the error only when they are printable: the file may hold anything.
    std::string shown = HasControl(key) || key.size() > 40 ? "?" : std::string(key);
    if (v.empty()) return bad("'" + shown + "' has no value");
    if (HasControl(v)) return bad("'" + shown + "' has a control character");
    bool* seen = nullptr;
    if (key == "data") {
      if (v.front() != '/') return bad("data must be an absolute directory");
      c.data = std::string(v);
      seen = &seen_data;
    } else if (key == "db") {
      c.db = std::string(v);
      seen = &seen_db;
    } else if (key == "listen") {
      if (!SplitListen(v, &c)) return bad("listen must be PORT, ADDRESS:PORT or [IPV6]:PORT");
      seen = &seen_listen;
    } else if (key == "user") {
      c.user = std::string(v);
      seen = &seen_user;
    } else {
      return bad("unknown key '" + shown + "' (known: data, db, listen, user)");
    }
    if (*seen) return bad("'" + shown + "' given twice");
    *seen = true;
  }
  return c;
}

core::Result<HqConfig> LoadHqConfig(const std::string& path) {
  // A FIFO or a device would block or never end: only a regular file is read, and at most one
  // byte over the limit (which ParseHqConfig then refuses).
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return MakeError(ErrorCode::kIo, "cannot read the configuration file " + path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return MakeError(ErrorCode::kIo, "cannot read the configuration file " + path);
  std::string text(kMaxHqConfigBytes + 1, '\0');
  size_t n = std::fread(text.data(), 1, text.size(), f);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return MakeError(ErrorCode::kIo, "cannot read the configuration file " + path);
  text.resize(n);
  return ParseHqConfig(text);
}

}  // namespace shelter::hq
