// Japanese text folding. The tables are small on purpose: they cover what evacuee names,
// addresses and dates actually contain, not all of Unicode normalization.
//
// [SECTION] index
//   UTF-8            decoding that drops malformed bytes, encoding
//   Character sets   whitespace, invisible characters, dashes, middle dots, kanji
//   Tables           half-width katakana, dakuten/handakuten composition, kanji variants
//   Common folding   the pass shared by names, addresses and dates
//   Names            FoldForSearch, NameSearchKeys
//   Dates            NormalizeDate
//   Addresses        FoldAddress
#include "core/text/text_normalize.hpp"

#include <algorithm>
#include <cstdint>

namespace shelter::core {
namespace {

// [SECTION] UTF-8 --------------------------------------------------------------------------------

constexpr char32_t kBadByte = 0xFFFFFFFF;

struct Decoded {
  char32_t cp;  // kBadByte when the sequence at this position is malformed
  size_t size;  // bytes consumed; 1 for a malformed sequence so decoding resynchronizes
};

// REQUIRES: i < s.size().
Decoded DecodeAt(std::string_view s, size_t i) {
  const auto lead = static_cast<uint8_t>(s[i]);
  if (lead < 0x80) return {lead, 1};
  size_t size;
  char32_t cp;
  char32_t min;  // smallest code point of that length: anything below is an overlong form
  if (lead >= 0xC2 && lead <= 0xDF) {
    size = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    size = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    size = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return {kBadByte, 1};
  }
  if (s.size() - i < size) return {kBadByte, 1};
  for (size_t k = 1; k < size; ++k) {
    const auto b = static_cast<uint8_t>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {kBadByte, 1};
    cp = cp << 6 | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {kBadByte, 1};
  return {cp, size};
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | cp >> 18));
    out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// [SECTION] Character sets -----------------------------------------------------------------------

// Unicode White_Space, including the ideographic space U+3000.
bool IsSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Characters that are invisible or carry no letter: controls, soft hyphen, zero-width and bidi
// marks, BOM, and variation selectors (IVS picks a glyph such as the one-dot 辻; the base
// character is what staff will type).
bool IsIgnorable(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF ||
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

// Hyphen and dash variants; U+FF0D is folded to '-' before this is asked.
bool IsDash(char32_t c) {
  return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2043 || c == 0x2212 || c == 0xFE58 ||
         c == 0xFE63;
}

// ・ · ‧ and Greek ano teleia (canonically ·); U+FF65 is folded to ・ before this is asked.
bool IsMiddleDot(char32_t c) { return c == 0xB7 || c == 0x387 || c == 0x2027 || c == 0x30FB; }

// ゠ and = join the parts of foreign names written in katakana (ジャン＝ポール).
bool IsDoubleHyphen(char32_t c) { return c == '=' || c == 0x30A0; }

bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

bool IsKanji(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == U'々' || c == U'〆';
}

// Latin (ASCII, Latin-1, Latin Extended-A), basic Greek and Cyrillic capitals -> small letters.
char32_t ToLower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c < 0xC0) return c;
  if ((c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
      (c >= 0x410 && c <= 0x42F)) {
    return c + 0x20;
  }
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c == 0x130) return 'i';   // İ; its neighbour ı is already small
  if (c == 0x178) return 0xFF;  // Ÿ
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;  // pairs at even
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c + (c & 1);  // odd
  return c;
}

// [SECTION] Tables -------------------------------------------------------------------------------

// U+FF61..U+FF9F in order; the last two are the half-width voicing marks, as combining marks.
constexpr std::u32string_view kHalfWidthKana =
    U"。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノ"
    U"ハヒフヘホマミムメモヤユヨラリルレロワン\u3099\u309A";
static_assert(kHalfWidthKana.size() == 0xFF9F - 0xFF61 + 1);

// Kana and the kana they become with a dakuten (゛) or handakuten (゜); sorted by the first.
constexpr std::u32string_view kDakutenFrom =
    U"うかきくけこさしすせそたちつてとはひふへほゝ"
    U"ウカキクケコサシスセソタチツテトハヒフヘホワヰヱヲヽ";
constexpr std::u32string_view kDakutenTo =
    U"ゔがぎぐげござじずぜぞだぢづでどばびぶべぼゞ"
    U"ヴガギグゲゴザジズゼゾダヂヅデドバビブベボヷヸヹヺヾ";
constexpr std::u32string_view kHandakutenFrom = U"はひふへほハヒフヘホ";
constexpr std::u32string_view kHandakutenTo = U"ぱぴぷぺぽパピプペポ";
static_assert(kDakutenFrom.size() == kDakutenTo.size());
static_assert(kHandakutenFrom.size() == kHandakutenTo.size());
static_assert(std::is_sorted(kDakutenFrom.begin(), kDakutenFrom.end()));
static_assert(std::is_sorted(kHandakutenFrom.begin(), kHandakutenFrom.end()));

bool IsVoicingMark(char32_t c) { return c >= 0x3099 && c <= 0x309C; }  // combining and spacing
bool IsSemiVoicingMark(char32_t c) { return c == 0x309A || c == 0x309C; }

// The kana `base` with a (semi-)voicing mark, or 0 when there is no such kana.
char32_t Voiced(char32_t base, bool semi) {
  const std::u32string_view from = semi ? kHandakutenFrom : kDakutenFrom;
  const std::u32string_view to = semi ? kHandakutenTo : kDakutenTo;
  const auto it = std::lower_bound(from.begin(), from.end(), base);
  if (it == from.end() || *it != base) return 0;
  return to[static_cast<size_t>(it - from.begin())];
}

struct KanjiFold {
  char32_t from;
  char32_t to;
};

// Old and variant forms common in names and places -> the form staff type, sorted by `from`.
// Compatibility ideographs are written in hex because NFC-normalizing editors would silently turn
// them into their targets; 﨑 U+FA11 has no Unicode decomposition at all, so only a table helps.
// 斉/齊/齋 all fold to 斎: the four さいとう spellings are one name for search.
// clang-format off
constexpr KanjiFold kKanjiFolds[] = {
    {U'亞', U'亜'}, {U'來', U'来'}, {U'傳', U'伝'}, {U'兒', U'児'}, {U'冨', U'富'}, {U'凜', U'凛'},
    {U'國', U'国'}, {U'圓', U'円'}, {U'圡', U'土'}, {U'埜', U'野'}, {U'堯', U'尭'}, {U'增', U'増'},
    {U'壹', U'壱'}, {U'壽', U'寿'}, {U'學', U'学'}, {U'實', U'実'}, {U'寳', U'宝'}, {U'寶', U'宝'},
    {U'峯', U'峰'}, {U'嵜', U'崎'}, {U'嶋', U'島'}, {U'嶌', U'島'}, {U'嶽', U'岳'}, {U'巖', U'巌'},
    {U'廣', U'広'}, {U'彌', U'弥'}, {U'彥', U'彦'}, {U'德', U'徳'}, {U'恆', U'恒'}, {U'惠', U'恵'},
    {U'戶', U'戸'}, {U'敎', U'教'}, {U'斉', U'斎'}, {U'晄', U'晃'}, {U'晉', U'晋'}, {U'曻', U'昇'},
    {U'曾', U'曽'}, {U'會', U'会'}, {U'栁', U'柳'}, {U'桒', U'桑'}, {U'條', U'条'}, {U'榮', U'栄'},
    {U'槇', U'槙'}, {U'槗', U'橋'}, {U'檜', U'桧'}, {U'櫻', U'桜'}, {U'淸', U'清'}, {U'淺', U'浅'},
    {U'渕', U'淵'}, {U'滿', U'満'}, {U'澁', U'渋'}, {U'澤', U'沢'}, {U'濤', U'涛'}, {U'濱', U'浜'},
    {U'濵', U'浜'}, {U'瀧', U'滝'}, {U'瀨', U'瀬'}, {U'燈', U'灯'}, {U'爲', U'為'}, {U'瑤', U'瑶'},
    {U'眞', U'真'}, {U'碕', U'崎'}, {U'祿', U'禄'}, {U'禮', U'礼'}, {U'稻', U'稲'}, {U'穗', U'穂'},
    {U'穰', U'穣'}, {U'綠', U'緑'}, {U'繩', U'縄'}, {U'聰', U'聡'}, {U'與', U'与'}, {U'舘', U'館'},
    {U'舩', U'船'}, {U'萠', U'萌'}, {U'萬', U'万'}, {U'藏', U'蔵'}, {U'藝', U'芸'}, {U'螢', U'蛍'},
    {U'豐', U'豊'}, {U'遙', U'遥'}, {U'邉', U'辺'}, {U'邊', U'辺'}, {U'邨', U'村'}, {U'鄕', U'郷'},
    {U'鐵', U'鉄'}, {U'關', U'関'}, {U'靏', U'鶴'}, {U'靑', U'青'}, {U'靜', U'静'}, {U'髙', U'高'},
    {U'鷗', U'鴎'}, {U'鹽', U'塩'}, {U'黃', U'黄'}, {U'黑', U'黒'}, {U'齊', U'斎'}, {U'齋', U'斎'},
    {U'龍', U'竜'},
    // Compatibility ideographs: IBM extensions in Shift_JIS (CP932), then JIS X 0213.
    {0xF929, U'朗'}, {0xF9DC, U'隆'}, {0xFA10, U'塚'}, {0xFA11, U'崎'}, {0xFA12, U'晴'},
    {0xFA15, U'凞'}, {0xFA16, U'猪'}, {0xFA17, U'益'}, {0xFA18, U'礼'}, {0xFA19, U'神'},
    {0xFA1A, U'祥'}, {0xFA1B, U'福'}, {0xFA1C, U'靖'}, {0xFA1D, U'精'}, {0xFA1E, U'羽'},
    {0xFA20, U'蘒'}, {0xFA22, U'諸'}, {0xFA25, U'逸'}, {0xFA26, U'都'}, {0xFA2A, U'飯'},
    {0xFA2B, U'飼'}, {0xFA2C, U'館'}, {0xFA2D, U'鶴'}, {0xFA30, U'侮'}, {0xFA31, U'僧'},
    {0xFA32, U'免'}, {0xFA33, U'勉'}, {0xFA34, U'勤'}, {0xFA35, U'卑'}, {0xFA36, U'喝'},
    {0xFA37, U'嘆'}, {0xFA38, U'器'}, {0xFA39, U'塀'}, {0xFA3A, U'墨'}, {0xFA3B, U'層'},
    {0xFA3C, U'屮'}, {0xFA3D, U'悔'}, {0xFA3E, U'慨'}, {0xFA3F, U'憎'}, {0xFA40, U'懲'},
    {0xFA41, U'敏'}, {0xFA42, U'既'}, {0xFA43, U'暑'}, {0xFA44, U'梅'}, {0xFA45, U'海'},
    {0xFA46, U'渚'}, {0xFA47, U'漢'}, {0xFA48, U'煮'}, {0xFA49, U'爫'}, {0xFA4A, U'琢'},
    {0xFA4B, U'碑'}, {0xFA4C, U'社'}, {0xFA4D, U'祉'}, {0xFA4E, U'祈'}, {0xFA4F, U'祐'},
    {0xFA50, U'祖'}, {0xFA51, U'祝'}, {0xFA52, U'禍'}, {0xFA53, U'禎'}, {0xFA54, U'穀'},
    {0xFA55, U'突'}, {0xFA56, U'節'}, {0xFA57, U'練'}, {0xFA58, U'縉'}, {0xFA59, U'繁'},
    {0xFA5A, U'署'}, {0xFA5B, U'者'}, {0xFA5C, U'臭'}, {0xFA5D, U'艹'}, {0xFA5E, U'艹'},
    {0xFA5F, U'著'}, {0xFA60, U'褐'}, {0xFA61, U'視'}, {0xFA62, U'謁'}, {0xFA63, U'謹'},
    {0xFA64, U'賓'}, {0xFA65, U'贈'}, {0xFA66, U'辶'}, {0xFA67, U'逸'}, {0xFA68, U'難'},
    {0xFA69, U'響'}, {0xFA6A, U'頻'}, {0xFA6B, U'恵'}, {0xFA6C, U'𤋮'}, {0xFA6D, U'館'},
    // Outside the BMP: 𠮷 (tsuchi-yoshi), 𡈽 (土 with a dot).
    {U'𠮷', U'吉'}, {U'𡈽', U'土'},
};
// clang-format on

// Sorted for binary search, and closed: no target is itself folded, so folding is idempotent.
constexpr bool IsSortedAndClosed() {
  for (size_t i = 0; i < std::size(kKanjiFolds); ++i) {
    if (i > 0 && kKanjiFolds[i - 1].from >= kKanjiFolds[i].from) return false;
    for (const KanjiFold& f : kKanjiFolds) {
      if (f.from == kKanjiFolds[i].to) return false;
    }
  }
  return true;
}
static_assert(IsSortedAndClosed());

char32_t FoldKanji(char32_t c) {
  const auto it = std::lower_bound(std::begin(kKanjiFolds), std::end(kKanjiFolds), c,
                                   [](const KanjiFold& f, char32_t v) { return f.from < v; });
  return it != std::end(kKanjiFolds) && it->from == c ? it->to : c;
}

char32_t KatakanaToHiragana(char32_t c) {
  const bool katakana = (c >= U'ァ' && c <= U'ヶ') || c == U'ヽ' || c == U'ヾ';
  return katakana ? c - 0x60 : c;
}

// [SECTION] Common folding -----------------------------------------------------------------------

// Decodes `utf8` dropping malformed bytes, whitespace and invisible characters; folds full-width
// ASCII and half-width katakana; composes voicing marks onto the kana already emitted (so marks
// separated by dropped characters still compose, and a second pass changes nothing); lower-cases
// letters and folds variant kanji. With `drop_name_separators`, also drops dots and dashes.
std::u32string FoldCommon(std::string_view utf8, bool drop_name_separators) {
  std::u32string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const Decoded d = DecodeAt(utf8, i);
    i += d.size;
    char32_t c = d.cp;
    if (c == kBadByte || IsSpace(c) || IsIgnorable(c)) continue;
    if (c >= 0xFF01 && c <= 0xFF5E) {
      c -= 0xFEE0;
    } else if (c >= 0xFF61 && c <= 0xFF9F) {
      c = kHalfWidthKana[c - 0xFF61];
    }
    if (drop_name_separators && (IsMiddleDot(c) || IsDash(c) || IsDoubleHyphen(c))) continue;
    if (IsVoicingMark(c)) {
      const bool semi = IsSemiVoicingMark(c);
      const char32_t voiced = out.empty() ? 0 : Voiced(out.back(), semi);
      if (voiced != 0) {
        out.back() = voiced;
      } else {
        out.push_back(semi ? U'゜' : U'゛');  // a stray mark is kept in its spacing form
      }
      continue;
    }
    out.push_back(FoldKanji(ToLower(c)));
  }
  return out;
}

}  // namespace

