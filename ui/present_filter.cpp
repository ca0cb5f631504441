// PresentFilter (present_filter.hpp): per draw list, a byte compare first (most lists are
// unchanged); then per command, triangles compared by their vertices' bytes, in place when the
// counts match, else as a common prefix and suffix around what was inserted or removed.
#include "ui/present_filter.hpp"

#include <SDL.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace shelter::ui {

namespace {

struct Box {
  float x0 = FLT_MAX, y0 = FLT_MAX, x1 = -FLT_MAX, y1 = -FLT_MAX;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

// One command's triangles, read through its indices.
struct Tris {
  const ImDrawVert* vtx;
  const ImDrawIdx* idx;
  const ImDrawCmd& cmd;
  size_t count() const { return cmd.ElemCount / 3; }
  const ImDrawVert& V(size_t t, int k) const {
    return vtx[cmd.VtxOffset + idx[cmd.IdxOffset + t * 3 + k]];
  }
  bool Same(size_t t, const Tris& o, size_t ot) const {
    for (int k = 0; k < 3; ++k)
      if (std::memcmp(&V(t, k), &o.V(ot, k), sizeof(ImDrawVert)) != 0) return false;
    return true;
  }
  // Triangles [from, to) as drawn: their bounding box inside the command's clip rectangle.
  Box Bounds(size_t from, size_t to) const {
    Box b;
    for (size_t t = from; t < to; ++t)
      for (int k = 0; k < 3; ++k) {
        const ImVec2& p = V(t, k).pos;
        b.x0 = std::min(b.x0, p.x), b.y0 = std::min(b.y0, p.y);
        b.x1 = std::max(b.x1, p.x), b.y1 = std::max(b.y1, p.y);
      }
    b.x0 = std::max(b.x0, cmd.ClipRect.x), b.y0 = std::max(b.y0, cmd.ClipRect.y);
    b.x1 = std::min(b.x1, cmd.ClipRect.z), b.y1 = std::min(b.y1, cmd.ClipRect.w);
    return b;
  }
};

bool SameState(const ImDrawCmd& a, const ImDrawCmd& b) {
  return std::memcmp(&a.ClipRect, &b.ClipRect, sizeof a.ClipRect) == 0 &&
         a.TextureId == b.TextureId && a.UserCallback == b.UserCallback;
}

template <typename T>
bool SameBytes(const ImVector<T>& now, const std::vector<T>& then) {
  return static_cast<size_t>(now.Size) == then.size() &&
         (then.empty() || std::memcmp(now.Data, then.data(), then.size() * sizeof(T)) == 0);
}

// What changed between two versions of one command, a box per run of changed triangles (a run
// in each frame: where it was and where it is).
void CommandDamage(const Tris& now, const Tris& then, std::vector<Box>& out) {
  size_t n = now.count(), m = then.count();
  if (n == m) {
    for (size_t t = 0; t < n;) {
      if (now.Same(t, then, t)) {
        ++t;
        continue;
      }
      size_t end = t + 1;
      while (end < n && !now.Same(end, then, end)) ++end;
      out.push_back(now.Bounds(t, end));
      out.push_back(then.Bounds(t, end));
      t = end;
    }
    return;
  }
  size_t pre = 0;
  while (pre < n && pre < m && now.Same(pre, then, pre)) ++pre;
  size_t suf = 0;
  while (suf < n - pre && suf < m - pre && now.Same(n - 1 - suf, then, m - 1 - suf)) ++suf;
  out.push_back(now.Bounds(pre, n - suf));
  out.push_back(then.Bounds(pre, m - suf));
}

}  // namespace

PresentFilter::PresentFilter(bool partial_ok)
    : partial_ok_(partial_ok),
      full_redraw_(std::getenv("SHELTER_APP_FULL_REDRAW") != nullptr),
      check_(partial_ok && std::getenv("SHELTER_APP_CHECK_PARTIAL") != nullptr) {}

Damage PresentFilter::Compare(const ImDrawData& dd, ImTextureID font_texture) {
  Damage d;
  bool comparable = valid_ && !full_redraw_ && size_.x == dd.DisplaySize.x &&
                    size_.y == dd.DisplaySize.y &&
                    last_.size() == static_cast<size_t>(dd.CmdListsCount);
  std::vector<Box> boxes;
  for (int n = 0; n < dd.CmdListsCount && comparable; ++n) {
    const ImDrawList& l = *dd.CmdLists[n];
    const List& o = last_[static_cast<size_t>(n)];
    for (const ImDrawCmd& c : l.CmdBuffer)
      if (c.UserCallback || c.TextureId != font_texture) comparable = false;
    if (!comparable) break;
    if (SameBytes(l.VtxBuffer, o.vtx) && SameBytes(l.IdxBuffer, o.idx) &&
        SameBytes(l.CmdBuffer, o.cmd))
      continue;
    bool same_cmds = static_cast<size_t>(l.CmdBuffer.Size) == o.cmd.size();
    for (size_t i = 0; same_cmds && i < o.cmd.size(); ++i)
      same_cmds = SameState(l.CmdBuffer[static_cast<int>(i)], o.cmd[i]);
    for (size_t i = 0; i < o.cmd.size() || i < static_cast<size_t>(l.CmdBuffer.Size); ++i) {
      const ImDrawCmd* now =
          i < static_cast<size_t>(l.CmdBuffer.Size) ? &l.CmdBuffer[static_cast<int>(i)] : nullptr;
      const ImDrawCmd* then = i < o.cmd.size() ? &o.cmd[i] : nullptr;
      if (same_cmds) {
        CommandDamage({l.VtxBuffer.Data, l.IdxBuffer.Data, *now},
                      {o.vtx.data(), o.idx.data(), *then}, boxes);
        continue;
      }
      // Clip rectangles or textures moved: everything either frame drew with this list.
      if (now)
        boxes.push_back(
            Tris{l.VtxBuffer.Data, l.IdxBuffer.Data, *now}.Bounds(0, now->ElemCount / 3));
      if (then)
        boxes.push_back(Tris{o.vtx.data(), o.idx.data(), *then}.Bounds(0, then->ElemCount / 3));
    }
  }
  // Remember this frame.
  last_.resize(static_cast<size_t>(dd.CmdListsCount));
  for (int n = 0; n < dd.CmdListsCount; ++n) {
    const ImDrawList& l = *dd.CmdLists[n];
    List& o = last_[static_cast<size_t>(n)];
    o.vtx.assign(l.VtxBuffer.begin(), l.VtxBuffer.end());
    o.idx.assign(l.IdxBuffer.begin(), l.IdxBuffer.end());
    o.cmd.assign(l.CmdBuffer.begin(), l.CmdBuffer.end());
  }
  size_ = dd.DisplaySize;
  valid_ = true;
  if (!comparable) return d;
  // Whole pixels, one more each side: the rasterizer's coverage of an edge pixel.
  int w = static_cast<int>(dd.DisplaySize.x), h = static_cast<int>(dd.DisplaySize.y);
  DamageRegion region;
  for (const Box& b : boxes) {
    if (b.empty()) continue;
    region.Add({std::max(0, static_cast<int>(std::floor(b.x0)) - 1),
                std::max(0, static_cast<int>(std::floor(b.y0)) - 1),
                std::min(w, static_cast<int>(std::ceil(b.x1)) + 1),
                std::min(h, static_cast<int>(std::ceil(b.y1)) + 1)});
  }
  if (region.empty()) {
    d.none = true;
    return d;
  }
  bool unscaled = dd.DisplayPos.x == 0 && dd.DisplayPos.y == 0 && dd.FramebufferScale.x == 1 &&
                  dd.FramebufferScale.y == 1;
  if (!partial_ok_ || !unscaled || region.area() > 0.6 * w * h) return d;
  d.full = false;
  d.rects = region.rects();
  return d;
}

void PresentFilter::ClipTo(ImDrawData& dd, const PixelRect& r,
                           const std::vector<std::vector<ImVec4>>& clips) {
  for (int n = 0; n < dd.CmdListsCount; ++n)
    for (int i = 0; i < dd.CmdLists[n]->CmdBuffer.Size; ++i) {
      ImDrawCmd& c = dd.CmdLists[n]->CmdBuffer[i];
      const ImVec4& clip = clips[static_cast<size_t>(n)][static_cast<size_t>(i)];
      // The pixels the SDL_Renderer backend would clip this command to ([x0, x1) after its int
      // casts), cut to the damage: in whole pixels, so that the backend's casts change nothing
      // and the redrawn pixels are exactly those a full frame would draw there.
      float x0 = std::max(clip.x, 0.0f), y0 = std::max(clip.y, 0.0f);
      float x1 = std::min(clip.z, dd.DisplaySize.x), y1 = std::min(clip.w, dd.DisplaySize.y);
      int ix0 = static_cast<int>(x0), iy0 = static_cast<int>(y0);
      int ix1 = ix0 + static_cast<int>(x1 - x0), iy1 = iy0 + static_cast<int>(y1 - y0);
      ix0 = std::max(ix0, r.x0), iy0 = std::max(iy0, r.y0);
      ix1 = std::min(ix1, r.x1), iy1 = std::min(iy1, r.y1);
      if (ix1 <= ix0 || iy1 <= iy0) ix1 = ix0, iy1 = iy0;  // nothing of it in the damage: skipped
      c.ClipRect = ImVec4(static_cast<float>(ix0), static_cast<float>(iy0), static_cast<float>(ix1),
                          static_cast<float>(iy1));
    }
}

namespace {

std::vector<unsigned char> ReadPixels(SDL_Renderer* renderer) {
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(renderer, &w, &h);
  std::vector<unsigned char> px(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_ARGB8888, px.data(), w * 4) != 0)
    px.clear();
  return px;
}

}  // namespace

