// Grey frames into a streaming SDL texture, recreated when the frame size changes.
#include "ui/camera_preview.hpp"

#include <SDL.h>

namespace shelter::ui {

PreviewTexture::~PreviewTexture() {
  if (texture_) SDL_DestroyTexture(texture_);
}

bool PreviewTexture::Upload(const PreviewFrame& f) {
  if (f.width <= 0 || f.height <= 0 || f.luma.size() < static_cast<size_t>(f.width) * f.height)
    return false;
  if (!texture_ || f.width != w_ || f.height != h_) {
    if (texture_) SDL_DestroyTexture(texture_);
    texture_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STREAMING,
                                 f.width, f.height);
    w_ = texture_ ? f.width : 0;
    h_ = texture_ ? f.height : 0;
    if (!texture_) return false;
  }
  rgba_.resize(f.luma.size());
  for (size_t i = 0; i < f.luma.size(); ++i) {
    uint32_t v = f.luma[i];
    rgba_[i] = 0xFF000000u | v << 16 | v << 8 | v;  // ABGR8888: R, G, B = luma, opaque
  }
  return SDL_UpdateTexture(texture_, nullptr, rgba_.data(), f.width * 4) == 0;
}

}  // namespace shelter::ui
