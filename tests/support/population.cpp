#include "tests/support/population.hpp"

#include <algorithm>
#include <random>
#include <set>

#include "core/identity.hpp"
#include "core/registry.hpp"

namespace shelter::test {
namespace {

using core::Household;
using core::Id16;
using core::Person;

struct NamePart {
  const char* kanji;
  const char* kana;
};

// clang-format off
const NamePart kSurnames[] = {
    {"佐藤", "さとう"}, {"鈴木", "すずき"}, {"高橋", "たかはし"}, {"田中", "たなか"}, {"伊藤", "いとう"},
    {"渡辺", "わたなべ"}, {"山本", "やまもと"}, {"中村", "なかむら"}, {"小林", "こばやし"}, {"加藤", "かとう"},
    {"吉田", "よしだ"}, {"山田", "やまだ"}, {"佐々木", "ささき"}, {"山口", "やまぐち"}, {"松本", "まつもと"},
    {"井上", "いのうえ"}, {"木村", "きむら"}, {"林", "はやし"}, {"斎藤", "さいとう"}, {"清水", "しみず"},
    {"山崎", "やまざき"}, {"森", "もり"}, {"池田", "いけだ"}, {"橋本", "はしもと"}, {"阿部", "あべ"},
    {"石川", "いしかわ"}, {"山下", "やました"}, {"中島", "なかじま"}, {"石井", "いしい"}, {"小川", "おがわ"},
    {"前田", "まえだ"}, {"岡田", "おかだ"}, {"長谷川", "はせがわ"}, {"藤田", "ふじた"}, {"後藤", "ごとう"},
    {"近藤", "こんどう"}, {"村上", "むらかみ"}, {"遠藤", "えんどう"}, {"青木", "あおき"}, {"坂本", "さかもと"},
    {"福田", "ふくだ"}, {"太田", "おおた"}, {"西村", "にしむら"}, {"藤井", "ふじい"}, {"岡本", "おかもと"},
    {"松田", "まつだ"}, {"中川", "なかがわ"}, {"原田", "はらだ"}, {"小野", "おの"}, {"田村", "たむら"},
    {"竹内", "たけうち"}, {"金子", "かねこ"}, {"和田", "わだ"}, {"中山", "なかやま"}, {"石田", "いしだ"},
    {"上田", "うえだ"}, {"森田", "もりた"}, {"柴田", "しばた"}, {"酒井", "さかい"}, {"工藤", "くどう"},
    {"横山", "よこやま"}, {"宮崎", "みやざき"}, {"宮本", "みやもと"}, {"内田", "うちだ"}, {"高木", "たかぎ"},
    {"安藤", "あんどう"}, {"島田", "しまだ"}, {"谷口", "たにぐち"}, {"大野", "おおの"}, {"高田", "たかだ"},
    {"丸山", "まるやま"}, {"今井", "いまい"}, {"河野", "こうの"}, {"藤原", "ふじわら"}, {"浜田", "はまだ"},
    {"沢田", "さわだ"}, {"桜井", "さくらい"}, {"広田", "ひろた"}, {"関", "せき"}, {"富田", "とみた"},
    {"岩崎", "いわさき"}, {"高野", "たかの"}, {"野村", "のむら"}, {"菅原", "すがわら"}, {"千葉", "ちば"},
    {"及川", "おいかわ"}, {"渡部", "わたなべ"}, {"斉藤", "さいとう"}, {"長瀬", "ながせ"}, {"真田", "さなだ"}};
const NamePart kMale[] = {
    {"翔太", "しょうた"}, {"大輝", "だいき"}, {"蓮", "れん"}, {"湊", "みなと"}, {"悠斗", "ゆうと"},
    {"健太", "けんた"}, {"拓也", "たくや"}, {"直樹", "なおき"}, {"誠", "まこと"}, {"浩", "ひろし"},
    {"隆", "たかし"}, {"一郎", "いちろう"}, {"太郎", "たろう"}, {"健一", "けんいち"}, {"和夫", "かずお"},
    {"茂", "しげる"}, {"勇気", "ゆうき"}, {"翼", "つばさ"}, {"大翔", "ひろと"}, {"陽太", "ようた"},
    {"修", "おさむ"}, {"実", "みのる"}, {"清", "きよし"}, {"進", "すすむ"}, {"正男", "まさお"},
    {"秀樹", "ひでき"}, {"達也", "たつや"}, {"康弘", "やすひろ"}, {"竜也", "たつや"}, {"真一", "しんいち"},
    {"栄一", "えいいち"}, {"弘", "ひろし"}, {"博", "ひろし"}, {"勝", "まさる"}, {"豊", "ゆたか"},
    {"昭", "あきら"}, {"浩二", "こうじ"}, {"哲也", "てつや"}, {"大介", "だいすけ"}, {"智也", "ともや"}};
const NamePart kFemale[] = {
    {"花子", "はなこ"}, {"陽菜", "ひな"}, {"結衣", "ゆい"}, {"美咲", "みさき"}, {"愛", "あい"},
    {"さくら", "さくら"}, {"優子", "ゆうこ"}, {"葵", "あおい"}, {"恵子", "けいこ"}, {"幸子", "さちこ"},
    {"由美", "ゆみ"}, {"芽衣", "めい"}, {"凛", "りん"}, {"和子", "かずこ"}, {"真由美", "まゆみ"},
    {"裕子", "ゆうこ"}, {"久美子", "くみこ"}, {"明美", "あけみ"}, {"洋子", "ようこ"}, {"京子", "きょうこ"},
    {"美穂", "みほ"}, {"千尋", "ちひろ"}, {"彩", "あや"}, {"結菜", "ゆいな"}, {"莉子", "りこ"},
    {"恵美", "えみ"}, {"真理", "まり"}, {"栄子", "えいこ"}, {"春香", "はるか"}, {"舞", "まい"},
    {"智子", "ともこ"}, {"直子", "なおこ"}, {"節子", "せつこ"}, {"敏子", "としこ"}, {"陽子", "ようこ"},
    {"美紀", "みき"}, {"恵", "めぐみ"}, {"桜子", "さくらこ"}, {"瀬奈", "せな"}, {"実咲", "みさき"}};
// Common form -> old or variant form, as people write them on forms and cards.
const std::pair<char32_t, char32_t> kOldForms[] = {
    {U'高', U'髙'}, {U'崎', 0xFA11}, {U'辺', U'邊'}, {U'辺', U'邉'}, {U'斎', U'齋'}, {U'斎', U'齊'},
    {U'沢', U'澤'}, {U'浜', U'濱'}, {U'島', U'嶋'}, {U'桜', U'櫻'}, {U'広', U'廣'}, {U'富', U'冨'},
    {U'関', U'關'}, {U'恵', U'惠'}, {U'真', U'眞'}, {U'栄', U'榮'}, {U'実', U'實'}, {U'瀬', U'瀨'}};
struct Town {
  const char* prefix;
  const char* town;
};
const Town kTowns[] = {
    {"宮城県石巻市", "中央"}, {"宮城県石巻市", "蛇田"}, {"宮城県石巻市", "渡波"}, {"宮城県気仙沼市", "南町"},
    {"岩手県陸前高田市", "高田町"}, {"岩手県大船渡市", "盛町"}, {"福島県相馬市", "中村"},
    {"石川県輪島市", "河井町"}, {"石川県珠洲市", "宝立町"}, {"熊本県上益城郡益城町", "宮園"},
    {"熊本県熊本市東区", "健軍"}, {"広島県広島市安佐南区", "八木"}, {"岡山県倉敷市", "真備町箭田"},
    {"静岡県熱海市", "伊豆山"}, {"新潟県長岡市", "東坂之上町"}, {"北海道厚真町", "京町"}};
// clang-format on

std::u32string Decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | cp >> 6);
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | cp >> 12);
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::string Katakana(const std::string& hira) {
  std::u32string s = Decode(hira);
  for (auto& c : s)
    if (c >= 0x3041 && c <= 0x3096) c += 0x60;
  return Encode(s);
}

