// Passes as one sheet: each with the name, kana, birth date, shelter and issue date beside its
// code.
#include "ui/pass_output.hpp"

#include <ctime>
#include <filesystem>

#include "core/base/private_file.hpp"
#include "core/formats/certificate.hpp"
#include "core/ops/master_data.hpp"
#include "core/ops/registration.hpp"
#include "platform/pass_sheet.hpp"

namespace shelter::ui {

using core::ErrorCode;
using core::MakeError;

PassOutputDevice::PassOutputDevice(core::Node& node, std::unique_ptr<platform::Printer> printer,
                                   PassOutputOptions options)
    : node_(node), printer_(std::move(printer)), options_(std::move(options)) {}

core::Result<PassOutput> PassOutputDevice::Print(const std::vector<core::Person>& persons,
                                                 const core::Household& household) {
  if (persons.empty()) return MakeError(ErrorCode::kInvalidArgument, "no one to print a pass for");
  platform::PassSheetOptions sheet;
  core::Id16 shelter = household.shelter.IsZero() ? node_.home_scope() : household.shelter;
  std::string shelter_name;
  if (auto info = core::FindShelter(node_, shelter.Hex()); info.ok()) shelter_name = info->name;
  const std::string today = core::DateIntToIso(core::DateIntFromUnix(std::time(nullptr)));
  std::vector<platform::PassEntry> passes;
  for (const auto& person : persons) {
    SHELTER_ASSIGN_OR_RETURN(std::string text, core::IssueShelterPass(node_, person.id));
    passes.push_back(platform::PassEntryFor(std::move(text), person, shelter_name, today));
  }
  SHELTER_ASSIGN_OR_RETURN(core::Bytes pdf, platform::PassSheetPdf(passes, sheet));
  const core::Person& person = persons.front();

  // A pass names its holder: a 0600 file in a 0700 folder.
  if (!core::MakePrivateDir(options_.pdf_dir).ok())
    return MakeError(ErrorCode::kIo, "cannot create the pass folder");
  const std::string path =
      (std::filesystem::path(options_.pdf_dir) /
       ("pass-" + (persons.size() > 1 ? household.id : person.id).Hex().substr(0, 8) + ".pdf"))
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
