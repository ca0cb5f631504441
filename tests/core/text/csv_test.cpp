// Tests for core/text/csv: RFC 4180 parsing, line numbers, limits, text decoding and the writer.
#include "core/text/csv.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace shelter::core {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRecord> MustParse(std::string_view text, const CsvLimits& limits = {}) {
  Result<std::vector<CsvRecord>> r = ParseCsv(text, limits);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().ToString()));
  return std::move(r).value();
}

Error MustFail(std::string_view text, const CsvLimits& limits = {}) {
  Result<std::vector<CsvRecord>> r = ParseCsv(text, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kParse);
  return r.error();
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("Csv: LF, CRLF and lone CR line ends, last line without a line end") {
  for (std::string_view eol : {"\n", "\r\n", "\r"}) {
    std::string text = "a,b" + std::string(eol) + "c,d" + std::string(eol) + "e,f";
    std::vector<CsvRecord> recs = MustParse(text);
    REQUIRE(recs.size() == 3);
    CHECK(recs[0].fields == Fields{"a", "b"});
    CHECK(recs[1].fields == Fields{"c", "d"});
    CHECK(recs[2].fields == Fields{"e", "f"});
    CHECK(recs[0].line == 1);
    CHECK(recs[1].line == 2);
    CHECK(recs[2].line == 3);
  }
}

TEST_CASE("Csv: blank lines are skipped but still counted") {
  std::vector<CsvRecord> recs = MustParse("\na\r\n\r\n\rb\n\n");
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].fields == Fields{"a"});
  CHECK(recs[0].line == 2);
  CHECK(recs[1].fields == Fields{"b"});
  CHECK(recs[1].line == 5);
}

TEST_CASE("Csv: empty fields and trailing comma") {
  std::vector<CsvRecord> recs = MustParse(",a,,\n\"\"\n");
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].fields == Fields{"", "a", "", ""});
  CHECK(recs[1].fields == Fields{""});  // a quoted empty field is a record, not a blank line
}

TEST_CASE("Csv: quoted fields with commas, escaped quotes and line ends") {
  std::string text =
      "id,note\r\n"
      "1,\"a, b\"\r\n"
      "2,\"say \"\"hi\"\"\"\r\n"
      "3,\"line one\r\nline two\nline three\rline four\"\r\n"
      "4,after\r\n";
  std::vector<CsvRecord> recs = MustParse(text);
  REQUIRE(recs.size() == 5);
  CHECK(recs[1].fields == Fields{"1", "a, b"});
  CHECK(recs[2].fields == Fields{"2", "say \"hi\""});
  CHECK(recs[3].fields == Fields{"3", "line one\r\nline two\nline three\rline four"});
  CHECK(recs[3].line == 4);
  CHECK(recs[4].line == 8);  // the quoted field spanned lines 4..7
  CHECK(recs[4].fields == Fields{"4", "after"});
}

TEST_CASE("Csv: a quote inside an unquoted field is kept literally") {
  std::vector<CsvRecord> recs = MustParse("5\"5,x\n");
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].fields == Fields{"5\"5", "x"});
}

TEST_CASE("Csv: unterminated quote is a parse error naming the line where it opened") {
  Error e = MustFail("a,b\nc,\"open\nstill open\n");
  CHECK(Contains(e.detail, "line 2"));
  CHECK(Contains(e.detail, "unterminated"));
  MustFail("\"");
}

TEST_CASE("Csv: text after a closing quote is a parse error with its line") {
  Error e = MustFail("a\n\"x\ny\"z,1\n");
  CHECK(Contains(e.detail, "line 3"));
  MustFail("\"x\" ,1");
}

TEST_CASE("Csv: NUL bytes are ordinary data for the parser") {
  std::vector<CsvRecord> recs = MustParse(std::string_view("a\0b,c\n", 6));
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].fields[0] == std::string("a\0b", 3));
}

TEST_CASE("Csv: 10,000 columns exceed the default 512-field limit") {
  std::string text = "h\n" + std::string(9999, ',') + "\n";
  Error e = MustFail(text);
  CHECK(Contains(e.detail, "line 2"));
  CHECK(Contains(e.detail, "512"));
  CHECK(MustParse(std::string(511, ',')).front().fields.size() == 512);
  MustFail(std::string(512, ','));
}

TEST_CASE("Csv: field size limit, quoted and unquoted") {
  std::string ok(64 * 1024, 'x');
  CHECK(MustParse(ok).front().fields[0].size() == ok.size());
  CHECK(MustParse("\"" + ok + "\"").front().fields[0].size() == ok.size());
  Error e = MustFail("a\n" + ok + "y");
  CHECK(Contains(e.detail, "line 2"));
  MustFail("\"" + ok + "y\"");
  // Escaped quotes count once: 64 Ki of them ("" pairs) exactly fill a field, one more does not.
  CHECK(MustParse("\"" + std::string(128 * 1024, '"') + "\"").front().fields[0].size() ==
        64 * 1024);
  MustFail("\"" + std::string(128 * 1024 + 2, '"') + "\"");
}

TEST_CASE("Csv: record and total-field limits") {
  CsvLimits limits;
  limits.max_records = 3;
  MustParse("a\nb\nc\n", limits);
  Error e = MustFail("a\nb\nc\nd\n", limits);
  CHECK(Contains(e.detail, "line 4"));

  CsvLimits cells;
  cells.max_total_fields = 5;
  MustParse("a,b\nc,d\ne", cells);
  MustFail("a,b\nc,d\ne,f", cells);
}

