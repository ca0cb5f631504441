#include "sync/hq/hq_batch.hpp"

#include <array>
#include <chrono>
#include <utility>

#include "core/text/text_normalize.hpp"

namespace shelter::hq {

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Person rows go to the database in chunks, so their text never exists for a whole group at once.
constexpr size_t kChunk = 4096;

// The four column sets of a person row: with or without name (and its search key), with or
// without kana. A person whose name was not written since the last batch keeps the stored one.
const std::array<std::vector<std::string>, 4>& PersonColumns() {
  static const auto kColumns = [] {
    std::array<std::vector<std::string>, 4> c;
    for (uint8_t k = 0; k < 4; ++k) {
      c[k] = {"rid", "id", "household"};
      if (k & 1) c[k].insert(c[k].end(), {"name", "name_key"});
      if (k & 2) c[k].insert(c[k].end(), {"kana", "kana_key"});
      c[k].insert(c[k].end(),
                  {"dob", "sex", "needs", "flags", "stay", "event", "place", "st", "merged_into"});
    }
    return c;
  }();
  return kColumns;
}

std::vector<SqlValue> PersonValues(PersonRow& p) {
  std::vector<SqlValue> row;
  row.reserve(16);
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
  std::string st = p.st.Encode() + "|";
  PutStamp(st, p.stay_key);
  row.emplace_back(std::move(st));
  row.emplace_back(p.merged_into.IsZero() ? std::string() : p.merged_into.Hex());
  return row;
}

// Rows of one table, made and written a chunk at a time.
template <typename T, typename F>
Status WriteChunked(SqlConn& db, const char* table, const std::vector<std::string>& cols,
                    std::vector<T>& in, F values) {
  std::vector<std::vector<SqlValue>> rows;
  for (size_t i = 0; i < in.size(); ++i) {
    rows.push_back(values(in[i]));
    if (rows.size() < kChunk && i + 1 < in.size()) continue;
    SHELTER_TRY(db.Upsert(table, cols, 1, rows));
    rows.clear();
  }
  return core::Ok();
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
  if (s.ok())
    s = WriteChunked(db, "households", {"rid", "id", "shelter", "deleted", "st"}, batch.households,
                     [](HouseholdRow& h) {
                       return std::vector<SqlValue>{h.rid, h.id.Hex(), h.shelter.Hex(),
                                                    int64_t(h.deleted), h.st.Encode()};
                     });
  if (s.ok())
    s = WriteChunked(
        db, "stays", {"rid", "id", "person", "event", "place", "st"}, batch.stays, [](StayRow& r) {
          return std::vector<SqlValue>{
              r.rid, r.id.Hex(), r.person.Hex(), int64_t(r.event), int64_t(r.place), r.st.Encode()};
        });
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
  auto t0 = Clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !has_next_ && !busy_; });
  times_.caller_waited += Since(t0);
  if (!failed_.ok()) return failed_;
  next_ = std::move(batch);
  has_next_ = true;
  cv_.notify_all();
  return core::Ok();
}

Status BatchWriter::Wait() {
  auto t0 = Clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !has_next_ && !busy_; });
  times_.caller_waited += Since(t0);
  return failed_;
}

BatchWriter::Times BatchWriter::times() {
  std::lock_guard<std::mutex> lock(mu_);
  return times_;
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
    auto t0 = Clock::now();
    Status s = WriteBatchTo(db_, batch);
    batch = WriteBatch();  // freed on this thread, not the ingest thread
    double took = Since(t0);
    lock.lock();
    times_.writing += took;
    busy_ = false;
    if (!s.ok() && failed_.ok()) failed_ = s;
    cv_.notify_all();
  }
}

}  // namespace shelter::hq
