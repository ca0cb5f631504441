// Certificates as A4 PDF through cairo's PDF surface. Text uses cairo's font selection (fontconfig
// → FreeType) with Noto Sans CJK JP; cairo embeds the used subset with a ToUnicode map, so
// pdftotext and screen readers get the Japanese text back.
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <string>
#include <vector>

#include "core/codec/qr_code.hpp"
#include "platform/printer.hpp"

namespace shelter::platform {
namespace {

using core::CertType;
using core::ErrorCode;
using core::MakeError;

constexpr double kPageW = 595.28, kPageH = 841.89;  // A4 in points
constexpr double kLeft = 56, kRight = kPageW - 56;
constexpr double kLabelW = 150;
constexpr const char* kFont = "Noto Sans CJK JP";
constexpr double kQrModulePt =
    1.85;  // 0.65 mm per module: V15-Q prints about 55 mm with its quiet zone

bool FontInstalled() {
  FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(kFont));
  if (!pat) return false;
  FcConfigSubstitute(nullptr, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern* match = FcFontMatch(nullptr, pat, &res);
  bool ok = false;
  if (match) {
    FcChar8* family = nullptr;
    for (int i = 0; !ok && FcPatternGetString(match, FC_FAMILY, i, &family) == FcResultMatch; ++i)
      ok = std::string(reinterpret_cast<char*>(family)) == kFont;
    FcPatternDestroy(match);
  }
  FcPatternDestroy(pat);
  return ok;
}

cairo_status_t AppendToBytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<core::Bytes*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

class Page {
 public:
  explicit Page(cairo_t* cr) : cr_(cr) {
    cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_line_width(cr_, 0.8);
  }
  enum Align { kLeftAlign, kCenter, kRightAlign };

  // Draws text with its baseline at y, shrinking the font until it fits max_w.
  void Text(double x, double y, double size, const std::string& s, Align align = kLeftAlign,
            double max_w = 0) {
    cairo_text_extents_t e;
    cairo_set_font_size(cr_, size);
    cairo_text_extents(cr_, s.c_str(), &e);
    while (max_w > 0 && e.x_advance > max_w && size > 6) {
      size -= 0.5;
      cairo_set_font_size(cr_, size);
      cairo_text_extents(cr_, s.c_str(), &e);
    }
    double dx = align == kCenter ? -e.x_advance / 2 : align == kRightAlign ? -e.x_advance : 0;
    cairo_move_to(cr_, x + dx, y);
    cairo_show_text(cr_, s.c_str());
  }
  void Box(double x, double y, double w, double h) {
    cairo_rectangle(cr_, x, y, w, h);
    cairo_stroke(cr_);
  }
  // One row of the form: label cell and value cell; returns the next row's top.
  double Row(double top, double h, const std::string& label, const std::string& value) {
    Box(kLeft, top, kLabelW, h);
    Box(kLeft + kLabelW, top, kRight - kLeft - kLabelW, h);
    Text(kLeft + 8, top + h / 2 + 4.5, 11, label, kLeftAlign, kLabelW - 16);
    if (!value.empty())
      Text(kLeft + kLabelW + 10, top + h / 2 + 5, 13, value, kLeftAlign,
           kRight - kLeft - kLabelW - 20);
    return top + h;
  }
  // A row whose value is a list of choices with the chosen one marked (■) and framed.
  double ChoiceRow(double top, const std::string& label, const std::vector<std::string>& choices,
                   int chosen, int per_line) {
    int lines = (static_cast<int>(choices.size()) + per_line - 1) / per_line;
    double h = 16 + 22.0 * lines;
    Row(top, h, label, "");
    double col_w = (kRight - kLeft - kLabelW - 20) / per_line;
    for (size_t i = 0; i < choices.size(); ++i) {
      double x = kLeft + kLabelW + 10 + col_w * (i % per_line);
      double y = top + 8 + 22.0 * (i / per_line) + 15;
      bool on = static_cast<int>(i) == chosen;
      Text(x, y, 11, (on ? "■ " : "□ ") + choices[i], kLeftAlign, col_w - 6);
      if (on) Box(x - 3, y - 14, col_w - 4, 19);
    }
    return top + h;
  }
  void Qr(const core::QrSymbol& q, double x, double y) {
    cairo_save(cr_);
    cairo_set_antialias(cr_, CAIRO_ANTIALIAS_NONE);
    for (int r = 0; r < q.size; ++r)
      for (int c = 0; c < q.size;) {
        if (!q.Dark(c, r)) {
          ++c;
          continue;
        }
        int run = c;
        while (run < q.size && q.Dark(run, r)) ++run;
        cairo_rectangle(cr_, x + c * kQrModulePt, y + r * kQrModulePt, (run - c) * kQrModulePt,
                        kQrModulePt);
        c = run;
      }
    cairo_fill(cr_);
    cairo_restore(cr_);
  }

