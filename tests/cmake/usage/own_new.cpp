// A benchmark whose project replaces the global operator new itself, as some allocators do.
// It links only with COUNT_ALLOCATIONS OFF (otherwise two definitions of operator new clash),
// and its rows then carry null alloc_bytes/alloc_count.
#include <benchgate/benchgate.hpp>
#include <cstdlib>
#include <new>
#include <vector>

void* operator new(std::size_t size) {
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

BENCHGATE_REGISTER(own_new) = benchgate::parametric(
                                  "own_new.vector", [](std::uint64_t n) { return n; },
                                  [](std::uint64_t n) { return std::vector<int>(n + 1, 1).size(); })
                                  .complexity("n", [](double n) { return n; });
