// State: records folded from the op log into SQLite, and their search indexes (merge visibility is
// in state_merge.cpp).
//
// [SECTION] index
//   Schema and row readers   the tables, reading person rows
//   Opening                  Open, CreateSchema, LoadTips, Clear, Tip
//   Applying                 ApplySegment, ApplyUnsealed, ApplyOp (registers, supersessions),
//                            Reindex
//   Records                  Get, StateHash
//   Queries                  SearchPersons, Roster, FindPerson, Members, Counts, ConflictedRecords,
//                            RecordsOfType
#include "core/model/state.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include "core/base/crypto.hpp"
#include "core/base/stmt_rows.hpp"

#include <sodium.h>
#include "core/model/entities.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

// [SECTION] Schema and row readers ----------------------------------------------------------------

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS tips(device BLOB PRIMARY KEY, number INTEGER NOT NULL,
  seq INTEGER NOT NULL, hash BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records(id BLOB PRIMARY KEY, type INTEGER NOT NULL, scope BLOB NOT NULL,
  regs BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS superseded(device BLOB NOT NULL, seq INTEGER NOT NULL,
  record BLOB NOT NULL, field TEXT NOT NULL, PRIMARY KEY(device, seq, record, field)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS person_index(id BLOB PRIMARY KEY, household BLOB, name TEXT, kana TEXT,
  dob TEXT, sex TEXT, needs TEXT, conflict INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,
  event TEXT NOT NULL DEFAULT '', place TEXT NOT NULL DEFAULT '', removed INTEGER NOT NULL DEFAULT 0,
  merged_into BLOB) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS person_dob ON person_index(dob);
CREATE INDEX IF NOT EXISTS person_merged ON person_index(merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX IF NOT EXISTS person_household ON person_index(household);
CREATE TABLE IF NOT EXISTS household_index(id BLOB PRIMARY KEY, shelter BLOB, conflict INTEGER
  NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS household_shelter ON household_index(shelter);
CREATE TABLE IF NOT EXISTS stay_index(id BLOB PRIMARY KEY, person BLOB NOT NULL, hlc INTEGER NOT NULL,
  device BLOB NOT NULL, event TEXT NOT NULL, place TEXT NOT NULL, undoes BLOB) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stay_person ON stay_index(person, hlc, device);
CREATE INDEX IF NOT EXISTS stay_undoes ON stay_index(undoes) WHERE undoes IS NOT NULL;
)sql";

// Unsorted name keys a commit leaves for the next search to sort (NameIndex::Settle).
constexpr size_t kSettleAtCommit = 4096;

Hash32 ToHash(const Bytes& b) {
  Hash32 h{};
  if (b.size() == h.size()) std::memcpy(h.data(), b.data(), h.size());
  return h;
}

std::string JoinCodes(const std::vector<std::string>& v) {
  std::string out;
  for (auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> SplitCodes(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The smallest string greater than every string with prefix `p` (for range scans).
std::string PrefixEnd(std::string p) {
  while (!p.empty() && static_cast<uint8_t>(p.back()) == 0xFF) p.pop_back();
  if (!p.empty()) p.back() = static_cast<char>(static_cast<uint8_t>(p.back()) + 1);
  return p;
}

constexpr const char* kPersonColumns =
    "SELECT p.id, p.household, h.shelter, p.name, p.kana, p.dob, p.sex, p.event, p.place, "
    "p.needs, p.conflict FROM person_index p LEFT JOIN household_index h ON h.id = p.household ";

PersonSummary ReadPerson(const Stmt& st) {
  PersonSummary p;
  if (auto id = Id16::FromBytes(View(st.Blob(0))); id.ok()) p.id = *id;
  if (auto id = Id16::FromBytes(View(st.Blob(1))); id.ok()) p.household = *id;
  if (auto id = Id16::FromBytes(View(st.Blob(2))); id.ok()) p.shelter = *id;
  p.name = st.Text(3);
  p.kana = st.Text(4);
  p.dob = st.Text(5);
  p.sex = st.Text(6);
  p.event = st.Text(7);
  p.place = st.Text(8);
  p.needs = SplitCodes(st.Text(9));
  p.conflict = st.Int(10) != 0;
  return p;
}

Result<std::vector<PersonSummary>> ReadPersons(Stmt& st, size_t limit) {
  std::vector<PersonSummary> out;
  SHELTER_TRY(ForEachRow(st, [&](const Stmt& row) {
    if (out.size() >= limit) return false;
    out.push_back(ReadPerson(row));
    return true;
  }));
  return out;
}

}  // namespace

// [SECTION] Opening -------------------------------------------------------------------------------

Result<std::unique_ptr<State>> State::Open(const std::string& path) {
  SHELTER_ASSIGN_OR_RETURN(auto db, Db::Open(path));
  if (path == ":memory:") {
    SHELTER_TRY(db->Exec("PRAGMA temp_store=MEMORY;"));
  } else {
    SHELTER_TRY(
        db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"));
  }
  std::unique_ptr<State> s(new State(std::move(db)));
  SHELTER_TRY(s->CreateSchema());
  SHELTER_TRY(s->LoadTips());
  SHELTER_TRY(s->LoadNames());
  return s;
}

Status State::CreateSchema() {
  // A state file from before merges lacks person_index.merged_into, one from before undo lacks
  // stay_index.undoes: the state is derived, so drop it all (tips included) and let the next
  // rebuild fold the log again.
  SHELTER_ASSIGN_OR_RETURN(
      auto old,
      db_->QueryInt("SELECT (SELECT count(*) FROM sqlite_schema WHERE name='person_index')"
                    " - (SELECT count(*) FROM pragma_table_info('person_index') WHERE "
                    "name='merged_into')"
                    " + (SELECT count(*) FROM sqlite_schema WHERE name='stay_index')"
                    " - (SELECT count(*) FROM pragma_table_info('stay_index') WHERE "
                    "name='undoes')"));
  if (old.value_or(0) > 0) {
    SHELTER_TRY(
        db_->Exec("DROP TABLE IF EXISTS tips; DROP TABLE IF EXISTS records; "
                  "DROP TABLE IF EXISTS superseded; DROP TABLE IF EXISTS person_index; "
                  "DROP TABLE IF EXISTS name_keys; DROP TABLE IF EXISTS household_index; "
                  "DROP TABLE IF EXISTS stay_index;"));
  }
  // Name keys live in memory now (NameIndex): a file from before holds them in a table.
  SHELTER_TRY(db_->Exec("DROP TABLE IF EXISTS name_keys;"));
  return db_->Exec(kSchema);
}

Status State::LoadTips() {
  tips_.clear();
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT device, number, seq, hash FROM tips"));
  SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) -> Status {
    SHELTER_ASSIGN_OR_RETURN(Id16 dev, Id16::FromBytes(View(row.Blob(0))));
    tips_[dev] = {static_cast<uint64_t>(row.Int(1)), static_cast<uint64_t>(row.Int(2)),
                  ToHash(row.Blob(3))};
    return Ok();
  }));
  SHELTER_ASSIGN_OR_RETURN(auto n, db_->QueryInt("SELECT count(*) FROM superseded"));
  pending_superseded_ = n.value_or(0);
  SHELTER_ASSIGN_OR_RETURN(
      auto links, db_->QueryInt("SELECT count(*) FROM person_index WHERE merged_into IS NOT NULL"));
  merge_links_ = links.value_or(0);
  return Ok();
}

Status State::LoadNames() {
  names_.Clear();
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT id, name, kana FROM person_index"));
  return ForEachRow(*st, [&](const Stmt& row) {
    if (auto id = Id16::FromBytes(View(row.Blob(0))); id.ok())
      names_.Set(*id, row.Text(1), row.Text(2));
  });
}

Status State::Clear() {
  SHELTER_TRY(db_->Exec(
      "DELETE FROM tips; DELETE FROM records; DELETE FROM superseded; DELETE FROM person_index; "
      "DELETE FROM household_index; DELETE FROM stay_index;"));
  names_.Clear();
  pending_names_.clear();
  tips_.clear();
  unsealed_from_.clear();
  pending_superseded_ = 0;
  merge_links_ = 0;
  return Ok();
}

std::optional<AppliedTip> State::Tip(const Id16& device) const {
  auto it = tips_.find(device);
  if (it == tips_.end()) return std::nullopt;
  return it->second;
}

// [SECTION] Applying ------------------------------------------------------------------------------

Result<bool> State::ApplySegment(const SegmentHeader& h, const Hash32& hash,
                                 const std::vector<Op>& ops) {
  AppliedTip tip = tips_.count(h.device) ? tips_[h.device] : AppliedTip{};
  if (h.number != tip.number + 1 || h.prev_hash != tip.hash) return false;
  uint64_t last = h.first_seq + ops.size() - 1;
  // This device's own segment, sealed from ops applied before (ApplyUnsealed): only the tip moves.
  auto early = unsealed_from_.find(h.device);
  bool applied_before =
      early != unsealed_from_.end() && h.first_seq == early->second && last <= tip.seq;
  if (!applied_before && h.first_seq != tip.seq + 1) return false;
  pending_names_.clear();
  Transaction tx(*db_);
  SHELTER_TRY(tx.Begin());
  if (!applied_before)
    for (const Op& op : ops) SHELTER_TRY(ApplyOp(op, h.scope));
  AppliedTip next{h.number, std::max(last, tip.seq), hash};
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("INSERT OR REPLACE INTO tips(device, number, seq, hash) VALUES(?,?,?,?)"));
  SHELTER_TRY(st->Bind(1, h.device)
                  .Bind(2, static_cast<int64_t>(next.number))
                  .Bind(3, static_cast<int64_t>(next.seq))
                  .Bind(4, ByteView(hash.data(), hash.size()))
                  .Run());
  SHELTER_TRY(tx.Commit());
  tips_[h.device] = next;
  PublishNames();
  if (applied_before) {
    if (last == tip.seq)
      unsealed_from_.erase(early);
    else
      early->second = last + 1;
  }
  return true;
}

Result<bool> State::ApplyUnsealed(const Id16& device, const Id16& scope,
                                  const std::vector<Op>& ops) {
  AppliedTip tip = tips_.count(device) ? tips_[device] : AppliedTip{};
  if (ops.empty() || ops.front().dot.seq != tip.seq + 1) return false;
  pending_names_.clear();
  Transaction tx(*db_);
  SHELTER_TRY(tx.Begin());
  for (const Op& op : ops) SHELTER_TRY(ApplyOp(op, scope));
  AppliedTip next{tip.number, ops.back().dot.seq, tip.hash};
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("INSERT OR REPLACE INTO tips(device, number, seq, hash) VALUES(?,?,?,?)"));
  SHELTER_TRY(st->Bind(1, device)
                  .Bind(2, static_cast<int64_t>(next.number))
                  .Bind(3, static_cast<int64_t>(next.seq))
                  .Bind(4, ByteView(tip.hash.data(), tip.hash.size()))
                  .Run());
  SHELTER_TRY(tx.Commit());
  tips_[device] = next;
  PublishNames();
  unsealed_from_.emplace(device, ops.front().dot.seq);  // keeps the first, if already set
  return true;
}

void State::PublishNames() {
  for (NameChange& c : pending_names_) names_.Set(c.person, c.name, c.kana);
  pending_names_.clear();
  // A large commit (bulk registration, a sync) sorts its keys now, in pieces of a segment, while
  // they are still in cache; a few are left for the next search to sort.
  if (names_.unsorted_entries() >= kSettleAtCommit) names_.Settle();
}

Status State::ApplyOp(const Op& op, const Id16& scope) {
  // Load the record's registers (or start a new record).
  SHELTER_ASSIGN_OR_RETURN(Stmt * get,
                           db_->Prepare("SELECT type, scope, regs FROM records WHERE id=?"));
  get->Bind(1, op.record);
  SHELTER_ASSIGN_OR_RETURN(bool found, get->Step());
  RecordState r{op.record, op.type, scope, {}};
  if (found) {
    auto type = static_cast<RecordType>(get->Int(0));
    auto stored_scope = Id16::FromBytes(View(get->Blob(1)));
    Bytes regs = get->Blob(2);
    get->Reset();
    if (!stored_scope.ok()) return stored_scope.error();
    SHELTER_ASSIGN_OR_RETURN(r, DecodeRegisters(op.record, type, *stored_scope, View(regs)));
    // An op that names an existing record with another type or scope is ignored: it cannot change
    // what the record is or who may read it.
    if (type != op.type || *stored_scope != scope) return Ok();
  }
  get->Reset();

  // Fields whose write from this op was already superseded by an op that arrived earlier.
  std::set<std::string> dead;
  if (pending_superseded_ > 0) {
    SHELTER_ASSIGN_OR_RETURN(
        Stmt * q,
        db_->Prepare("SELECT field FROM superseded WHERE device=? AND seq=? AND record=?"));
    q->Bind(1, op.dot.device).Bind(2, static_cast<int64_t>(op.dot.seq)).Bind(3, op.record);
    SHELTER_TRY(ForEachRow(*q, [&](const Stmt& row) { dead.insert(row.Text(0)); }));
    if (!dead.empty()) {
      SHELTER_ASSIGN_OR_RETURN(Stmt * del,
                               db_->Prepare("DELETE FROM superseded WHERE device=? AND seq=?"));
      SHELTER_TRY(del->Bind(1, op.dot.device).Bind(2, static_cast<int64_t>(op.dot.seq)).Run());
      pending_superseded_ -= static_cast<int64_t>(dead.size());
    }
  }

  bool names_changed = false;
  for (const FieldWrite& w : op.fields) {
    names_changed |= w.field == field::kName || w.field == field::kKana;
    auto& vals = r.fields[w.field];
    std::erase_if(vals, [&](const RegisterValue& v) {
      return std::binary_search(op.supersedes.begin(), op.supersedes.end(), v.dot);
    });
    if (!dead.count(w.field)) {
      RegisterValue nv{op.dot, op.hlc, w.value};
      auto pos = std::lower_bound(vals.begin(), vals.end(), nv,
                                  [](auto& a, auto& b) { return a.dot < b.dot; });
      if (pos == vals.end() || pos->dot != nv.dot) vals.insert(pos, std::move(nv));
    }
  }
  // Superseded dots not yet applied here: remember them so their writes never become visible.
  for (const Dot& d : op.supersedes) {
    auto it = tips_.find(d.device);
    if (it != tips_.end() && d.seq <= it->second.seq) continue;  // already arrived and removed
    // A device's ops apply in seq order, so its own earlier ones are here, even from the same
    // segment (one sealed from several commits, where a later edit supersedes an earlier one).
    if (d.device == op.dot.device && d.seq < op.dot.seq) continue;
    SHELTER_ASSIGN_OR_RETURN(
        Stmt * ins,
        db_->Prepare(
            "INSERT OR IGNORE INTO superseded(device, seq, record, field) VALUES(?,?,?,?)"));
    for (const FieldWrite& w : op.fields) {
      SHELTER_TRY(ins->Bind(1, d.device)
                      .Bind(2, static_cast<int64_t>(d.seq))
                      .Bind(3, op.record)
                      .Bind(4, w.field)
                      .Run());
      ++pending_superseded_;
    }
  }

  SHELTER_ASSIGN_OR_RETURN(
      Stmt * put,
      db_->Prepare("INSERT OR REPLACE INTO records(id, type, scope, regs) VALUES(?,?,?,?)"));
  Bytes regs = EncodeRegisters(r);
  SHELTER_TRY(put->Bind(1, r.id)
                  .Bind(2, static_cast<int64_t>(r.type))
                  .Bind(3, r.scope)
                  .Bind(4, View(regs))
                  .Run());
  return Reindex(r, !found, names_changed);
}

Status State::Reindex(const RecordState& r, bool is_new, bool names_changed) {
  bool conflict = !r.ConflictedFields().empty();
  switch (r.type) {
    case RecordType::kPerson: {
      Person p = PersonFromRecord(r);
      Id16 merged_into;
      if (auto* b = r.Get(field::kMergedInto).as_bytes())
        if (auto id = Id16::FromBytes(View(*b)); id.ok()) merged_into = *id;
      // With no merge anywhere (the usual case) no person is hidden by one: skip that work.
      const bool merges = merge_links_ > 0 || !merged_into.IsZero();
      std::optional<MergeLink> before;
      if (merges) {
        SHELTER_ASSIGN_OR_RETURN(before, LoadMergeLink(p.id));
      }
      const bool removed = r.Deleted();
      SHELTER_ASSIGN_OR_RETURN(
          Stmt * st, db_->Prepare("INSERT INTO person_index(id, household, name, kana, dob, sex, "
                                  "needs, conflict, deleted, removed, merged_into) "
                                  "VALUES(?,?,?,?,?,?,?,?,?,?,?) "
                                  "ON CONFLICT(id) DO UPDATE SET household=excluded.household, "
                                  "name=excluded.name, kana=excluded.kana, dob=excluded.dob, "
                                  "sex=excluded.sex, needs=excluded.needs, "
                                  "conflict=excluded.conflict, deleted=excluded.deleted, "
                                  "removed=excluded.removed, merged_into=excluded.merged_into"));
      st->Bind(1, p.id)
          .Bind(2, p.household)
          .Bind(3, p.name)
          .Bind(4, p.kana)
          .Bind(5, p.dob)
          .Bind(6, p.sex)
          .Bind(7, JoinCodes(p.needs))
          .Bind(8, static_cast<int64_t>(conflict))
          .Bind(9, static_cast<int64_t>(removed))
          .Bind(10, static_cast<int64_t>(removed));
      if (merged_into.IsZero())
        st->BindNull(11);
      else
        st->Bind(11, merged_into);
      SHELTER_TRY(st->Run());
      if (before && !before->into.IsZero()) --merge_links_;
      if (!merged_into.IsZero()) ++merge_links_;
      if (merges && (!before || before->removed != removed || !before->into.IsZero() ||
                     !merged_into.IsZero())) {
        SHELTER_TRY(RefreshMergeVisibility(p.id, before ? before->into : Id16{}, merged_into,
                                           !before || before->removed != removed));
      }
      // Only a write of the name or the kana can change which values win, hence the keys.
      if (names_changed) pending_names_.push_back({p.id, p.name, p.kana});
      if (merges) return RefreshPersonStatus(p.id);
      // With no merge, a person's event and place follow its own stays only, which a person op
      // does not touch: a known person keeps them, a new one needs them only when its stays
      // arrived first (out-of-order sync). The row rewrite was a B-tree write per registration.
      if (!is_new) return Ok();
      SHELTER_ASSIGN_OR_RETURN(Stmt * any,
                               db_->Prepare("SELECT 1 FROM stay_index WHERE person=? LIMIT 1"));
      any->Bind(1, p.id);
      SHELTER_ASSIGN_OR_RETURN(bool has_stays, any->Step());
      any->Reset();
      return has_stays ? RefreshPersonStatus(p.id) : Ok();
    }
    case RecordType::kHousehold: {
      Household h = HouseholdFromRecord(r);
      SHELTER_ASSIGN_OR_RETURN(
          Stmt * st, db_->Prepare("INSERT OR REPLACE INTO household_index(id, shelter, conflict, "
                                  "deleted) VALUES(?,?,?,?)"));
      return st->Bind(1, h.id)
          .Bind(2, h.shelter)
          .Bind(3, static_cast<int64_t>(conflict))
          .Bind(4, static_cast<int64_t>(r.Deleted()))
          .Run();
    }
    case RecordType::kStay: {
      Stay s = StayFromRecord(r);
      const RegisterValue* w = r.Winner(field::kEvent);
      if (!w || s.person.IsZero()) return Ok();
      SHELTER_ASSIGN_OR_RETURN(
          Stmt * st,
          db_->Prepare("INSERT OR REPLACE INTO stay_index(id, person, hlc, device, event, "
                       "place, undoes) VALUES(?,?,?,?,?,?,?)"));
      st->Bind(1, s.id)
          .Bind(2, s.person)
          .Bind(3, static_cast<int64_t>(w->hlc))
          .Bind(4, w->dot.device)
          .Bind(5, std::string(StayEventName(s.event)))
          .Bind(6, std::string(PlaceName(s.place)));
      if (s.event == StayEvent::kUndone && !s.undoes.IsZero())
        st->Bind(7, s.undoes);
      else
        st->BindNull(7);
      SHELTER_TRY(st->Run());
      return RefreshPersonStatus(s.person);
    }
    default: return Ok();
  }
}

// [SECTION] Records -------------------------------------------------------------------------------

Result<std::optional<RecordState>> State::Get(const Id16& id) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           db_->Prepare("SELECT type, scope, regs FROM records WHERE id=?"));
  st->Bind(1, id);
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<RecordState>();
  auto type = static_cast<RecordType>(st->Int(0));
  Bytes scope = st->Blob(1), regs = st->Blob(2);
  st->Reset();
  SHELTER_ASSIGN_OR_RETURN(Id16 sc, Id16::FromBytes(View(scope)));
  SHELTER_ASSIGN_OR_RETURN(RecordState r, DecodeRegisters(id, type, sc, View(regs)));
  return std::optional<RecordState>(std::move(r));
}