bool PresentFilter::Render(SDL_Renderer* renderer, ImDrawData* dd) {
  Damage damage = Compare(*dd, ImGui::GetIO().Fonts->TexID);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  SDL_SetRenderDrawColor(renderer, static_cast<Uint8>(bg.x * 255), static_cast<Uint8>(bg.y * 255),
                         static_cast<Uint8>(bg.z * 255), 255);
  // The clip rectangles as ImGui made them (Compare kept them): each pass cuts its own from them.
  std::vector<std::vector<ImVec4>> clips;
  if (!damage.none && !damage.full) {
    clips.resize(last_.size());
    for (size_t n = 0; n < last_.size(); ++n)
      for (const ImDrawCmd& c : last_[n].cmd) clips[n].push_back(c.ClipRect);
  }
  if (damage.none) {
    // The surface still shows this frame: nothing is rendered.
  } else if (damage.full) {
    SDL_RenderClear(renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(dd);
  } else {
    if (damage.rects.size() > 1) ++multi_rect_;
    for (const PixelRect& pr : damage.rects) {
      ClipTo(*dd, pr, clips);
      SDL_Rect r{pr.x0, pr.y0, pr.x1 - pr.x0, pr.y1 - pr.y0};
      SDL_RenderFillRect(renderer, &r);
      ImGui_ImplSDLRenderer_RenderDrawData(dd);
    }
  }
  if (check_ && (damage.none || !damage.full)) {
    // What is on the surface now against the same frame drawn in full, with the commands' own
    // clip rectangles (kept in last_).
    std::vector<unsigned char> shown = ReadPixels(renderer);
    for (int n = 0; n < dd->CmdListsCount; ++n)
      for (int i = 0; i < dd->CmdLists[n]->CmdBuffer.Size; ++i)
        dd->CmdLists[n]->CmdBuffer[i].ClipRect =
            last_[static_cast<size_t>(n)].cmd[static_cast<size_t>(i)].ClipRect;
    SDL_RenderClear(renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(dd);
    std::vector<unsigned char> full = ReadPixels(renderer);
    size_t differ = 0;
    for (size_t i = 0; i + 3 < full.size() && i + 3 < shown.size(); i += 4)
      if (std::memcmp(&full[i], &shown[i], 3) != 0) ++differ;  // the alpha byte is not shown
    ++(damage.none ? checked_unchanged_ : checked_partial_);
    if (differ || full.empty() || full.size() != shown.size()) {
      ++mismatches_;
      std::fprintf(stderr, "present: a %s frame differs from its full redraw in %zu pixels\n",
                   damage.none ? "skipped" : "partial", differ);
    }
  }
  return !damage.none;
}

PresentFilter::~PresentFilter() {
  if (check_)
    std::fprintf(stderr,
                 "present: %zu partial and %zu skipped frames checked against full redraws, %zu "
                 "differ\npresent: %zu partial frames were drawn in several rectangles\n",
                 checked_partial_, checked_unchanged_, mismatches_, multi_rect_);
}

}  // namespace shelter::ui
