// Registration with the checks that can only happen at registration time.
#include "registry.hpp"

#include <algorithm>

namespace benchgate::detail {
namespace {

bool name_taken(const Registry& r, const std::string& name) {
  return std::any_of(r.parametric.begin(), r.parametric.end(),
                     [&](const ParametricEntry& e) { return e.name == name; }) ||
         std::any_of(r.fixed.begin(), r.fixed.end(),
                     [&](const FixedEntry& e) { return e.name == name; });
}

// Names travel on argv and into file names and reports: printable, no spaces.
bool name_ok(Registry& r, const std::string& name) {
  if (name.empty()) {
    r.errors.push_back(
        "a benchmark was registered with an empty name; give every benchmark a "
        "unique, non-empty name");
    return false;
  }
  for (unsigned char c : name) {
    if (c <= 0x20 || c == 0x7f) {
      r.errors.push_back("benchmark name '" + name +
                         "' contains whitespace or a control character; use letters, digits "
                         "and punctuation such as '.', '_', '-', ':'");
      return false;
    }
  }
  if (name_taken(r, name)) {
    r.errors.push_back("benchmark name '" + name +
                       "' is registered twice; every benchmark in one executable needs a "
                       "unique name");
    return false;
  }
  return true;
}

}  // namespace

Registry& registry() {
  static Registry r;  // constructed on first use: safe from any static initialiser
  return r;
}

void register_parametric(ParametricEntry entry) {
  Registry& r = registry();
  if (!entry.errors.empty()) {
    r.errors.insert(r.errors.end(), entry.errors.begin(), entry.errors.end());
    return;
  }
  if (!name_ok(r, entry.name)) return;
  // A complexity is optional: without one there is no verdict (the report says how to add one).
  // The list document carries its text, and an empty text means none, so a declared one with an
  // empty text gets a placeholder.
  if (!entry.complexity) entry.complexity_text.clear();
  if (entry.complexity && entry.complexity_text.empty()) entry.complexity_text = "C(n)";
  auto errors = validate(entry.name, entry.config);
  if (!errors.empty()) {
    r.errors.insert(r.errors.end(), errors.begin(), errors.end());
    return;
  }
  r.parametric.push_back(std::move(entry));
}

void register_fixed(FixedEntry entry) {
  Registry& r = registry();
  if (!entry.errors.empty()) {
    r.errors.insert(r.errors.end(), entry.errors.begin(), entry.errors.end());
    return;
  }
  if (!name_ok(r, entry.name)) return;
  auto errors = validate(entry.name, entry.config);
  if (!errors.empty()) {
    r.errors.insert(r.errors.end(), errors.begin(), errors.end());
    return;
  }
  r.fixed.push_back(std::move(entry));
}

void note_runner(const char* path) {
  Registry& r = registry();
  if (r.runner_hint.empty() && path) r.runner_hint = path;
}

void note_build(const char* compiler, const char* compiler_version, const char* build_type) {
  Registry& r = registry();
  if (r.build_known) return;
  r.build = BuildInfo{compiler, compiler_version, build_type};
  r.build_known = true;
}

}  // namespace benchgate::detail
