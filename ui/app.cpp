// [SECTION] index: construction and timers, text, marks, actions (kiosk: app_kiosk.cpp, household
// editor: app_household.cpp).
#include "ui/app.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "core/ops/households.hpp"
#include "core/ops/master_data.hpp"
#include "core/ops/registration.hpp"
#include "core/text/text_normalize.hpp"
#include "ui/screens/screens.hpp"

namespace shelter::ui {

namespace {

constexpr int64_t kPowerPollMs = 60000;
constexpr int64_t kPowerPollLowMs = 180000;
constexpr int64_t kNoticeMs = 5000;

}  // namespace

void Wipe(std::string& s) {
  std::fill(s.begin(), s.end(), '\0');
  s.clear();
}

// [SECTION] construction and timers

App::App(core::Node& node, const core::Catalog& catalog, FontLoader& fonts, AppDevices& devices,
         NowFn now_ms)
    : node_(node), catalog_(catalog), fonts_(fonts), devices_(devices), now_ms_(now_ms) {
  if (auto staff = node_.log().AllStaff(); staff.ok())
    for (auto& s : *staff)
      if (!s.disabled) login.staff_handles.push_back(s.handle);
  if (!login.staff_handles.empty()) login.handle = login.staff_handles.front();
  registration.draft.members.emplace_back();
  PollPower();
  // Every poll marks the frame as scanning (whichever screen polls), so UpdateCamera() keeps the
  // camera open exactly while such a screen is shown.
  if (devices_.poll_qr)
    devices_.poll_qr = [this, poll = std::move(devices_.poll_qr)] {
      qr_polled_ = true;
      return poll();
    };
}

bool App::Tick() {
  int64_t now = Now();
  bool changed = false;
  if (now >= next_power_poll_) {
    PollPower();
    changed = true;
  }
  if (notice_ && now >= notice_->until_ms) {
    notice_.reset();
    changed = true;
  }
  if (TickStays(now)) changed = true;
  if (IdleLogoutDue(now)) {
    int64_t minutes = std::max<int64_t>(1, idle_logout_ms_ / 60'000);
    Logout();
    Notify(F("login.idle_logout", {{"n", std::to_string(minutes)}}), false);
    changed = true;
  }
  if (TickKiosk(now)) changed = true;
  if (screen_ == Screen::kVerify && !kiosk.active && devices_.poll_qr) {
    if (auto text = devices_.poll_qr()) {
      VerifyText(*text, VerifySource::kCamera);
      changed = true;
    }
  }
  UpdateCamera();
  if (PollCard()) changed = true;
  if (TickSync(now)) changed = true;
  if (mode_ && mode_->Tick(*this)) changed = true;
  return changed;
}

bool App::IdleLogoutDue(int64_t now) const {
  return idle_logout_ms_ > 0 && !kiosk.active && node_.session() &&
         now - last_input_ms_ >= idle_logout_ms_;
}

int64_t App::NextWakeMs() const {
  int64_t next = next_power_poll_;
  if (idle_logout_ms_ > 0 && !kiosk.active && node_.session())
    next = std::min(next, last_input_ms_ + idle_logout_ms_);
  if (notice_) next = std::min(next, notice_->until_ms);
  if (stays.undo) next = std::min(next, stays.undo->until_ms);
  if (kiosk.active) next = std::min(next, KioskWakeMs());
  if (screen_ == Screen::kRegister && registration.tab == 0 && registration.card_check &&
      (registration.card_check->outcome == core::CardOutcome::kNoCard ||
       registration.card_check->outcome == core::CardOutcome::kNoReader))
    next = std::min(next, std::max(next_card_poll_, Now()));  // PollCard() looks again then
  if (sync_ || node_.session()) next = std::min(next, next_sync_poll_);
  if (sync.usb) next = std::min(next, Now() + 100);
  if (mode_) next = std::min(next, mode_->NextWakeMs(*this));
  return next;
}

bool App::TakeFontRebuild() {
  bool r = font_rebuild_;
  font_rebuild_ = false;
  return r;
}

void App::AfterFirstFrame() {
  if (fonts_.TakeDeferred()) font_rebuild_ = true;
}

void App::PollPower() {
  next_power_poll_ = Now() + (low_power_ ? kPowerPollLowMs : kPowerPollMs);
  if (!devices_.power) return;
  auto p = devices_.power->Read();
  if (p.ok())
    power_ = *p;
  else
    power_.reset();
}

// [SECTION] text

std::string App::ErrorText(const core::Error& e) const {
  using core::ErrorCode;
  switch (e.code) {
    case ErrorCode::kInvalidArgument: return T("error.invalid");
    case ErrorCode::kParse: return T("error.parse");
    case ErrorCode::kNotFound: return T("error.not_found");
    case ErrorCode::kAlreadyExists: return T("error.exists");
    case ErrorCode::kIo: return T("error.io");
    case ErrorCode::kCorrupt: return T("error.corrupt");
    case ErrorCode::kCrypto: return T("error.crypto");
    case ErrorCode::kUnauthenticated: return T("error.pin");
    case ErrorCode::kRateLimited: return T("error.locked");
    case ErrorCode::kLocked: return T("card.locked");
    case ErrorCode::kPermissionDenied: return T("error.permission");
    case ErrorCode::kUnsupported: return T("error.unsupported");
    case ErrorCode::kConflict: return T("error.conflict");
    case ErrorCode::kInternal: return T("error.internal");
  }
  return T("error.internal");
}

void App::SeeText(const std::string& utf8) {
  if (fonts_.AddSeen(utf8)) font_rebuild_ = true;
}

void App::RefuseForm(FormProblems& form, const core::Error& e,
                     std::vector<core::FieldProblem> list) {
  form.Clear();
  form.list = std::move(list);
  for (auto& p : form.list)
    form.detail += (form.detail.empty() ? "" : "\n") + core::DescribeProblem(p);
  if (form.detail.empty()) form.detail = e.detail;
  form.scroll = !form.list.empty();
  // The toast only says that something is wrong; what and where is beside the fields.
  Notify(form.list.empty() ? ErrorText(e)
                           : F("problem.summary", {{"n", std::to_string(form.list.size())}}),
         true);
}

void App::Notify(const std::string& text, bool error) {
  notice_ = Notice{text, error, Now() + kNoticeMs};
}

// [SECTION] marks

void App::BeginFrame() {
  scan_screen_ = qr_polled_;
  qr_polled_ = false;
  last_marks_.swap(marks_);
  marks_.clear();
}

void App::Mark(const std::string& id) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  MarkRect m{ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), dl->GetClipRectMin(),
             dl->GetClipRectMax()};
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  if (win->SkipItems && (win->Flags & ImGuiWindowFlags_ChildWindow) && win->ParentWindow) {
    // A child wholly out of view draws no items: the last item rectangle is a stale one from
    // elsewhere (regression: a widget was audited at another widget's place). The widget is
    // somewhere in the child: its box, against what its parent shows.
    m.min = win->InnerRect.Min, m.max = win->InnerRect.Max;
    m.clip_min = win->ParentWindow->ClipRect.Min, m.clip_max = win->ParentWindow->ClipRect.Max;
  }
  // A window scrolls a widget into view when it has room to scroll and shows a scrollbar for
  // it; fixed boxes (NoScrollbar, e.g. count tiles) and the map do not.
  for (ImGuiWindow* w = ImGui::GetCurrentWindow(); w;
       w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr) {
    if (w->Flags & ImGuiWindowFlags_NoScrollWithMouse) break;
    bool bar = !(w->Flags & ImGuiWindowFlags_NoScrollbar);
    if (bar && w->ScrollMax.y > 0) m.scrolls_y = true;
    if (bar && (w->Flags & ImGuiWindowFlags_HorizontalScrollbar) && w->ScrollMax.x > 0)
      m.scrolls_x = true;
  }
  marks_[id] = m;
}

