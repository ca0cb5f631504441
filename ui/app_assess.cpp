// App's damage assessments for the open household: the history of surveys and recording the next
// one (1次, 2次, 再調査) through core, which decides who may (cert_policy MayAssess) and which
// survey the new one supersedes.
#include <ctime>

#include "core/formats/certificate.hpp"
#include "core/ops/assessment.hpp"
#include "ui/app.hpp"

namespace shelter::ui {

void App::RefreshAssessments() {
  assess.history.clear();
  assess.current = core::Id16{};
  if (auto d = core::ListDisasters(node_); d.ok()) {
    assess.disasters = std::move(*d);
    for (const auto& x : assess.disasters) SeeText(x.name);
  }
  if (assess.draft.disaster.IsZero() && !assess.disasters.empty())
    assess.draft.disaster = assess.disasters.back().id;
  if (!household.edited) return;
  auto h = core::AssessmentHistory(node_, household.edited->id);
  if (!h.ok()) {
    assess.error = ErrorText(h.error()) + " (" + h.error().detail + ")";
    return;
  }
  assess.history = std::move(*h);
  for (const auto& a : assess.history) {
    SeeText(a.surveyor);
    SeeText(a.note);
  }
  if (auto c = core::CurrentAssessment(node_, household.edited->id); c.ok() && *c)
    assess.current = (*c)->id;
}

void App::OpenAssessment() {
  if (!household.edited) return;
  assess = AssessState{};
  SeeText(household.edited->address);
  assess.draft.date = core::DateIntToIso(core::DateIntFromUnix(std::time(nullptr)));
  RefreshAssessments();
  // The next survey follows the last one: a 2次 after a 1次, otherwise a 再調査.
  if (!assess.history.empty())
    assess.draft.stage = assess.history.back().stage == core::SurveyStage::kFirst
                             ? core::SurveyStage::kSecond
                             : core::SurveyStage::kResurvey;
  Go(Screen::kAssessment);
}

void App::RecordSurvey() {
  if (!household.edited) return;
  assess.error.clear();
  core::Assessment a = assess.draft;
  a.household = household.edited->id;
  auto id = core::RecordAssessment(node_, a);
  if (!id.ok()) {
    assess.error = ErrorText(id.error()) + " (" + id.error().detail + ")";
    return Notify(assess.error, true);
  }
  Refresh();
  RefreshAssessments();
  assess.draft.note.clear();
  assess.draft.stage = core::SurveyStage::kResurvey;
  Notify(T("assess.recorded"), false);
}

}  // namespace shelter::ui