// Full-width katakana -> half-width, voiced kana as base + ﾞ/ﾟ.
std::string HalfWidth(const std::string& hira) {
  static const std::u32string full =
      U"ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユ"
      U"ョヨラリルレロワヲンー";
  static const std::u32string half = U"ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ";
  static const std::u32string voiced = U"ガギグゲゴザジズゼゾダヂヅデドバビブベボ";
  static const std::u32string semi = U"パピプペポ";
  std::u32string out;
  for (char32_t c : Decode(Katakana(hira))) {
    char32_t base = c, mark = 0;
    if (voiced.find(c) != std::u32string::npos) base = c - 1, mark = U'ﾞ';
    if (semi.find(c) != std::u32string::npos) base = c - 2, mark = U'ﾟ';
    const size_t i = full.find(base);
    out += i == std::u32string::npos ? c : half[i];
    if (mark) out += mark;
  }
  return Encode(out);
}

bool HasVariantChar(const std::string& s) {
  for (char32_t c : Decode(s))
    for (auto& [from, to] : kOldForms)
      if (c == from || c == to) return true;
  return false;
}

// Old forms -> common forms, or common -> old (the first old form listed, or the second).
std::string SwapForms(const std::string& s, bool to_old, bool second) {
  std::u32string out = Decode(s);
  for (auto& c : out) {
    bool done = false;
    for (auto& [from, to] : kOldForms) {
      if (done) break;
      if (to_old && c == from) {
        c = to;
        done = !second;
      } else if (!to_old && c == to) {
        c = from, done = true;
      }
    }
  }
  return Encode(out);
}

