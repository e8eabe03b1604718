// benchgate-compare --collect: the results every compare test wrote (--results) gathered into
// one pull-request comment (Markdown), one self-contained HTML page and one JUnit file. Failing
// benchmark executables first, unfolded; then the inconclusive benchmarks; the rest folded. Each
// part is the gate's own words: nothing is compared again, so the comment cannot disagree with
// the tests.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace benchgate {

// One gate's result, as --collect reads it from <prefix>.json.
struct CollectedInconclusive {
  std::string benchmark;  // "suite/function"
  std::string ratio;      // "+3.1% [-1.0%, +7.4%]"
  std::string note;
};
struct CollectedResult {
  std::string name;    // the file name without ".gate.json"
  std::string prefix;  // the path without ".json"
  std::string result;  // pass, fail, skip, error
  std::string reason;
  std::vector<std::string> warnings;
  std::vector<CollectedInconclusive> inconclusive;
};

// Reads one result file's text. Throws InputError naming `path` when it is not a result
// benchgate-compare wrote (not JSON, no "outcome" object, a field of the wrong type).
CollectedResult parse_result(const std::string& text, const std::string& path);

// The results under each directory (recursively; files named *.gate.json), in the order the
// reports list them: fail and error, then skip, then with inconclusive benchmarks or warnings,
// then pass; by name within each.
std::vector<CollectedResult> find_results(const std::vector<std::string>& dirs);

// The comment, from the results and their Markdown files (<prefix>.md).
void render_collected_markdown(const std::vector<CollectedResult>& results, std::ostream& out);

// Writes the Markdown (to request.output or `out`), request.html and request.junit. Exit code 0;
// throws InputError when no result is found or one cannot be read.
int collect_results(const CompareRequest& request, std::ostream& out, std::ostream& err);

}  // namespace benchgate
