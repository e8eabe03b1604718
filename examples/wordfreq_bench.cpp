// Example fixed benchmark: word frequencies of a bundled text (examples/data/corpus.txt).
// Reading the file is setup (untimed, once per child); counting is measured. Two named variants
// count with a hash map and with an ordered map: "text.word_frequencies/counts:hash" and
// "text.word_frequencies/counts:ordered" are measured and gated apart.
#include <algorithm>
#include <benchgate/benchgate.hpp>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>

#ifndef BENCHGATE_EXAMPLES_DATA_DIR
#error "BENCHGATE_EXAMPLES_DATA_DIR must name the directory holding corpus.txt"
#endif

namespace {

std::string load_corpus() {
  const std::string path = std::string(BENCHGATE_EXAMPLES_DATA_DIR) + "/corpus.txt";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Corpus {
  std::string text;
  bool ordered = false;  // count in a std::map instead of a std::unordered_map
};

Corpus load_variant(const benchgate::Variant& v) {
  return Corpus{load_corpus(), v.get("counts") == "ordered"};
}

// The ten most frequent words, as (word, count) in descending count order.
template <class Counts>
std::map<std::string, std::uint64_t> top_words(const std::string& text) {
  Counts counts;
  std::string word;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalpha(c)) {
      word += static_cast<char>(std::tolower(c));
    } else if (!word.empty()) {
      ++counts[word];
      word.clear();
    }
  }
  if (!word.empty()) ++counts[word];
  std::vector<std::pair<std::string, std::uint64_t>> sorted(counts.begin(), counts.end());
  std::partial_sort(sorted.begin(), sorted.begin() + std::min<std::size_t>(10, sorted.size()),
                    sorted.end(), [](const auto& a, const auto& b) {
                      return a.second != b.second ? a.second > b.second : a.first < b.first;
                    });
  sorted.resize(std::min<std::size_t>(10, sorted.size()));
  return {sorted.begin(), sorted.end()};
}

std::map<std::string, std::uint64_t> count_words(const Corpus& c) {
  return c.ordered ? top_words<std::map<std::string, std::uint64_t>>(c.text)
                   : top_words<std::unordered_map<std::string, std::uint64_t>>(c.text);
}

}  // namespace

BENCHGATE_REGISTER(wordfreq) =
    benchgate::fixed("text.word_frequencies", load_variant, count_words)
        .vary("counts", {"hash", "ordered"})
        .hash([](const std::map<std::string, std::uint64_t>& top) {
          std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over "word=count;" pairs
          for (const auto& [w, n] : top) {
            for (char c : w + "=" + std::to_string(n) + ";") {
              h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
            }
          }
          return h;
        })
        .config([] {
          benchgate::FixedBenchmarkConfig c;
          c.repeats =
              9;  // children per run: the U test needs >= 5 per side, the minimum likes more
          c.max_seconds_per_call = 10.0;
          c.min_total_seconds = 0.02;
          c.tags = {"example"};
          return c;
        }());
