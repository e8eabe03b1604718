// Named variants and thread counts (issue 20): how a benchmark's declared shape becomes its
// registered instances, and the barrier that starts k threads of one batch together.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <thread>

#include "benchgate/benchgate.hpp"
#include "registry.hpp"

namespace benchgate {
namespace {

const std::string* find_dim(const std::vector<std::pair<std::string, std::string>>& dims,
                            std::string_view dim) {
  for (const auto& [name, value] : dims) {
    if (name == dim) return &value;
  }
  return nullptr;
}

}  // namespace

bool Variant::has(std::string_view dim) const {
  return find_dim(dims_, dim) != nullptr;
}

const std::string& Variant::get(std::string_view dim) const {
  if (const auto* value = find_dim(dims_, dim)) return *value;
  std::string names;
  for (const auto& d : dims_) names += (names.empty() ? "" : ", ") + d.first;
  throw std::out_of_range("benchgate::Variant: no dimension '" + std::string(dim) + "' (this " +
                          "variant has: " + (names.empty() ? "none" : names) + ")");
}

std::int64_t Variant::integer(std::string_view dim) const {
  const std::string& text = get(dim);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw std::invalid_argument("benchgate::Variant: dimension '" + std::string(dim) + "' is '" +
                                text + "', not an integer");
  }
  return v;
}

double Variant::number(std::string_view dim) const {
  const std::string& text = get(dim);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
    throw std::invalid_argument("benchgate::Variant: dimension '" + std::string(dim) + "' is '" +
                                text + "', not a number");
  }
  return v;
}

std::string Variant::key() const {
  std::string out;
  for (const auto& [dim, value] : dims_) {
    if (!out.empty()) out += '/';
    out += dim;
    out += ':';
    out += value;
  }
  return out;
}

namespace detail {
namespace {

// A dimension's name or value goes into the benchmark's name, between '/' and ':'.
bool bad_char(unsigned char c, bool name) {
  return c <= 0x20 || c == 0x7f || c == '/' || (name && c == ':');
}

void check_variant(const std::string& bench, const Variant& v, std::vector<std::string>& errors) {
  if (v.dims().empty()) {
    errors.push_back("benchmark '" + bench + "': .variants() lists a variant without dimensions");
  }
  for (std::size_t i = 0; i < v.dims().size(); ++i) {
    const auto& [dim, value] = v.dims()[i];
    if (dim.empty() ||
        std::any_of(dim.begin(), dim.end(), [](unsigned char c) { return bad_char(c, true); })) {
      errors.push_back("benchmark '" + bench + "': variant dimension '" + dim +
                       "' must be non-empty, without whitespace, '/' or ':'");
    }
    if (value.empty() || std::any_of(value.begin(), value.end(),
                                     [](unsigned char c) { return bad_char(c, false); })) {
      errors.push_back("benchmark '" + bench + "': the value '" + value + "' of dimension '" + dim +
                       "' must be non-empty, without whitespace or '/'");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (v.dims()[j].first == dim) {
        errors.push_back("benchmark '" + bench + "': variant dimension '" + dim +
                         "' is declared twice");
      }
    }
  }
}

}  // namespace

std::vector<Instance> expand(const std::string& name, const Shape& shape,
                             std::vector<std::string>& errors) {
  errors = shape.errors;
  std::vector<Variant> variants;
  if (shape.list && !shape.dims.empty()) {
    errors.push_back("benchmark '" + name +
                     "': declares both .vary() and .variants(); use one (.vary() for a product, "
                     ".variants() for an explicit list)");
  } else if (shape.list) {
    if (shape.list->empty()) errors.push_back("benchmark '" + name + "': .variants({}) is empty");
    variants = *shape.list;
  } else if (!shape.dims.empty()) {
    variants.emplace_back();
    for (const auto& [dim, values] : shape.dims) {
      if (values.empty()) {
        errors.push_back("benchmark '" + name + "': .vary(\"" + dim + "\", {}) has no values");
      }
      std::vector<Variant> next;
      for (const auto& v : variants) {
        for (const auto& value : values) {
          Variant w = v;
          w.add(dim, value);
          next.push_back(std::move(w));
        }
      }
      variants = std::move(next);
    }
  } else {
    variants.emplace_back();  // no variants: the benchmark itself
  }
  const bool declared = shape.list || !shape.dims.empty();
  if (declared) {
    for (const auto& v : variants) check_variant(name, v, errors);
  }
  std::vector<unsigned> threads = shape.threads;
  for (unsigned k : threads) {
    if (k < 1 || k > 1024) {
      errors.push_back("benchmark '" + name + "': .threads(" + std::to_string(k) +
                       "): a thread count must be 1 to 1024");
    }
  }
  if (threads.empty()) threads.push_back(0);
  std::vector<Instance> out;
  if (!errors.empty()) return out;
  for (const auto& v : variants) {
    for (unsigned k : threads) {
      Instance inst;
      inst.variant = v;
      inst.threads = k;
      inst.name = name;
      if (declared) inst.name += "/" + v.key();
      if (k > 0) inst.name += "/threads:" + std::to_string(k);
      out.push_back(std::move(inst));
    }
  }
  return out;
}

void run_on_threads(unsigned threads, Measure& m, void (*body)(void* ctx, bool main), void* ctx) {
  const unsigned others = threads > 0 ? threads - 1 : 0;
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::exception_ptr> errors(others + 1);
  std::vector<std::thread> workers;
  workers.reserve(others);
  SharedCounters shared_counters;  // benchgate::counter() takes a lock until the threads join
  auto release_and_join = [&] {
    go.store(true, std::memory_order_release);
    for (auto& w : workers) w.join();
  };
  try {
    for (unsigned t = 1; t <= others; ++t) {
      workers.emplace_back([&, t] {
        ready.fetch_add(1, std::memory_order_acq_rel);
        while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
        try {
          body(ctx, false);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
  } catch (...) {  // a thread could not be started: stop the started ones, report why
    release_and_join();
    throw;
  }
  while (ready.load(std::memory_order_acquire) != others) std::this_thread::yield();
  measure_start(m);
  go.store(true, std::memory_order_release);
  try {
    body(ctx, true);
  } catch (...) {
    errors[0] = std::current_exception();
  }
  for (auto& w : workers) w.join();
  measure_stop(m);
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace detail
}  // namespace benchgate
