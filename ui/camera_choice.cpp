// A folder is listed once, when the app starts: its images (PNG, JPEG, PGM) in name order.
#include "ui/camera_choice.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

namespace shelter::ui {

namespace {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::MakeError;

bool IsImage(const fs::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".pgm";
}

QrScanner::CameraFactory V4l2(const std::string& device) {
  return [device]() -> core::Result<std::unique_ptr<platform::Camera>> {
    platform::V4l2Options o;
    o.device = device;
    return platform::OpenV4l2Camera(o);
  };
}

QrScanner::CameraFactory Files(std::vector<std::string> paths) {
  return [paths]() -> core::Result<std::unique_ptr<platform::Camera>> {
    return platform::OpenImageFilesCamera(paths);
  };
}

}  // namespace

core::Result<QrScanner::CameraFactory> ChooseCamera(const std::string& arg) {
  if (arg == "none") return QrScanner::CameraFactory{};
  std::error_code ec;
  if (arg.empty()) {
    for (int i = 0; i < 64; ++i) {
      std::string dev = "/dev/video" + std::to_string(i);
      if (fs::exists(dev, ec)) return V4l2(dev);
    }
    return QrScanner::CameraFactory{};
  }
  auto st = fs::status(arg, ec);
  if (ec || !fs::exists(st)) return MakeError(ErrorCode::kNotFound, "no camera or image at " + arg);
  if (fs::is_character_file(st)) return V4l2(arg);
  if (fs::is_directory(st)) {
    std::vector<std::string> images;
    for (const auto& e : fs::directory_iterator(arg, ec))
      if (e.is_regular_file() && IsImage(e.path())) images.push_back(e.path().string());
    if (images.empty()) return MakeError(ErrorCode::kNotFound, "no images in " + arg);
    std::sort(images.begin(), images.end());
    return Files(std::move(images));
  }
  return Files({arg});
}

}  // namespace shelter::ui