Result<Hash32> State::StateHash() {
  // Records and pending supersessions, in key order; the indexes are functions of these.
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  auto feed = [&](const Bytes& b) {
    uint8_t len[4] = {uint8_t(b.size() >> 24), uint8_t(b.size() >> 16), uint8_t(b.size() >> 8),
                      uint8_t(b.size())};
    crypto_hash_sha256_update(&h, len, 4);
    crypto_hash_sha256_update(&h, b.data(), b.size());
  };
  for (const char* sql :
       {"SELECT id, type, scope, regs FROM records ORDER BY id",
        "SELECT device, seq, record, field FROM superseded ORDER BY 1, 2, 3, 4"}) {
    SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(sql));
    SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) {
      feed(row.Blob(0));
      feed(Bytes(1, static_cast<uint8_t>(row.Int(1))));
      feed(row.Blob(2));
      feed(row.Blob(3));
    }));
  }
  Hash32 out;
  crypto_hash_sha256_final(&h, out.data());
  return out;
}

// [SECTION] Queries -------------------------------------------------------------------------------

Result<std::vector<PersonSummary>> State::SearchPersons(std::string_view query, size_t limit) {
  if (auto date = NormalizeDate(query, true); date.ok()) {
    SHELTER_ASSIGN_OR_RETURN(
        Stmt * st,
        db_->Prepare(std::string(kPersonColumns) +
                     "WHERE p.deleted=0 AND p.dob >= ? AND p.dob < ? ORDER BY p.kana LIMIT ?"));
    st->Bind(1, *date).Bind(2, PrefixEnd(*date)).Bind(3, static_cast<int64_t>(limit));
    return ReadPersons(*st, limit);
  }
  std::string key = FoldForSearch(query);
  if (key.empty()) return MakeError(ErrorCode::kInvalidArgument, "search needs a name or a date");
  // Walk the key index in (key, person) order and stop at `limit` persons: no sort over every
  // prefix match. A person may match under several keys (full name, family, given): the first
  // one places it. Hidden persons are skipped by the row lookup (deleted=0).
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare(std::string(kPersonColumns) + "WHERE p.id=? AND p.deleted=0"));
  std::vector<PersonSummary> out;
  if (limit == 0) return out;
  std::set<Id16> seen;
  Status status = Ok();
  names_.ForEachWithPrefix(key, [&](const Id16& id) {
    if (!seen.insert(id).second) return true;
    st->Bind(1, id);
    auto row = st->Step();
    if (!row.ok()) {
      st->Reset();
      status = row.error();
      return false;
    }
    if (*row) out.push_back(ReadPerson(*st));
    st->Reset();
    return out.size() < limit;
  });
  SHELTER_TRY(status);
  return out;
}

