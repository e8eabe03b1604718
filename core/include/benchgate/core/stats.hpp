// The median: the one definition used everywhere in benchgate. The rank statistics of the time
// decision are in effect.hpp.
#pragma once

#include <vector>

namespace benchgate {

// Median of the values (sorted copy): the middle, or the mean of the two middles; 0 if empty.
double median(std::vector<double> values);

}  // namespace benchgate
