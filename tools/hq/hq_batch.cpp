#include "tools/hq/hq_batch.hpp"

#include <array>
#include <utility>

#include "core/text_normalize.hpp"

namespace shelter::hq {

namespace {

// Person rows go to the database in chunks, so their text never exists for a whole group at once.
constexpr size_t kChunk = 4096;

// The four column sets of a person row: with or without name (and its search key), with or
// without kana. A person whose name was not written since the last batch keeps the stored one.
const std::array<std::vector<std::string>, 4>& PersonColumns() {
  static const auto cols = [] {
    std::array<std::vector<std::string>, 4> c;
    for (uint8_t k = 0; k < 4; ++k) {
      c[k] = {"rid", "id", "household"};
      if (k & 1) c[k].insert(c[k].end(), {"name", "name_key"});
      if (k & 2) c[k].insert(c[k].end(), {"kana", "kana_key"});
      c[k].insert(c[k].end(), {"dob", "sex", "needs", "flags", "stay", "event", "place", "st"});
    }
    return c;
  }();
  return cols;
}

std::vector<SqlValue> PersonValues(PersonRow& p) {
  std::vector<SqlValue> row;
  row.reserve(15);
  row.emplace_back(p.rid);
  row.emplace_back(p.id.Hex());
  row.emplace_back(p.household.Hex());
  if (p.known & 1) {
    row.emplace_back(core::FoldForSearch(p.name));
    row.emplace(row.end() - 1, std::move(p.name));
  }
  if (p.known & 2) {
    row.emplace_back(core::FoldForSearch(p.kana));
    row.emplace(row.end() - 1, std::move(p.kana));
  }
  row.emplace_back(std::move(p.dob));
  row.emplace_back(std::move(p.sex));
  row.emplace_back(int64_t(p.needs));
  row.emplace_back(int64_t(p.flags));
  row.emplace_back(p.stay.Hex());
  row.emplace_back(int64_t(p.event));
  row.emplace_back(int64_t(p.place));
  row.emplace_back(std::move(p.st));
  return row;
}

Status WritePersons(SqlConn& db, std::vector<PersonRow>& persons) {
  std::array<std::vector<std::vector<SqlValue>>, 4> rows;
  for (size_t i = 0; i < persons.size(); ++i) {
    PersonRow& p = persons[i];
    uint8_t k = p.known & 3;
    rows[k].push_back(PersonValues(p));
    if (rows[k].size() < kChunk) continue;
    SHELTER_TRY(db.Upsert("persons", PersonColumns()[k], 1, rows[k]));
    rows[k].clear();
  }
  for (uint8_t k = 0; k < 4; ++k)
    if (!rows[k].empty()) SHELTER_TRY(db.Upsert("persons", PersonColumns()[k], 1, rows[k]));
  return core::Ok();
}

}  // namespace

Status WriteBatchTo(SqlConn& db, WriteBatch& batch) {
  SHELTER_TRY(db.Begin());
  Status s = WritePersons(db, batch.persons);
  for (size_t i = 0; s.ok() && i < batch.tables.size(); ++i) {
    SqlTableRows& t = batch.tables[i];
    if (!t.rows.empty()) s = db.Upsert(t.table, t.columns, t.key_columns, t.rows);
  }
  if (s.ok()) s = db.Commit();
  if (!s.ok()) db.Rollback();
  return s;
}

BatchWriter::BatchWriter(SqlConn& db) : db_(db), thread_([this] { Run(); }) {}

BatchWriter::~BatchWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status BatchWriter::Submit(WriteBatch batch) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !has_next_ && !busy_; });
  if (!failed_.ok()) return failed_;
  next_ = std::move(batch);
  has_next_ = true;
  cv_.notify_all();
  return core::Ok();
}

Status BatchWriter::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !has_next_ && !busy_; });
  return failed_;
}

void BatchWriter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return has_next_ || stop_; });
    if (!has_next_) return;  // stopping, nothing left
    WriteBatch batch = std::move(next_);
    has_next_ = false;
    busy_ = true;
    lock.unlock();
    Status s = WriteBatchTo(db_, batch);
    batch = WriteBatch();  // freed on this thread, not the ingest thread
    lock.lock();
    busy_ = false;
    if (!s.ok() && failed_.ok()) failed_ = s;
    cv_.notify_all();
  }
}

}  // namespace shelter::hq
