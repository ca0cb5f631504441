// [SECTION] index: opening, polling, actions. Panels: hq_frame.cpp
// (frame, summary), hq_table.cpp, hq_map.cpp, hq_plot.cpp (trends, drill-down), hq_anpi.cpp.
#include "ui/hq/hq_dashboard.hpp"

#include <algorithm>
#include <cstdint>

#include "sync/hq/hq_schema.hpp"

namespace shelter::ui {

// [SECTION] opening and polling

core::Result<std::unique_ptr<HqDashboard>> HqDashboard::Open(const std::string& db_url) {
  SHELTER_ASSIGN_OR_RETURN(auto db, hq::OpenSql(db_url));
  // Readers may meet a database shelter-hq has not created yet (or an older schema).
  SHELTER_TRY(hq::Migrate(*db));
  return std::unique_ptr<HqDashboard>(new HqDashboard(std::move(db)));
}

bool HqDashboard::Tick(App& app) {
  int64_t now = app.Now();
  if (now < next_poll_ms_) return false;
  next_poll_ms_ = now + (app.low_power() ? kPollLowPowerMs : kPollMs);
  auto stamp = hq::ChangeStamp(*db_);
  if (!stamp.ok()) {
    bool changed = db_error != stamp.error().detail;
    db_error = stamp.error().detail;
    return changed;
  }
  if (loaded_ && *stamp == stamp_ && db_error.empty()) return false;  // nothing new: no frame
  stamp_ = Reload(app) ? *stamp : std::string();  // after a failed read, retry at the next poll
  return true;
}

int64_t HqDashboard::NextWakeMs(const App&) const { return next_poll_ms_; }

bool HqDashboard::Reload(App& app) {
  loaded_ = true;
  loaded_at_ms = app.Now();
  auto r = hq::ListShelterStatus(*db_);
  auto c = r.ok() ? hq::Summarize(*db_) : core::Result<hq::CitySummary>(r.error());
  auto t = c.ok() ? hq::Trend(*db_) : core::Result<std::vector<hq::TrendPoint>>(c.error());
  if (!t.ok()) {
    db_error = t.error().detail;
    app.Notify(app.ErrorText(t.error()), true);
    return false;
  }
  db_error.clear();
  rows = std::move(*r);
  city = std::move(*c);
  city_trend = std::move(*t);
  app.SeeText("▲▼°");  // sort arrows and map grid labels
  for (auto& s : rows) {
    app.SeeText(s.name);
    app.SeeText(s.address);
  }
  ApplySort();
  LoadSelected(app);
  return true;
}

void HqDashboard::LoadSelected(App& app) {
  if (!selected) return;
  auto it = std::find_if(rows.begin(), rows.end(), [&](auto& s) { return s.id == selected->id; });
  if (it == rows.end()) {
    selected.reset();
    return;
  }
  selected = *it;
  auto b = hq::BreakdownOf(*db_, selected->id);
  auto t = hq::Trend(*db_, selected->id);
  if (!b.ok() || !t.ok()) {
    app.Notify(app.ErrorText(b.ok() ? t.error() : b.error()), true);
    return;
  }
  breakdown = std::move(*b);
  shelter_trend = std::move(*t);
}

// [SECTION] actions

void HqDashboard::Select(App& app, const std::string& shelter_id, bool open_detail) {
  auto it = std::find_if(rows.begin(), rows.end(), [&](auto& s) { return s.id == shelter_id; });
  if (it == rows.end()) return;
  selected = *it;
  LoadSelected(app);
  if (open_detail) screen = HqScreen::kShelter;
}

void HqDashboard::SortBy(HqSort s) {
  if (sort == s) {
    sort_ascending = !sort_ascending;
  } else {
    sort = s;
    sort_ascending = s == HqSort::kName;  // names A→Z; numbers largest first
  }
  ApplySort();
}

void HqDashboard::ApplySort() {
  auto key = [this](const hq::ShelterRow& s) -> double {
    switch (sort) {
      case HqSort::kInShelter: return static_cast<double>(s.pop.in_shelter);
      case HqSort::kUsed: return s.capacity > 0 ? s.used : -1.0;
      case HqSort::kNeeds: return static_cast<double>(s.pop.in_shelter_with_needs);
      case HqSort::kAsOf: return static_cast<double>(s.as_of_ms);
      case HqSort::kName: break;
    }
    return 0;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    if (sort == HqSort::kName)
      return sort_ascending ? std::tie(a.kana, a.name) < std::tie(b.kana, b.name)
                            : std::tie(b.kana, b.name) < std::tie(a.kana, a.name);
    double ka = key(a), kb = key(b);
    if (ka != kb) return sort_ascending ? ka < kb : ka > kb;
    return a.common_id < b.common_id;
  });
}

void HqDashboard::Lookup(App& app) {
  const auto& session = app.node().session();
  if (!session) {
    app.Notify(app.T("hq.anpi.not_allowed"), true);
    return;
  }
  // The HQ library decides who may see personal data (hq::RequirePersonalData).
  auto found =
      hq::AnpiLookup(*db_, anpi_query, anpi_tier, {session->handle, session->role}, app.Now());
  if (!found.ok()) {
    app.Notify(found.error().code == core::ErrorCode::kPermissionDenied
                   ? std::string(app.T("hq.anpi.not_allowed"))
                   : app.ErrorText(found.error()),
               true);
    return;
  }
  for (auto& a : *found) {
    app.SeeText(a.name);
    app.SeeText(a.kana);
    app.SeeText(a.shelter_name);
  }
  anpi_results = std::move(*found);
}

}  // namespace shelter::ui
