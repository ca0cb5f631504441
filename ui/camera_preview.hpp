// The kiosk's live camera picture as a texture ImGui can draw: the scanner's newest small frame
// uploaded to an SDL texture of the app's renderer (ImGui's SDL_Renderer backend draws an
// SDL_Texture* as ImTextureID). Made by the runner, used by App. UI thread only.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

#include "ui/devices.hpp"

struct SDL_Renderer;
struct SDL_Texture;

namespace shelter::ui {

class PreviewTexture {
 public:
  explicit PreviewTexture(SDL_Renderer* renderer) : renderer_(renderer) {}
  ~PreviewTexture();
  PreviewTexture(const PreviewTexture&) = delete;
  PreviewTexture& operator=(const PreviewTexture&) = delete;

  // Uploads the frame (grey to RGBA); false when SDL cannot make or fill the texture.
  bool Upload(const PreviewFrame& f);
  ImTextureID texture() const { return texture_; }  // nullptr before the first frame
  ImVec2 size() const { return ImVec2(static_cast<float>(w_), static_cast<float>(h_)); }

 private:
  SDL_Renderer* renderer_;
  SDL_Texture* texture_ = nullptr;
  int w_ = 0, h_ = 0;
  std::vector<uint32_t> rgba_;
};

}  // namespace shelter::ui
