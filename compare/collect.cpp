// Collecting the gates' results into one report.
#include "collect.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "benchgate/core/cli.hpp"
#include "benchgate/core/format.hpp"
#include "benchgate/core/jsonl.hpp"
#include "decide.hpp"
#include "render.hpp"

namespace benchgate {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSuffix = ".gate.json";

const rapidjson::Value& member(const rapidjson::Value& object, const char* name,
                               const std::string& path) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd())
    throw InputError(path + ": not a benchgate-compare result: no \"" + name + "\"");
  return it->value;
}

std::string string_of(const rapidjson::Value& object, const char* name, const std::string& path) {
  const rapidjson::Value& v = member(object, name, path);
  if (!v.IsString()) throw InputError(path + ": \"" + name + "\" must be a string");
  return {v.GetString(), v.GetStringLength()};
}

double number_of(const rapidjson::Value& object, const char* name, const std::string& path) {
  const rapidjson::Value& v = member(object, name, path);
  if (!v.IsNumber()) throw InputError(path + ": \"" + name + "\" must be a number");
  return v.GetDouble();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// 0 fail and error, 1 skip, 2 pass with something to look at, 3 a clean pass.
int rank(const CollectedResult& r) {
  if (r.result == "fail" || r.result == "error") return 0;
  if (r.result == "skip") return 1;
  return r.inconclusive.empty() && r.warnings.empty() ? 3 : 2;
}

const char* icon(const CollectedResult& r) {
  switch (rank(r)) {
    case 0: return "❌";
    case 1:
    case 2: return "⚠️";
    default: return "✅";
  }
}

// A gate's own Markdown without its first two lines (the name marker and the headline, which
// the summary table already gives).
std::string body_of(const CollectedResult& r) {
  std::string text;
  try {
    text = read_file(r.prefix + ".md");
  } catch (const InputError&) {
    return "(no Markdown: " + r.prefix + ".md is missing)\n";
  }
  for (int line = 0; line < 2; ++line) {
    const auto eol = text.find('\n');
    text.erase(0, eol == std::string::npos ? text.size() : eol + 1);
  }
  return text;
}

std::string outcome_text(const CollectedResult& r) {
  if (r.result == "pass") {
    const std::size_t n = r.inconclusive.size();
    return n == 0 ? "passed" : "passed; " + std::to_string(n) + " inconclusive";
  }
  return r.result + ": " + r.reason;
}

}  // namespace

CollectedResult parse_result(const std::string& text, const std::string& path) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject())
    throw InputError(path + ": not a benchgate-compare result (not a JSON object)");
  const rapidjson::Value& outcome = member(doc, "outcome", path);
  if (!outcome.IsObject()) throw InputError(path + ": \"outcome\" must be an object");
  CollectedResult r;
  r.result = string_of(outcome, "result", path);
  if (r.result != "pass" && r.result != "fail" && r.result != "skip" && r.result != "error")
    throw InputError(path + ": \"result\" must be pass, fail, skip or error; got '" + r.result +
                     "'");
  r.reason = string_of(outcome, "reason", path);
  const rapidjson::Value& warnings = member(outcome, "warnings", path);
  if (!warnings.IsArray()) throw InputError(path + ": \"warnings\" must be an array");
  for (const auto& w : warnings.GetArray()) {
    if (!w.IsString()) throw InputError(path + ": \"warnings\" must hold strings");
    r.warnings.emplace_back(w.GetString(), w.GetStringLength());
  }
  const auto benchmarks = doc.FindMember("benchmarks");
  if (benchmarks != doc.MemberEnd()) {
    if (!benchmarks->value.IsArray()) throw InputError(path + ": \"benchmarks\" must be an array");
    for (const auto& b : benchmarks->value.GetArray()) {
      if (!b.IsObject()) throw InputError(path + ": \"benchmarks\" must hold objects");
      if (string_of(b, "status", path) != "inconclusive") continue;
      const std::string suite = string_of(b, "suite", path);
      EffectRatio ratio{number_of(b, "ratio", path), number_of(b, "ratio_lo", path),
                        number_of(b, "ratio_hi", path)};
      r.inconclusive.push_back({(suite.empty() ? "" : suite + "/") + string_of(b, "function", path),
                                format_ratio(ratio), string_of(b, "note", path)});
    }
  }
  return r;
}

std::vector<CollectedResult> find_results(const std::vector<std::string>& dirs) {
  std::vector<CollectedResult> results;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw UsageError("--collect '" + dir + "': not a directory");
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      const std::string file = it->path().filename().string();
      const std::size_t n = std::char_traits<char>::length(kSuffix);
      if (!it->is_regular_file(ec) || file.size() <= n ||
          file.compare(file.size() - n, n, kSuffix) != 0) {
        continue;
      }
      const std::string path = it->path().string();
      CollectedResult r = parse_result(read_file(path), path);
      r.name = file.substr(0, file.size() - n);
      r.prefix = path.substr(0, path.size() - std::char_traits<char>::length(".json"));
      results.push_back(std::move(r));
    }
    if (ec) throw InputError("--collect '" + dir + "': " + ec.message());
  }
  std::stable_sort(results.begin(), results.end(), [](const auto& a, const auto& b) {
    return rank(a) != rank(b) ? rank(a) < rank(b) : a.name < b.name;
  });
  return results;
}