std::string KanjiNumber(int n) {  // 1..99
  static const char* kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  std::string out;
  if (n >= 20) out += kDigits[n / 10];
  if (n >= 10) out += "十";
  return out + kDigits[n % 10];
}

std::string FullWidthDigits(const std::string& text) {
  std::u32string out = Decode(text);
  for (auto& c : out)
    if (c >= '0' && c <= '9') c = 0xFF10 + (c - '0');
  return Encode(out);
}

struct Human {
  uint32_t id = 0;
  NamePart family, given;
  std::string dob, sex;
};

struct Address {
  int town = 0, chome = 1, ban = 1, go = 1;
};

constexpr int kAddressStyles = 7;

std::string RenderAddress(const Address& a, int style) {
  const Town& t = kTowns[a.town];
  const std::string c = std::to_string(a.chome), b = std::to_string(a.ban),
                    g = std::to_string(a.go);
  switch (style) {
    case 0:
      return std::string(t.prefix) + t.town + c + "丁目" + b + "番" + g + "号";
    case 1:
      return std::string(t.prefix) + t.town + c + "-" + b + "-" + g;
    case 2:
      return std::string(t.prefix) + t.town + FullWidthDigits(c + "丁目" + b + "番" + g + "号");
    case 3:
      return std::string(t.prefix) + t.town + KanjiNumber(a.chome) + "丁目" + KanjiNumber(a.ban) +
             "番" + KanjiNumber(a.go) + "号";
    case 4:
      return std::string(t.prefix) + t.town + c + "丁目" + b + "番地" + g;
    case 5:
      return std::string(t.prefix) + t.town + FullWidthDigits(c + "－" + b + "－" + g);
    default:
      return std::string(t.prefix) + "　" + t.town + c + "丁目" + b + "ー" + g;
  }
}

struct Style {
  bool old_forms = false, second_old_form = false, katakana = false, half_width = false;
  bool swapped = false, no_kana = false, no_dob = false, dob_swap = false, kana_only = false;
  bool kana_typo = false, homophone = false;
  int spacing = 0;  // 0 ASCII space, 1 ideographic space, 2 none, 3 two spaces
};

