// What a form shows after a refused save: each problem beside its field (core::FieldProblem, in
// the UI language), the English detail for staff in a folded "details" section, and a one-shot
// request to scroll to the first problem. Held by the register and household editor states; UI
// thread only.
#pragma once

#include <string>
#include <vector>

#include "core/model/entities.hpp"

namespace shelter::ui {

struct FormProblems {
  std::vector<core::FieldProblem> list;
  std::string detail;   // English, for staff: every problem, or why the save failed otherwise
  bool scroll = false;  // the next frame scrolls to the first problem shown
  bool details_open = false;
  bool empty() const { return list.empty() && detail.empty(); }
  void Clear() { *this = FormProblems{}; }
  // The problems of a member or pet, or of the household (member and pet -1).
  bool Any(int member, int pet = -1) const {
    for (auto& p : list)
      if (p.member == member && p.pet == pet) return true;
    return false;
  }
};

}  // namespace shelter::ui
