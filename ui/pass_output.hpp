// The app's pass printer adapter: a new signed JSP1 pass for one person (core), laid out as the
// pass sheet (platform, cairo) and written as a PDF; sent to the printer with `lp` when one is
// configured, else kept as a file the staff are told about. UI thread (rendering takes a moment).
#pragma once

#include <string>
#include <vector>

#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "platform/printer.hpp"
#include "ui/devices.hpp"

namespace shelter::ui {

struct PassOutputOptions {
  std::string pdf_dir;  // where the PDFs are written (created when missing)
  std::string printer;  // a printer name; empty: the system default, if there is one
  bool use_printer = true;
};

class PassOutputDevice {
 public:
  PassOutputDevice(core::Node& node, std::unique_ptr<platform::Printer> printer,
                   PassOutputOptions options);
  // One sheet with a pass for each of `persons` (eight to an A4 page). kNotFound for a person
  // that is not stored; the errors of rendering, writing or `lp`.
  core::Result<PassOutput> Print(const std::vector<core::Person>& persons,
                                 const core::Household& household);

 private:
  core::Node& node_;
  std::unique_ptr<platform::Printer> printer_;
  PassOutputOptions options_;
};

}  // namespace shelter::ui