std::string EncodeUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t cp : s) AppendUtf8(cp, out);
  return out;
}

std::u32string DecodeUtf8Lossy(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    Decoded d = DecodeAt(s, i);
    if (d.cp != kBadByte) out.push_back(d.cp);
    i += d.size;
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const Decoded d = DecodeAt(s, i);
    if (d.cp == kBadByte) return false;
    i += d.size;
  }
  return true;
}

// [SECTION] Names --------------------------------------------------------------------------------

std::string FoldForSearch(std::string_view utf8) {
  std::u32string folded = FoldCommon(utf8, /*drop_name_separators=*/true);
  for (char32_t& c : folded) c = KatakanaToHiragana(c);
  return EncodeUtf8(folded);
}

std::vector<std::string> NameSearchKeys(std::string_view utf8) {
  std::vector<std::string> parts;
  size_t part_start = 0;
  for (size_t i = 0; i < utf8.size();) {
    const Decoded d = DecodeAt(utf8, i);
    if (IsSpace(d.cp) || IsMiddleDot(d.cp) || d.cp == U'･') {
      parts.push_back(FoldForSearch(utf8.substr(part_start, i - part_start)));
      part_start = i + d.size;
    }
    i += d.size;
  }
  parts.push_back(FoldForSearch(utf8.substr(part_start)));
  std::erase(parts, std::string());

  std::vector<std::string> keys;
  auto add = [&keys](std::string key) {
    if (!key.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(std::move(key));
    }
  };
  // Folding works character by character except that a voicing mark composes onto the kana
  // before it. So unless a part after the first starts with a (stray, spacing) mark, folding the
  // whole name gives the folded parts joined, and the reversed parts joined are already folded:
  // two folds of every name saved, on the path of every registration.
  auto starts_with_mark = [](const std::string& p) {
    return p.starts_with("\u309B") || p.starts_with("\u309C");
  };
  const bool joins =
      std::none_of(parts.begin() + (parts.empty() ? 0 : 1), parts.end(), starts_with_mark);
  std::string whole;
  if (joins)
    for (const std::string& part : parts) whole += part;
  add(joins ? whole : FoldForSearch(utf8));
  for (const std::string& part : parts) add(part);
  if (parts.size() > 1) {
    std::string reversed;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) reversed += *it;
    // A part that starts with a mark may now follow a kana: fold again to keep keys canonical.
    const bool rejoins = std::none_of(parts.begin(), parts.end() - 1, starts_with_mark);
    add(rejoins ? std::move(reversed) : FoldForSearch(reversed));
  }
  return keys;
}