TEST_CASE("Csv: the default record limit is one million") {
  std::string text;
  text.reserve(2'000'002);
  for (int i = 0; i < 1'000'000; ++i) text += "1\n";
  CHECK(MustParse(text).size() == 1'000'000);
  text += "1\n";
  Error e = MustFail(text);
  CHECK(Contains(e.detail, "line 1000001"));
}

TEST_CASE("Csv: DecodeTextFile keeps UTF-8 and strips the BOM") {
  CHECK(*DecodeTextFile("") == "");
  CHECK(*DecodeTextFile("名称,住所\n") == "名称,住所\n");
  CHECK(*DecodeTextFile("\xEF\xBB\xBF名称\n") == "名称\n");
  CHECK(*DecodeTextFile("\xEF\xBB\xBF") == "");
}

TEST_CASE("Csv: DecodeTextFile converts Shift_JIS (CP932)") {
  // "避難所,ｶﾅ\r\n" in CP932: 避=0x94F0 難=0x93EF 所=0x8F8A, half-width katakana 0xB6 0xC5.
  Result<std::string> r = DecodeTextFile("\x94\xF0\x93\xEF\x8F\x8A,\xB6\xC5\r\n");
  REQUIRE(r.ok());
  CHECK(*r == "避難所,ｶﾅ\r\n");
  // CP932 extensions (NEC row 13): ① is 0x8740.
  CHECK(*DecodeTextFile("\x87\x40") == "①");
  // An overlong UTF-8 form is not UTF-8 but is valid CP932 (two half-width katakana).
  CHECK(*DecodeTextFile("\xC0\xAF") == "ﾀｯ");
}

TEST_CASE("Csv: DecodeTextFile rejects bytes that are neither UTF-8 nor Shift_JIS") {
  for (std::string_view bad : {std::string_view("\x81\x20"), std::string_view("\xFF\xFE"),
                               std::string_view("ok,\x80"), std::string_view("abc\x82"),
                               std::string_view("\xA0"), std::string_view("\xEF\xBB\xBF\xFF")}) {
    Result<std::string> r = DecodeTextFile(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
    CHECK(r.error().detail == "file is neither UTF-8 nor Shift_JIS");
  }
}

TEST_CASE("Csv: DecodeTextFile rejects NUL bytes (UTF-16 or binary files)") {
  // "a,b" in UTF-16LE with BOM, and a NUL inside otherwise valid UTF-8.
  for (std::string_view bad : {std::string_view("\xFF\xFE"
                                                "a\0,\0b\0",
                                                8),
                               std::string_view("a,b\0\n", 5)}) {
    Result<std::string> r = DecodeTextFile(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
    CHECK(Contains(r.error().detail, "NUL"));
  }
}

TEST_CASE("Csv: EncodeCsvField quotes only when needed") {
  CHECK(EncodeCsvField("") == "");
  CHECK(EncodeCsvField("避難所") == "避難所");
  CHECK(EncodeCsvField("a,b") == "\"a,b\"");
  CHECK(EncodeCsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(EncodeCsvField("two\nlines") == "\"two\nlines\"");
  CHECK(EncodeCsvField("cr\r") == "\"cr\r\"");
  CHECK(EncodeCsvField(" padded") == "\" padded\"");
  CHECK(CsvLine({"a", "b,c", ""}) == "a,\"b,c\",\r\n");
  CHECK(CsvLine({""}) == "\"\"\r\n");
}

TEST_CASE("Csv: CsvLine output reads back to the same fields") {
  std::vector<Fields> rows = {{"id", "名称", "備考"},
                              {"1", "a, b", "say \"hi\""},
                              {""},
                              {"2", "line\r\nbreak", " x "},
                              {"", "", ""}};
  std::string text;
  for (const Fields& f : rows) text += CsvLine(f);
  std::vector<CsvRecord> recs = MustParse(text);
  REQUIRE(recs.size() == rows.size());
  for (size_t i = 0; i < rows.size(); ++i) CHECK(recs[i].fields == rows[i]);
  CHECK(recs[4].line == 6);
}

TEST_CASE("Csv: export cells that a spreadsheet would run as a formula are neutralised") {
  // OWASP CSV injection: = + - @ tab CR at the start get a leading single quote.
  CHECK(NeutralizeCsvCell("=HYPERLINK(\"http://x\",\"y\")") == "'=HYPERLINK(\"http://x\",\"y\")");
  CHECK(NeutralizeCsvCell("+81 3") == "'+81 3");
  CHECK(NeutralizeCsvCell("-1+1") == "'-1+1");
  CHECK(NeutralizeCsvCell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(NeutralizeCsvCell("\t=1") == "'\t=1");
  CHECK(NeutralizeCsvCell("\r=1") == "'\r=1");
  CHECK(NeutralizeCsvCell("山田 =1") == "山田 =1");
  CHECK(NeutralizeCsvCell("") == "");
  CHECK(CsvLine({"=1+1", "ok", "@x"}) == "'=1+1,ok,'@x\r\n");
  CHECK(CsvLine({"\r=cmd"}) == "\"'\r=cmd\"\r\n");
  std::vector<CsvRecord> recs = MustParse(CsvLine({"-2", "=A1", "x"}));
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].fields == Fields{"'-2", "'=A1", "x"});
}

}  // namespace
}  // namespace shelter::core
