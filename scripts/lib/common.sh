# shellcheck shell=bash
# Shell helpers the measurement scripts (scripts/perf-*, scripts/aa-examples) share. Source it;
# it defines functions only. Each prints its answer on stdout.

# The arguments, each quoted so that the printed command line can be pasted and rerun.
quoted() {
  local a
  for a; do printf ' %q' "$a"; done
}

# The commit measured: its short hash, "(with uncommitted changes)" when the tree differs from
# it, or "unknown" outside a git checkout.
commit_description() {
  local commit
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  # Markdown is left out: the reports these scripts write (docs/performance.md) are Markdown,
  # and no measured code is.
  if [[ $commit != unknown ]] && ! git diff --no-ext-diff --quiet HEAD -- . ':(exclude)*.md' 2>/dev/null; then
    commit="$commit (with uncommitted changes)"
  fi
  echo "$commit"
}

# The CPU's model name, or the machine's architecture where /proc/cpuinfo has none.
cpu_model() {
  local model
  model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
  [[ -n $model ]] || model=$(uname -m)
  echo "$model"
}

# The hypervisor's vendor when virtualised (lscpu), or nothing.
hypervisor() {
  lscpu 2>/dev/null | awk -F': *' '/^Hypervisor vendor/ { print $2; exit }' || true
}

# The 1-minute load average, or "unknown".
load_average() {
  cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo unknown
}

# The time now, in seconds since the epoch with nanoseconds (for wall times with awk).
now() {
  date +%s.%N
}

# The command line that reproduces a measurement: scripts/SCRIPT with ARGS, less each flag of
# OUTPUT_FLAGS (space-separated) and its value, so that a report holds no path of the machine it
# was measured on. Usage: reproducing_command SCRIPT "OUTPUT_FLAGS" ARGS...
reproducing_command() {
  local script=$1 drop=" $2 " a skip=0 shown=()
  shift 2
  for a; do
    if ((skip)); then
      skip=0
    elif [[ $drop == *" $a "* ]]; then
      skip=1
    else
      shown+=("$a")
    fi
  done
  echo "scripts/$script$(quoted "${shown[@]}")"
}
