#include "core/text/text_normalize.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shelter::core {
namespace {

using Keys = std::vector<std::string>;

// The normalized date, or "error" so that failures print readably.
std::string Date(std::string_view text, bool allow_partial = false) {
  Result<std::string> date = NormalizeDate(text, allow_partial);
  return date.ok() ? *date : "error";
}

// --- IsValidUtf8 --------------------------------------------------------------------------------

TEST_CASE("IsValidUtf8 accepts well-formed text of every length") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("Yamada"));
  CHECK(IsValidUtf8("Élodie"));            // 2-byte
  CHECK(IsValidUtf8("山田 太郎"));         // 3-byte
  CHECK(IsValidUtf8("𠮷野"));              // 4-byte (U+20BB7)
  CHECK(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST_CASE("IsValidUtf8 rejects malformed sequences") {
  CHECK_FALSE(IsValidUtf8("\xff"));
  CHECK_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  CHECK_FALSE(IsValidUtf8("\xe5\xb1"));          // 山 cut short
  CHECK_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xed\xa0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xe5\xb1\x41"));      // continuation replaced by 'A'
  CHECK_FALSE(IsValidUtf8(std::string_view("a\0\xff", 3)));
}

// --- FoldForSearch ------------------------------------------------------------------------------

TEST_CASE("FoldForSearch of empty and invisible-only input is empty") {
  CHECK(FoldForSearch("") == "");
  CHECK(FoldForSearch(" \t\r\n　") == "");
  CHECK(FoldForSearch("\u200b\ufeff") == "");
  CHECK(FoldForSearch("・ - ＝") == "");
}

TEST_CASE("FoldForSearch turns full-width ASCII into ASCII") {
  CHECK(FoldForSearch("ＹＡＭＡＤＡ　Ｔａｒｏ") == "yamadataro");
  CHECK(FoldForSearch("１２３号室") == "123号室");
  CHECK(FoldForSearch("ａ＠ｂ．ｊｐ") == "a@b.jp");
}

TEST_CASE("FoldForSearch removes ASCII and Unicode whitespace") {
  CHECK(FoldForSearch(" 山田\t太郎\n") == "山田太郎");
  CHECK(FoldForSearch("山田　太郎") == "山田太郎");      // U+3000
  CHECK(FoldForSearch("山田\u00a0太郎") == "山田太郎");  // no-break space
  CHECK(FoldForSearch("山田\u2003\u202f太郎") == "山田太郎");
  CHECK(FoldForSearch("山\u200b田") == "山田");  // zero-width space
}

TEST_CASE("FoldForSearch widens half-width katakana and composes ﾞ and ﾟ") {
  CHECK(FoldForSearch("ﾔﾏﾀﾞ ﾀﾛｳ") == "やまだたろう");
  CHECK(FoldForSearch("ｶﾞ") == "が");
  CHECK(FoldForSearch("ﾊﾟ") == "ぱ");
  CHECK(FoldForSearch("ｳﾞｧｲｵﾘﾝ") == "ゔぁいおりん");
  CHECK(FoldForSearch("ｷｬｯﾁｰ") == "きゃっちー");
  CHECK(FoldForSearch("ﾜﾀﾅﾍﾞ") == FoldForSearch("ワタナベ"));
  CHECK(FoldForSearch("ｻﾄｳ ﾋﾟｴｰﾙ") == FoldForSearch("サトウ ピエール"));
  CHECK(FoldForSearch("ﾞ") == "゛");  // nothing to compose onto: kept as a spacing mark
  CHECK(FoldForSearch("ﾝﾞ") == "ん゛");
}

TEST_CASE("FoldForSearch composes combining dakuten and handakuten onto kana") {
  CHECK(FoldForSearch("か\u3099") == "が");
  CHECK(FoldForSearch("ハ\u309a") == "ぱ");
  CHECK(FoldForSearch("ウ\u3099") == "ゔ");
  CHECK(FoldForSearch("ヽ\u3099") == "ゞ");
  CHECK(FoldForSearch("ワタナヘ\u3099") == FoldForSearch("ワタナベ"));
  CHECK(FoldForSearch("か゛") == "が");            // spacing mark typed after the kana
  CHECK(FoldForSearch("山\u3099") == "山゛");      // not a kana: the mark stays
  CHECK(FoldForSearch("が\u3099") == "が゛");      // already voiced
  CHECK(FoldForSearch("か\u200b\u3099") == "が");  // invisible character in between
}

TEST_CASE("FoldForSearch maps katakana to hiragana and keeps ー") {
  CHECK(FoldForSearch("ヤマダ タロウ") == FoldForSearch("やまだ たろう"));
  CHECK(FoldForSearch("アイウエオァヵヶ") == "あいうえおぁゕゖ");
  CHECK(FoldForSearch("ヴ") == "ゔ");
  CHECK(FoldForSearch("ルーシー") == "るーしー");
  CHECK(FoldForSearch("ｽｽﾞｷ ｲﾁﾛｰ") == "すずきいちろー");
  CHECK(FoldForSearch("ヷ") == "ヷ");  // no hiragana form
}

TEST_CASE("FoldForSearch lower-cases Latin Greek and Cyrillic letters") {
  CHECK(FoldForSearch("SMITH John") == "smithjohn");
  CHECK(FoldForSearch("ÉLODIE Müller") == "élodiemüller");
  CHECK(FoldForSearch("ŁUKASZ") == "łukasz");
  CHECK(FoldForSearch("İ") == "i");
  CHECK(FoldForSearch("ИВАН Ёлкин") == "иванёлкин");
  CHECK(FoldForSearch("ΣΟΦΙΑ") == "σοφια");
  CHECK(FoldForSearch("Nguyễn") == "nguyễn");  // outside the tables: unchanged
}

TEST_CASE("FoldForSearch removes middle dots and hyphen variants between name parts") {
  const std::string john_smith = "じょんすみす";
  CHECK(FoldForSearch("ジョン・スミス") == john_smith);  // U+30FB
  CHECK(FoldForSearch("ｼﾞｮﾝ･ｽﾐｽ") == john_smith);        // U+FF65
  CHECK(FoldForSearch("ジョン·スミス") == john_smith);   // U+00B7
  CHECK(FoldForSearch("ジョン゠スミス") == john_smith);  // katakana double hyphen
  CHECK(FoldForSearch("ジャン＝ポール") == "じゃんぽーる");
  CHECK(FoldForSearch("Jean-Pierre") == "jeanpierre");
  for (const char* name : {"山田-太郎", "山田－太郎", "山田‐太郎", "山田‑太郎", "山田‒太郎",
                           "山田–太郎", "山田—太郎", "山田―太郎", "山田−太郎"}) {
    CAPTURE(name);
    CHECK(FoldForSearch(name) == "山田太郎");
  }
}

TEST_CASE("FoldForSearch folds old and variant kanji to the common form") {
  const std::pair<const char*, const char*> kCases[] = {
      {"髙橋", "高橋"},     {"山\ufa11", "山崎"}, {"山嵜", "山崎"},     {"宮碕", "宮崎"},
      {"渡邊", "渡辺"},     {"渡邉", "渡辺"},     {"齋藤", "斎藤"},     {"齊藤", "斎藤"},
      {"斉藤", "斎藤"},     {"濵田", "浜田"},     {"濱田", "浜田"},     {"澤田", "沢田"},
      {"國分", "国分"},     {"櫻井", "桜井"},     {"廣瀬", "広瀬"},     {"嶋田", "島田"},
      {"大嶌", "大島"},     {"冨田", "富田"},     {"惠子", "恵子"},     {"德永", "徳永"},
      {"眞理子", "真理子"}, {"實", "実"},         {"藝", "芸"},         {"龍之介", "竜之介"},
      {"淺野", "浅野"},     {"來生", "来生"},     {"壽", "寿"},         {"榮一", "栄一"},
      {"晉", "晋"},         {"北條", "北条"},     {"瀨戸", "瀬戸"},     {"藏", "蔵"},
      {"槇原", "槙原"},     {"桒原", "桑原"},     {"森鷗外", "森鴎外"}, {"曻", "昇"},
      {"大埜", "大野"},     {"舘", "館"},         {"𠮷田", "吉田"},     {"栁田", "柳田"},
      {"槗本", "橋本"},     {"瀧本", "滝本"},     {"澁谷", "渋谷"},     {"靑木", "青木"},
      {"曾根", "曽根"},     {"凜", "凛"},         {"遙", "遥"},         {"峯", "峰"},
  };
  for (const auto& entry : kCases) {
    CAPTURE(entry.first);
    CHECK(FoldForSearch(entry.first) == entry.second);
  }
}

TEST_CASE("FoldForSearch folds compatibility ideographs from Shift_JIS and JIS X 0213") {
  CHECK(FoldForSearch("\ufa11") == "崎");  // 﨑: no Unicode decomposition, needs the table
  CHECK(FoldForSearch("飯\ufa10") == "飯塚");
  CHECK(FoldForSearch("\ufa1b田") == "福田");
  CHECK(FoldForSearch("\uf9dc") == "隆");
  CHECK(FoldForSearch("\ufa4f介") == "祐介");
  CHECK(FoldForSearch("\ufa6d") == "館");  // 舘 in JIS X 0213, then 舘 -> 館
  CHECK(FoldForSearch("\ufa26") == "都");
}

TEST_CASE("FoldForSearch drops variation selectors") {
  CHECK(FoldForSearch("辻\U000e0100") == "辻");  // one-dot 辻 by IVS
  CHECK(FoldForSearch("葛\U000e0101城") == "葛城");
  CHECK(FoldForSearch("渡邊\U000e0108") == "渡辺");
  CHECK(FoldForSearch("髙\ufe00") == "高");
}

TEST_CASE("FoldForSearch drops invalid UTF-8 bytes") {
  CHECK(FoldForSearch("山\xff田") == "山田");
  CHECK(FoldForSearch("山田\xe5\xb1") == "山田");             // truncated 山 at the end
  CHECK(FoldForSearch("\xc0\xaf/x") == "/x");                 // overlong '/'
  CHECK(FoldForSearch("\xed\xa0\x80太郎") == "太郎");         // surrogate
  CHECK(FoldForSearch("\xe5\xb1ﾀﾛｳ") == "たろう");            // resynchronizes on the next char
  CHECK(FoldForSearch(std::string_view("a\0b", 3)) == "ab");  // control characters too
  CHECK(IsValidUtf8(FoldForSearch("\x80\xbf\xfe\xf8\x88\x80\x80\x80")));
}

TEST_CASE("FoldForSearch is idempotent") {
  for (const char* text : {"ﾔﾏﾀﾞ ﾀﾛｳ", "ジョン・スミス", "か ゛", "\u3099か", "ヷ", "髙\ufa11",
                           "ＡＢＣ－ｄｅｆ", "ﾜﾞ", "ー\u309a"}) {
    CAPTURE(text);
    const std::string once = FoldForSearch(text);
    CHECK(FoldForSearch(once) == once);
  }
}

// --- NameSearchKeys -----------------------------------------------------------------------------

TEST_CASE("NameSearchKeys indexes the full name and each part and the reversed order") {
  CHECK(NameSearchKeys("山田 太郎") == Keys{"山田太郎", "山田", "太郎", "太郎山田"});
  CHECK(NameSearchKeys("ﾔﾏﾀﾞ　ﾀﾛｳ") == Keys{"やまだたろう", "やまだ", "たろう", "たろうやまだ"});
  CHECK(NameSearchKeys("ジョン・スミス") ==
        Keys{"じょんすみす", "じょん", "すみす", "すみすじょん"});
  CHECK(NameSearchKeys("SMITH John Paul") ==
        Keys{"smithjohnpaul", "smith", "john", "paul", "pauljohnsmith"});
}

TEST_CASE("NameSearchKeys lets a reversed query find the name") {
  const Keys keys = NameSearchKeys("髙橋　一郎");
  const std::string query = FoldForSearch("一郎 高橋");
  CHECK(std::find(keys.begin(), keys.end(), query) != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), FoldForSearch("タカハシ")) == keys.end());
}

