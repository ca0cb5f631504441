// The headquarters database schema, versioned: schema_version holds the applied version and
// Migrate() runs the missing steps in order, each in its own transaction. The same DDL serves
// SQLite and PostgreSQL. One thread at a time.
#pragma once

#include "sync/hq/sql_conn.hpp"

namespace shelter::hq {

inline constexpr int kSchemaVersion = 4;

// Brings the database up to `target` (default: the current version). Returns the version found
// before migrating (0 for a new database). kCorrupt when the database is newer than this program.
Result<int> Migrate(SqlConn& db, int target = kSchemaVersion);

}  // namespace shelter::hq