 private:
  cairo_t* cr_;
};

std::string Cause(const core::CertificateClaims& c) {
  if (c.disaster.empty()) return "";
  return c.disaster + "（" + core::DateIntToJapanese(c.disaster_date) + "）による";
}

void DrawBody(Page& p, const CertificatePage& page, double& y) {
  const core::CertificateClaims& c = page.claims;
  std::string members;
  for (auto& m : c.members) members += (members.empty() ? "" : "、") + m;
  switch (c.type) {
    case CertType::kRisai: {
      y = p.Row(y, 40, "世帯主住所", c.head_address);
      y = p.Row(y, 40, "世帯主氏名", c.head_name);
      y = p.Row(y, 40, "罹災原因", Cause(c));
      y = p.Row(y, 40, "被災住家※の所在地", c.site);
      std::vector<std::string> levels;
      for (int i = 0; i <= 5; ++i)
        levels.push_back(core::DamageLevelJapanese(static_cast<core::DamageLevel>(i)));
      levels.back() = "準半壊に至らない（一部損壊）";
      y = p.ChoiceRow(y, "住家※の被害の程度", levels, c.level ? static_cast<int>(*c.level) : -1, 2);
      y = p.ChoiceRow(y, "浸水区分", {"床上浸水", "床下浸水"}, static_cast<int>(c.flood) - 1, 3);
      y = p.Row(y, 40, "追加記載事項", members.empty() ? "" : "世帯構成員：" + members);
      break;
    }
    case CertType::kHisai:
      y = p.Row(y, 40, "世帯主住所", c.head_address);
      y = p.Row(y, 40, "世帯主氏名", c.head_name);
      y = p.Row(y, 40, "罹災原因", Cause(c));
      y = p.Row(y, 40, "被災場所", c.site);
      y = p.Row(y, 56, "被害の状況", c.damage_note);
      y = p.Row(y, 40, "追加記載事項", members.empty() ? "" : "世帯構成員：" + members);
      break;
    case CertType::kHinan: {
      std::string period = core::DateIntToJapanese(c.stay_from) + " から " +
                           (c.stay_to ? core::DateIntToJapanese(c.stay_to) + " まで"
                                      : std::string("現在まで（避難中）"));
      y = p.Row(y, 40, "氏名（世帯主）", c.head_name);
      y = p.Row(y, 40, "住所", c.head_address);
      y = p.Row(y, 40, "避難先", c.shelter_name);
      y = p.Row(y, 40, "避難期間", period);
      y = p.Row(y, 40, "罹災原因", Cause(c));
      y = p.Row(y, 40, "同行の世帯員", members);
      break;
    }
  }
}

}  // namespace

core::Result<core::Bytes> RenderCertificatePdf(const CertificatePage& page) {
  static const bool kFontOk = FontInstalled();  // fontconfig's answer does not change while we run
  if (!kFontOk)
    return MakeError(ErrorCode::kNotFound,
                     std::string("font '") + kFont + "' is not installed (fonts-noto-cjk)");
  SHELTER_ASSIGN_OR_RETURN(core::QrSymbol qr, core::EncodeQr(page.jdv1, core::QrEcc::kQ));
  const core::CertificateClaims& c = page.claims;
  core::Bytes out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(AppendToBytes, &out, kPageW, kPageH);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, core::CertTypeJapanese(c.type));
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "shelterkit");
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0, 0, 0);
  Page p(cr);

  p.Text(kRight, 72, 11, "第 " + c.serial + " 号", Page::kRightAlign);
  if (c.issue_no > 1)
    p.Text(kRight, 88, 9, "（再交付・第" + std::to_string(c.issue_no) + "版）", Page::kRightAlign);
  p.Text(kPageW / 2, 130, 26, core::CertTypeJapanese(c.type), Page::kCenter);
  double y = 165;
  DrawBody(p, page, y);
  y += 34;
  p.Text(kLeft, y, 12,
         c.type == CertType::kHinan ? "上記の者が上記の期間、避難所に避難していたことを証明します。"
                                    : "上記のとおり相違ないことを証明します。");
  y += 30;
  p.Text(kLeft + 20, y, 12, "証明日　" + core::DateIntToJapanese(c.certified_on));
  y += 34;
  // The issuer as signed: 千代田区（団体コード 131016）above 千代田区長 and the seal.
  std::string municipality = c.municipality_name.empty()
                                 ? "団体コード " + c.issuer_code
                                 : c.municipality_name + "（団体コード " + c.issuer_code + "）";
  p.Text(kRight - 48, y - 20, 10, municipality, Page::kRightAlign);
  p.Text(kRight - 48, y, 14, c.issuer_name.empty() ? c.municipality_name : c.issuer_name,
         Page::kRightAlign);
  p.Box(kRight - 36, y - 22, 30, 30);
  p.Text(kRight - 21, y - 2, 12, "印", Page::kCenter);
  if (c.type != CertType::kHinan) {
    y += 26;
    p.Text(kLeft, y, 9, "※ 住家：現実に居住のため使用している建物をいう。");
  }

  double qr_side = qr.size * kQrModulePt;
  double qr_x = kLeft + 4 * kQrModulePt, qr_y = kPageH - 60 - qr_side;
  p.Qr(qr, qr_x, qr_y);
  double tx = qr_x + qr_side + 6 * kQrModulePt;
  p.Text(tx, qr_y + 16, 10, "この二次元コードで記載内容と発行元を確認できます。");
  p.Text(tx, qr_y + 32, 10, "（JDV1 署名付き証明データ、団体コード " + c.issuer_code + "）");
  p.Text(tx, qr_y + 48, 10,
         "整理番号 " + c.serial +
             (c.issue_no > 1 ? "（第" + std::to_string(c.issue_no) + "版）" : ""));
  // How to verify: the page the municipality named in its trust list (one line, the address
  // unbroken so that it can be typed or found again by pdftotext).
  if (!page.verify_url.empty()) {
    p.Text(tx, qr_y + 72, 10, "確認方法: 次のページでこのコードを読み取ってください。",
           Page::kLeftAlign, kRight - tx);
    p.Text(tx, qr_y + 88, 10, page.verify_url, Page::kLeftAlign, kRight - tx);
  } else {
    p.Text(tx, qr_y + 72, 10, "確認方法: 自治体の証明書確認アプリで読み取ってください。",
           Page::kLeftAlign, kRight - tx);
  }

  cairo_show_page(cr);
  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (st != CAIRO_STATUS_SUCCESS)
    return MakeError(ErrorCode::kInternal, std::string("cairo: ") + cairo_status_to_string(st));
  return out;
}

void ReleaseRenderCaches() {
  cairo_debug_reset_static_data();
  FcFini();
}

}  // namespace shelter::platform
