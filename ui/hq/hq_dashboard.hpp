// The HQ dashboard (`shelter-app --hq`): city summary, sortable shelter table, offline map, trend
// plots, one shelter's drill-down and the 安否 lookup, read from the HQ database that shelter-hq
// writes (SQLite in WAL mode or PostgreSQL). Polls a cheap change stamp and reloads only when it
// moved, so an idle dashboard draws nothing. UI thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/hq/hq_detail.hpp"
#include "sync/hq/hq_queries.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

enum class HqScreen { kSummary, kTable, kMap, kTrend, kShelter, kAnpi, kSettings };
enum class HqSort { kName, kInShelter, kUsed, kNeeds, kAsOf };

class HqDashboard : public AppMode {
 public:
  // Opens the HQ database at `db_url` (a SQLite path or postgresql://...), creating or upgrading
  // its schema, and loads the first view. kIo when the database cannot be opened.
  static core::Result<std::unique_ptr<HqDashboard>> Open(const std::string& db_url);

  void Draw(App& app) override;
  bool Tick(App& app) override;
  int64_t NextWakeMs(const App& app) const override;

  // --- actions ---------------------------------------------------------------------------------
  void Go(HqScreen s) { screen = s; }
  void Select(App& app, const std::string& shelter_id, bool open_detail);
  void SortBy(HqSort s);
  void Lookup(App& app);  // 安否: needs a session whose role may see personal data
  bool Reload(App& app);  // re-reads everything; false (and a notice) when the database fails

  // --- what the panels show ----------------------------------------------------------------------
  HqScreen screen = HqScreen::kSummary;
  std::vector<hq::ShelterRow> rows;  // sorted by `sort`
  hq::CitySummary city;
  std::vector<hq::TrendPoint> city_trend, shelter_trend;
  std::optional<hq::ShelterRow> selected;
  hq::ShelterBreakdown breakdown;
  HqSort sort = HqSort::kUsed;
  bool sort_ascending = false;
  int64_t loaded_at_ms = 0;
  std::string db_error;  // English, for staff; empty when the last read worked

  std::string anpi_query;
  hq::AnpiTier anpi_tier = hq::AnpiTier::kFamily;
  std::optional<std::vector<hq::AnpiAnswer>> anpi_results;

  static constexpr int64_t kPollMs = 3000;
  static constexpr int64_t kPollLowPowerMs = 10000;

 private:
  explicit HqDashboard(std::unique_ptr<hq::SqlConn> db) : db_(std::move(db)) {}
  void ApplySort();
  void LoadSelected(App& app);

  std::unique_ptr<hq::SqlConn> db_;
  std::string stamp_;
  int64_t next_poll_ms_ = 0;
  bool loaded_ = false;
};

}  // namespace shelter::ui
