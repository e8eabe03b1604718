// The process-wide state behind ProcessGuard, shared by the files of process/src: what the
// signal handler sets and the executor reads. Not part of the library's interface.
#pragma once

#include <csignal>

namespace benchgate::detail {

// The interrupting signal (SIGINT or SIGTERM), or 0; set by the guard's handler.
int interrupt_signal();
// The read end of the self-pipe the handler writes to (a poll on it wakes at an interrupt), or -1.
int interrupt_wake_fd();

// Reaps adopted descendants that have died and kills the living; true while any remain. Only
// meaningful as a subreaper (descendants.cpp).
bool reap_adopted_and_kill_the_rest();

}  // namespace benchgate::detail
