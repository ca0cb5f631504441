// hq.conf: the configuration file `shelter-hq --config FILE` reads (under systemd,
// /etc/shelterkit/hq.conf): where HQ listens, which database it writes and which enrolled HQ
// data directory it opens. Format in core/FORMATS.md ("hq.conf"). The file is parsed strictly,
// unlike a tablet's settings: a typo in a server's configuration must stop it with the line named,
// not start it with a default. Pure functions plus one file read; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.hpp"

namespace shelter::hq {

inline constexpr size_t kMaxHqConfigBytes = 64 * 1024;

struct HqConfig {
  std::string data;  // the enrolled HQ device's data directory (absolute)
  std::string db;    // a SQLite file or postgresql://... URL; empty: DATA/hq.db
  std::string bind;  // listen address ("0.0.0.0", "::1", a host name); empty: every address
  std::string port;  // listen port, decimal ("47475"); empty: no listen setting
  std::string user;  // the account `serve` logs in as; empty: shelter-hq's default
};

// Reads `key = value` lines (`#` comments, blank lines). Keys: data, db, listen ([ADDR:]PORT,
// an IPv6 address in brackets), user. kParse, naming the line, for an unknown key, a key given
// twice, a line without '=', an empty value, a control character, a bad port or a relative data
// directory; kParse when the text is over kMaxHqConfigBytes or is not UTF-8.
core::Result<HqConfig> ParseHqConfig(std::string_view text);

// The file at `path`, parsed. kIo when it cannot be read (or is not a regular file); the errors
// of ParseHqConfig.
core::Result<HqConfig> LoadHqConfig(const std::string& path);

}  // namespace shelter::hq