TEST_CASE("NameSearchKeys de-duplicates and omits empty keys") {
  CHECK(NameSearchKeys("山田") == Keys{"山田"});
  CHECK(NameSearchKeys("  山田  ") == Keys{"山田"});
  CHECK(NameSearchKeys("山田 山田") == Keys{"山田山田", "山田"});
  CHECK(NameSearchKeys("").empty());
  CHECK(NameSearchKeys(" 　\t").empty());
  CHECK(NameSearchKeys("・ ー").size() == 1);  // only "ー" survives folding
  CHECK(NameSearchKeys("山田\xff 太郎") == Keys{"山田太郎", "山田", "太郎", "太郎山田"});
}

TEST_CASE("NameSearchKeys folds a voicing mark that starts a part as the whole name does") {
  // The keys are built from the folded parts; a mark after a separator composes onto the kana
  // before it in the whole name, and onto the last kana of the other part in the reversed order.
  for (const char* name : {"か ゛た", "か \u3099た", "ｶ ﾞﾀ", "か\u200b ゛た", "か・゛た"}) {
    INFO(name);
    const Keys keys = NameSearchKeys(name);
    REQUIRE(!keys.empty());
    CHECK(keys.front() == FoldForSearch(name));
    CHECK(keys.front() == "がた");
    for (const std::string& k : keys) CHECK(FoldForSearch(k) == k);
  }
  CHECK(NameSearchKeys("た ゛か") == Keys{"だか", "た", "゛か", "゛かた"});
  CHECK(NameSearchKeys("゛か た") == Keys{"゛かた", "゛か", "た", "だか"});
  CHECK(NameSearchKeys("山田 太郎 ジロー") ==
        Keys{"山田太郎じろー", "山田", "太郎", "じろー", "じろー太郎山田"});
}