// [SECTION] Dates --------------------------------------------------------------------------------

namespace {

constexpr int kMinYear = 1868;  // Meiji 1; Japan used the lunisolar calendar before 1873
constexpr int kMaxYear = 2199;

struct Era {
  std::u32string_view name;
  char32_t abbreviation;
  char32_t letter;  // lower case: the input is folded first
  char32_t square;  // the one-character era sign, e.g. ㍼
  int first_day;    // YYYYMMDD
  int last_day;     // YYYYMMDD
};

constexpr Era kEras[] = {
    {U"明治", U'明', U'm', U'㍾', 18680101, 19120729},
    {U"大正", U'大', U't', U'㍽', 19120730, 19261224},
    {U"昭和", U'昭', U's', U'㍼', 19261225, 19890107},
    {U"平成", U'平', U'h', U'㍻', 19890108, 20190430},
    {U"令和", U'令', U'r', U'㋿', 20190501, kMaxYear * 10000 + 1231},
};

constexpr int kAbsent = -1;

struct Scanner {
  std::u32string_view s;
  size_t pos = 0;

  bool AtEnd() const { return pos == s.size(); }
  char32_t Peek() const { return AtEnd() ? 0 : s[pos]; }
  bool Eat(char32_t c) {
    if (AtEnd() || s[pos] != c) return false;
    ++pos;
    return true;
  }
  bool Eat(std::u32string_view word) {
    if (!s.substr(pos).starts_with(word)) return false;
    pos += word.size();
    return true;
  }
  // 1..max_digits ASCII digits; kAbsent when there are none or more than max_digits.
  int Number(size_t max_digits) {
    size_t n = 0;
    int value = 0;
    for (; pos + n < s.size() && IsAsciiDigit(s[pos + n]); ++n) {
      if (n == max_digits) return kAbsent;
      value = value * 10 + static_cast<int>(s[pos + n] - '0');
    }
    if (n == 0) return kAbsent;
    pos += n;
    return value;
  }
};

const Era* ReadEra(Scanner& in) {
  for (const Era& era : kEras) {
    if (in.Eat(era.name)) return &era;
  }
  for (const Era& era : kEras) {
    if (in.Eat(era.abbreviation) || in.Eat(era.letter) || in.Eat(era.square)) return &era;
  }
  return nullptr;
}

// '-', '/' or '.' for a date separator (any dash, and ー as IMEs type it after digits), else 0.
char32_t DateSeparator(char32_t c) {
  if (c == '/' || c == '.') return c;
  return IsDash(c) || c == U'ー' ? '-' : 0;
}

bool IsLeapYear(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int DaysInMonth(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

Error DateError(const char* detail) { return MakeError(ErrorCode::kInvalidArgument, detail); }

void AppendPadded(int value, int width, std::string& out) {
  const std::string digits = std::to_string(value);
  out.append(static_cast<size_t>(std::max(0, width - static_cast<int>(digits.size()))), '0');
  out += digits;
}

// Checks the calendar and the era, then formats. Month and day may be kAbsent (partial date).
Result<std::string> FormatDate(const Era* era, int year, int month, int day, bool allow_partial) {
  if (year < kMinYear || year > kMaxYear) return DateError("year outside 1868..2199");
  if (month != kAbsent && (month < 1 || month > 12)) return DateError("month outside 1..12");
  if (day != kAbsent && (day < 1 || day > DaysInMonth(year, month))) {
    return DateError("no such day in that month");
  }
  if (era != nullptr) {
    // A partial date spans [first, last]; it must overlap the era.
    const int first_month = month == kAbsent ? 1 : month;
    const int last_month = month == kAbsent ? 12 : month;
    const int first = year * 10000 + first_month * 100 + (day == kAbsent ? 1 : day);
    const int last =
        year * 10000 + last_month * 100 + (day == kAbsent ? DaysInMonth(year, last_month) : day);
    if (last < era->first_day || first > era->last_day) return DateError("date outside its era");
  }
  if (day == kAbsent && !allow_partial) return DateError("incomplete date");
  std::string out;
  AppendPadded(year, 4, out);
  if (month != kAbsent) {
    out += '-';
    AppendPadded(month, 2, out);
  }
  if (day != kAbsent) {
    out += '-';
    AppendPadded(day, 2, out);
  }
  return out;
}

}  // namespace

Result<std::string> NormalizeDate(std::string_view text, bool allow_partial) {
  if (!IsValidUtf8(text)) return DateError("date is not valid UTF-8");
  const std::u32string folded = FoldCommon(text, /*drop_name_separators=*/false);
  Scanner in{folded};
  if (in.AtEnd()) return DateError("empty date");

  const Era* era = ReadEra(in);
  int year;
  if (era != nullptr) {
    const int era_year = in.Eat(U'元') ? 1 : in.Number(2);
    if (era_year < 1) return DateError("missing or bad era year");
    year = era->first_day / 10000 + era_year - 1;
  } else {
    const size_t start = in.pos;
    const int number = in.Number(8);
    if (number != kAbsent && in.pos - start == 8 && in.AtEnd()) {  // YYYYMMDD
      return FormatDate(nullptr, number / 10000, number / 100 % 100, number % 100, allow_partial);
    }
    if (number == kAbsent || in.pos - start != 4) return DateError("expected a 4-digit year");
    year = number;
  }

  int month = kAbsent;
  int day = kAbsent;
  if (in.Eat(U'年')) {  // 1980年4月1日, 昭和55年4月
    if (!in.AtEnd()) {
      month = in.Number(2);
      if (month == kAbsent || !in.Eat(U'月')) return DateError("unrecognized date format");
      if (!in.AtEnd()) {
        day = in.Number(2);
        if (day == kAbsent || !in.Eat(U'日')) return DateError("unrecognized date format");
      }
    }
  } else if (!in.AtEnd()) {  // 1980-04-01, 1980/4/1, S55.4.1
    const char32_t separator = DateSeparator(in.Peek());
    if (separator == 0) return DateError("unrecognized date format");
    ++in.pos;
    month = in.Number(2);
    if (month == kAbsent) return DateError("unrecognized date format");
    if (!in.AtEnd()) {
      if (DateSeparator(in.Peek()) != separator) return DateError("mixed date separators");
      ++in.pos;
      day = in.Number(2);
      if (day == kAbsent) return DateError("unrecognized date format");
    }
  }
  if (!in.AtEnd()) return DateError("unexpected text after the date");
  return FormatDate(era, year, month, day, allow_partial);
}

// [SECTION] Addresses ----------------------------------------------------------------------------

namespace {

constexpr size_t kMaxNumeralRun = 8;  // longer runs of kanji numerals are left alone

// 番地 before 番: the first match wins.
constexpr std::u32string_view kBlockMarkers[] = {U"丁目", U"番地", U"番", U"号"};

int KanjiDigit(char32_t c) {
  constexpr std::u32string_view kDigits = U"〇一二三四五六七八九";
  const size_t at = kDigits.find(c);
  return at == std::u32string_view::npos ? kAbsent : static_cast<int>(at);
}

int KanjiUnit(char32_t c) { return c == U'十' ? 10 : c == U'百' ? 100 : c == U'千' ? 1000 : 0; }

bool IsKanjiNumeral(char32_t c) { return KanjiDigit(c) != kAbsent || KanjiUnit(c) != 0; }

// 三 -> 3, 十二 -> 12, 二十 -> 20, 百五 -> 105, 一〇 -> 10 (digits written positionally).
// REQUIRES: run is 1..kMaxNumeralRun kanji numerals.
std::u32string KanjiNumeralToDigits(std::u32string_view run) {
  int64_t total = 0;
  int64_t pending = kAbsent;  // digits not yet multiplied by a unit
  for (char32_t c : run) {
    if (const int unit = KanjiUnit(c)) {
      total += (pending == kAbsent ? 1 : pending) * unit;
      pending = kAbsent;
    } else {
      pending = (pending == kAbsent ? 0 : pending * 10) + KanjiDigit(c);
    }
  }
  if (pending != kAbsent) total += pending;
  std::u32string out;
  for (char c : std::to_string(total)) out.push_back(static_cast<char32_t>(c));
  return out;
}

// Length of the block marker (丁目, 番地, 番, 号) at s[i], or 0. A 番 or 号 followed by another
// kanji is part of a name (一番町, 1号館), not a marker.
size_t BlockMarkerLength(std::u32string_view s, size_t i) {
  for (std::u32string_view marker : kBlockMarkers) {
    if (!s.substr(i).starts_with(marker)) continue;
    const size_t after = i + marker.size();
    const bool in_name =
        marker.size() == 1 && after < s.size() && IsKanji(s[after]) && !IsKanjiNumeral(s[after]);
    return in_name ? 0 : marker.size();
  }
  return 0;
}

bool IsKeLike(char32_t c) {
  return c == U'ヶ' || c == U'ケ' || c == U'ヵ' || c == U'が' || c == U'ガ' || c == U'ゖ' ||
         c == U'ゕ';
}

// Drops the area prefixes 大字/字 ("大字上野字北浦" -> "上野北浦") and stray voicing marks.
std::u32string DropAreaPrefixesAndStrayMarks(std::u32string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == U'大' && i + 1 < s.size() && s[i + 1] == U'字') continue;
    if (s[i] != U'字' && s[i] != U'゛' && s[i] != U'゜') out.push_back(s[i]);
  }
  return out;
}

// True when s[i] starts a word that numbers what precedes it: 丁目, 番地, 番, 号, or 条 as in
// 北一条西 (Sapporo), and also 一番町 so that it matches 1番町.
bool IsNumberedBy(std::u32string_view s, size_t i) {
  return i < s.size() &&
         (s[i] == U'番' || s[i] == U'号' || s[i] == U'条' || s.substr(i).starts_with(U"丁目"));
}

// True when s[0, i) ends with a block marker, optionally followed by の/ノ and dashes.
bool FollowsBlockMarker(std::u32string_view s, size_t i) {
  while (i > 0 && (s[i - 1] == U'の' || s[i - 1] == U'ノ' || IsDash(s[i - 1]))) --i;
  for (std::u32string_view marker : kBlockMarkers) {
    if (s.substr(0, i).ends_with(marker)) return true;
  }
  return false;
}

// Writes the kanji numerals of block numbers as ASCII digits: a run before a block marker or 条
// ("三丁目" -> "3丁目"), or a run ending the address after one ("二十三番地の一" -> "23番地の1").
std::u32string SpellOutBlockNumbers(std::u32string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    if (!IsKanjiNumeral(s[i])) {
      out.push_back(s[i++]);
      continue;
    }
    size_t end = i;
    while (end < s.size() && IsKanjiNumeral(s[end])) ++end;
    const std::u32string_view run = s.substr(i, end - i);
    const bool last_number =
        end == s.size() || IsDash(s[end]) || s[end] == U'の' || s[end] == U'ノ';
    const bool convert = run.size() <= kMaxNumeralRun &&
                         (IsNumberedBy(s, end) || (last_number && FollowsBlockMarker(s, i)));
    out += convert ? KanjiNumeralToDigits(run) : std::u32string(run);
    i = end;
  }
  return out;
}

}  // namespace

