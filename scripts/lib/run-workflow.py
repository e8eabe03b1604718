"""Runs one job of a GitHub Actions workflow written in a Markdown page, the way a hosted runner
would, for scripts/check-ci. Only the subset docs/ci.md uses is understood; anything else is an
error naming it, so the page cannot drift into what this check does not run.

  run-workflow.py list DOC                  prints "FILE JOB" per job of every workflow in DOC
  run-workflow.py run DOC FILE JOB STATE    runs that job; STATE is a JSON file (below)

A workflow is a ```yaml block whose first line is `# .github/workflows/NAME.yml`; the block
`# .gitlab-ci.yml` is only parsed. `run:` steps run verbatim with `bash --noprofile --norc -eo
pipefail` (GitHub's default shell), after `${{ }}` substitution, with GITHUB_OUTPUT, GITHUB_ENV,
GITHUB_PATH and GITHUB_STEP_SUMMARY honoured. Simulated actions: actions/checkout (fetch-depth),
actions/cache (path, key; saved after a successful job, restored on an exact key),
actions/upload-artifact (name, path). `continue-on-error: true` keeps a failed step from failing
the job. `if:` takes always(), success(), failure(), cancelled(),
==, !=, &&, ||, ! and parentheses over the contexts github, env, steps, runner and secrets.

STATE (JSON): home, workspace, temp (directories, emptied first), origin (the repository URL to
check out), ref (the ref to check out, e.g. refs/pull/1/merge), github (the github context:
event_name, base_ref, head_ref, ref, sha, repository, token, event), env_override (values that
replace the workflow's own `env:` of the same names), cache_dir, artifact_dir, path_prefix
(directories put first on PATH: the shims).
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import yaml


class Error(Exception):
    pass


def blocks(doc):
    """{name: parsed YAML} for every ```yaml block of the page that starts with
    `# .github/workflows/NAME.yml` (name NAME.yml) or `# .gitlab-ci.yml`; every yaml block must
    parse."""
    text = open(doc, encoding="utf-8").read()
    found = {}
    for block in re.findall(r"^```yaml\n(.*?)^```$", text, re.M | re.S):
        first = block.split("\n", 1)[0]
        m = re.match(r"# (?:\.github/workflows/([\w.-]+\.ya?ml)|(\.gitlab-ci\.yml))\b", first)
        try:
            parsed = yaml.safe_load(block)
        except yaml.YAMLError as e:
            raise Error(f"{doc}: a yaml block starting '{first}' does not parse: {e}")
        if m:
            name = m.group(1) or m.group(2)
            if name in found:
                raise Error(f"{doc}: two blocks for {name}")
            found[name] = parsed
    return found


def workflows(doc):
    found = {k: v for k, v in blocks(doc).items() if k != ".gitlab-ci.yml"}
    if not found:
        raise Error(f"{doc}: no ```yaml block starting with '# .github/workflows/NAME.yml'")
    return found


def check_keys(where, d, allowed):
    if not isinstance(d, dict):
        raise Error(f"{where}: expected a mapping, got {type(d).__name__}")
    unknown = [str(k) for k in d if k not in allowed]
    if unknown:
        raise Error(f"{where}: check-ci does not simulate {', '.join(unknown)}")


# ---- expressions -------------------------------------------------------------------------------

TOKEN = re.compile(r"\s*(?:(\|\||&&|==|!=|!|\(|\))|'((?:[^']|'')*)'|(true|false)\b|"
                   r"([A-Za-z_][\w.-]*)\s*\(\s*\)|([A-Za-z_][\w-]*(?:\.[\w-]+)*))")


def evaluate(expr, ctx, status):
    """The value of a GitHub expression (the subset above) as a Python value."""
    tokens, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise Error(f"expression '{expr}': check-ci cannot read '{expr[pos:]}'")
        pos = m.end()
        if m.group(1):
            tokens.append(("op", m.group(1)))
        elif m.group(2) is not None:
            tokens.append(("val", m.group(2).replace("''", "'")))
        elif m.group(3):
            tokens.append(("val", m.group(3) == "true"))
        elif m.group(4):
            fn = m.group(4)
            values = {"always": True, "success": status == "success",
                      "failure": status == "failure", "cancelled": False}
            if fn not in values:
                raise Error(f"expression '{expr}': check-ci does not simulate {fn}()")
            tokens.append(("val", values[fn]))
        else:
            tokens.append(("val", lookup(m.group(5), ctx, expr)))
        if pos < len(expr) and expr[pos:].strip() == "":
            break
    tokens.append(("end", None))
    i = 0

    def peek():
        return tokens[i]

    def take():
        nonlocal i
        i += 1
        return tokens[i - 1]

    def primary():
        kind, v = take()
        if kind == "val":
            return v
        if (kind, v) == ("op", "!"):
            return not truthy(primary())
        if (kind, v) == ("op", "("):
            value = disjunction()
            if take() != ("op", ")"):
                raise Error(f"expression '{expr}': unbalanced parentheses")
            return value
        raise Error(f"expression '{expr}': unexpected '{v}'")

    def comparison():
        left = primary()
        while peek() in (("op", "=="), ("op", "!=")):
            op = take()[1]
            right = primary()
            equal = text(left).lower() == text(right).lower()  # GitHub compares case-insensitively
            left = equal if op == "==" else not equal
        return left

    def conjunction():
        left = comparison()
        while peek() == ("op", "&&"):
            take()
            right = comparison()
            left = right if truthy(left) else left
        return left

    def disjunction():
        left = conjunction()
        while peek() == ("op", "||"):
            take()
            right = conjunction()
            left = left if truthy(left) else right
        return left

    value = disjunction()
    if peek()[0] != "end":
        raise Error(f"expression '{expr}': unexpected '{peek()[1]}'")
    return value


def lookup(path, ctx, expr):
    parts = path.split(".")
    if parts[0] not in ctx:
        raise Error(f"expression '{expr}': check-ci does not simulate the context '{parts[0]}'")
    value = ctx
    for p in parts:
        value = value.get(p) if isinstance(value, dict) else None
    return value


def truthy(v):
    return v not in (None, False, "", 0)


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def substitute(s, ctx, status="success"):
    """${{ expr }} replaced by its value, as GitHub does before a step runs."""
    if s is None:
        return None
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: text(evaluate(m.group(1), ctx, status)), str(s))


def condition(cond, ctx, status):
    """Whether a step with `if: cond` runs; without a status function GitHub adds success()."""
    if cond is None:
        return status == "success"
    if isinstance(cond, bool):
        return cond and status == "success"
    expr = str(cond).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", expr, re.S)
    if m:
        expr = m.group(1)
    if not re.search(r"\b(always|success|failure|cancelled)\s*\(", expr):
        expr = f"success() && ({expr})"
    return truthy(evaluate(expr, ctx, status))


# ---- the job -----------------------------------------------------------------------------------

def run_job(doc, file, job_name, state):
    wf = workflows(doc)
    if file not in wf:
        raise Error(f"{doc}: no workflow .github/workflows/{file}")
    w = wf[file]
    check_keys(file, w, {"name", True, "on", "permissions", "env", "jobs"})
    jobs = w.get("jobs") or {}
    if job_name not in jobs:
        raise Error(f"{file}: no job '{job_name}'")
    job = jobs[job_name]
    check_keys(f"{file}: job {job_name}", job, {"name", "runs-on", "permissions", "env", "steps"})
    steps = job.get("steps") or []

    for d in ("home", "workspace", "temp"):
        shutil.rmtree(state[d], ignore_errors=True)
        os.makedirs(state[d])
    home, ws, temp = state["home"], state["workspace"], state["temp"]

    wf_env = {str(k): str(v) for k, v in (w.get("env") or {}).items()}
    for k, v in state.get("env_override", {}).items():
        if k not in wf_env:
            raise Error(f"{file}: the workflow has no env {k} for check-ci to point elsewhere")
        wf_env[k] = v
    permissions = dict(w.get("permissions") or {})
    permissions.update(job.get("permissions") or {})

    github = dict(state["github"])
    github.update({"workspace": ws, "job": job_name,
                   "workflow": w.get("name", file)})
    ctx = {"github": github, "env": {}, "steps": {},
           "runner": {"os": "Linux", "arch": "X64", "temp": temp},
           "secrets": {"GITHUB_TOKEN": github["token"]}}
    env = dict(os.environ)
    env.update({
        "HOME": home, "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ws,
        "RUNNER_TEMP": temp, "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
        "GITHUB_EVENT_NAME": github["event_name"], "GITHUB_BASE_REF": github["base_ref"],
        "GITHUB_HEAD_REF": github["head_ref"], "GITHUB_REF": github["ref"],
        "GITHUB_SHA": github["sha"], "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_JOB": job_name, "GITHUB_WORKFLOW": str(w.get("name", file)),
    })
    path_prefix = list(state.get("path_prefix", []))
    job_env = {}

    def expanded_env(step_env):
        ctx["env"] = {}
        for layer in (wf_env, job.get("env") or {}, job_env, step_env or {}):
            for k, v in layer.items():
                ctx["env"][str(k)] = substitute(v, ctx)
        return ctx["env"]

    status = "success"
    caches_to_save = []
    summary = []
    for n, step in enumerate(steps, 1):
        check_keys(f"{file}: job {job_name}, step {n}", step,
                   {"name", "id", "if", "run", "uses", "with", "env", "shell",
                    "working-directory", "continue-on-error"})
        name = step.get("name") or step.get("run", "").split("\n")[0] or step.get("uses")
        label = f"{file} {job_name} step {n}: {name}"
        step_env = expanded_env(step.get("env"))
        if not condition(step.get("if"), ctx, status):
            print(f"== {label}: skipped (if: {step.get('if', 'success()')})", flush=True)
            summary.append(f"  skipped  {name}")
            continue
        print(f"== {label}", flush=True)
        start = time.monotonic()
        outputs = {}
        if "uses" in step:
            ok = action(step, ctx, state, ws, home, outputs, caches_to_save, label)
        else:
            ok = run_step(step, ctx, env, step_env, path_prefix, job_env, outputs, ws, temp, n,
                          permissions, label)
        if "id" in step:
            ctx["steps"][step["id"]] = {"outputs": outputs,
                                        "outcome": "success" if ok else "failure"}
        took = time.monotonic() - start
        summary.append(f"{took:7.1f} s  {name}{'' if ok else '  (FAILED)'}")
        print(f"== {label}: {'done' if ok else 'FAILED'} in {took:.1f} s", flush=True)
        if not ok and step.get("continue-on-error") is not True:
            status = "failure"
    if status == "success":
        for key, paths in caches_to_save:
            save_cache(state, key, paths, home)
    print(f"== {file} job {job_name}: {status}")
    print("\n".join(summary))
    return status == "success"


def run_step(step, ctx, env, step_env, path_prefix, job_env, outputs, ws, temp, n, permissions,
             label):
    shell = step.get("shell", "bash")
    if shell != "bash":
        raise Error(f"{label}: check-ci runs only shell: bash, not '{shell}'")
    script = substitute(step["run"], ctx)
    if re.search(r"\bgh pr comment\b", script) and permissions.get("pull-requests") != "write":
        raise Error(f"{label}: gh pr comment needs permissions: pull-requests: write")
    files = {k: os.path.join(temp, f"{k.lower()}-{n}") for k in
             ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")}
    for f in files.values():
        open(f, "w").close()
    path = os.path.join(temp, f"step-{n}.sh")
    with open(path, "w") as f:
        f.write(script)
    e = dict(env)
    e.update(job_env)
    e.update(step_env)
    e.update(files)
    # One summary file for the job (GitHub keeps one per step and shows them in order).
    e["GITHUB_STEP_SUMMARY"] = os.path.join(temp, "job-summary.md")
    e["PATH"] = os.pathsep.join(path_prefix + [env["PATH"]])
    cwd = os.path.join(ws, step.get("working-directory", "."))
    ok = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", path],
                        cwd=cwd, env=e).returncode == 0
    outputs.update(key_values(files["GITHUB_OUTPUT"]))
    job_env.update(key_values(files["GITHUB_ENV"]))
    for line in open(files["GITHUB_PATH"]):
        if line.strip():
            path_prefix.insert(0, line.strip())
    return ok


def key_values(file):
    """NAME=value lines and NAME<<DELIMITER blocks, as GitHub reads GITHUB_OUTPUT and GITHUB_ENV."""
    values, lines = {}, open(file).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def action(step, ctx, state, ws, home, outputs, caches_to_save, label):
    uses = step["uses"]
    with_ = {str(k): substitute(v, ctx) for k, v in (step.get("with") or {}).items()}
    name = uses.split("@")[0]
    if name == "actions/checkout":
        check_keys(f"{label}: with", with_, {"fetch-depth"})
        depth = int(with_.get("fetch-depth", "1"))
        git = ["git", "-C", ws]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["remote", "add", "origin", state["origin"]], check=True)
        ref = state["ref"]
        refspecs = [f"+{ref}:refs/remotes/{ref[len('refs/'):]}"]
        if depth == 0:
            refspecs.insert(0, "+refs/heads/*:refs/remotes/origin/*")
            fetch = git + ["fetch", "-q", "origin"] + refspecs
        else:
            fetch = git + ["fetch", "-q", f"--depth={depth}", "origin"] + refspecs
        subprocess.run(fetch, check=True)
        subprocess.run(git + ["checkout", "-q", "--detach", f"refs/remotes/{ref[len('refs/'):]}"],
                       check=True)
        print(f"checkout: {state['ref']} at "
              f"{'full history' if depth == 0 else f'depth {depth}'}")
        return True
    if name == "actions/cache":
        check_keys(f"{label}: with", with_, {"path", "key"})
        paths = [expand(p, home) for p in with_["path"].split("\n") if p.strip()]
        key = with_["key"]
        if re.search(r"-$|--", key):
            raise Error(f"{label}: the cache key '{key}' has an empty part")
        stored = os.path.join(state["cache_dir"], key)
        if os.path.isdir(stored):
            for i, p in enumerate(paths):
                shutil.rmtree(p, ignore_errors=True)
                shutil.copytree(os.path.join(stored, str(i)), p, symlinks=True)
            outputs["cache-hit"] = "true"
            print(f"cache: restored {key}")
        else:
            outputs["cache-hit"] = ""
            caches_to_save.append((key, paths))
            print(f"cache: no entry {key}; saved at the end of a successful job")
        return True
    if name == "actions/upload-artifact":
        check_keys(f"{label}: with", with_, {"name", "path"})
        dest = os.path.join(state["artifact_dir"], ctx["github"]["job"], with_["name"])
        found = False
        for p in with_["path"].split("\n"):
            p = p.strip()
            if not p:
                continue
            src = os.path.join(ws, expand(p, home))
            if os.path.isdir(src) and os.listdir(src):
                shutil.copytree(src, dest, dirs_exist_ok=True)
                found = True
            elif os.path.isfile(src):
                os.makedirs(dest, exist_ok=True)
                shutil.copy(src, dest)
                found = True
        if not found:
            print(f"upload-artifact: no files found at '{with_['path']}'", file=sys.stderr)
            return False
        print(f"upload-artifact: {with_['name']}: {', '.join(sorted(os.listdir(dest)))}")
        return True
    raise Error(f"{label}: check-ci does not simulate the action '{uses}'")


def expand(p, home):
    p = p.strip()
    return home + p[1:] if p == "~" or p.startswith("~/") else p


def save_cache(state, key, paths, home):
    stored = os.path.join(state["cache_dir"], key)
    for i, p in enumerate(paths):
        if not os.path.exists(p):
            print(f"cache: nothing at {p}; {key} not saved", file=sys.stderr)
            return
    for i, p in enumerate(paths):
        shutil.copytree(p, os.path.join(stored, str(i)), symlinks=True)
    print(f"cache: saved {key}")


# ---- GitLab CI ---------------------------------------------------------------------------------

def run_gitlab_job(doc, job_name, state):
    """One job of the `# .gitlab-ci.yml` block, as a Docker executor on the image would run it for
    a merge request pipeline (this machine stands for the image: check-ci runs on Debian 12)."""
    ci = blocks(doc).get(".gitlab-ci.yml")
    if ci is None:
        raise Error(f"{doc}: no ```yaml block starting with '# .gitlab-ci.yml'")
    if job_name not in ci or job_name.startswith("."):
        raise Error(f".gitlab-ci.yml: no job '{job_name}'")
    job = {}
    own = ci[job_name]
    check_keys(f".gitlab-ci.yml: job {job_name}", own,
               {"extends", "image", "rules", "before_script", "script", "after_script",
                "artifacts", "variables"})
    if "extends" in own:
        template = ci.get(own["extends"])
        if template is None:
            raise Error(f".gitlab-ci.yml: job {job_name} extends a missing '{own['extends']}'")
        check_keys(f".gitlab-ci.yml: {own['extends']}", template,
                   {"image", "rules", "before_script", "script", "after_script", "artifacts",
                    "variables"})
        job.update(template)
    variables = dict(job.get("variables") or {})
    job.update(own)
    variables.update(own.get("variables") or {})
    image = str(job.get("image", ""))
    if not re.fullmatch(r"debian:12(\.\d+)?(-slim)?", image):
        raise Error(f".gitlab-ci.yml: job {job_name}: check-ci runs on Debian 12, not '{image}'")

    for d in ("home", "workspace", "temp"):
        shutil.rmtree(state[d], ignore_errors=True)
        os.makedirs(state[d])
    home, ws, temp = state["home"], state["workspace"], state["temp"]
    env = dict(os.environ)
    env.update({str(k): str(v) for k, v in (ci.get("variables") or {}).items()})
    for k, v in state.get("env_override", {}).items():
        if k not in env:
            raise Error(f".gitlab-ci.yml: no variable {k} for check-ci to point elsewhere")
        env[k] = v
    env.update({str(k): str(v) for k, v in variables.items()})
    env.update(state["gitlab"])
    env.update({"HOME": home, "CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": ws,
                "CI_JOB_NAME": job_name})
    env["PATH"] = os.pathsep.join(state.get("path_prefix", []) + [env["PATH"]])

    rules = job.get("rules") or []
    if rules and not any(gitlab_rule(r, env) for r in rules):
        raise Error(f".gitlab-ci.yml: job {job_name} would not run in a merge request pipeline")

    # The runner's checkout: the merge request's branch, GIT_DEPTH commits deep (GitLab's
    # default 20; 0 for the whole history).
    depth = int(env.get("GIT_DEPTH", "20"))
    git = ["git", "-C", ws]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["remote", "add", "origin", state["origin"]], check=True)
    branch = env["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"]
    refspec = f"+refs/heads/{branch}:refs/remotes/origin/{branch}"
    subprocess.run(git + ["fetch", "-q"] + ([f"--depth={depth}"] if depth else []) +
                   ["origin", refspec], check=True)
    subprocess.run(git + ["checkout", "-q", "--detach", f"refs/remotes/origin/{branch}"],
                   check=True)

    def shell(lines, name):
        path = os.path.join(temp, f"{name}.sh")
        with open(path, "w") as f:
            f.write("set -eo pipefail\n")
            for line in lines:
                f.write(f"printf '%s\\n' {shlex.quote('$ ' + str(line))}\n{line}\n")
        start = time.monotonic()
        print(f"== .gitlab-ci.yml {job_name}: {name}", flush=True)
        ok = subprocess.run(["bash", "--noprofile", "--norc", path], cwd=ws, env=env).returncode == 0
        print(f"== .gitlab-ci.yml {job_name}: {name}: {'done' if ok else 'FAILED'} in "
              f"{time.monotonic() - start:.1f} s", flush=True)
        return ok

    ok = shell(list(job.get("before_script") or []) + list(job.get("script") or []), "script")
    after_ok = shell(list(job.get("after_script") or []), "after_script")
    artifacts = job.get("artifacts") or {}
    if artifacts:
        check_keys(f".gitlab-ci.yml: job {job_name}: artifacts", artifacts,
                   {"when", "paths", "reports"})
        if ok or artifacts.get("when") == "always":
            dest = os.path.join(state["artifact_dir"], job_name)
            paths = list(artifacts.get("paths") or [])
            paths += list((artifacts.get("reports") or {}).values())
            for p in paths:
                src = os.path.join(ws, p)
                if not os.path.exists(src):
                    print(f"artifacts: {p}: no matching files", file=sys.stderr)
                    ok = False
                    continue
                target = os.path.join(dest, os.path.normpath(p))
                if os.path.isdir(src):
                    shutil.copytree(src, target, dirs_exist_ok=True)
                else:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copy(src, target)
            print(f"artifacts: uploaded {', '.join(str(p) for p in paths)}")
    if not after_ok:
        print(f"check-ci: after_script of {job_name} failed", file=sys.stderr)
        ok = False   # GitLab only warns; check-ci wants the report collected
    print(f"== .gitlab-ci.yml job {job_name}: {'success' if ok else 'failure'}")
    return ok


def gitlab_rule(rule, env):
    check_keys("a rule of .gitlab-ci.yml", rule, {"if"})
    m = re.fullmatch(r'\s*\$(\w+)\s*(==|!=)\s*"([^"]*)"\s*', str(rule["if"]))
    if not m:
        raise Error(f".gitlab-ci.yml: check-ci does not evaluate the rule if: {rule['if']}")
    equal = env.get(m.group(1), "") == m.group(3)
    return equal if m.group(2) == "==" else not equal


def load_state(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError) as e:
        raise Error(f"cannot read the state file '{path}': {e}")


def main(argv):
    try:
        if len(argv) == 2 and argv[0] == "list":
            for file, w in workflows(argv[1]).items():
                for job in (w.get("jobs") or {}):
                    print(file, job)
            return 0
        if len(argv) == 5 and argv[0] == "run":
            state = load_state(argv[4])
            return 0 if run_job(argv[1], argv[2], argv[3], state) else 1
        if len(argv) == 4 and argv[0] == "gitlab":
            state = load_state(argv[3])
            return 0 if run_gitlab_job(argv[1], argv[2], state) else 1
        print("usage: run-workflow.py list DOC | run DOC FILE JOB STATE | gitlab DOC JOB STATE",
              file=sys.stderr)
        return 2
    except Error as e:
        print(f"check-ci: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