// --- NormalizeDate ------------------------------------------------------------------------------

TEST_CASE("NormalizeDate accepts Western spellings") {
  CHECK(Date("1980-04-01") == "1980-04-01");
  CHECK(Date("1980/4/1") == "1980-04-01");
  CHECK(Date("1980.4.1") == "1980-04-01");
  CHECK(Date("19800401") == "1980-04-01");
  CHECK(Date("1980年4月1日") == "1980-04-01");
  CHECK(Date("１９８０／０４／０１") == "1980-04-01");
  CHECK(Date("１９８０年１２月３１日") == "1980-12-31");
  CHECK(Date(" 1980 / 4 / 1 ") == "1980-04-01");
  CHECK(Date("1980ー04ー01") == "1980-04-01");  // IME long-vowel mark as a dash
  CHECK(Date("1980－4－1") == "1980-04-01");
}

TEST_CASE("NormalizeDate accepts Japanese eras") {
  CHECK(Date("昭和55年4月1日") == "1980-04-01");
  CHECK(Date("昭55.4.1") == "1980-04-01");
  CHECK(Date("S55.4.1") == "1980-04-01");
  CHECK(Date("s55/04/01") == "1980-04-01");
  CHECK(Date("Ｓ５５．４．１") == "1980-04-01");
  CHECK(Date("㍼55年4月1日") == "1980-04-01");
  CHECK(Date("H2/1/3") == "1990-01-03");
  CHECK(Date("平成2年1月3日") == "1990-01-03");
  CHECK(Date("R2.1.3") == "2020-01-03");
  CHECK(Date("令和2年1月3日") == "2020-01-03");
  CHECK(Date("T10.5.5") == "1921-05-05");
  CHECK(Date("大正10年5月5日") == "1921-05-05");
  CHECK(Date("M40.2.11") == "1907-02-11");
  CHECK(Date("明治40年2月11日") == "1907-02-11");
  CHECK(Date("昭和 55年 4月 1日") == "1980-04-01");
}