// Another given name read the same way (浩/弘/博, 優子/裕子), or nullptr.
const char* Homophone(const NamePart& given) {
  for (const auto* pool : {&kMale, &kFemale})
    for (const NamePart& g : *pool)
      if (std::string(g.kana) == given.kana && std::string(g.kanji) != given.kanji) return g.kanji;
  return nullptr;
}

// A typical slip in a reading: small kana written large, or a long vowel dropped (ゆうこ -> ゆこ).
std::string KanaTypo(const std::string& kana) {
  std::u32string s = Decode(kana);
  for (auto& c : s) {
    const size_t at = std::u32string_view(U"ゃゅょっ").find(c);
    if (at != std::u32string_view::npos) {
      c = U"やゆよつ"[at];
      return Encode(s);
    }
  }
  for (size_t i = 1; i < s.size(); ++i)
    if (s[i] == U'う' || s[i] == U'お' || s[i] == U'い') return Encode(s.erase(i, 1));
  return Encode(s + s.back());
}

Person Render(const Human& h, const Style& s, Id16 id) {
  static const char* kSpaces[] = {" ", "\u3000", "", "  "};
  const char* sp = kSpaces[s.spacing];
  std::string fam = h.family.kanji, giv = h.given.kanji;
  if (s.homophone && Homophone(h.given)) giv = Homophone(h.given);
  if (s.old_forms) {
    fam = SwapForms(fam, true, s.second_old_form);
    giv = SwapForms(giv, true, s.second_old_form);
  }
  std::string kfam = h.family.kana, kgiv = h.given.kana;
  if (s.kana_typo) kgiv = KanaTypo(kgiv);
  auto script = [&](const std::string& k) {
    return s.half_width ? HalfWidth(k) : s.katakana ? Katakana(k) : k;
  };
  kfam = script(kfam), kgiv = script(kgiv);
  Person p;
  p.id = id;
  p.name = s.swapped ? giv + sp + fam : fam + sp + giv;
  p.kana = s.swapped ? kgiv + sp + kfam : kfam + sp + kgiv;
  if (s.kana_only) p.name = p.kana, p.kana.clear();
  if (s.no_kana) p.kana.clear();
  p.dob = h.dob;
  if (s.dob_swap && std::stoi(h.dob.substr(8, 2)) <= 12 && h.dob.substr(5, 2) != h.dob.substr(8, 2))
    p.dob = h.dob.substr(0, 5) + h.dob.substr(8, 2) + "-" + h.dob.substr(5, 2);
  if (s.no_dob) p.dob.clear();
  p.sex = h.sex;
  return p;
}

class Generator {
 public:
  explicit Generator(const PopulationOptions& o) : opts_(o), rng_(o.seed) {}

  Population Run() {
    const auto share = [&](double s) { return static_cast<size_t>(opts_.records * s); };
    const size_t originals =
        opts_.records - share(opts_.duplicate_share) - share(opts_.namesake_share);
    while (pop_.records < originals) AddHousehold();
    while (pop_.namesakes < share(opts_.namesake_share)) AddNamesake();
    while (pop_.duplicates < share(opts_.duplicate_share)) AddDuplicate();
    while (pop_.records < opts_.records) AddHousehold();
    return std::move(pop_);
  }

 private:
  struct Original {
    std::vector<Human> members;
    Address address;
    int shelter = 0;
    bool old_forms = false;
  };