void App::MarkInCell(const std::string& id) {
  Mark(id);
  // A row that spans all columns is clipped per column as it is drawn; it is cut only where the
  // table itself ends at the left and right. Above and below, the cell's clip stays: it starts
  // under the frozen header row (regression: a tap on a row scrolled under the header hit the
  // header's sort button).
  auto it = marks_.find(id);
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  if (it == marks_.end() || win->SkipItems) return;
  it->second.clip_min.x = win->InnerClipRect.Min.x;
  it->second.clip_max.x = win->InnerClipRect.Max.x;
}

void App::MarkLabelOverflow(const std::string& id, float px) {
  auto it = marks_.find(id);
  if (it != marks_.end()) it->second.label_overflow = px;
}

std::optional<MarkRect> App::FindMark(const std::string& id) const {
  auto it = last_marks_.find(id);
  if (it == last_marks_.end()) return std::nullopt;
  return it->second;
}

// [SECTION] actions

void App::SetLanguage(int lang) {
  if (lang < 0 || static_cast<size_t>(lang) >= catalog_.languages().size() || lang == lang_) return;
  lang_ = lang;
  font_rebuild_ = true;  // regional glyph forms (zh, ko) come from another face
}

void App::SetTheme(const ThemeOptions& t) {
  if (t.text_scale_pct != theme_.text_scale_pct || t.ui_scale != theme_.ui_scale)
    font_rebuild_ = true;
  theme_ = t;
  ApplyTheme(theme_);
}