TEST_CASE("NormalizeDate treats 元年 as year 1 and checks era boundaries") {
  CHECK(Date("平成元年1月8日") == "1989-01-08");
  CHECK(Date("平成元年1月7日") == "error");  // still 昭和
  CHECK(Date("昭和64年1月7日") == "1989-01-07");
  CHECK(Date("昭和64年1月8日") == "error");
  CHECK(Date("平成31年4月30日") == "2019-04-30");
  CHECK(Date("平成31年5月1日") == "error");
  CHECK(Date("令和元年5月1日") == "2019-05-01");
  CHECK(Date("令和元年4月30日") == "error");
  CHECK(Date("R1.5.1") == "2019-05-01");
  CHECK(Date("昭和元年12月25日") == "1926-12-25");
  CHECK(Date("大正15年12月24日") == "1926-12-24");
  CHECK(Date("大正15年12月25日") == "error");
  CHECK(Date("大正元年7月30日") == "1912-07-30");
  CHECK(Date("明治45年7月29日") == "1912-07-29");
  CHECK(Date("明治45年7月30日") == "error");
  CHECK(Date("昭和0年1月1日") == "error");
  CHECK(Date("昭和65年1月1日") == "error");
}

TEST_CASE("NormalizeDate validates the calendar") {
  CHECK(Date("2000-02-29") == "2000-02-29");  // divisible by 400
  CHECK(Date("1900-02-29") == "error");       // divisible by 100 only
  CHECK(Date("2024-02-29") == "2024-02-29");
  CHECK(Date("2023-02-29") == "error");
  CHECK(Date("平成2年2月30日") == "error");
  CHECK(Date("1980-02-30") == "error");
  CHECK(Date("1980-04-31") == "error");
  CHECK(Date("1980-13-01") == "error");
  CHECK(Date("1980-00-10") == "error");
  CHECK(Date("1980-01-00") == "error");
  CHECK(Date("19800230") == "error");
  CHECK(Date("1867-12-31") == "error");  // before 1868
  CHECK(Date("2200-01-01") == "error");
}