  int R(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool P(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[static_cast<size_t>(R(0, N - 1))];
  }
  Id16 NewId() {
    Id16 id;
    for (auto& b : id.b) b = static_cast<uint8_t>(rng_());
    return id;
  }
  std::string Dob(int age) {  // born in a past year: registration refuses a date after today
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 2025 - age, R(1, 12), R(1, 28));
    return buf;
  }
  Human NewHuman(const NamePart& family, const std::string& sex, int age) {
    Human h;
    h.id = next_human_++;
    h.family = family;
    h.sex = sex;
    h.given = sex == "male" ? Pick(kMale) : Pick(kFemale);
    h.dob = Dob(std::max(0, age));
    return h;
  }
  Style OriginalStyle(bool old_forms) {
    Style s;
    s.old_forms = old_forms;
    s.katakana = P(0.1);
    const int sp = R(0, 9);
    s.spacing = sp < 7 ? 0 : sp < 9 ? 1 : 2;
    return s;
  }
  void Emit(std::vector<Person> members, std::vector<uint32_t> humans, const std::string& address,
            int shelter, const std::string& variants) {
    GeneratedHousehold g;
    g.household.id = NewId();
    g.household.address = address;
    g.household.members = std::move(members);
    g.household.head = g.household.members.front().id;
    g.shelter = shelter;
    for (size_t i = 0; i < humans.size(); ++i) {
      pop_.human[g.household.members[i].id] = humans[i];
      if (!variants.empty()) pop_.variants[g.household.members[i].id] = variants;
    }
    pop_.records += humans.size();
    pop_.households.push_back(std::move(g));
  }

  void AddHousehold() {
    Original o;
    const int size_roll = R(0, 19);
    const int size = size_roll < 6    ? 1
                     : size_roll < 12 ? 2
                     : size_roll < 16 ? 3
                     : size_roll < 19 ? 4
                                      : 5;
    const NamePart& family = Pick(kSurnames);
    const std::string head_sex = P(0.5) ? "male" : "female";
    const int head_age = R(size == 1 ? 18 : 25, 92);
    o.members.push_back(NewHuman(family, head_sex, head_age));
    int youngest_parent = head_age;
    if (size >= 2 && P(0.75)) {
      const int age = std::clamp(head_age + R(-6, 6), 18, 99);
      o.members.push_back(NewHuman(family, head_sex == "male" ? "female" : "male", age));
      youngest_parent = std::min(youngest_parent, age);
    }
    while (static_cast<int>(o.members.size()) < size) {
      const int age = std::max(0, youngest_parent - R(20, 40));
      o.members.push_back(NewHuman(family, P(0.5) ? "male" : "female", age));
    }
    // Distinct given names within a household (the son named after his father comes below).
    for (size_t i = 1; i < o.members.size(); ++i) {
      auto taken = [&] {
        for (size_t j = 0; j < i; ++j)
          if (std::string(o.members[j].given.kana) == o.members[i].given.kana) return true;
        return false;
      };
      while (taken()) o.members[i].given = o.members[i].sex == "male" ? Pick(kMale) : Pick(kFemale);
    }
    // Twins: two children with one birth date and different given names.
    if (o.members.size() >= 4 && P(0.15)) {
      Human& a = o.members[o.members.size() - 2];
      Human& b = o.members.back();
      b.dob = a.dob;
      while (b.given.kana == std::string(a.given.kana))
        b.given = b.sex == "male" ? Pick(kMale) : Pick(kFemale);
      ++pop_.twin_pairs;
    }
    // A son named after his father (Jr.): same name, another birth date.
    if (o.members.size() >= 3 && head_sex == "male" && o.members.back().sex == "male" && P(0.2)) {
      bool taken = false;  // a twin with the father's name would be a second person of one name
      for (size_t i = 1; i + 1 < o.members.size(); ++i)
        taken |= o.members[i].given.kana == std::string(o.members[0].given.kana);
      if (!taken) {
        o.members.back().given = o.members[0].given;
        ++pop_.juniors;
      }
    }
    o.address = {R(0, std::size(kTowns) - 1), R(1, 5), R(1, 30), R(1, 20)};
    o.shelter = R(0, opts_.shelters - 1);
    o.old_forms = HasVariantChar(std::string(family.kanji)) && P(0.3);
    std::vector<Person> persons;
    std::vector<uint32_t> humans;
    for (auto& h : o.members) {
      persons.push_back(Render(h, OriginalStyle(o.old_forms), NewId()));
      humans.push_back(h.id);
    }
    Emit(std::move(persons), std::move(humans), RenderAddress(o.address, R(0, kAddressStyles - 1)),
         o.shelter, "");
    originals_.push_back(std::move(o));
  }

