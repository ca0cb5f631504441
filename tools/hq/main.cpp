// shelter-hq: the headquarters store. Accepts device syncs (serve), ingests segments (files or
// stdin) and JSR1 status reports (text or QR images), and answers summary, shelter, trend, 安否
// and open-data export queries.
// Run `shelter-hq help` for the commands.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/private_file.hpp"
#include "core/formats/report_parts.hpp"
#include "core/log/login_only_materializer.hpp"
#include "core/text/text_width.hpp"
#include "sync/bundle.hpp"
#include "sync/hq/hq_config.hpp"
#include "sync/hq/hq_node.hpp"
#include "sync/hq/hq_population_json.hpp"
#include "sync/hq/hq_queries.hpp"
#include "sync/hq/hq_schema.hpp"
#include "sync/hq/hq_serve.hpp"

namespace {
// [SECTION] index: Arguments and input · Ingest (bundles, device directories) · Reports and
// queries (summary, shelters, trend, 安否, export) · Schema · main (the command table)

using namespace shelter;
using namespace shelter::hq;
using nlohmann::ordered_json;

constexpr const char* kUsage =
    "usage: shelter-hq --data DIR [--db URL] [--user HANDLE] [--pin-fd N] COMMAND\n"
    "       shelter-hq --config FILE [OPTIONS] COMMAND\n"
    "  ingest FILE|DIR...|-        bundles (.skb), segment files (concatenated segments) or a\n"
    "                              device's data directory; PIN first on stdin (or --pin-fd)\n"
    "  replay                      apply what the HQ log holds but the store lacks (after a "
    "crash)\n"
    "  report ingest TEXT|PART...|FILE|IMAGE|-   a JSR1 status report (no login): the text, its\n"
    "                              SMS parts in any order (arguments, or a file or stdin with one\n"
    "                              a line) or a photo or screenshot of its QR code\n"
    "  summary [--json]            whole-city population\n"
    "  shelters [--json]           every shelter: population, capacity used, over-capacity\n"
    "  trend [--shelter ID]        10-minute points of the population\n"
    "  anpi NAME --asker family|acquaintance|public   安否 lookup, audited (login as lead, hq or\n"
    "                              admin: other roles see counts only)\n"
    "  export --csv|--json [-o FILE]   open-data shelter status (GIF/EEI columns)\n"
    "  migrate                     create or upgrade the HQ database schema\n"
    "  serve --listen PORT [--bind ADDR] [--timeout S] [--sessions N] [--json]\n"
    "        [--peers H:P,...] [--discover] [--beacon-interval S]\n"
    "                              accept device syncs (login: PIN as for ingest); SIGTERM stops\n"
    "  --db: a SQLite file (default DIR/hq.db) or postgresql://... ; the PIN comes from\n"
    "        --pin-fd, the service credential $CREDENTIALS_DIRECTORY/pin or the first line\n"
    "        of stdin, never from the command line.\n"
    "  --config FILE: data, db, listen ([ADDR:]PORT) and user from FILE (key = value lines,\n"
    "        e.g. /etc/shelterkit/hq.conf); an option on the command line wins.\n"
    "  --version: the version; --help: this text.\n";

// [SECTION] Arguments and input
struct Args {
  std::vector<std::string> pos;
  std::map<std::string, std::string> opts;
  std::set<std::string> flags;
  bool Has(const std::string& f) const { return flags.count(f) > 0; }
  std::string Opt(const std::string& k, const std::string& d = "") const {
    auto it = opts.find(k);
    return it == opts.end() ? d : it->second;
  }
};

Args Parse(int argc, char** argv) {
  static const std::set<std::string> kValued = {"data", "db", "user", "pin-fd", "shelter", "asker",
                                                "o", "config",
                                                // serve
                                                "listen", "bind", "timeout", "sessions", "peers",
                                                "peer-interval", "beacon-interval", "beacon-port"};
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.size() > 1 && s[0] == '-' && s != "-") {
      std::string k = s.substr(s.rfind('-', 1) == 1 ? 2 : 1);
      if (kValued.count(k) && i + 1 < argc)
        a.opts[k] = argv[++i];
      else
        a.flags.insert(k);
    } else {
      a.pos.push_back(s);
    }
  }
  return a;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "shelter-hq: %s\n", what.c_str());
  return 1;
}
int Fail(const core::Error& e) { return Fail(e.ToString()); }