std::vector<Id16> State::PersonsWithNameKey(std::string_view key, size_t limit) {
  std::vector<Id16> out;
  if (limit == 0) return out;
  names_.ForEachWithKey(key, [&](const Id16& id) {
    out.push_back(id);
    return out.size() < limit;
  });
  return out;
}

Result<std::vector<PersonSummary>> State::Roster(const Id16& shelter) {
  std::string sql = std::string(kPersonColumns) + "WHERE p.deleted=0 " +
                    (shelter.IsZero() ? "" : "AND h.shelter=? ") + "ORDER BY p.kana, p.name";
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(sql));
  if (!shelter.IsZero()) st->Bind(1, shelter);
  return ReadPersons(*st, SIZE_MAX);
}

Result<std::optional<PersonSummary>> State::FindPerson(const Id16& person) {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare(std::string(kPersonColumns) + "WHERE p.id=? AND p.deleted=0"));
  st->Bind(1, person);
  SHELTER_ASSIGN_OR_RETURN(auto found, ReadPersons(*st, 1));
  if (found.empty()) return std::optional<PersonSummary>();
  return std::optional<PersonSummary>(std::move(found[0]));
}

Result<std::vector<PersonSummary>> State::Members(const Id16& household) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           db_->Prepare(std::string(kPersonColumns) +
                                        "WHERE p.household=? AND p.deleted=0 ORDER BY p.dob"));
  st->Bind(1, household);
  return ReadPersons(*st, SIZE_MAX);
}

