// shelterctl qr ...: QR images without a data directory. `encode` writes one code as PNG,
// `decode` prints the text of every code in image files, `sheet` prints passes on A4 pages
// (300 dpi PNG, or one PDF). `pass sheet` (with a data directory) issues a household's passes and
// prints them the same way.
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "core/base/private_file.hpp"
#include "core/codec/image_io.hpp"
#include "core/codec/qr_code.hpp"
#include "core/formats/certificate.hpp"
#include "core/ops/households.hpp"
#include "core/ops/master_data.hpp"
#include "core/ops/registration.hpp"
#include "platform/pass_sheet.hpp"
#include "platform/printer.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

using core::ErrorCode;
using core::MakeError;

namespace {

Result<core::QrEcc> ParseEcc(const Args& args, core::QrEcc fallback) {
  auto ecc = args.Opt("ecc");
  if (!ecc) return fallback;
  if (*ecc == "L") return core::QrEcc::kL;
  if (*ecc == "M") return core::QrEcc::kM;
  if (*ecc == "Q") return core::QrEcc::kQ;
  if (*ecc == "H") return core::QrEcc::kH;
  return MakeError(ErrorCode::kInvalidArgument, "--ecc must be L, M, Q or H");
}

Result<int> ParseInt(const Args& args, const std::string& name, int fallback, int lo, int hi) {
  auto v = args.Opt(name);
  if (!v) return fallback;
  try {
    size_t used = 0;
    int n = std::stoi(*v, &used);
    if (used == v->size() && n >= lo && n <= hi) return n;
  } catch (...) {
  }
  return MakeError(
      ErrorCode::kInvalidArgument,
      "--" + name + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi));
}

Result<std::string> OutputPath(const Args& args) {
  auto out = args.Opt("o");
  if (!out || out->empty()) return MakeError(ErrorCode::kInvalidArgument, "missing -o FILE.png");
  return *out;
}

bool EndsWith(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// "sheet.png" -> "sheet-2.png" for the second page.
std::string PageName(const std::string& path, size_t page) {
  if (page == 0) return path;
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) dot = path.size();
  return path.substr(0, dot) + "-" + std::to_string(page + 1) + path.substr(dot);
}

// The sheet as one PDF (-o FILE.pdf, mode 0600) or one PNG per page (0600 with `private_files`,
// for passes that name their holders). Prints the files written.
Status WriteSheet(Context& ctx, const std::vector<platform::PassEntry>& passes,
                  const platform::PassSheetOptions& options, const std::string& out,
                  bool private_files) {
  json written = json::array();
  std::string text;
  if (EndsWith(out, ".pdf")) {
    auto pdf = platform::PassSheetPdf(passes, options);
    platform::ReleaseRenderCaches();  // one render per process
    SHELTER_ASSIGN_OR_RETURN(core::Bytes bytes, std::move(pdf));
    SHELTER_TRY(core::WritePrivateFile(out, core::View(bytes)));
    written.push_back(out);
    text = out + "\n";
  } else {
    auto rendered = platform::RenderPassSheet(passes, options);
    platform::ReleaseRenderCaches();
    SHELTER_ASSIGN_OR_RETURN(auto pages, std::move(rendered));
    for (size_t p = 0; p < pages.size(); ++p) {
      const std::string name = PageName(out, p);
      if (private_files) {
        SHELTER_ASSIGN_OR_RETURN(core::Bytes png, core::EncodePng(pages[p].view(), options.dpi));
        SHELTER_TRY(core::WritePrivateFile(name, core::View(png)));
      } else {
        SHELTER_TRY(core::WritePngFile(name, pages[p].view(), options.dpi));
      }
      written.push_back(name);
      text += name + "\n";
    }
  }
  Emit(ctx, json{{"files", written}, {"passes", passes.size()}}, text);
  return core::Ok();
}

}  // namespace

Status CmdQrEncode(Context& ctx) {
  auto& pos = ctx.args.positional;
  if (pos.size() != 1) return MakeError(ErrorCode::kInvalidArgument, "qr encode takes one TEXT");
  SHELTER_ASSIGN_OR_RETURN(std::string out, OutputPath(ctx.args));
  SHELTER_ASSIGN_OR_RETURN(core::QrEcc ecc, ParseEcc(ctx.args, core::QrEcc::kM));
  SHELTER_ASSIGN_OR_RETURN(int scale, ParseInt(ctx.args, "scale", 8, 1, 100));
  SHELTER_ASSIGN_OR_RETURN(core::QrSymbol symbol, core::EncodeQr(pos[0], ecc));
  core::GrayImage img = core::RenderQr(symbol, scale);
  SHELTER_TRY(core::WritePngFile(out, img.view()));
  Emit(ctx, json{{"file", out}, {"version", symbol.version}, {"pixels", img.width}},
       out + ": version " + std::to_string(symbol.version) + ", " + std::to_string(img.width) +
           "x" + std::to_string(img.height) + " px\n");
  return core::Ok();
}

