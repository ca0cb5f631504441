// Certificate input from files; PDF pages go through `pdftoppm` (poppler-utils), started with
// posix_spawnp (no shell) into a private temporary directory that is removed afterwards.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "core/codec/image_io.hpp"
#include "core/codec/qr_code.hpp"
#include "core/formats/certificate.hpp"
#include "platform/certificate_input.hpp"

extern char** environ;

namespace shelter::platform {

namespace {

using core::ErrorCode;
using core::MakeError;
namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const char* ext) {
  std::string e = ext;
  if (s.size() < e.size()) return false;
  for (size_t i = 0; i < e.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - e.size() + i])) != e[i]) return false;
  return true;
}

core::Result<core::GrayImage> RasterizePdf(const std::string& pdf) {
  std::error_code ec;
  fs::path dir = fs::temp_directory_path(ec);
  std::string tmpl = ((ec ? fs::path("/tmp") : dir) / "shelter-verify-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return MakeError(ErrorCode::kIo, "cannot make a temporary directory");
  std::string prefix = tmpl + "/page";
  std::vector<std::string> args = {"pdftoppm", "-gray", "-r",          "200", "-f",  "1",
                                   "-l",       "1",     "-singlefile", pdf,   prefix};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, "pdftoppm", nullptr, nullptr, argv.data(), environ) != 0) {
    fs::remove_all(tmpl, ec);
    return MakeError(ErrorCode::kNotFound, "pdftoppm is not installed (poppler-utils)");
  }
  int status = 0;
  waitpid(pid, &status, 0);
  core::Result<core::GrayImage> img =
      MakeError(ErrorCode::kParse, "pdftoppm could not read the PDF");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) img = core::ReadImageFile(prefix + ".pgm");
  fs::remove_all(tmpl, ec);
  return img;
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

core::Result<std::string> ReadCertificateFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return MakeError(ErrorCode::kNotFound, "no such file: " + path);
  bool pdf = EndsWith(path, ".pdf");
  if (pdf || EndsWith(path, ".pgm") || EndsWith(path, ".png") || EndsWith(path, ".jpg") ||
      EndsWith(path, ".jpeg")) {
    SHELTER_ASSIGN_OR_RETURN(core::GrayImage img,
                             pdf ? RasterizePdf(path) : core::ReadImageFile(path));
    for (auto& q : core::DecodeQr(img.view()))
      if (q.text.rfind(core::kJdv1Prefix, 0) == 0) return q.text;
    return MakeError(ErrorCode::kNotFound, "no JDV1 QR code found in " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot read " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > 64 * 1024)
    return MakeError(ErrorCode::kParse, "not a certificate text file: " + path);
  return Trim(std::move(text));
}

bool IsCertificateFileName(const std::string& name) {
  for (const char* ext : {".pdf", ".png", ".jpg", ".jpeg", ".pgm", ".txt"})
    if (EndsWith(name, ext)) return true;
  return false;
}

core::Result<std::string> ReadCertificateInput(const std::string& arg) {
  if (arg.rfind(core::kJdv1Prefix, 0) == 0) return arg;
  std::error_code ec;
  if (!fs::exists(arg, ec)) return arg;  // QR text of another kind: reported as malformed
  return ReadCertificateFile(arg);
}

}  // namespace shelter::platform