int64_t NowMs() { return core::HlcClock::SystemNowMs(); }

// Under systemd the PIN is the service's credential (LoadCredential=pin:...): a file only this
// service's processes can read, never an argument (visible in ps) or the unit's environment.
std::string ReadCredentialPin() {
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (!dir || !*dir) return {};
  std::ifstream f(std::string(dir) + "/pin");
  if (!f) {
    std::fprintf(stderr, "shelter-hq: no pin in $CREDENTIALS_DIRECTORY; reading stdin\n");
    return {};
  }
  std::string pin;
  std::getline(f, pin);
  if (pin.empty()) std::fprintf(stderr, "shelter-hq: the pin credential is empty\n");
  return pin;
}

std::string ReadPin(const Args& a) {
  std::string pin;
  if (a.opts.count("pin-fd")) {
    int fd = std::atoi(a.Opt("pin-fd").c_str());
    char c;
    while (read(fd, &c, 1) == 1 && c != '\n') pin += c;
  } else if (pin = ReadCredentialPin(); pin.empty()) {
    std::getline(std::cin, pin);
  }
  while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
  return pin;
}

std::string DbUrl(const Args& a) { return a.Opt("db", DefaultDbUrl(a.Opt("data"))); }

Result<std::string> ReadInput(const std::string& path) {
  std::string bytes;
  if (path == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    if (!f) return core::MakeError(core::ErrorCode::kIo, "cannot read " + path);
    // One read of the whole file (a character at a time costs seconds for a city's segments).
    std::streamoff size = f.tellg();
    if (size < 0) return core::MakeError(core::ErrorCode::kIo, "cannot read " + path);
    bytes.resize(static_cast<size_t>(size));
    f.seekg(0);
    if (!f.read(bytes.data(), size))
      return core::MakeError(core::ErrorCode::kIo, "cannot read " + path);
  }
  return bytes;
}

// A tablet's data directory (a copy carried on a USB stick): its log's segments, as stored.
// [SECTION] Ingest (bundles, device directories)
Result<std::string> ReadDeviceDir(const std::string& dir) {
  SHELTER_ASSIGN_OR_RETURN(auto log, core::LogStore::Open(dir + "/" + core::LogStore::kFileName));
  std::string out;
  SHELTER_TRY(log->ForEachSegment([&](const core::Segment& s) {
    out.append(reinterpret_cast<const char*>(s.wire.data()), s.wire.size());
    return core::Ok();
  }));
  return out;
}

// A bundle (`shelterctl bundle export`): certificates, trust items and segments through the HQ
// node, as `shelterctl bundle import` takes them, then written to the HQ tables. A file is read
// in pieces (sync::ImportBundleFile), stdin as a whole. What was refused is listed (no personal
// data); what came before a damaged part is kept.
Result<HqNode::FileResult> IngestBundle(HqNode& hq, const std::string& path, core::ByteView bytes) {
  auto r = path == "-" ? sync::ImportBundle(hq, bytes) : sync::ImportBundleFile(hq, path);
  SHELTER_TRY(hq.Flush());  // also when the bundle was cut short: keep what it held before
  if (!r.ok()) return core::MakeError(r.error().code, path + ": " + r.error().detail);
  for (auto& why : r->reports) std::printf("  refused: %s\n", why.c_str());
  HqNode::FileResult out;
  out.fresh = r->segments_new;
  out.refused = r->rejected;
  out.segments = r->segments_new + r->segments_duplicate + r->rejected;
  return out;
}

// True when `head` starts like a bundle of either version.
bool LooksLikeBundle(core::ByteView head) {
  for (std::string_view magic : {sync::kBundleMagic, sync::kBundleMagicV1})
    if (head.substr(0, magic.size()) == core::View(magic)) return true;
  return false;
}

// The first bytes of a file (kIo when it cannot be read).
Result<core::Bytes> FileHead(const std::string& path, size_t n) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return core::MakeError(core::ErrorCode::kIo, "cannot read " + path);
  core::Bytes head(n);
  f.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(n));
  head.resize(static_cast<size_t>(f.gcount()));
  return head;
}

