// Open-data export of shelter status: the GIF 実装データモデル（防災） be:避難所 attributes
// (EEI names as the header) as CSV, the 都道府県別集計 rows, and the same as JSON.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text/csv.hpp"
#include "core/text/text_normalize.hpp"
#include "sync/hq/hq_population_json.hpp"
#include "sync/hq/hq_queries.hpp"

namespace shelter::hq {
namespace {

const char* const kPrefectures[] = {
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県",   "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",   "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県",   "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"};

int PrefectureNumber(const std::string& code) {
  if (code.size() < 2 || !isdigit(code[0]) || !isdigit(code[1])) return 0;
  int n = (code[0] - '0') * 10 + (code[1] - '0');
  return n >= 1 && n <= 47 ? n : 0;
}

// 全国地方公共団体コード of a prefecture: 2 digits, 000, check digit.
std::string PrefectureCode(int n) {
  char five[6];
  std::snprintf(five, sizeof five, "%02d000", n);
  int sum = 0;
  for (int i = 0; i < 5; ++i) sum += (five[i] - '0') * (6 - i);
  int check = (11 - sum % 11) % 10;
  return std::string(five) + char('0' + check);
}

std::string KindName(const std::string& kind) {
  if (kind == "designated") return "指定避難所";
  if (kind == "welfare") return "福祉避難所";
  if (kind == "emergency_site") return "指定緊急避難場所";
  return "その他";
}

// ISO 8601 in Japan time, as Japanese open data writes it.
std::string JstTime(int64_t ms) {
  if (ms <= 0) return "";
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 9 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
  return buf;
}

// Code points from `s`, with their byte offsets.
std::vector<std::pair<char32_t, size_t>> CodePoints(std::string_view s) {
  std::vector<std::pair<char32_t, size_t>> out;
  size_t at = 0;
  for (char32_t c : core::DecodeUtf8Lossy(s)) {
    out.push_back({c, at});
    at += core::EncodeUtf8(std::u32string(1, c)).size();
  }
  return out;
}

std::string Vacancy(const ShelterRow& s) {
  if (s.capacity <= 0) return "";
  if (s.over_capacity) return "超過";
  return s.pop.in_shelter >= s.capacity ? "満員" : "空きあり";
}

const std::vector<std::string> kHeader = {"全国共通避難所・避難場所ID",
                                          "地方公共団体コード",
                                          "都道府県名",
                                          "市区町村名",
                                          "所在地（住所）",
                                          "緯度",
                                          "経度",
                                          "施設名",
                                          "施設名（かな）",
                                          "避難所タイプ",
                                          "想定収容人数",
                                          "開設状況",
                                          "避難者数（総数）",
                                          "避難世帯数",
                                          "空き状況",
                                          "避難所状況確認日時",
                                          "報告部署・機関",
                                          "避難者数（男）",
                                          "避難者数（女）",
                                          "避難者数（性別不明等）",
                                          "乳幼児数",
                                          "要配慮者数",
                                          "避難所外避難者数",
                                          "定員状況",
                                          "最終更新日"};

struct PrefTotal {
  int64_t shelters = 0, evacuees = 0;
};

std::string Lines(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (auto& r : rows) out += core::CsvLine(r);
  return out;
}

}  // namespace

std::string MunicipalityNameOf(std::string_view address) {
  std::string_view rest = address;
  for (const char* pref : kPrefectures)
    if (rest.starts_with(pref)) {
      rest.remove_prefix(std::string_view(pref).size());
      break;
    }
  auto cps = CodePoints(rest);
  auto cut = [&](size_t index) {  // rest up to and including code point `index`
    return index + 1 < cps.size() ? std::string(rest.substr(0, cps[index + 1].second))
                                  : std::string(rest);
  };
  size_t start = 0;
  for (size_t i = 1; i < cps.size() && i < 6; ++i)
    if (cps[i].first == U'郡') start = i + 1;  // 三浦郡葉山町: the 郡 stays in the name
  // A city: the first 市 after at least one character, within a city name's length (町田市,
  // 東村山市, 十日町市; 四日市市 ends at the second 市). Then a ward of a designated city.
  for (size_t i = 1; i < cps.size() && i < 7 && start == 0; ++i) {
    if (cps[i].first != U'市') continue;
    if (i + 1 < cps.size() && cps[i + 1].first == U'市') ++i;
    for (size_t j = i + 2; j < cps.size() && j < i + 5; ++j)
      if (cps[j].first == U'区') return cut(j);
    return cut(i);
  }
  // A ward of Tokyo, a town or a village.
  for (size_t i = start + 1; i < cps.size() && i < start + 7; ++i)
    if (cps[i].first == U'区' || cps[i].first == U'町' || cps[i].first == U'村') return cut(i);
  return "";
}

Result<std::string> ExportCsv(SqlConn& db, int64_t now_ms) {
  SHELTER_ASSIGN_OR_RETURN(auto shelters, ListShelterStatus(db));
  SHELTER_ASSIGN_OR_RETURN(auto households_in, HouseholdsInShelter(db));
  std::vector<std::vector<std::string>> rows = {kHeader};
  std::map<int, PrefTotal> prefs;
  for (auto& s : shelters) {
    if (s.status == "unknown") continue;
    int pref = PrefectureNumber(s.municipality_code);
    if (s.open) {
      prefs[pref].shelters++;
      prefs[pref].evacuees += s.pop.in_shelter;
    }
    auto n = [](int64_t v) { return std::to_string(v); };
    // 避難世帯数: households with someone in the shelter (a JSR1 report counts them so too).
    int64_t households = s.source == "report" ? s.pop.households : 0;
    if (s.source == "sync")
      if (auto it = households_in.find(s.id); it != households_in.end()) households = it->second;
    households = std::min(households, s.pop.in_shelter);
    rows.push_back({s.common_id.empty() ? s.id : s.common_id,
                    s.municipality_code,
                    pref ? kPrefectures[pref - 1] : "",
                    MunicipalityNameOf(s.address),
                    s.address,
                    s.lat,
                    s.lon,
                    s.name,
                    s.kana,
                    KindName(s.kind),
                    s.capacity ? n(s.capacity) : "",
                    s.open ? "開設" : "閉鎖",
                    n(s.pop.in_shelter),
                    n(households),
                    s.capacity ? n(std::max<int64_t>(s.capacity - s.pop.in_shelter, 0)) : "",
                    JstTime(s.as_of_ms),
                    s.source == "report" ? "避難所報告(JSR1)"
                    : s.source == "sync" ? "避難所端末同期"
                                         : "",
                    n(s.pop.male),
                    n(s.pop.female),
                    n(s.pop.sex_other),
                    n(s.pop.infants),
                    n(s.pop.in_shelter_with_needs),
                    n(s.pop.at_home + s.pop.in_car + s.pop.elsewhere),
                    Vacancy(s),
                    JstTime(now_ms).substr(0, 10)});
  }
  std::string out = "\xEF\xBB\xBF" + Lines(rows);
  std::vector<std::vector<std::string>> agg = {
      {"地方公共団体コード", "都道府県名", "避難所数", "避難者数"}};
  for (auto& [pref, t] : prefs)
    if (pref)
      agg.push_back({PrefectureCode(pref), kPrefectures[pref - 1], std::to_string(t.shelters),
                     std::to_string(t.evacuees)});
  return out + "\r\n" + Lines(agg);
}

nlohmann::ordered_json PopulationJson(const Population& p) {
  return {{"persons", p.persons},
          {"households", p.households},
          {"in_shelter", p.in_shelter},
          {"out", p.out},
          {"at_home", p.at_home},
          {"in_car", p.in_car},
          {"elsewhere", p.elsewhere},
          {"never_arrived", p.never_arrived},
          {"male", p.male},
          {"female", p.female},
          {"sex_other", p.sex_other},
          {"infants", p.infants},
          {"in_shelter_with_needs", p.in_shelter_with_needs}};
}

Result<std::string> ExportJson(SqlConn& db, int64_t now_ms) {
  SHELTER_ASSIGN_OR_RETURN(auto shelters, ListShelterStatus(db));
  SHELTER_ASSIGN_OR_RETURN(CitySummary c, Summarize(db));
  nlohmann::ordered_json j;
  j["generated_at"] = JstTime(now_ms);
  const auto pop = PopulationJson;
  j["city"] = {{"shelters", c.shelters},
               {"open", c.shelters_open},
               {"over_capacity", c.shelters_over_capacity},
               {"capacity", c.capacity},
               {"population", pop(c.total)},
               {"in_shelter_needs", c.in_shelter_needs},
               {"outside_needs", c.outside_needs}};
  auto arr = nlohmann::ordered_json::array();
  for (auto& s : shelters) {
    arr.push_back({{"id", s.id},
                   {"common_id", s.common_id},
                   {"municipality_code", s.municipality_code},
                   {"name", s.name},
                   {"kind", s.kind},
                   {"capacity", s.capacity},
                   {"open", s.open},
                   {"source", s.source},
                   {"as_of", JstTime(s.as_of_ms)},
                   {"used", s.used},
                   {"over_capacity", s.over_capacity},
                   {"population", pop(s.pop)}});
  }
  j["shelters"] = std::move(arr);
  return j.dump(1) + "\n";
}

}  // namespace shelter::hq