TEST_CASE("NormalizeDate accepts year and year-month only when allow_partial") {
  CHECK(Date("1980", true) == "1980");
  CHECK(Date("1980-04", true) == "1980-04");
  CHECK(Date("1980/4", true) == "1980-04");
  CHECK(Date("1980年4月", true) == "1980-04");
  CHECK(Date("1980年", true) == "1980");
  CHECK(Date("昭和55年4月", true) == "1980-04");
  CHECK(Date("昭和55年", true) == "1980");
  CHECK(Date("S55", true) == "1980");
  CHECK(Date("平成元年1月", true) == "1989-01");  // 8..31 January is 平成
  CHECK(Date("昭和64年2月", true) == "error");
  CHECK(Date("1980-04-01", true) == "1980-04-01");
  CHECK(Date("1980-13", true) == "error");
  CHECK(Date("1980") == "error");
  CHECK(Date("1980-04") == "error");
  CHECK(Date("昭和55年4月") == "error");
}

TEST_CASE("NormalizeDate rejects other input without echoing it") {
  for (const char* text :
       {"", "   ", "abc", "80/4/1", "1980-04-01-02", "1980-4/1", "1980/4.1", "1980年4月1",
        "1980年4/1", "X55.4.1", "昭和55", "198004011", "1980-004-01", "令和", "19800401日",
        "1980\xff-04-01", "1980-04-01\xe5"}) {
    CAPTURE(text);
    const Result<std::string> date = NormalizeDate(text);
    REQUIRE_FALSE(date.ok());
    CHECK(date.error().code == ErrorCode::kInvalidArgument);
    CHECK(date.error().detail.find("1980") == std::string::npos);
    CHECK(date.error().detail.find("55") == std::string::npos);
    CHECK_FALSE(date.error().detail.empty());
  }
}

// --- FoldAddress --------------------------------------------------------------------------------

TEST_CASE("FoldAddress makes the usual spellings of one address equal") {
  const std::string expected = "東京都千代田区霞ヶ関1-2-3";
  for (const char* address :
       {"東京都千代田区霞が関１丁目２番３号", "東京都千代田区霞ヶ関1-2-3",
        "東京都千代田区霞ケ関一丁目2番3号", "東京都 千代田区　霞ヶ関 1－2－3",
        "東京都千代田区霞ｹ関1‐2‐3", "東京都千代田区霞ヵ関1ー2ー3", "東京都千代田区霞ガ関1丁目2-3",
        "東京都千代田区霞が関1−2−3", "東京都千代田区霞が関1ｰ2ｰ3", "東京都千代田区霞が関1—2—3-"}) {
    CAPTURE(address);
    CHECK(FoldAddress(address) == expected);
  }
}