  // Someone else with the same name as an existing person, born on another day, living elsewhere.
  void AddNamesake() {
    const Original& o = originals_[static_cast<size_t>(R(0, originals_.size() - 1))];
    const Human& model = o.members[static_cast<size_t>(R(0, o.members.size() - 1))];
    Human h = model;
    h.id = next_human_++;
    while (h.dob == model.dob)
      h.dob = P(0.3) ? model.dob.substr(0, 5) + Dob(0).substr(5) : Dob(R(0, 95));
    const Address a{R(0, std::size(kTowns) - 1), R(1, 5), R(1, 30), R(1, 20)};
    Emit({Render(h, OriginalStyle(false), NewId())}, {h.id},
         RenderAddress(a, R(0, kAddressStyles - 1)), R(0, opts_.shelters - 1), "");
    ++pop_.namesakes;
  }

  // Picks 1-3 spelling variants for a re-registration and records them.
  Style DuplicateStyle(const Original& o, const Human& h, std::string& tags) {
    Style s = OriginalStyle(o.old_forms);
    s.katakana = false;
    const bool can_vary_kanji = HasVariantChar(std::string(h.family.kanji) + h.given.kanji);
    const int n = R(1, 3);
    std::set<std::string> chosen;
    for (int i = 0; i < n; ++i) {
      const int roll = R(0, 99);
      if (roll < 22 && can_vary_kanji) {
        chosen.insert("old_new_kanji");
        s.old_forms = !o.old_forms;
        s.second_old_form = P(0.5);
      } else if (roll < 36) {
        chosen.insert("katakana");
        s.katakana = true;
      } else if (roll < 47) {
        chosen.insert("half_width_kana");
        s.half_width = true;
      } else if (roll < 56) {
        chosen.insert("name_order_swapped");
        s.swapped = true;
      } else if (roll < 69) {
        chosen.insert("spacing");
        s.spacing = R(1, 3);
      } else if (roll < 76) {
        chosen.insert("missing_kana");
        s.no_kana = true;
      } else if (roll < 83) {
        chosen.insert("missing_dob");
        s.no_dob = true;
      } else if (roll < 87) {
        chosen.insert("dob_month_day_swapped");
        s.dob_swap = true;
      } else if (roll < 90) {
        chosen.insert("name_in_kana_only");
        s.kana_only = true;
      } else if (roll < 95 || !Homophone(h.given)) {
        chosen.insert("kana_typo");
        s.kana_typo = true;
      } else {
        chosen.insert("kanji_homophone");
        s.homophone = true;
      }
    }
    for (auto& c : chosen) {
      tags += (tags.empty() ? "" : ",") + c;
      ++pop_.variant_counts[c];
    }
    return s;
  }

  // The same people registered again at another shelter: one of them alone, or the household.
  void AddDuplicate() {
    const Original& o = originals_[static_cast<size_t>(R(0, originals_.size() - 1))];
    std::vector<const Human*> who;
    if (o.members.size() == 1 || P(0.6)) {
      who.push_back(&o.members[static_cast<size_t>(R(0, o.members.size() - 1))]);
    } else {
      for (auto& h : o.members) who.push_back(&h);
    }
    int shelter = o.shelter;
    if (opts_.shelters > 1)
      while (shelter == o.shelter) shelter = R(0, opts_.shelters - 1);
    std::string household_tag;
    std::string address;
    if (P(0.1)) {
      household_tag = "address_missing";
    } else {
      household_tag = "address_restyled";
      address = RenderAddress(o.address, R(0, kAddressStyles - 1));
    }
    ++pop_.variant_counts[household_tag];
    std::vector<Person> persons;
    std::vector<uint32_t> humans;
    std::string tags = household_tag;
    for (const Human* h : who) {
      std::string t;
      persons.push_back(Render(*h, DuplicateStyle(o, *h, t), NewId()));
      humans.push_back(h->id);
      tags += "," + t;
    }
    pop_.duplicates += who.size();
    Emit(std::move(persons), std::move(humans), address, shelter, tags);
  }