Result<ShelterCounts> State::Counts(const Id16& shelter) {
  SHELTER_ASSIGN_OR_RETURN(auto roster, Roster(shelter));
  ShelterCounts c;
  std::set<Id16> households;
  for (auto& p : roster) {
    ++c.persons;
    households.insert(p.household);
    const Whereabouts where = p.where();
    ++c.Of(where);
    if (!p.needs.empty() && where == Whereabouts::kInShelter) ++c.in_shelter_with_needs;
    if (p.conflict) ++c.conflicts;
  }
  c.households = static_cast<int64_t>(households.size());
  return c;
}

namespace {
// The ids in column 0 of every row of `st` (then reset); rows whose id does not parse are skipped.
Result<std::vector<Id16>> IdsOf(Stmt* st) {
  std::vector<Id16> out;
  SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) {
    if (auto id = Id16::FromBytes(View(row.Blob(0))); id.ok()) out.push_back(*id);
  }));
  return out;
}
}  // namespace

Result<std::vector<Id16>> State::ConflictedRecords() {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("SELECT id FROM person_index WHERE conflict=1 AND removed=0 UNION "
                              "SELECT id FROM household_index WHERE conflict=1 AND deleted=0 "
                              "ORDER BY id"));
  return IdsOf(st);
}

Result<std::vector<Id16>> State::RecordsOfType(RecordType type) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           db_->Prepare("SELECT id FROM records WHERE type=? ORDER BY id"));
  st->Bind(1, static_cast<int64_t>(type));
  return IdsOf(st);
}

}  // namespace shelter::core
