// Tests benchgate/core/env.hpp: ISO timestamps of known instants, base_name, reading HEAD from
// hand-made .git directories, and what capture_env fills (checked for shape, never for values).
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>

#include "benchgate/core/env.hpp"
#include "printers.hpp"
#include "temp_dir.hpp"

namespace {

using namespace benchgate;
using benchgate::test::TempDir;
using benchgate::test::write_bytes;
namespace fs = std::filesystem;

constexpr const char* kShaA = "0123456789abcdef0123456789abcdef01234567";
constexpr const char* kShaB = "89abcdef0123456789abcdef0123456789abcdef";
constexpr const char* kShaC = "fedcba9876543210fedcba9876543210fedcba98";

std::chrono::system_clock::time_point at_unix_ms(std::int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

// Changes the working directory for one test and restores it afterwards.
class ScopedCwd {
 public:
  explicit ScopedCwd(const fs::path& to) : saved_(fs::current_path()) { fs::current_path(to); }
  ScopedCwd(const ScopedCwd&) = delete;
  ScopedCwd& operator=(const ScopedCwd&) = delete;
  ~ScopedCwd() {
    std::error_code ec;
    fs::current_path(saved_, ec);
  }

 private:
  fs::path saved_;
};

}  // namespace

TEST_CASE("env: format_iso_utc of known instants") {
  CHECK(format_iso_utc(at_unix_ms(0)) == "1970-01-01T00:00:00Z");
  CHECK(format_iso_utc(at_unix_ms(1'700'000'000'000)) == "2023-11-14T22:13:20Z");
  CHECK(format_iso_utc(at_unix_ms(951'782'400'000)) == "2000-02-29T00:00:00Z");
}

TEST_CASE("env: format_iso_utc truncates to whole seconds") {
  CHECK(format_iso_utc(at_unix_ms(1'700'000'000'999)) == "2023-11-14T22:13:20Z");
  CHECK(format_iso_utc(at_unix_ms(1'700'000'001'000)) == "2023-11-14T22:13:21Z");
}

TEST_CASE("env: base_name keeps the last path component") {
  CHECK(base_name("/usr/local/bin/sort_bench") == "sort_bench");
  CHECK(base_name("build/dev/examples/sort_bench") == "sort_bench");
  CHECK(base_name("sort_bench") == "sort_bench");
  CHECK(base_name("C:\\build\\sort_bench.exe") == "sort_bench.exe");
  CHECK(base_name("mixed/dir\\name.exe") == "name.exe");
  CHECK(base_name("") == "");
}

TEST_CASE("env: read_git_head reads a detached HEAD") {
  TempDir dir;
  write_bytes(dir.path() / ".git/HEAD", std::string(kShaA) + "\n");
  CHECK(read_git_head(dir.file(".git")) == kShaA);
}

TEST_CASE("env: read_git_head follows a loose ref") {
  TempDir dir;
  write_bytes(dir.path() / ".git/HEAD", "ref: refs/heads/main\n");
  write_bytes(dir.path() / ".git/refs/heads/main", std::string(kShaB) + "\n");
  CHECK(read_git_head(dir.file(".git")) == kShaB);
}

TEST_CASE("env: read_git_head finds a ref in packed-refs") {
  TempDir dir;
  write_bytes(dir.path() / ".git/HEAD", "ref: refs/heads/feature/x\n");
  write_bytes(dir.path() / ".git/packed-refs",
              std::string("# pack-refs with: peeled fully-peeled sorted \n") + kShaA +
                  " refs/heads/feature/xy\n" + kShaB + " refs/heads/feature/x\n^" + kShaC + "\n" +
                  kShaC + " refs/tags/v1\n");
  CHECK(read_git_head(dir.file(".git")) == kShaB);
}

TEST_CASE("env: read_git_head prefers a loose ref over packed-refs") {
  TempDir dir;
  write_bytes(dir.path() / ".git/HEAD", "ref: refs/heads/main\n");
  write_bytes(dir.path() / ".git/refs/heads/main", std::string(kShaC) + "\n");
  write_bytes(dir.path() / ".git/packed-refs", std::string(kShaA) + " refs/heads/main\n");
  CHECK(read_git_head(dir.file(".git")) == kShaC);
}

TEST_CASE("env: read_git_head of a linked worktree finds the ref in the common git dir") {
  TempDir dir;
  // <repo>/.git/worktrees/wt holds HEAD; refs live in <repo>/.git, named by commondir.
  write_bytes(dir.path() / "repo/.git/worktrees/wt/HEAD", "ref: refs/heads/topic\n");
  write_bytes(dir.path() / "repo/.git/worktrees/wt/commondir", "../..\n");
  SUBCASE("loose ref") {
    write_bytes(dir.path() / "repo/.git/refs/heads/topic", std::string(kShaC) + "\n");
    CHECK(read_git_head(dir.file("repo/.git/worktrees/wt")) == kShaC);
  }
  SUBCASE("packed ref") {
    write_bytes(dir.path() / "repo/.git/packed-refs", std::string(kShaB) + " refs/heads/topic\n");
    CHECK(read_git_head(dir.file("repo/.git/worktrees/wt")) == kShaB);
  }
}

TEST_CASE("env: read_git_head is empty when HEAD names nothing it can find") {
  TempDir dir;
  SUBCASE("no .git directory") {
    CHECK(read_git_head(dir.file(".git")).empty());
  }
  SUBCASE("an unborn branch") {
    write_bytes(dir.path() / ".git/HEAD", "ref: refs/heads/main\n");
    CHECK(read_git_head(dir.file(".git")).empty());
  }
  SUBCASE("a ref absent from packed-refs") {
    write_bytes(dir.path() / ".git/HEAD", "ref: refs/heads/main\n");
    write_bytes(dir.path() / ".git/packed-refs", std::string(kShaA) + " refs/heads/other\n");
    CHECK(read_git_head(dir.file(".git")).empty());
  }
}

TEST_CASE("env: capture_env fills version, exe name, os and a consistent timestamp") {
  const Env env = capture_env("/some/dir/sort_bench");
  CHECK(env.benchgate_version == std::optional<std::string>(kBenchgateVersion));
  CHECK(env.exe_name == std::optional<std::string>("sort_bench"));
#if defined(__linux__)
  CHECK(env.os == std::optional<std::string>("linux"));
#endif
  REQUIRE(env.timestamp_unix_ms.has_value());
  REQUIRE(env.timestamp_iso.has_value());
  CHECK(*env.timestamp_unix_ms > 0);
  CHECK(
      std::regex_match(*env.timestamp_iso, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")));
  // Both fields come from one clock reading.
  CHECK(format_iso_utc(at_unix_ms(*env.timestamp_unix_ms)) == *env.timestamp_iso);
}

TEST_CASE("env: capture_env leaves what describes a binary, and git_dirty, null") {
  const Env env = capture_env("sort_bench");
  CHECK_FALSE(env.compiler.has_value());
  CHECK_FALSE(env.compiler_version.has_value());
  CHECK_FALSE(env.build_type.has_value());
  CHECK_FALSE(env.git_dirty.has_value());
}

TEST_CASE("env: capture_env reports no empty strings, only values or null") {
  const Env env = capture_env("sort_bench");
  for (const auto* field : {&env.arch, &env.cpu_model, &env.hostname, &env.git_commit}) {
    if (field->has_value()) {
      CHECK_FALSE((*field)->empty());
    }
  }
  if (env.cpu_cores) {
    CHECK(*env.cpu_cores > 0);
  }
}

TEST_CASE("env: capture_env finds the commit of the .git directory above the working directory") {
  TempDir dir;
  write_bytes(dir.path() / "repo/.git/HEAD", "ref: refs/heads/main\n");
  write_bytes(dir.path() / "repo/.git/refs/heads/main", std::string(kShaA) + "\n");
  fs::create_directories(dir.path() / "repo/build/dev");
  ScopedCwd cwd(dir.path() / "repo/build/dev");
  CHECK(capture_env("x").git_commit == std::optional<std::string>(kShaA));
}

TEST_CASE("env: capture_env follows a .git file (worktree or submodule) to its git dir") {
  TempDir dir;
  write_bytes(dir.path() / "real.git/HEAD", std::string(kShaB) + "\n");
  write_bytes(dir.path() / "work/.git", "gitdir: ../real.git\n");
  fs::create_directories(dir.path() / "work/sub");
  ScopedCwd cwd(dir.path() / "work/sub");
  CHECK(capture_env("x").git_commit == std::optional<std::string>(kShaB));
}
