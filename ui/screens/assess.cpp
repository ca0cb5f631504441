// The damage-assessment screen (住家被害認定調査) of the open household: every survey, oldest
// first, with the current one marked and those it superseded, then the next survey's disaster,
// stage, level, flooding, surveyor, date and note. Reached from the household screen on a device
// and account core lets assess (the rule of 罹災証明書); core refuses anyone else when saving.
#include <string>

#include "core/model/damage.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

namespace {

// The legal term in Japanese; in another language with its translation after it.
std::string Term(App& app, const char* japanese, const std::string& key) {
  if (app.lang_code().rfind("ja", 0) == 0 || !app.catalog().Has(0, key)) return japanese;
  return std::string(japanese) + " (" + app.T(key) + ")";
}

std::string LevelText(App& app, core::DamageLevel l) {
  return Term(app, core::DamageLevelJapanese(l), std::string("damage.") + core::DamageLevelName(l));
}

std::string StageText(App& app, core::SurveyStage s) {
  return Term(app, core::SurveyStageJapanese(s), std::string("stage.") + core::SurveyStageName(s));
}

std::string FloodText(App& app, core::Flood f) {
  if (f == core::Flood::kNone) return app.T("flood.none");
  return Term(app, core::FloodJapanese(f), std::string("flood.") + core::FloodName(f));
}

void History(App& app) {
  const AssessState& as = app.assess;
  if (as.history.empty()) ImGui::TextDisabled("%s", app.T("assess.none"));
  ImGui::PushTextWrapPos(0);
  for (size_t i = 0; i < as.history.size(); ++i) {
    const auto& a = as.history[i];
    std::string line = a.date + "  " + StageText(app, a.stage) + "  " + LevelText(app, a.level);
    if (a.flood != core::Flood::kNone) line += "  " + FloodText(app, a.flood);
    if (!a.surveyor.empty())
      line += "  " + std::string(app.T("assess.surveyor")) + ": " + a.surveyor;
    const bool current = a.id == as.current;
    line = (current ? "● " : "○ ") + line + "  " +
           (current ? app.T("assess.current") : app.T("assess.superseded"));
    ImGui::TextUnformatted(line.c_str());
    app.Mark("assess.history." + std::to_string(i) + "=" + core::SurveyStageName(a.stage) + "." +
             core::DamageLevelName(a.level) + (current ? ".current" : ""));
    if (!a.note.empty()) ImGui::TextDisabled("  %s", a.note.c_str());
  }
  ImGui::PopTextWrapPos();
}

void Form(App& app) {
  AssessState& as = app.assess;
  core::Assessment& d = as.draft;
  ImGui::Spacing();
  ImGui::Separator();
  Heading(app, app.T("assess.new"));
  ImGui::TextUnformatted(app.T("assess.disaster"));
  if (as.disasters.empty()) ImGui::TextWrapped("⚠ %s", app.T("assess.no_disaster"));
  for (size_t i = 0; i < as.disasters.size(); ++i) {
    const auto& x = as.disasters[i];
    const std::string label = x.name + " " + x.date;
    FlowNext(ButtonWidth(app, label) + ImGui::GetFontSize() * 2);
    if (Toggle(app, "assess.disaster." + std::to_string(i), label, d.disaster == x.id))
      d.disaster = x.id;
  }
  ImGui::TextUnformatted(app.T("assess.stage"));
  for (auto s :
       {core::SurveyStage::kFirst, core::SurveyStage::kSecond, core::SurveyStage::kResurvey}) {
    const std::string label = StageText(app, s);
    FlowNext(ButtonWidth(app, label) + ImGui::GetFontSize() * 2);
    if (Toggle(app, std::string("assess.stage.") + core::SurveyStageName(s), label, d.stage == s))
      d.stage = s;
  }
  ImGui::TextUnformatted(app.T("assess.level"));
  for (int l = 0; l <= 5; ++l) {
    const auto level = static_cast<core::DamageLevel>(l);
    const std::string label = LevelText(app, level);
    FlowNext(ButtonWidth(app, label) + ImGui::GetFontSize() * 2);
    if (Toggle(app, std::string("assess.level.") + core::DamageLevelName(level), label,
               d.level == level))
      d.level = level;
  }
  ImGui::TextUnformatted(app.T("assess.flood"));
  for (auto f : {core::Flood::kNone, core::Flood::kAboveFloor, core::Flood::kBelowFloor}) {
    const std::string label = FloodText(app, f);
    FlowNext(ButtonWidth(app, label) + ImGui::GetFontSize() * 2);
    if (Toggle(app, std::string("assess.flood.") + core::FloodName(f), label, d.flood == f))
      d.flood = f;
  }
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  TextField(app, "assess.surveyor", app.T("assess.surveyor"), &d.surveyor, half);
  ImGui::SameLine();
  TextField(app, "assess.date", app.T("assess.date"), &d.date, half);
  TextField(app, "assess.note", app.T("assess.note"), &d.note);
  if (Button(app, "assess.record", app.T("assess.record"))) app.RecordSurvey();
}

}  // namespace

void DrawAssessment(App& app) {
  Heading(app, app.T("assess.title"));
  if (!app.household.edited) {
    ImGui::TextUnformatted(app.T("household.none"));
    return;
  }
  const auto& h = *app.household.edited;
  ImGui::PushTextWrapPos(0);
  ImGui::Text("%s: %s", app.T("cert.address"), h.address.c_str());
  if (!app.assess.error.empty()) {
    ImGui::TextUnformatted(("⚠ " + app.assess.error).c_str());
    app.Mark("assess.error");
  }
  ImGui::PopTextWrapPos();
  History(app);
  Form(app);
  ImGui::Spacing();
  if (Button(app, "assess.back", app.T("action.back"))) app.Go(Screen::kHousehold);
}

}  // namespace shelter::ui
