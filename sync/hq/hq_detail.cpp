#include "sync/hq/hq_detail.hpp"

#include <cstdlib>

namespace shelter::hq {
namespace {

int64_t I(const std::optional<std::string>& s) {
  return s ? std::strtoll(s->c_str(), nullptr, 10) : 0;
}

}  // namespace

Result<ShelterBreakdown> BreakdownOf(SqlConn& db, const std::string& shelter_hex) {
  ShelterBreakdown out;
  SHELTER_ASSIGN_OR_RETURN(
      auto cells, db.Query("SELECT sex, age_band, n FROM shelter_counts WHERE shelter = $1 AND "
                           "whereabouts = 'in_shelter'",
                           {shelter_hex}));
  for (auto& r : cells) {
    std::string sex = r[0].value_or("");
    size_t s = sex == "male" ? 0 : sex == "female" ? 1 : 2;
    size_t b = static_cast<size_t>(I(r[1]));
    if (b < core::kAgeBands) out.in_shelter_by_sex_band[s][b] += I(r[2]);
  }
  SHELTER_ASSIGN_OR_RETURN(
      auto needs, db.Query("SELECT whereabouts, need, n FROM shelter_needs WHERE shelter = $1 AND "
                           "whereabouts IN ('in_shelter', 'at_home', 'in_car', 'elsewhere')",
                           {shelter_hex}));
  for (auto& r : needs) {
    int64_t n = I(r[2]);
    if (n == 0) continue;
    (r[0].value_or("") == "in_shelter" ? out.in_shelter_needs
                                       : out.outside_needs)[r[1].value_or("")] += n;
  }
  return out;
}

Result<std::string> ChangeStamp(SqlConn& db) {
  SHELTER_ASSIGN_OR_RETURN(auto rows,
                           db.Query("SELECT (SELECT count(*) FROM shelters), "
                                    "(SELECT coalesce(max(updated_ms), 0) FROM shelter_status), "
                                    "(SELECT coalesce(sum(number), 0) FROM tips), "
                                    "(SELECT count(*) FROM report_log), "
                                    "(SELECT coalesce(max(received_ms), 0) FROM reports)"));
  std::string stamp;
  if (!rows.empty())
    for (auto& c : rows[0]) stamp += c.value_or("-") + "/";
  return stamp;
}

}  // namespace shelter::hq