  PopulationOptions opts_;
  std::mt19937_64 rng_;
  Population pop_;
  std::vector<Original> originals_;
  uint32_t next_human_ = 1;
};

std::vector<std::string> SplitTags(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

Population GeneratePopulation(const PopulationOptions& opts) { return Generator(opts).Run(); }

core::Result<std::vector<Id16>> RegisterPopulation(core::Node& admin, const Population& pop,
                                                   int shelters, const std::string& scratch_dir) {
  std::vector<Id16> ids;
  for (int i = 0; i < shelters; ++i) {
    core::ShelterInfo info;
    info.common_id = "E0421200000" + std::to_string(100 + i);
    info.id = core::DerivedId("shelter", info.common_id);
    info.municipality_code = admin.municipality_code();
    info.name = "避難所" + std::to_string(i + 1);
    info.capacity = 1000;
    info.kind = "designated";
    info.status = "open";
    SHELTER_TRY(admin.Commit(admin.municipality_scope(),
                             {{info.id, core::RecordType::kShelter, core::ShelterFields(info)}}));
    SHELTER_TRY(admin.EnrollDevice(scratch_dir + "/tablet" + std::to_string(i), info.id,
                                   core::DeviceRole::kTablet, "t" + std::to_string(i), "lead",
                                   "5678"));
    ids.push_back(info.id);
  }
  std::vector<std::vector<Household>> by_shelter(static_cast<size_t>(shelters));
  for (const auto& g : pop.households)
    by_shelter[static_cast<size_t>(g.shelter)].push_back(g.household);
  for (int i = 0; i < shelters; ++i)
    SHELTER_TRY(core::RegisterHouseholds(admin, std::move(by_shelter[static_cast<size_t>(i)]),
                                         ids[static_cast<size_t>(i)], /*check_in=*/true));
  return ids;
}

DuplicateQuality MeasureDuplicates(const Population& pop,
                                   const std::vector<core::DuplicateCandidate>& reported) {
  DuplicateQuality q;
  std::set<std::pair<Id16, Id16>> found;
  for (const auto& c : reported) {
    auto pair = std::minmax(c.a, c.b);
    if (!found.insert(pair).second) continue;
    auto x = pop.human.find(c.a), y = pop.human.find(c.b);
    if (x != pop.human.end() && y != pop.human.end() && x->second == y->second) {
      ++q.tp;
    } else {
      ++q.fp;
      for (auto& r : c.reasons) ++q.fp_by_reason[r];
    }
  }
  q.reported = found.size();
  std::map<uint32_t, std::vector<Id16>> records_of;
  for (auto& [id, human] : pop.human) records_of[human].push_back(id);
  for (auto& [human, ids] : records_of) {
    for (size_t i = 0; i < ids.size(); ++i)
      for (size_t j = i + 1; j < ids.size(); ++j) {
        ++q.true_pairs;
        if (found.count(std::minmax(ids[i], ids[j]))) continue;
        ++q.fn;
        std::set<std::string> tags;
        for (const Id16& id : {ids[i], ids[j]})
          if (auto v = pop.variants.find(id); v != pop.variants.end())
            for (auto& t : SplitTags(v->second)) tags.insert(t);
        for (auto& t : tags) ++q.missed_by_variant[t];
      }
  }
  q.precision = q.reported ? double(q.tp) / double(q.reported) : 1.0;
  q.recall = q.true_pairs ? double(q.tp) / double(q.true_pairs) : 1.0;
  return q;
}

}  // namespace shelter::test
