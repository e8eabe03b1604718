// Human formatting of durations and counts, shared by every report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace benchgate {

// Three decimals on the unit ladder: "123.000 ns", "1.500 µs", "2.000 ms", "1.250 s".
std::string format_duration(double nanos);

// Throughput (issue 20): `per_call` bytes or items in `nanos` ns per call, three significant
// digits on a decimal ladder: "4.10 GB/s", "512 MB/s", "12.0 B/s"; "1.02M items/s". "n/a" when
// the time is not positive or either value is not finite.
std::string format_bytes_rate(double bytes_per_call, double nanos);
std::string format_items_rate(double items_per_call, double nanos);

// Digits grouped with '_' every three: 1048576 -> "1_048_576".
std::string format_count(std::uint64_t n);

// "×2^k" for powers of two (k >= 1), "×n" otherwise, "—" for 0.
std::string format_repeats(std::uint64_t n);

// Width in characters, not bytes: "µ", "×" and "→" are several bytes of UTF-8.
std::size_t display_width(const std::string& s);

// s padded with spaces to at least w characters, on the left (right-aligned) or the right.
std::string pad_left(const std::string& s, std::size_t w);
std::string pad_right(const std::string& s, std::size_t w);

// Text made safe inside XML or HTML elements and quoted attributes: & < > " ' as entities.
std::string escape_markup(const std::string& s);

}  // namespace benchgate
