// shelter-bench: measures the figures the design promises, against anchors measured in the same
// run. Not a test: it prints numbers and ratios and exits 0 unless the API itself fails.
//   1. one durable household registration (4 people + check-in), median / p99
//   2. bulk registration of 10,000 people vs raw SQLite inserting the same rows
//   3. kana-prefix and date search over 100,000 people
//   4. certificates: issue (sign + QR + PDF) and verify (tools/bench/bench_cert.cpp)
// Usage: shelter-bench [--quick | --certs]   (--quick shrinks every size 10x, for smoke tests;
//        --certs runs only the certificate section)
//        shelter-bench dupes [...]  (duplicate detection: see bench_dupes.cpp)
//
// [SECTION] index
//   Helpers                           timing, percentiles, checks that exit on failure
//   UTF-8 and kana variants           Decode, Encode, ToKatakana, ToHalfWidth
//   Generated people                  MakeHousehold, MakeHouseholds
//   A fresh municipality and tablet   MakeSite
//   Anchor: raw SQLite                RawSqliteInsert
//   main                              1. Single registration, 2. Bulk vs raw SQLite, 3. Search,
//                                     4. Certificates, Summary
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/base/crypto.hpp"
#include "core/device/device_cert.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "core/ops/households.hpp"
#include "core/model/state.hpp"
#include "tools/bench/bench_cert.hpp"

namespace fs = std::filesystem;
using namespace shelter::core;
using Clock = std::chrono::steady_clock;

namespace {

// [SECTION] Helpers -------------------------------------------------------------------------------
double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
double Pct(std::vector<double> v, double p) {  // nearest-rank percentile
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * v.size()));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}
template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "shelter-bench: %s failed: %s\n", what, r.error().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}
void CheckS(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "shelter-bench: %s failed: %s\n", what, s.error().ToString().c_str());
    std::exit(1);
  }
}
void CheckSql(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "shelter-bench: sqlite %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

// [SECTION] UTF-8 and kana variants ---------------------------------------------------------------
std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += cp;
    i += n;
  }
  return out;
}
std::string Encode(const std::u32string& s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
    else { out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
  }
  return out;
}
char32_t ToKatakana(char32_t c) { return (c >= 0x3041 && c <= 0x3096) ? c + 0x60 : c; }
// Full-width katakana -> half-width, voiced marks as a separate ﾞ / ﾟ.
std::u32string ToHalfWidth(const std::u32string& kata) {
  static const std::u32string full = U"ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユョヨラリルレロワヲンー";
  static const std::u32string half = U"ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ";
  static const std::u32string voiced = U"ガギグゲゴザジズゼゾダヂヅデドバビブベボ";
  static const std::u32string semi = U"パピプペポ";
  std::u32string out;
  for (char32_t c : kata) {
    char32_t base = c, mark = 0;
    if (voiced.find(c) != std::u32string::npos) base = c - 1, mark = U'ﾞ';
    else if (semi.find(c) != std::u32string::npos) base = c - 2, mark = U'ﾟ';
    size_t i = full.find(base);
    out += i == std::u32string::npos ? c : half[i];
    if (mark) out += mark;
  }
  return out;
}

// [SECTION] Generated people ----------------------------------------------------------------------
struct NamePart { const char* kanji; const char* kana; };
const NamePart kSurnames[] = {
    {"佐藤", "さとう"}, {"鈴木", "すずき"}, {"高橋", "たかはし"}, {"田中", "たなか"}, {"伊藤", "いとう"},
    {"渡辺", "わたなべ"}, {"山本", "やまもと"}, {"中村", "なかむら"}, {"小林", "こばやし"}, {"加藤", "かとう"},
    {"吉田", "よしだ"}, {"山田", "やまだ"}, {"佐々木", "ささき"}, {"山口", "やまぐち"}, {"松本", "まつもと"},
    {"井上", "いのうえ"}, {"木村", "きむら"}, {"林", "はやし"}, {"斎藤", "さいとう"}, {"清水", "しみず"},
    {"山崎", "やまざき"}, {"森", "もり"}, {"池田", "いけだ"}, {"橋本", "はしもと"}, {"阿部", "あべ"},
    {"石川", "いしかわ"}, {"前田", "まえだ"}, {"長谷川", "はせがわ"}, {"藤田", "ふじた"}, {"後藤", "ごとう"}};
