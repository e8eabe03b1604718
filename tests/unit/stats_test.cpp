// Tests benchgate/core/stats.hpp: the median.
#include <doctest/doctest.h>

#include <vector>

#include "benchgate/core/stats.hpp"
#include "printers.hpp"

using benchgate::median;

TEST_CASE("stats: the median of an odd count is the middle value") {
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({7}) == 7);
}

TEST_CASE("stats: the median of an even count is the mean of the two middles") {
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(median({10, 20}) == 15);
}

TEST_CASE("stats: the median of no values is zero") {
  CHECK(median({}) == 0);
}

TEST_CASE("stats: the median sorts its input first") {
  CHECK(median({9, 1, 8, 2, 7}) == 7);
  CHECK(median({5, -1, 100, 0}) == 2.5);
}