Status CmdQrDecode(Context& ctx) {
  auto& files = ctx.args.positional;
  if (files.empty()) return MakeError(ErrorCode::kInvalidArgument, "qr decode needs IMAGE files");
  json list = json::array();
  size_t failed = 0;
  for (const auto& file : files) {
    auto img = core::ReadImageFile(file);
    std::vector<core::QrRead> found;
    core::QrDecodeOptions options;  // a file is read once: spend the time on tiny codes too
    options.try_upscaled = true;
    if (ctx.args.Flag("fast")) {
      // As the app's camera reads 5 frames of 6: ZXing's own pass only, no retries.
      options = core::QrDecodeOptions{};
      options.try_inverted = options.try_global_threshold = options.try_sharpened = false;
    }
    if (img.ok()) found = core::DecodeQr(img->view(), options);
    if (!img.ok() || found.empty()) {
      ++failed;
      const std::string why = img.ok() ? file + ": no QR code found" : img.error().detail;
      std::fprintf(stderr, "error: %s\n", why.c_str());
      list.push_back({{"file", file}, {"error", why}});
      continue;
    }
    for (const auto& r : found) {
      json corners = json::array();
      for (const auto& c : r.corners) corners.push_back({c[0], c[1]});
      list.push_back({{"file", file}, {"text", r.text}, {"corners", corners}});
      if (!ctx.json) std::cout << r.text << "\n";
    }
  }
  if (ctx.json) std::cout << list.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  std::cout.flush();
  if (failed == 0) return core::Ok();
  // The list above already carries the errors; keep stdout one JSON document.
  ctx.json = false;
  return MakeError(ErrorCode::kNotFound, "no QR code read from " + std::to_string(failed) + " of " +
                                             std::to_string(files.size()) + " files");
}

Status CmdQrSheet(Context& ctx) {
  auto& texts = ctx.args.positional;
  if (texts.empty())
    return MakeError(ErrorCode::kInvalidArgument, "qr sheet needs TEXT for each pass");
  SHELTER_ASSIGN_OR_RETURN(std::string out, OutputPath(ctx.args));
  platform::PassSheetOptions options;
  SHELTER_ASSIGN_OR_RETURN(options.ecc, ParseEcc(ctx.args, core::QrEcc::kQ));
  SHELTER_ASSIGN_OR_RETURN(options.dpi, ParseInt(ctx.args, "dpi", 300, 72, 1200));
  options.label = ctx.args.Opt("label").value_or("");
  std::vector<std::string> names;
  if (auto list = ctx.args.Opt("names")) {
    size_t start = 0;
    for (;;) {
      size_t bar = list->find('|', start);
      names.push_back(list->substr(start, bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    if (names.size() > texts.size())
      return MakeError(ErrorCode::kInvalidArgument, "--names has more names than passes");
  }
  std::vector<platform::PassEntry> passes;
  for (size_t i = 0; i < texts.size(); ++i)
    passes.push_back({texts[i], i < names.size() ? names[i] : ""});
  return WriteSheet(ctx, passes, options, out, false);
}

Status CmdPassSheet(Context& ctx) {
  auto id = ctx.args.Opt("household");
  if (!id) return MakeError(ErrorCode::kInvalidArgument, "pass sheet needs --household ID");
  SHELTER_ASSIGN_OR_RETURN(core::Id16 household_id, core::Id16::FromHex(*id));
  SHELTER_ASSIGN_OR_RETURN(std::string out, OutputPath(ctx.args));
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Household household, core::LoadHousehold(*node, household_id));
  const core::Id16 shelter = household.shelter.IsZero() ? node->home_scope() : household.shelter;
  std::string shelter_name;
  if (auto info = core::FindShelter(*node, shelter.Hex()); info.ok()) shelter_name = info->name;
  const std::string today = core::DateIntToIso(core::DateIntFromUnix(std::time(nullptr)));
  std::vector<platform::PassEntry> passes;
  for (const auto& person : household.members) {
    SHELTER_ASSIGN_OR_RETURN(std::string text, core::IssueShelterPass(*node, person.id));
    passes.push_back(platform::PassEntryFor(std::move(text), person, shelter_name, today));
  }
  platform::PassSheetOptions options;
  SHELTER_ASSIGN_OR_RETURN(options.dpi, ParseInt(ctx.args, "dpi", 300, 72, 1200));
  // The sheet names every member: a private file, like the app's.
  return WriteSheet(ctx, passes, options, out, true);
}

}  // namespace shelter::tools
