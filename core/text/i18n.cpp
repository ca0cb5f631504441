#include "core/text/i18n.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/text/text_normalize.hpp"

namespace shelter::core {

namespace {

Result<nlohmann::json> ReadJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return MakeError(ErrorCode::kParse, "malformed JSON in " + path);
  return j;
}

bool ValidCode(const std::string& c) {
  if (c.empty() || c.size() > 16) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-';
  });
}

}  // namespace

Result<Catalog> Catalog::Load(const std::string& dir) {
  SHELTER_ASSIGN_OR_RETURN(nlohmann::json list, ReadJson(dir + "/languages.json"));
  if (!list.is_array() || list.empty())
    return MakeError(ErrorCode::kInvalidArgument, "languages.json must be a non-empty array");
  Catalog c;
  for (const auto& code : list) {
    if (!code.is_string() || !ValidCode(code.get<std::string>()))
      return MakeError(ErrorCode::kInvalidArgument, "languages.json holds a malformed code");
    std::string path = dir + "/" + code.get<std::string>() + ".json";
    SHELTER_ASSIGN_OR_RETURN(nlohmann::json j, ReadJson(path));
    if (!j.is_object()) return MakeError(ErrorCode::kInvalidArgument, path + " must be an object");
    std::map<std::string, std::string, std::less<>> table;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it.value().is_string())
        return MakeError(ErrorCode::kInvalidArgument, path + ": key " + it.key() + " is not text");
      table.emplace(it.key(), it.value().get<std::string>());
    }
    c.codes_.push_back(code.get<std::string>());
    c.tables_.push_back(std::move(table));
  }
  return c;
}

Catalog Catalog::FromTables(
    std::vector<std::pair<std::string, std::map<std::string, std::string>>> t) {
  Catalog c;
  for (auto& [code, table] : t) {
    c.codes_.push_back(code);
    c.tables_.emplace_back(table.begin(), table.end());
  }
  return c;
}

int Catalog::IndexOf(std::string_view code) const {
  for (size_t i = 0; i < codes_.size(); ++i)
    if (codes_[i] == code) return static_cast<int>(i);
  return -1;
}

bool Catalog::Has(int lang, std::string_view key) const {
  if (lang < 0 || static_cast<size_t>(lang) >= tables_.size()) return false;
  auto it = tables_[lang].find(key);
  return it != tables_[lang].end() && !it->second.empty();
}

const std::string& Catalog::Text(int lang, std::string_view key) const {
  if (Has(lang, key)) return tables_[lang].find(key)->second;
  if (Has(0, key)) return tables_[0].find(key)->second;
  // Unknown key: remember it so the returned reference stays valid (never happens in a complete
  // catalog; the completeness test keeps it that way).
  static thread_local std::string fallback;
  fallback.assign(key);
  return fallback;
}

std::string Catalog::Format(
    int lang, std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string>> args) const {
  std::string out = Text(lang, key);
  for (const auto& [name, value] : args) {
    std::string token = "{" + std::string(name) + "}";
    for (size_t pos = out.find(token); pos != std::string::npos;
         pos = out.find(token, pos + value.size()))
      out.replace(pos, token.size(), value);
  }
  return out;
}

std::vector<std::string> Catalog::MissingKeys() const {
  std::set<std::string, std::less<>> all;
  for (const auto& t : tables_)
    for (const auto& [k, v] : t) all.insert(k);
  std::vector<std::string> missing;
  for (size_t i = 0; i < tables_.size(); ++i)
    for (const auto& k : all)
      if (!Has(static_cast<int>(i), k)) missing.push_back(codes_[i] + ":" + k);
  return missing;
}

std::vector<char32_t> Catalog::Codepoints() const {
  std::set<char32_t> cps;
  for (const auto& t : tables_)
    for (const auto& [k, v] : t)
      for (char32_t c : DecodeUtf8(v)) cps.insert(c);
  return {cps.begin(), cps.end()};
}

std::vector<char32_t> DecodeUtf8(std::string_view s) {
  std::u32string cps = DecodeUtf8Lossy(s);
  return {cps.begin(), cps.end()};
}

}  // namespace shelter::core
