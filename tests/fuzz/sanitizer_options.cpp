// Default sanitizer options for every fuzz target, so a target run by hand behaves as under
// scripts/fuzz: UBSan stops at the first report (libFuzzer then saves the input) except for the
// third-party reports in ubsan.supp.
extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1:suppressions=" BENCHGATE_FUZZ_UBSAN_SUPPRESSIONS;
}
