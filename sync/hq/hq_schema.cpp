// Migration steps. Never edit a released step: add a new one. Ids are lower-case hex text.
// People, stays and households are keyed by a row number HQ assigns in arrival order, so bulk
// ingest appends to the tables instead of scattering writes over a B-tree of random ids.
#include "sync/hq/hq_schema.hpp"

#include <string>

namespace shelter::hq {
namespace {

using core::ErrorCode;
using core::MakeError;

// {WR} becomes WITHOUT ROWID on SQLite (every table here has a primary key); {RID} is a row
// number column: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
constexpr const char* kStep1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL){WR};
CREATE TABLE tips(device TEXT PRIMARY KEY, number BIGINT NOT NULL, seq BIGINT NOT NULL,
  hash TEXT NOT NULL){WR};
CREATE TABLE shelters(id TEXT PRIMARY KEY, common_id TEXT NOT NULL, muni TEXT NOT NULL,
  name TEXT NOT NULL, kana TEXT NOT NULL, address TEXT NOT NULL, lat TEXT NOT NULL,
  lon TEXT NOT NULL, capacity BIGINT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
  regs TEXT NOT NULL){WR};
CREATE TABLE households(rid BIGINT PRIMARY KEY, id TEXT NOT NULL, shelter TEXT NOT NULL,
  deleted INTEGER NOT NULL, st TEXT NOT NULL);
CREATE INDEX households_shelter ON households(shelter);
CREATE TABLE persons(rid BIGINT PRIMARY KEY, id TEXT NOT NULL, household TEXT NOT NULL, name TEXT NOT NULL,
  kana TEXT NOT NULL, name_key TEXT NOT NULL, kana_key TEXT NOT NULL, dob TEXT NOT NULL,
  sex TEXT NOT NULL, needs BIGINT NOT NULL, flags INTEGER NOT NULL, stay TEXT NOT NULL,
  event TEXT NOT NULL, place TEXT NOT NULL, st TEXT NOT NULL);
CREATE INDEX persons_name_key ON persons(name_key);
CREATE INDEX persons_kana_key ON persons(kana_key);
CREATE TABLE stays(rid BIGINT PRIMARY KEY, id TEXT NOT NULL, person TEXT NOT NULL,
  event TEXT NOT NULL, place TEXT NOT NULL, st TEXT NOT NULL);
CREATE TABLE shelter_status(shelter TEXT PRIMARY KEY, persons BIGINT NOT NULL,
  households BIGINT NOT NULL, in_shelter BIGINT NOT NULL, out_now BIGINT NOT NULL,
  at_home BIGINT NOT NULL, in_car BIGINT NOT NULL, elsewhere BIGINT NOT NULL,
  never_arrived BIGINT NOT NULL, male BIGINT NOT NULL, female BIGINT NOT NULL,
  sex_other BIGINT NOT NULL, infants BIGINT NOT NULL, with_needs BIGINT NOT NULL,
  data_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL){WR};
CREATE TABLE shelter_counts(shelter TEXT NOT NULL, whereabouts TEXT NOT NULL, sex TEXT NOT NULL,
  age_band INTEGER NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY(shelter, whereabouts, sex, age_band)){WR};
CREATE TABLE shelter_needs(shelter TEXT NOT NULL, whereabouts TEXT NOT NULL, need TEXT NOT NULL,
  n BIGINT NOT NULL, PRIMARY KEY(shelter, whereabouts, need)){WR};
CREATE TABLE trend(bucket_ms BIGINT NOT NULL, shelter TEXT NOT NULL, persons BIGINT NOT NULL,
  households BIGINT NOT NULL, in_shelter BIGINT NOT NULL, out_now BIGINT NOT NULL,
  at_home BIGINT NOT NULL, in_car BIGINT NOT NULL, elsewhere BIGINT NOT NULL,
  PRIMARY KEY(bucket_ms, shelter)){WR};
CREATE TABLE reports(shelter TEXT PRIMARY KEY, as_of_s BIGINT NOT NULL, device TEXT NOT NULL,
  received_ms BIGINT NOT NULL, open INTEGER NOT NULL, capacity BIGINT NOT NULL,
  in_shelter BIGINT NOT NULL, out_now BIGINT NOT NULL, at_home BIGINT NOT NULL,
  in_car BIGINT NOT NULL, elsewhere BIGINT NOT NULL, never_arrived BIGINT NOT NULL,
  households BIGINT NOT NULL, male BIGINT NOT NULL, female BIGINT NOT NULL,
  sex_other BIGINT NOT NULL, infants BIGINT NOT NULL, with_needs BIGINT NOT NULL,
  needs TEXT NOT NULL, supplies TEXT NOT NULL, text TEXT NOT NULL){WR};
)sql";

// Version 2: 安否 lookups are audited; reports keep every distinct one received.
constexpr const char* kStep2 = R"sql(
CREATE TABLE anpi_audit(id TEXT PRIMARY KEY, at_ms BIGINT NOT NULL, requester TEXT NOT NULL,
  tier TEXT NOT NULL, query_hash TEXT NOT NULL, results INTEGER NOT NULL){WR};
CREATE INDEX anpi_audit_at ON anpi_audit(at_ms);
CREATE TABLE report_log(hash TEXT PRIMARY KEY, shelter TEXT NOT NULL, as_of_s BIGINT NOT NULL,
  received_ms BIGINT NOT NULL, outcome TEXT NOT NULL){WR};
)sql";