std::string FoldAddress(std::string_view utf8) {
  const std::u32string folded = FoldCommon(utf8, /*drop_name_separators=*/false);
  const std::u32string s = SpellOutBlockNumbers(DropAreaPrefixesAndStrayMarks(folded));
  std::u32string out;
  auto push_dash = [&out] {
    if (out.empty() || out.back() != '-') out.push_back('-');
  };
  auto after_digit = [&out] { return !out.empty() && IsAsciiDigit(out.back()); };
  for (size_t i = 0; i < s.size(); ++i) {
    const char32_t c = s[i];
    const char32_t prev = i > 0 ? s[i - 1] : 0;
    const char32_t next = i + 1 < s.size() ? s[i + 1] : 0;
    if (const size_t marker = after_digit() ? BlockMarkerLength(s, i) : 0) {
      push_dash();
      i += marker - 1;
    } else if (IsDash(c) || (c == U'ー' && after_digit())) {
      push_dash();
    } else if ((c == U'の' || c == U'ノ') &&
               (after_digit() || (!out.empty() && out.back() == '-')) &&
               (IsAsciiDigit(next) || IsKanjiNumeral(next))) {
      push_dash();  // 3番地の1
    } else if (IsKanji(prev) && IsKanji(next) && IsKeLike(c)) {
      out.push_back(U'ヶ');  // 霞が関, 霞ケ関 -> 霞ヶ関
    } else if (IsKanji(prev) && IsKanji(next) && c == U'ノ') {
      out.push_back(U'の');  // 一ノ瀬 -> 一の瀬
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return EncodeUtf8(out);
}

}  // namespace shelter::core
