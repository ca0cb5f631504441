// shelterctl report: the shelter's signed JSR1 status report (core/ops/status_report_build), as
// text, as SMS parts (--parts), as JSON with its counts, and as a QR image (-o FILE.png).
#include <iostream>
#include <string>

#include "core/codec/image_io.hpp"
#include "core/model/entities.hpp"
#include "core/ops/status_report_build.hpp"
#include "tools/shelterctl/cli.hpp"

namespace shelter::tools {

namespace {

constexpr int kPngModulePx = 8;  // a printed or forwarded image, not the tablet's screen

json CountsJson(const core::StatusReport& r) {
  json needs = json::object();
  for (auto& [code, n] : r.needs) needs[code] = n;
  json ages = json::array();
  for (int64_t a : r.ages) ages.push_back(a);
  // The place counts carry the names `shelterctl counts --json` uses.
  return {{"persons", r.in_shelter + r.out + r.at_home + r.in_car + r.elsewhere + r.never_arrived},
          {"in_shelter", r.in_shelter},
          {"out", r.out},
          {"at_home", r.at_home},
          {"in_car", r.in_car},
          {"elsewhere", r.elsewhere},
          {"not_arrived", r.never_arrived},
          {"households_in_shelter", r.households},
          {"male", r.male},
          {"female", r.female},
          {"sex_other", r.sex_other},
          {"ages", ages},
          {"needs", needs}};
}

}  // namespace

Status CmdReport(Context& ctx) {
  SHELTER_ASSIGN_OR_RETURN(auto node, ctx.OpenAndLogin());
  SHELTER_ASSIGN_OR_RETURN(core::Id16 shelter, ShelterOption(ctx, *node, true));
  SHELTER_ASSIGN_OR_RETURN(core::BuiltStatusReport built, core::BuildStatusReport(*node, shelter));
  if (auto out = ctx.args.Opt("o")) {
    core::GrayImage img = core::RenderQr(built.qr, kPngModulePx);
    SHELTER_TRY(core::WritePngFile(*out, img.view()));
    std::cerr << *out << ": QR version " << built.qr.version << ", " << img.width << "x"
              << img.height << " px\n";
  }
  std::string text = built.text + "\n";
  if (ctx.args.Flag("parts")) {
    text.clear();
    for (auto& p : built.parts) text += p + "\n";
  }
  Emit(ctx,
       {{"text", built.text},
        {"shelter", built.report.shelter.Hex()},
        {"as_of", built.report.as_of_s},
        {"open", built.report.open},
        {"capacity", built.report.capacity},
        {"qr_version", built.qr.version},
        {"counts", CountsJson(built.report)},
        {"parts", built.parts}},
       text);
  return core::Ok();
}

}  // namespace shelter::tools