const NamePart kGiven[] = {
    {"太郎", "たろう"}, {"花子", "はなこ"}, {"翔", "しょう"}, {"陽菜", "ひな"}, {"蓮", "れん"},
    {"結衣", "ゆい"}, {"大輝", "だいき"}, {"美咲", "みさき"}, {"健太", "けんた"}, {"愛", "あい"},
    {"誠", "まこと"}, {"さくら", "さくら"}, {"翼", "つばさ"}, {"優子", "ゆうこ"}, {"拓也", "たくや"},
    {"葵", "あおい"}, {"浩", "ひろし"}, {"恵子", "けいこ"}, {"一郎", "いちろう"}, {"幸子", "さちこ"},
    {"直樹", "なおき"}, {"由美", "ゆみ"}, {"悠斗", "ゆうと"}, {"芽衣", "めい"}, {"隆", "たかし"},
    {"和子", "かずこ"}, {"湊", "みなと"}, {"凛", "りん"}, {"勇気", "ゆうき"}, {"真由美", "まゆみ"}};

std::mt19937_64 rng(20240101);
int Rand(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

Household MakeHousehold(int members) {
  Household h;
  const NamePart& sur = kSurnames[Rand(0, std::size(kSurnames) - 1)];
  h.address = "東京都千代田区霞が関" + std::to_string(Rand(1, 3)) + "-" + std::to_string(Rand(1, 20));
  h.phone = "03-" + std::to_string(Rand(1000, 9999)) + "-" + std::to_string(Rand(1000, 9999));
  for (int i = 0; i < members; ++i) {
    const NamePart& given = kGiven[Rand(0, std::size(kGiven) - 1)];
    Person p;
    p.name = std::string(sur.kanji) + " " + given.kanji;
    p.kana = std::string(sur.kana) + " " + given.kana;
    char dob[16];
    int year = Rand(1930, 2024);
    std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", year, Rand(1, 12), Rand(1, 28));
    p.dob = dob;
    p.sex = Rand(0, 1) ? "male" : "female";
    if (year < 1950) p.needs.push_back("ELD");
    h.members.push_back(std::move(p));
  }
  return h;
}
std::vector<Household> MakeHouseholds(int n) {
  std::vector<Household> hs;
  hs.reserve(n);
  for (int i = 0; i < n; ++i) hs.push_back(MakeHousehold(4));
  return hs;
}

// [SECTION] A fresh municipality and tablet -------------------------------------------------------
struct Site {
  std::unique_ptr<Node> admin, tablet;
  Id16 shelter;
};
Site MakeSite(const std::string& dir) {
  NodeOptions opts;
  opts.pwhash = crypto::PwHashParams::ForTests();
  Site s;
  s.admin = Check(Node::InitMunicipality(dir + "/admin", "131016", "千代田区", "admin", "1234", opts),
                  "InitMunicipality");
  ShelterInfo info;
  info.id = s.shelter = DerivedId("shelter", "X");
  info.municipality_code = "131016";
  info.name = "千代田区立麹町小学校";
  info.kana = "ちよだくりつこうじまちしょうがっこう";
  info.address = "東京都千代田区麹町2-8";
  info.capacity = 500;
  info.kind = "designated";
  info.status = "open";
  Check(s.admin->Commit(s.admin->municipality_scope(), {{info.id, RecordType::kShelter, ShelterFields(info)}}),
        "commit shelter");
  Check(s.admin->EnrollDevice(dir + "/tablet", s.shelter, DeviceRole::kTablet, "t1", "lead", "5678"),
        "EnrollDevice");
  s.tablet = Check(Node::Open(dir + "/tablet", opts), "Open tablet");
  CheckS(s.tablet->Login("lead", "5678"), "Login");
  return s;
}

// [SECTION] Anchor: raw SQLite --------------------------------------------------------------------
double RawSqliteInsert(const std::string& path, const std::vector<Household>& hs) {
  sqlite3* db = nullptr;
  CheckSql(sqlite3_open(path.c_str(), &db), db, "open");
  CheckSql(sqlite3_exec(db,
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                        "CREATE TABLE person(id BLOB PRIMARY KEY, household BLOB NOT NULL, name TEXT,"
                        " kana TEXT, dob TEXT, sex TEXT, needs TEXT);"
                        "CREATE INDEX person_kana ON person(kana);"
                        "CREATE INDEX person_dob ON person(dob);",
                        nullptr, nullptr, nullptr),
           db, "schema");
  // Ids are made outside the timed part, as RegisterHouseholds' callers would pass in data.
  std::vector<std::pair<Id16, Id16>> ids;
  for (auto& h : hs) {
    Id16 hid = Id16::Random();
    for (size_t i = 0; i < h.members.size(); ++i) ids.push_back({Id16::Random(), hid});
  }
  auto t0 = Clock::now();
  CheckSql(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  sqlite3_stmt* st = nullptr;
  CheckSql(sqlite3_prepare_v2(db, "INSERT INTO person VALUES(?,?,?,?,?,?,?)", -1, &st, nullptr), db, "prepare");
  size_t k = 0;
  for (auto& h : hs)
    for (auto& p : h.members) {
      std::string needs;
      for (auto& n : p.needs) needs += (needs.empty() ? "" : ",") + n;
      sqlite3_bind_blob(st, 1, ids[k].first.b.data(), 16, SQLITE_STATIC);
      sqlite3_bind_blob(st, 2, ids[k].second.b.data(), 16, SQLITE_STATIC);
      sqlite3_bind_text(st, 3, p.name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 4, p.kana.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 5, p.dob.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 6, p.sex.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 7, needs.c_str(), -1, SQLITE_TRANSIENT);
      CheckSql(sqlite3_step(st), db, "insert");
      sqlite3_reset(st);
      ++k;
    }
  sqlite3_finalize(st);
  CheckSql(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  double ms = MsSince(t0);
  sqlite3_close(db);
  return ms;
}

}  // namespace

namespace shelter::bench {
int RunDupesBench(int argc, char** argv);
}

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
  if (argc > 1 && std::string(argv[1]) == "dupes") return shelter::bench::RunDupesBench(argc, argv);
  bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const int div = quick ? 10 : 1;
  const int kSingle = 200 / div, kBulkHouseholds = 2500 / div, kSearchHouseholds = 25000 / div;
  const int kKanaQueries = 2000 / div, kDateQueries = 500 / div;

  char tmpl[] = "/tmp/shelter-bench-XXXXXX";
  if (!mkdtemp(tmpl)) { std::perror("mkdtemp"); return 1; }
  const std::string root = tmpl;
  std::printf("shelter-bench%s  (data under %s)\n\n", quick ? " --quick" : "", root.c_str());

  if (argc > 1 && std::string(argv[1]) == "--certs") {  // only section 4
    auto certs = shelter::bench::BenchCertificates(root + "/certs", 200);
    std::printf("certificate issue %.3f ms (target <= 50), verify %.3f ms (target <= 1)\n", certs.issue_ms,
                certs.verify_ms);
    std::error_code ec;
    fs::remove_all(root, ec);
    return 0;
  }

  // [SECTION] 1. Single registration --------------------------------------------------------------
  std::vector<double> single;
  {
    Site site = MakeSite(root + "/single");
    for (int i = 0; i < 3; ++i)  // warm-up: statement caches, first WAL frames
      Check(RegisterHousehold(*site.tablet, MakeHousehold(4), site.shelter, true), "warm-up");
    for (int i = 0; i < kSingle; ++i) {
      Household h = MakeHousehold(4);
      auto t0 = Clock::now();
      Check(RegisterHousehold(*site.tablet, std::move(h), site.shelter, /*check_in=*/true), "RegisterHousehold");
      single.push_back(MsSince(t0));
    }
  }
  double single_p50 = Pct(single, 50), single_p99 = Pct(single, 99);
  std::printf("[1] single household registration (4 people + check-in, 1 durable txn), n=%d\n", kSingle);
  std::printf("    median %.3f ms\n    p99    %.3f ms\n    max    %.3f ms\n\n", single_p50, single_p99,
              *std::max_element(single.begin(), single.end()));

  // [SECTION] 2. Bulk vs raw SQLite ---------------------------------------------------------------
  double best_bulk = 1e300, best_raw = 1e300;
  const int bulk_people = kBulkHouseholds * 4;
  for (int run = 0; run < 3; ++run) {
    std::vector<Household> hs = MakeHouseholds(kBulkHouseholds);
    std::string raw_path = root + "/raw" + std::to_string(run) + ".db";
    best_raw = std::min(best_raw, RawSqliteInsert(raw_path, hs));
    Site site = MakeSite(root + "/bulk" + std::to_string(run));
    auto t0 = Clock::now();
    auto r = Check(RegisterHouseholds(*site.tablet, std::move(hs), site.shelter, /*check_in=*/false),
                   "RegisterHouseholds");
    best_bulk = std::min(best_bulk, MsSince(t0));
    if (r.size() != static_cast<size_t>(kBulkHouseholds)) { std::fprintf(stderr, "bulk: short result\n"); return 1; }
  }
  double bulk_ratio = best_bulk / best_raw;
  std::printf("[2] bulk: %d people (%d households x 4, no check-in), one call, best of 3\n", bulk_people,
              kBulkHouseholds);
  std::printf("    RegisterHouseholds      %.1f ms  (%.2f us/person)\n", best_bulk, best_bulk * 1000 / bulk_people);
  std::printf("    raw SQLite anchor       %.1f ms  (%.2f us/person; WAL, synchronous=FULL, 1 txn, kana+dob indexes)\n",
              best_raw, best_raw * 1000 / bulk_people);
  std::printf("    ratio                   %.2fx\n\n", bulk_ratio);

  // [SECTION] 3. Search ---------------------------------------------------------------------------
  Site site = MakeSite(root + "/search");
  std::vector<std::string> kanas;
  const int chunk = 2500 / div;
  auto load0 = Clock::now();
  double first_chunk_ms = 0, last_chunk_ms = 0;
  for (int done = 0; done < kSearchHouseholds; done += chunk) {
    std::vector<Household> hs = MakeHouseholds(std::min(chunk, kSearchHouseholds - done));
    for (auto& h : hs)
      for (auto& p : h.members) kanas.push_back(p.kana);
    auto c0 = Clock::now();
    Check(RegisterHouseholds(*site.tablet, std::move(hs), site.shelter, false), "RegisterHouseholds (load)");
    last_chunk_ms = MsSince(c0);
    if (done == 0) first_chunk_ms = last_chunk_ms;
    std::fprintf(stderr, "  loaded %zu people, last chunk %.0f ms\n", kanas.size(), last_chunk_ms);
  }
  double load_ms = MsSince(load0);
  State& state = site.tablet->state();

  std::vector<double> kana_ms;
  size_t kana_hits = 0, kana_empty = 0;
  int n_hira = 0, n_kata = 0, n_half = 0;
  for (int q = 0; q < kKanaQueries; ++q) {
    std::u32string kana = Decode(kanas[Rand(0, kanas.size() - 1)]);
    std::u32string prefix = kana.substr(0, Rand(1, 4));
    int mode = Rand(0, 9);  // 60% hiragana, 25% katakana, 15% half-width katakana
    if (mode >= 6) {
      for (auto& c : prefix) c = ToKatakana(c);
      if (mode >= 9 || (mode == 8 && Rand(0, 1))) prefix = ToHalfWidth(prefix), ++n_half;
      else ++n_kata;
    } else {
      ++n_hira;
    }
    std::string query = Encode(prefix);
    auto t0 = Clock::now();
    auto hits = Check(state.SearchPersons(query, 50), "SearchPersons(kana)");
    kana_ms.push_back(MsSince(t0));
    kana_hits += hits.size();
    if (hits.empty()) ++kana_empty;
  }
  std::vector<double> date_ms;
  size_t date_hits = 0;
  for (int q = 0; q < kDateQueries; ++q) {
    char ym[16];
    std::snprintf(ym, sizeof ym, "%04d-%02d", Rand(1930, 2024), Rand(1, 12));
    auto t0 = Clock::now();
    auto hits = Check(state.SearchPersons(ym, 50), "SearchPersons(date)");
    date_ms.push_back(MsSince(t0));
    date_hits += hits.size();
  }
  std::printf("[3] search over %zu people (loaded in %.0f ms, %d calls of %d households; first call %.0f ms,"
              " last %.0f ms)\n", kanas.size(), load_ms, (kSearchHouseholds + chunk - 1) / chunk, chunk,
              first_chunk_ms, last_chunk_ms);
  std::printf("    kana prefix (1-4 chars; %d hiragana, %d katakana, %d half-width), n=%d, limit 50\n", n_hira,
              n_kata, n_half, kKanaQueries);
  std::printf("    p50 %.3f ms\n    p99 %.3f ms\n    mean hits %.1f, queries with no hit %zu\n",
              Pct(kana_ms, 50), Pct(kana_ms, 99), double(kana_hits) / kKanaQueries, kana_empty);
  std::printf("    date YYYY-MM, n=%d, limit 50\n", kDateQueries);
  std::printf("    p50 %.3f ms\n    p99 %.3f ms\n    mean hits %.1f\n\n", Pct(date_ms, 50), Pct(date_ms, 99),
              double(date_hits) / kDateQueries);

  // [SECTION] 4. Certificates ---------------------------------------------------------------------
  auto certs = shelter::bench::BenchCertificates(root + "/certs", quick ? 20 : 200);

  // [SECTION] Summary -----------------------------------------------------------------------------
  auto row = [](const char* what, const char* target, double value, const char* unit, bool ok) {
    std::printf("%-44s %-10s %10.3f %-3s %s\n", what, target, value, unit, ok ? "ok" : "MISSED");
  };
  std::printf("%-44s %-10s %14s %s\n", "summary", "target", "measured", "verdict");
  row("single registration median", "<= 2 ms", single_p50, "ms", single_p50 <= 2);
  row("single registration p99", "<= 2 ms", single_p99, "ms", single_p99 <= 2);
  row("bulk RegisterHouseholds / raw SQLite", "<= 2x", bulk_ratio, "x", bulk_ratio <= 2);
  row("kana search p99", "<= 2 ms", Pct(kana_ms, 99), "ms", Pct(kana_ms, 99) <= 2);
  row("date search p99", "(info)", Pct(date_ms, 99), "ms", true);
  row("certificate issue (sign + QR + PDF) median", "<= 50 ms", certs.issue_ms, "ms", certs.issue_ms <= 50);
  row("certificate verify median", "<= 1 ms", certs.verify_ms, "ms", certs.verify_ms <= 1);

  site = Site{};
  std::error_code ec;
  fs::remove_all(root, ec);
  return 0;
}