// One argument of `ingest`: a bundle file (streamed), a device directory, segment files or stdin.
Result<HqNode::FileResult> IngestPath(HqNode& hq, const std::string& path) {
  std::error_code ec;
  bool dir = std::filesystem::is_directory(path, ec);
  if (path != "-" && !dir) {
    SHELTER_ASSIGN_OR_RETURN(core::Bytes head, FileHead(path, sync::kBundleMagic.size()));
    if (LooksLikeBundle(core::View(head))) return IngestBundle(hq, path, {});
  }
  SHELTER_ASSIGN_OR_RETURN(std::string bytes, dir ? ReadDeviceDir(path) : ReadInput(path));
  core::ByteView view = core::View(bytes);
  return LooksLikeBundle(view) ? IngestBundle(hq, path, view) : hq.IngestBytes(view);
}

int CmdIngest(const Args& a) {
  if (a.pos.size() < 2 && a.pos[0] != "replay") return Fail("ingest needs FILE..., DIR... or -");
  std::string pin = ReadPin(a);
  auto t0 = std::chrono::steady_clock::now();
  auto hq = HqNode::Open(a.Opt("data"), DbUrl(a), a.Opt("user", "lead"), pin);
  if (!hq.ok()) return Fail(hq.error());
  if (a.Has("progress"))
    (*hq)->set_on_ack([](size_t n) {
      std::printf("ack %zu\n", n);  // durable in the HQ log: safe to acknowledge to the sender
      std::fflush(stdout);
    });
  HqNode::FileResult total;
  for (size_t i = 1; i < a.pos.size(); ++i) {
    const std::string& path = a.pos[i];
    auto r = IngestPath(**hq, path);
    if (!r.ok()) return Fail(r.error());
    total.segments += r->segments;
    total.fresh += r->fresh;
    total.refused += r->refused;
    // Every segment counted here is durable in the log and applied: safe to acknowledge.
    std::printf("ingested %s: %zu segments, %zu new, %zu refused\n", path.c_str(), r->segments,
                r->fresh, r->refused);
    std::fflush(stdout);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("total: %zu segments, %zu new, %zu refused, %zu people known, %.2f s\n",
              total.segments, total.fresh, total.refused, (*hq)->store().person_count(), s);
  return total.refused > 0 ? 2 : 0;
}

constexpr size_t kMaxReportFile = 64 * 1024;  // a JSR1 text, with line breaks, is ~400 bytes

// [SECTION] Reports and queries (summary, shelters, trend, 安否, export)
int CmdReport(const Args& a) {
  if (a.pos.size() < 3 || a.pos[1] != "ingest")
    return Fail("usage: report ingest TEXT|PART...|FILE|IMAGE|-");
  auto node = core::Node::Open(a.Opt("data"));
  if (!node.ok()) return Fail(node.error());
  auto db = OpenSql(DbUrl(a));
  if (!db.ok()) return Fail(db.error());
  if (auto m = Migrate(**db); !m.ok()) return Fail(m.error());
  std::vector<std::string> texts;
  const std::vector<std::string> inputs(a.pos.begin() + 2, a.pos.end());
  const std::string& in = inputs[0];
  auto refused = [](const core::Error& e) { return Fail("report refused: " + e.ToString()); };
  if (inputs.size() > 1 || core::LooksLikeReportPart(in)) {
    // SMS parts, one an argument, in any order.
    auto t = core::JoinReportParts(inputs);
    if (!t.ok()) return refused(t.error());
    texts.push_back(*t);
  } else if (in.rfind(core::kStatusReportPrefix, 0) == 0) {
    texts.push_back(in);
  } else if (in == "-") {
    auto t = ReadInput("-");
    if (!t.ok()) return Fail(t.error());
    auto text = core::ReportTextFromMessage(*t);
    if (!text.ok()) return refused(text.error());
    texts.push_back(*text);
  } else {
    // A text file (the report, or its parts one a line) is a few hundred bytes: read only its
    // start (an image is decoded by ReadReportImage within core::ImageLimits, never read whole).
    std::ifstream f(in, std::ios::binary);
    if (!f) return Fail("cannot read " + in);
    std::string head(kMaxReportFile + 1, '\0');
    f.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(f.gcount()));
    if (head.rfind(core::kStatusReportPrefix, 0) == 0 || core::LooksLikeReportPart(head)) {
      if (head.size() > kMaxReportFile) return Fail(in + " is too large for a JSR1 report text");
      auto text = core::ReportTextFromMessage(head);
      if (!text.ok()) return refused(text.error());
      texts.push_back(*text);
    } else {
      auto found = ReadReportImage(in);
      if (!found.ok()) return Fail(found.error());
      texts = *found;
    }
  }
  int rc = 0;
  for (auto& t : texts) {
    auto r = IngestReport(**db, t, (*node)->known_devices(), NowMs());
    if (!r.ok()) {
      std::fprintf(stderr, "shelter-hq: report refused: %s\n", r.error().ToString().c_str());
      rc = 1;
      continue;
    }
    std::printf("report %s: shelter %s as of %lld\n", ReportOutcomeName(r->outcome),
                r->shelter.Hex().c_str(), static_cast<long long>(r->as_of_s));
  }
  return rc;
}