void App::SetLowPower(bool on) {
  low_power_ = on;
  if (sync_) sync_->SetLowPower(on);
  UpdateCamera();
  next_power_poll_ = std::min(next_power_poll_, Now());
}

void App::Go(Screen s) {
  if (screen_ == Screen::kVerify || s == Screen::kVerify) ClearVerify();  // no data left behind
  screen_ = s;
  if (s == Screen::kRegister) registration.last_registered.reset();
  if (s == Screen::kSettings) ShowIssuingKey();
}

core::Status App::SaveFacilities(const core::FacilitiesChange& c) {
  SHELTER_TRY(core::SetFacilities(node_, node_.device().shelter_scope, c));
  Refresh();
  return core::Ok();
}

void App::Refresh(bool local) {
  if (!node_.session()) return;
  if (local && sync_) sync_->Kick();
  core::Id16 scope = node_.device().shelter_scope;
  if (!scope.IsZero()) {
    if (auto s = core::FindShelter(node_, scope.Hex()); s.ok()) {
      shelter_ = *s;
      SeeText(shelter_.name);
    }
  }
  if (auto c = node_.state().Counts(scope); c.ok()) counts_ = *c;
  living_.reset();
  if (!scope.IsZero()) {
    const int64_t now_s = Now() / 1000;
    if (auto lc = core::GetLivingConditions(node_, scope, now_s); lc.ok()) living_ = std::move(*lc);
  }
  if (auto r = node_.state().Roster(scope); r.ok()) {
    roster_ = std::move(*r);
    for (auto& p : roster_) {
      SeeText(p.name);
      SeeText(p.kana);
    }
  }
}

void App::Login(const std::string& handle, const std::string& pin) {
  core::Status s = node_.Login(handle, pin);
  Wipe(login.pin);
  if (!s.ok()) {
    Notify(ErrorText(s.error()), true);
    return;
  }
  last_input_ms_ = Now();
  Refresh();
  Go(Screen::kDashboard);
}

void App::Logout() {
  // With sync on, the keys stay in memory so the tablet keeps syncing while nobody is logged in
  // (Node::Lock); nothing can be read or written until the next login.
  if (sync_)
    node_.Lock();
  else
    node_.Logout();
  household.base.reset();
  household.changed_elsewhere.clear();
  roster_.clear();
  search.results.clear();
  household.edited.reset();
  household.loaded.reset();
  registration.likely_duplicates.clear();
  pass = PassState{};
  certs = CertState{};
  assess = AssessState{};
  issuing_key = IssuingKeyState{};
  household.problems.Clear();
  household.new_member.reset();
  household.new_problems.Clear();
  registration.problems.Clear();
  registration.draft = core::Household{};
  registration.draft.members.emplace_back();
  stays.Clear();
  kiosk.active = false;
  Go(Screen::kLogin);
}

