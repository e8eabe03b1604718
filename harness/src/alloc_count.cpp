// Counting replacements for every global operator new and operator delete. Linked into a
// benchmark executable as an object (target benchgate::alloc_count) unless the project switched
// allocation counting off; see docs/schema.md "alloc_bytes, alloc_count".
//
// Counted: every call of a global allocation function (plain, array, aligned, nothrow, in any
// combination) made by any thread while the harness has counting on, that is during the timed
// batch only; bytes are the sizes requested. Not counted: malloc/calloc/realloc called directly
// (C code, some C++ libraries), class-specific operator new, and memory the allocator keeps.
//
// Cost: each thread owns a slot of two counters it alone writes, so an increment is a plain load
// and store (relaxed atomics, no lock prefix); the harness sums the slots. Threads past the
// 255th share one overflow slot updated with fetch_add. Slots are never recycled.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

#include "alloc_counter.hpp"

namespace {

struct alignas(64) Slot {
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> count{0};
};

constexpr std::size_t kSlots = 256;  // slot 0 is the shared overflow slot
Slot g_slots[kSlots];
std::atomic<std::size_t> g_claimed{1};
std::atomic<bool> g_counting{false};
// Constant-initialised and trivially destructible: no TLS guard, no allocation on first use.
thread_local Slot* t_slot __attribute__((tls_model("initial-exec"))) = nullptr;

Slot* claim_slot() noexcept {
  const std::size_t i = g_claimed.fetch_add(1, std::memory_order_relaxed);
  t_slot = i < kSlots ? &g_slots[i] : &g_slots[0];
  return t_slot;
}

inline void note(std::size_t size) noexcept {
  if (!g_counting.load(std::memory_order_relaxed)) return;
  Slot* s = t_slot != nullptr ? t_slot : claim_slot();
  if (s != &g_slots[0]) {
    // Only this thread writes its slot: load + store is exact and needs no locked instruction.
    s->count.store(s->count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    s->bytes.store(s->bytes.load(std::memory_order_relaxed) + size, std::memory_order_relaxed);
  } else {
    s->count.fetch_add(1, std::memory_order_relaxed);
    s->bytes.fetch_add(size, std::memory_order_relaxed);
  }
}

void set_counting(bool on) noexcept {
  g_counting.store(on, std::memory_order_relaxed);
}

benchgate::detail::AllocTotals totals() noexcept {
  benchgate::detail::AllocTotals t;
  const std::size_t n = std::min(g_claimed.load(std::memory_order_relaxed), kSlots);
  for (std::size_t i = 0; i < n; ++i) {
    t.bytes += g_slots[i].bytes.load(std::memory_order_relaxed);
    t.count += g_slots[i].count.load(std::memory_order_relaxed);
  }
  return t;
}

const benchgate::detail::AllocCounter kCounter{set_counting, totals};
[[maybe_unused]] const bool g_installed =
    (benchgate::detail::install_alloc_counter(&kCounter), true);

// The standard's loop: retry through the new-handler, throw bad_alloc when there is none.
void* allocate(std::size_t size) {
  if (size == 0) size = 1;
  for (;;) {
    if (void* p = std::malloc(size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* allocate_aligned(std::size_t size, std::align_val_t al) {
  std::size_t align = static_cast<std::size_t>(al);
  if (align < sizeof(void*)) align = sizeof(void*);
  if (size == 0) size = 1;
  for (;;) {
    void* p = nullptr;
    if (posix_memalign(&p, align, size) == 0) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* counted(std::size_t size) {
  void* p = allocate(size);
  note(size);
  return p;
}

void* counted_aligned(std::size_t size, std::align_val_t al) {
  void* p = allocate_aligned(size, al);
  note(size);
  return p;
}

template <class F>
void* or_null(F f) noexcept {
  try {
    return f();
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

void* operator new(std::size_t size) {
  return counted(size);
}
void* operator new[](std::size_t size) {
  return counted(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return or_null([&] { return counted(size); });
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return or_null([&] { return counted(size); });
}
void* operator new(std::size_t size, std::align_val_t al) {
  return counted_aligned(size, al);
}
void* operator new[](std::size_t size, std::align_val_t al) {
  return counted_aligned(size, al);
}
void* operator new(std::size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return or_null([&] { return counted_aligned(size, al); });
}
void* operator new[](std::size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return or_null([&] { return counted_aligned(size, al); });
}

// posix_memalign memory is released by free() too, so every delete is free().
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