Result<std::unique_ptr<SqlConn>> QueryDb(const Args& a) {
  SHELTER_ASSIGN_OR_RETURN(auto db, OpenSql(DbUrl(a)));
  if (auto m = Migrate(*db); !m.ok()) return m.error();
  return db;
}

int CmdSummary(const Args& a) {
  auto db = QueryDb(a);
  if (!db.ok()) return Fail(db.error());
  auto t0 = std::chrono::steady_clock::now();
  auto c = Summarize(**db);
  if (!c.ok()) return Fail(c.error());
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ordered_json j = {{"shelters", c->shelters},
                    {"open", c->shelters_open},
                    {"over_capacity", c->shelters_over_capacity},
                    {"from_reports", c->shelters_from_reports},
                    {"capacity", c->capacity},
                    {"population", PopulationJson(c->total)},
                    {"in_shelter_by_sex_age_band", c->in_shelter_by_sex_band},
                    {"in_shelter_needs", c->in_shelter_needs},
                    {"outside_needs", c->outside_needs},
                    {"query_ms", ms}};
  std::cout << j.dump(a.Has("json") ? -1 : 1) << "\n";
  return 0;
}

int CmdShelters(const Args& a) {
  auto db = QueryDb(a);
  if (!db.ok()) return Fail(db.error());
  auto rows = ListShelterStatus(**db);
  if (!rows.ok()) return Fail(rows.error());
  if (a.Has("json")) {
    ordered_json arr = ordered_json::array();
    for (auto& s : *rows)
      arr.push_back({{"id", s.id},
                     {"common_id", s.common_id},
                     {"name", s.name},
                     {"capacity", s.capacity},
                     {"open", s.open},
                     {"source", s.source},
                     {"as_of_ms", s.as_of_ms},
                     {"used", s.used},
                     {"over_capacity", s.over_capacity},
                     {"population", PopulationJson(s.pop)}});
    std::cout << arr.dump() << "\n";
    return 0;
  }
  // Names are padded by display columns: a kanji takes two, so byte counts (%-30s) misalign.
  for (auto& s : *rows)
    std::printf("%-16s %s %6lld/%-6lld %5.0f%%%s %s\n",
                s.common_id.empty() ? s.id.substr(0, 16).c_str() : s.common_id.c_str(),
                core::PadToWidth(s.name, 30).c_str(), static_cast<long long>(s.pop.in_shelter),
                static_cast<long long>(s.capacity), s.used * 100, s.over_capacity ? " OVER" : "",
                s.source.c_str());
  return 0;
}

int CmdTrend(const Args& a) {
  auto db = QueryDb(a);
  if (!db.ok()) return Fail(db.error());
  auto pts = Trend(**db, a.Opt("shelter"));
  if (!pts.ok()) return Fail(pts.error());
  ordered_json arr = ordered_json::array();
  for (auto& p : *pts)
    arr.push_back({{"bucket_ms", p.bucket_ms},
                   {"persons", p.persons},
                   {"households", p.households},
                   {"in_shelter", p.in_shelter},
                   {"out", p.out},
                   {"at_home", p.at_home},
                   {"in_car", p.in_car},
                   {"elsewhere", p.elsewhere}});
  std::cout << arr.dump() << "\n";
  return 0;
}