TEST_CASE("FoldAddress converts kanji numerals before block markers") {
  CHECK(FoldAddress("三丁目") == "3");
  CHECK(FoldAddress("十丁目") == "10");
  CHECK(FoldAddress("二十三丁目") == "23");
  CHECK(FoldAddress("一〇丁目") == "10");
  CHECK(FoldAddress("百二十三番地") == "123");
  CHECK(FoldAddress("四谷三丁目五番六号") == "四谷3-5-6");
  CHECK(FoldAddress("一丁目二番三") == "1-2-3");  // last number after a marker
  CHECK(FoldAddress("札幌市中央区北一条西二丁目") == FoldAddress("札幌市中央区北1条西2丁目"));
  CHECK(FoldAddress("千代田区一番町5番地") == FoldAddress("千代田区1番町5"));
  CHECK(FoldAddress("三田一丁目") == "三田1");  // 三田 is a name, not a number
  CHECK(FoldAddress("千代田区") == "千代田区");
  CHECK(FoldAddress("九十九里町") == "九十九里町");
}

TEST_CASE("FoldAddress turns 丁目/番地/番/号 after a digit into dashes") {
  CHECK(FoldAddress("1丁目2番地3") == "1-2-3");
  CHECK(FoldAddress("1丁目2番3号") == "1-2-3");
  CHECK(FoldAddress("23番地の1") == "23-1");
  CHECK(FoldAddress("大字上野字北浦二十三番地の一") == "上野北浦23-1");
  CHECK(FoldAddress("1番町") == "1番町");  // 番 inside a name
  CHECK(FoldAddress("101号室") == "101号室");
  CHECK(FoldAddress("1丁目") == "1");  // trailing dash removed
  CHECK(FoldAddress("1--2") == "1-2");
}

TEST_CASE("FoldAddress keeps ー that is not after a digit") {
  CHECK(FoldAddress("コーポ山田101") == "コーポ山田101");
  CHECK(FoldAddress("ｺｰﾎﾟ山田") == "コーポ山田");
}

TEST_CASE("FoldAddress drops 大字 and 字") {
  CHECK(FoldAddress("茨城県つくば市大字上野字北浦123") == "茨城県つくば市上野北浦123");
  CHECK(FoldAddress("茨城県つくば市大字上野字北浦123") == FoldAddress("茨城県つくば市上野北浦123"));
}

TEST_CASE("FoldAddress folds ヶ and ノ only between kanji") {
  CHECK(FoldAddress("自由が丘") == FoldAddress("自由ヶ丘"));
  CHECK(FoldAddress("霞ヶ浦") == FoldAddress("霞ケ浦"));
  CHECK(FoldAddress("一ノ瀬") == "一の瀬");
  CHECK(FoldAddress("ひばりが丘") == "ひばりが丘");  // after kana: left alone
  CHECK(FoldAddress("ケーキ店") == "ケーキ店");
  CHECK(FoldAddress("ノースタワー") == "ノースタワー");
}

TEST_CASE("FoldAddress shares width kana and kanji folding with names") {
  CHECK(FoldAddress("長\ufa11市") == "長崎市");
  CHECK(FoldAddress("ＡＢＣﾊﾟｰｸ") == "abcパーク");
  CHECK(FoldAddress("葛\U000e0100飾区") == "葛飾区");
}

TEST_CASE("FoldAddress handles empty and invalid input") {
  CHECK(FoldAddress("") == "");
  CHECK(FoldAddress("　 ") == "");
  CHECK(FoldAddress("---") == "");
  CHECK(FoldAddress("霞が関\xff１\xe3-2") == "霞ヶ関1-2");
}

TEST_CASE("FoldAddress is idempotent") {
  for (const char* text : {"東京都千代田区霞が関１丁目２番３号", "二字丁目", "1の二丁目", "か字゛",
                           "1丁目ケ関", "大大字字", "一一一一一一一一一丁目"}) {
    CAPTURE(text);
    const std::string once = FoldAddress(text);
    CHECK(FoldAddress(once) == once);
  }
}

// Found by the fuzzer: FollowsBlockMarker skipped one dash, so "番----一" kept 一 on the first
// pass, the dashes collapsed to one, and the second pass converted it.
TEST_CASE("FoldAddress converts a last numeral after a marker and several dashes at once") {
  CHECK(FoldAddress("霞が関番----一") == "霞ヶ関番-1");
  CHECK(FoldAddress(FoldAddress("霞が関番----一")) == "霞ヶ関番-1");
}

}  // namespace
}  // namespace shelter::core