// Staff type dates as they come (1985/3/2, 昭和60年3月2日, ...): core reads them into YYYY-MM-DD.
// An unreadable date is left as typed, and validation then names the member and field.
void NormalizeDates(std::vector<core::Person>& members) {
  for (auto& m : members)
    if (!m.dob.empty())
      if (auto d = core::NormalizeDate(m.dob); d.ok()) m.dob = *d;
}

void App::RegisterDraft(bool check_in, bool anyway) {
  NormalizeDates(registration.draft.members);
  core::Id16 scope = node_.home_scope();
  registration.likely_duplicates.clear();
  registration.problems.Clear();
  auto r = core::ConfirmRegistration(
      node_, core::RegistrationDraft{registration.draft, {}, stays.register_place}, scope, check_in,
      anyway ? core::OnDuplicate::kRegisterAnyway : core::OnDuplicate::kRefuse);
  if (!r.ok()) {
    std::vector<core::FieldProblem> list;
    if (r.error().code == core::ErrorCode::kInvalidArgument)
      list = core::HouseholdProblems(registration.draft);
    return RefuseForm(registration.problems, r.error(), std::move(list));
  }
  if (!r->saved()) {
    for (auto& d : r->likely_duplicates) {
      auto p = node_.state().FindPerson(d.b);
      if (!p.ok() || !*p) continue;
      SeeText((*p)->name);
      SeeText((*p)->kana);
      registration.likely_duplicates.push_back({d.draft_member, **p, d.score, d.reasons});
    }
    registration.may_register_anyway = core::MayRegisterAnyway(node_).ok();
    // The candidates vanished (merged meanwhile): look again.
    if (registration.likely_duplicates.empty()) Notify(T("error.conflict"), true);
    return;
  }
  registration.last_registered = r->ids;
  Notify(F("register.done", {{"n", std::to_string(r->ids.persons.size())}}), false);
  if (!r->ids.stays.empty())
    OfferUndo(r->ids.stays, F("stays.checked_in_n", {{"n", std::to_string(r->ids.stays.size())},
                                                     {"place", PlaceLabel(stays.register_place)}}));
  stays.register_place = core::Place::kShelter;  // the next household picks its own
  registration.draft = core::Household{};
  registration.draft.members.emplace_back();
  // Benchmarks time a registration from its commit to its display on another tablet.
  if (std::getenv("SHELTER_APP_STAMPS"))
    std::fprintf(stderr, "stamp committed %lld\n", static_cast<long long>(Now()));
  Refresh();
  OpenHousehold(r->ids.household);
}

void App::OpenDuplicate(size_t i) {
  if (i >= registration.likely_duplicates.size()) return;
  core::Id16 id = registration.likely_duplicates[i].existing.household;
  registration.likely_duplicates.clear();
  // The person is registered already: nothing of the draft stays.
  registration.draft = core::Household{};
  registration.draft.members.emplace_back();
  OpenHousehold(id);
}

void App::DismissDuplicates() { registration.likely_duplicates.clear(); }

void App::LoadPreRegistration(const std::string& qr_text) {
  if (!devices_.decode_prereg) {
    Notify(T("register.qr_unavailable"), true);
    return;
  }
  auto h = devices_.decode_prereg(qr_text);
  if (!h.ok()) {
    Notify(ErrorText(h.error()), true);
    return;
  }
  registration.draft = *h;
  registration.likely_duplicates.clear();
  SeeText(registration.draft.address);
  for (auto& m : registration.draft.members) {
    m.source = "qr";
    SeeText(m.name);  // glyphs the atlas may not have yet (髙, ...)
    SeeText(m.kana);
  }
  registration.tab = 2;  // staff confirm the self-declared data in the manual form
}

void App::Search(const std::string& q) {
  auto r = node_.state().SearchPersons(q, 50);
  if (!r.ok()) {
    Notify(ErrorText(r.error()), true);
    return;
  }
  search.results = std::move(*r);
  for (auto& p : search.results) SeeText(p.name);
}

}  // namespace shelter::ui