// Version 3: city-wide counts kept next to the per-shelter ones, so the whole-city summary reads
// a few hundred rows instead of summing every shelter's; filled from the shelter rows once. And
// the row-numbered tables rebuilt with {RID}, on SQLite the rowid itself (INTEGER PRIMARY KEY),
// so an insert writes one B-tree fewer; a person's name columns default to '' (a row written
// without them keeps or starts empty).
constexpr const char* kStep3 = R"sql(
CREATE TABLE households3(rid {RID} PRIMARY KEY, id TEXT NOT NULL, shelter TEXT NOT NULL,
  deleted INTEGER NOT NULL, st TEXT NOT NULL);
INSERT INTO households3(rid, id, shelter, deleted, st)
  SELECT rid, id, shelter, deleted, st FROM households;
DROP TABLE households;
ALTER TABLE households3 RENAME TO households;
CREATE INDEX households_shelter ON households(shelter);
CREATE TABLE persons3(rid {RID} PRIMARY KEY, id TEXT NOT NULL, household TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '', kana TEXT NOT NULL DEFAULT '', name_key TEXT NOT NULL DEFAULT '',
  kana_key TEXT NOT NULL DEFAULT '',
  dob TEXT NOT NULL, sex TEXT NOT NULL, needs BIGINT NOT NULL, flags INTEGER NOT NULL,
  stay TEXT NOT NULL, event TEXT NOT NULL, place TEXT NOT NULL, st TEXT NOT NULL);
INSERT INTO persons3(rid, id, household, name, kana, name_key, kana_key, dob, sex, needs, flags,
  stay, event, place, st)
  SELECT rid, id, household, name, kana, name_key, kana_key, dob, sex, needs, flags, stay, event,
  place, st FROM persons;
DROP TABLE persons;
ALTER TABLE persons3 RENAME TO persons;
CREATE INDEX persons_name_key ON persons(name_key);
CREATE INDEX persons_kana_key ON persons(kana_key);
CREATE TABLE stays3(rid {RID} PRIMARY KEY, id TEXT NOT NULL, person TEXT NOT NULL,
  event TEXT NOT NULL, place TEXT NOT NULL, st TEXT NOT NULL);
INSERT INTO stays3(rid, id, person, event, place, st)
  SELECT rid, id, person, event, place, st FROM stays;
DROP TABLE stays;
ALTER TABLE stays3 RENAME TO stays;
CREATE TABLE city_counts(whereabouts TEXT NOT NULL, sex TEXT NOT NULL, age_band INTEGER NOT NULL,
  n BIGINT NOT NULL, PRIMARY KEY(whereabouts, sex, age_band)){WR};
CREATE TABLE city_needs(whereabouts TEXT NOT NULL, need TEXT NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY(whereabouts, need)){WR};
INSERT INTO city_counts(whereabouts, sex, age_band, n)
  SELECT whereabouts, sex, age_band, sum(n) FROM shelter_counts GROUP BY whereabouts, sex, age_band;
INSERT INTO city_needs(whereabouts, need, n)
  SELECT whereabouts, need, sum(n) FROM shelter_needs GROUP BY whereabouts, need;
)sql";

// Version 4: a person's merge target, so HQ applies the merge rule of core/model/merge_rule.hpp (a
// cycle of merges keeps its smallest id visible). Rows written before keep their merged flag
// (hidden, target unknown) until the person's merge field is written again.
constexpr const char* kStep4 = R"sql(
ALTER TABLE persons ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';
)sql";

const char* const kSteps[] = {kStep1, kStep2, kStep3, kStep4};
static_assert(std::size(kSteps) == kSchemaVersion);

std::string Dialect(std::string sql, bool postgres) {
  auto put = [&](const std::string& tag, const char* pg, const char* lite) {
    for (size_t p; (p = sql.find(tag)) != std::string::npos;)
      sql.replace(p, tag.size(), postgres ? pg : lite);
  };
  put("{WR}", "", " WITHOUT ROWID");
  put("{RID}", "BIGINT", "INTEGER");
  return sql;
}

}  // namespace

Result<int> Migrate(SqlConn& db, int target) {
  SHELTER_TRY(db.Exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)"));
  SHELTER_ASSIGN_OR_RETURN(auto v, QueryInt(db, "SELECT max(version) FROM schema_version"));
  int found = static_cast<int>(v.value_or(0));
  if (found > kSchemaVersion)
    return MakeError(ErrorCode::kCorrupt,
                     "the HQ database was written by a newer shelter-hq "
                     "(schema " +
                         std::to_string(found) + ")");
  for (int step = found + 1; step <= target; ++step) {
    SHELTER_TRY(db.Begin());
    Status s = db.Exec(Dialect(kSteps[step - 1], db.postgres()));
    if (s.ok()) s = db.Exec("DELETE FROM schema_version");
    if (s.ok())
      s = db.Exec("INSERT INTO schema_version(version) VALUES(" + std::to_string(step) + ")");
    if (s.ok()) s = db.Commit();
    if (!s.ok()) {
      db.Rollback();
      return s.error();
    }
  }
  return found;
}

}  // namespace shelter::hq
