// A group of HQ table writes, staged by HqStore on the ingest thread and written in one database
// transaction by a BatchWriter on a thread of its own, so the database work of one group overlaps
// verifying, decrypting and applying the next (the second core of an HQ machine). People, the
// bulk of a group, travel as compact rows; their text (hex ids, search keys) is made on the
// writer's thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/base/bytes.hpp"
#include "sync/hq/hq_stamps.hpp"
#include "sync/hq/sql_conn.hpp"

namespace shelter::hq {

struct PersonRow {
  int64_t rid = 0;
  core::Id16 id, household, stay;
  core::Id16 merged_into;  // zero: none (or not known, for rows from before schema 4)
  uint8_t known = 0;  // 1: name (and its search key) written, 2: kana; else the stored ones stay
  uint8_t flags = 0, event = 0, place = 0;
  uint32_t needs = 0;
  std::string name, kana, dob, sex;
  Stamps<kPersonStampFields> st;
  Stamp stay_key;
};

struct HouseholdRow {
  int64_t rid = 0;
  core::Id16 id, shelter;
  bool deleted = false;
  Stamps<2> st;
};

struct StayRow {
  int64_t rid = 0;
  core::Id16 id, person;
  uint8_t event = 0, place = 0;
  Stamps<3> st;
};

struct SqlTableRows {
  std::string table;
  std::vector<std::string> columns;
  size_t key_columns = 1;
  std::vector<std::vector<SqlValue>> rows;
};

struct WriteBatch {
  std::vector<PersonRow> persons;
  std::vector<HouseholdRow> households;
  std::vector<StayRow> stays;
  std::vector<SqlTableRows> tables;  // written after the rows above, in order
};

// Writes `batch` in one transaction (rolled back on failure).
Status WriteBatchTo(SqlConn& db, WriteBatch& batch);

// One writer thread over one connection, one batch at a time. While a batch is being written
// nothing else may use the connection: Wait() first.
class BatchWriter {
 public:
  explicit BatchWriter(SqlConn& db);
  ~BatchWriter();  // writes what was submitted, then stops
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Waits for the batch being written, then hands this one over. Fails, without taking it, when
  // an earlier batch failed.
  Status Submit(WriteBatch batch);
  // Waits until nothing is being written; the first failure since the writer started, if any.
  Status Wait();

  // Seconds spent writing batches, and seconds Submit() and Wait() blocked their caller.
  struct Times {
    double writing = 0, caller_waited = 0;
  };
  Times times();

 private:
  void Run();
  SqlConn& db_;
  std::mutex mu_;
  std::condition_variable cv_;
  WriteBatch next_;
  bool has_next_ = false, busy_ = false, stop_ = false;
  Status failed_;
  Times times_;
  std::thread thread_;
};

}  // namespace shelter::hq