void render_collected_markdown(const std::vector<CollectedResult>& results, std::ostream& out) {
  std::size_t failing = 0, skipped = 0;
  for (const auto& r : results) {
    failing += rank(r) == 0;
    skipped += rank(r) == 1;
  }
  const std::string of = " of " + std::to_string(results.size()) + " benchmark executables";
  if (failing)
    out << "### ❌ benchgate: " << failing << of << " fail the gate\n";
  else if (skipped)
    out << "### ⚠️ benchgate: no regression; " << skipped << of << " not gated\n";
  else
    out << "### ✅ benchgate: no regression in " << results.size() << " benchmark executable"
        << (results.size() == 1 ? "" : "s") << "\n";
  out << "\n| | executable | outcome |\n|---|---|---|\n";
  for (const auto& r : results) {
    out << "| " << icon(r) << " | `" << md_cell(r.name) << "` | " << md_cell(outcome_text(r));
    for (const auto& w : r.warnings) out << "; WARNING: " << md_cell(w);
    out << " |\n";
  }
  for (const auto& r : results) {
    if (rank(r) != 0) break;
    out << "\n### ❌ " << r.name << "\n" << body_of(r);
  }
  bool any = false;
  for (const auto& r : results) {
    for (const auto& b : r.inconclusive) {
      if (!any) {
        out << "\n### Inconclusive\n\n| benchmark | ratio [interval] | why |\n|---|---|---|\n";
        any = true;
      }
      out << "| `" << md_cell(b.benchmark) << "` | " << md_cell(b.ratio) << " | " << md_cell(b.note)
          << " |\n";
    }
  }
  const auto rest = static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const auto& r) { return rank(r) != 0; }));
  if (rest == 0) return;
  out << "\n<details><summary>The other " << rest << " benchmark executable"
      << (rest == 1 ? "" : "s") << "</summary>\n";
  for (const auto& r : results) {
    if (rank(r) == 0) continue;
    out << "\n### " << icon(r) << " " << r.name << "\n" << body_of(r);
  }
  out << "\n</details>\n";
}

namespace {

// Between `open` and `close` in `text` (exclusive), or nullopt.
std::optional<std::string> between(const std::string& text, const std::string& open,
                                   const std::string& close) {
  const auto start = text.find(open);
  if (start == std::string::npos) return std::nullopt;
  const auto end = text.find(close, start + open.size());
  if (end == std::string::npos) return std::nullopt;
  return text.substr(start + open.size(), end - start - open.size());
}

void render_collected_html(const std::vector<CollectedResult>& results, std::ostream& out) {
  std::string style;
  for (const auto& r : results) {
    std::error_code ec;
    if (!fs::exists(r.prefix + ".html", ec)) continue;
    if (auto s = between(read_file(r.prefix + ".html"), "<style>", "</style>")) {
      style = *s;
      break;
    }
  }
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>benchgate: " << results.size() << " benchmark executables</title>\n<style>"
      << style << "section.executable{border-top:2px solid #888;margin-top:32px}\n</style>\n"
      << "</head>\n<body>\n<h1>benchgate</h1>\n<table class=\"decisions\">\n"
      << "<thead><tr><th>executable</th><th>outcome</th></tr></thead>\n<tbody>\n";
  for (const auto& r : results) {
    out << "<tr class=\"" << (rank(r) == 0 ? "failing" : "") << "\"><td class=\"status\">"
        << "<a href=\"#" << escape_markup(r.name) << "\">" << escape_markup(r.name)
        << "</a></td><td>" << escape_markup(outcome_text(r)) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n";
  for (const auto& r : results) {
    out << "<section class=\"executable\" id=\"" << escape_markup(r.name) << "\">\n<h2>"
        << escape_markup(r.name) << "</h2>\n";
    std::error_code ec;
    std::optional<std::string> body;
    if (fs::exists(r.prefix + ".html", ec))
      body = between(read_file(r.prefix + ".html"), "<body>\n", "</body>");
    if (body)
      out << *body;
    else
      out << "<p>" << escape_markup(outcome_text(r)) << "</p>\n";
    out << "</section>\n";
  }
  out << "</body>\n</html>\n";
}

void render_collected_junit(const std::vector<CollectedResult>& results, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"benchgate\">\n";
  for (const auto& r : results) {
    std::string xml;
    try {
      xml = read_file(r.prefix + ".junit.xml");
    } catch (const InputError&) {
      continue;
    }
    const auto start = xml.find("<testsuite ");
    if (start == std::string::npos) continue;
    out << xml.substr(start);
  }
  out << "</testsuites>\n";
}

template <class Render>
void write_file(const char* flag, const std::string& path, Render&& render) {
  std::ofstream f(path);
  if (!f) throw UsageError(std::string("--") + flag + " '" + path + "': cannot open for writing");
  render(f);
  f.close();
  if (!f) throw UsageError(std::string("--") + flag + " '" + path + "': write failed");
}

}  // namespace

int collect_results(const CompareRequest& request, std::ostream& out, std::ostream& err) {
  const auto results = find_results(request.collect);
  if (results.empty()) {
    std::string dirs;
    for (const auto& d : request.collect) dirs += (dirs.empty() ? "" : ", ") + d;
    throw InputError("--collect: no result (*.gate.json) under " + dirs +
                     "; run the compare tests first (ctest -L bench)");
  }
  if (request.output) {
    write_file("output", *request.output,
               [&](std::ostream& f) { render_collected_markdown(results, f); });
  } else {
    render_collected_markdown(results, out);
  }
  if (request.html) {
    write_file("html", *request.html, [&](std::ostream& f) { render_collected_html(results, f); });
  }
  if (request.junit) {
    write_file("junit", *request.junit,
               [&](std::ostream& f) { render_collected_junit(results, f); });
  }
  err << "benchgate-compare: collected " << results.size() << " result(s)\n";
  return 0;
}

}  // namespace benchgate
