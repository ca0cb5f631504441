// A household's pets, as the register screen and the household editor both draw them: per pet
// its kind (typed: 犬, 猫, ...), the count with − / + and whether it stays apart (同行) or with
// the family (同伴); add and remove. The screen saves the list with the household.
#include <string>

#include "ui/screens/screens.hpp"
#include "ui/widgets.hpp"

namespace shelter::ui {

void PetsForm(App& app, const std::string& id, std::vector<core::Pet>& pets,
              FormProblems* problems) {
  ImGui::TextUnformatted(app.T("pets.title"));
  if (pets.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", app.T("pets.none"));
  }
  const float fs = ImGui::GetFontSize();
  for (size_t i = 0; i < pets.size(); ++i) {
    core::Pet& pet = pets[i];
    const std::string pid = id + "pet" + std::to_string(i) + ".";
    const std::string eid = "error.pet" + std::to_string(i) + ".";
    const int pi = static_cast<int>(i);
    ImGui::PushID(static_cast<int>(i));
    ImGui::BeginGroup();
    TextField(app, pid + "kind", app.T("pets.kind"), &pet.kind, fs * 9);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + fs * 9);
    FieldProblems(app, problems, -1, pi, "kind", eid + "kind");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    FlowNext(fs * 8);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(app.T("pets.count"));
    if (Button(app, pid + "less", "-", fs * 2.2f) && pet.count > 1) --pet.count;
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%d", pet.count);
    app.Mark(pid + "count=" + std::to_string(pet.count));
    ImGui::SameLine();
    if (Button(app, pid + "more", "+", fs * 2.2f) && pet.count < 99) ++pet.count;
    FieldProblems(app, problems, -1, pi, "count", eid + "count");
    ImGui::EndGroup();
    for (const char* mode : {"with", "together"}) {
      const std::string label = app.T(std::string("pets.mode.") + mode);
      FlowNext(ImGui::CalcTextSize(label.c_str()).x + fs * 2.5f);
      if (Toggle(app, pid + "mode." + mode, label, pet.mode == mode)) pet.mode = mode;
    }
    FlowNext(ImGui::CalcTextSize(app.T("register.remove_member")).x + fs * 1.5f);
    bool removed = Button(app, pid + "remove", app.T("register.remove_member"));
    FieldProblems(app, problems, -1, pi, "mode", eid + "mode");
    ImGui::PopID();
    if (removed) {
      pets.erase(pets.begin() + static_cast<long>(i));
      if (problems) problems->Clear();  // they name pets by their place in the list
      break;
    }
  }
  if (Button(app, id + "pet.add", "+ " + std::string(app.T("pets.add"))))
    pets.push_back(core::Pet{"", 1, "with"});
}

}  // namespace shelter::ui