int CmdAnpi(const Args& a) {
  if (a.pos.size() < 2) return Fail("anpi needs a name");
  auto tier = ParseAnpiTier(a.Opt("asker"));
  if (!tier.ok()) return Fail(tier.error());
  // Only a logged-in HQ officer may ask; the audit names that account.
  std::string pin = ReadPin(a);
  // Login only checks the PIN here: nothing is folded (the HQ tables are read directly).
  core::LoginOnlyMaterializer nothing;
  core::NodeOptions opts;
  opts.materializer = &nothing;
  auto node = core::Node::Open(a.Opt("data"), opts);
  if (!node.ok()) return Fail(node.error());
  if (auto s = (*node)->Login(a.Opt("user", "lead"), pin); !s.ok()) return Fail(s.error());
  // The HQ library refuses an account that sees counts only (before the database is opened).
  Principal who{(*node)->session()->handle, (*node)->session()->role};
  if (auto s = RequirePersonalData(who); !s.ok()) return Fail(s.error());
  auto db = QueryDb(a);
  if (!db.ok()) return Fail(db.error());
  auto found = AnpiLookup(**db, a.pos[1], *tier, who, NowMs());
  if (!found.ok()) return Fail(found.error());
  ordered_json arr = ordered_json::array();
  for (auto& f : *found) {
    ordered_json j = {{"name", f.name}, {"kana", f.kana}, {"condition", f.condition}};
    if (!f.shelter_name.empty() || !f.whereabouts.empty()) {
      j["dob"] = f.dob;
      j["sex"] = f.sex;
      j["shelter"] = f.shelter_name;
      j["whereabouts"] = f.whereabouts;
    }
    arr.push_back(std::move(j));
  }
  std::cout << arr.dump() << "\n";
  return 0;
}

int CmdExport(const Args& a) {
  auto db = QueryDb(a);
  if (!db.ok()) return Fail(db.error());
  auto out = a.Has("json") ? ExportJson(**db, NowMs()) : ExportCsv(**db, NowMs());
  if (!a.Has("json") && !a.Has("csv")) return Fail("export needs --csv or --json");
  if (!out.ok()) return Fail(out.error());
  if (a.opts.count("o")) {
    if (auto w = core::WritePrivateFile(a.Opt("o"), core::View(*out)); !w.ok())
      return Fail(w.error());
  } else {
    std::cout << *out;
  }
  return 0;
}

// [SECTION] Schema
int CmdMigrate(const Args& a) {
  auto db = OpenSql(DbUrl(a));
  if (!db.ok()) return Fail(db.error());
  auto m = Migrate(**db);
  if (!m.ok()) return Fail(m.error());
  std::printf("schema %d -> %d\n", *m, kSchemaVersion);
  return 0;
}

}  // namespace

// [SECTION] main (the command table)
int main(int argc, char** argv) {
  // Everything this program writes may hold personal data: owner-only, whatever the caller's
  // umask (the library creates its files 0600 as well).
  ::umask(077);
  Args a = Parse(argc, argv);
  if (a.Has("version")) {
    std::printf("shelter-hq %s\n", SHELTER_VERSION);
    return 0;
  }
  if (a.pos.empty() || a.pos[0] == "help" || a.Has("help")) {
    std::fputs(kUsage, a.pos.empty() && !a.Has("help") ? stderr : stdout);
    return a.pos.empty() && !a.Has("help") ? 1 : 0;
  }
  if (a.opts.count("config")) {
    auto c = LoadHqConfig(a.Opt("config"));
    if (!c.ok()) return Fail(c.error());
    // What the command line says wins over the file (one run with another database, say).
    for (auto [key, value] : {std::pair<const char*, const std::string*>{"data", &c->data},
                              {"db", &c->db},
                              {"bind", &c->bind},
                              {"listen", &c->port},
                              {"user", &c->user}})
      if (!value->empty() && !a.opts.count(key)) a.opts[key] = *value;
  }
  if (!a.opts.count("data")) return Fail("--data DIR is required (the enrolled HQ device)");
  const std::string& cmd = a.pos[0];
  if (cmd == "ingest" || cmd == "replay") return CmdIngest(a);
  if (cmd == "report") return CmdReport(a);
  if (cmd == "summary") return CmdSummary(a);
  if (cmd == "shelters") return CmdShelters(a);
  if (cmd == "trend") return CmdTrend(a);
  if (cmd == "anpi") return CmdAnpi(a);
  if (cmd == "export") return CmdExport(a);
  if (cmd == "migrate") return CmdMigrate(a);
  if (cmd == "serve") return RunServe(a.opts, a.flags, ReadPin(a));
  return Fail("unknown command '" + cmd + "' (shelter-hq help)");
}
