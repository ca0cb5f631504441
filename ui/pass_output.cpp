// One pass per print: the sheet's first cell holds it (name and shelter under the code).
#include "ui/pass_output.hpp"

#include <filesystem>

#include "core/base/private_file.hpp"
#include "core/ops/master_data.hpp"
#include "core/ops/registration.hpp"
#include "platform/pass_sheet.hpp"

namespace shelter::ui {

using core::ErrorCode;
using core::MakeError;

PassOutputDevice::PassOutputDevice(core::Node& node, std::unique_ptr<platform::Printer> printer,
                                   PassOutputOptions options)
    : node_(node), printer_(std::move(printer)), options_(std::move(options)) {}

core::Result<PassOutput> PassOutputDevice::Print(const core::Person& person,
                                                 const core::Household& household) {
  SHELTER_ASSIGN_OR_RETURN(std::string text, core::IssueShelterPass(node_, person.id));
  platform::PassSheetOptions sheet;
  core::Id16 shelter = household.shelter.IsZero() ? node_.home_scope() : household.shelter;
  if (auto info = core::FindShelter(node_, shelter.Hex()); info.ok()) sheet.label = info->name;
  SHELTER_ASSIGN_OR_RETURN(
      auto pages,
      platform::RenderPassSheet({{text, person.name.empty() ? person.kana : person.name}}, sheet));
  SHELTER_ASSIGN_OR_RETURN(core::Bytes pdf, platform::PassSheetPdf(pages, sheet.dpi));

  // A pass names its holder: a 0600 file in a 0700 folder.
  if (!core::MakePrivateDir(options_.pdf_dir).ok())
    return MakeError(ErrorCode::kIo, "cannot create the pass folder");
  const std::string path =
      (std::filesystem::path(options_.pdf_dir) / ("pass-" + person.id.Hex().substr(0, 8) + ".pdf"))
          .string();
  if (!core::WritePrivateFile(path, core::View(pdf)).ok())
    return MakeError(ErrorCode::kIo, "cannot write the pass PDF");
  if (options_.use_printer && printer_) {
    std::string name = options_.printer;
    if (name.empty())
      if (auto d = printer_->DefaultPrinter(); d.ok()) name = *d;
    if (!name.empty()) {
      auto job = printer_->PrintPdf(path, name);
      if (!job.ok()) return job.error();
      return PassOutput{true, name};
    }
  }
  return PassOutput{false, path};
}

}  // namespace shelter::ui
