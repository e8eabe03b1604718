// What the runner asks of a benchmark executable before measuring it: its list document and the
// run's environment.
#pragma once

#include <string>

#include "benchgate/core/list_doc.hpp"
#include "benchgate/core/row.hpp"
#include "benchgate/process/executor.hpp"

namespace benchgate {

// A bare name would be searched on PATH by posix_spawnp; a file of that name here is what was
// meant ("./name").
std::string exe_path(std::string exe);

// Whether `exe` names an executable the way posix_spawnp would find it: a name without '/' on
// PATH, a path as it is.
bool executable_exists(const std::string& exe);

// `exe --benchgate-list`, parsed. Throws UsageError when it cannot be started, fails, or prints
// something that is not a list document (saying what to do).
ListDocument load_list(Executor& executor, const std::string& exe);

// The env of this run: captured once, forwarded to every child. git_dirty needs `git status`.
Env run_env(Executor& executor, const std::string& exe, const ListDocument& doc);

}  // namespace benchgate
