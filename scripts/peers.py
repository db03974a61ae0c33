#!/usr/bin/env python3
"""Peer comparison: run two other Rust client generators on the corpus and check their output.

For every document in tests/corpus/ this runs
  - progenitor (`cargo progenitor`, from the crates.io package cargo-progenitor), and
  - openapi-generator's `rust` generator (`openapi-generator-cli`, from PyPI, in a venv),
records whether generation succeeded (exit code, 10-minute timeout) and how long it took, and
then runs `cargo check` on the generated crates: the crates of one generator form one cargo
workspace under /tmp/peers/<generator>/ with one shared target directory, checked with
`cargo check --workspace --keep-going --message-format=json`; each diagnostic is attributed to
its package. A crate compiles when it has no errors and cargo checked it; warnings are counted.

Results go to tests/corpus/peers-results.json (documents sorted by name). A run with --only or
with one --generator merges into the existing file rather than replacing it.

Not run by CI: it needs the two tools (installed on first use when missing), the network for
crates.io, and a long time (tens of minutes to hours on 2 cores). Heavy commands run under
`nice -n 19`. Target directories are deleted at the end unless --keep-target is given; the
generated crates and logs stay in /tmp/peers/ for inspection until the next run.

Usage: scripts/peers.py [--only SUBSTRING] [--generator progenitor|openapi-generator|all]
                        [--keep-target] [--jobs N]
"""

import argparse
import collections
import datetime
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
RESULTS = CORPUS / "peers-results.json"
SCRATCH = pathlib.Path("/tmp/peers")
VENV = pathlib.Path("/tmp/peers-venv")
OPENAPI_GENERATOR = VENV / "bin" / "openapi-generator-cli"
GENERATORS = ("progenitor", "openapi-generator")
GENERATE_TIMEOUT = 600  # seconds
NICE = ["nice", "-n", "19"]

# rustc's closing summaries ("3 warnings emitted", "aborting due to 2 previous errors") are
# diagnostics too; they are not counted.
SUMMARY = re.compile(r"^(\d+ warnings? emitted|aborting due to|could not compile|"
                     r"\d+ warnings? generated|For more information about)")


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def crate_name(document: pathlib.Path) -> str:
    """A package name valid for cargo and for both generators: lowercase, digits, underscores."""
    name = re.sub(r"[^a-z0-9]+", "_", document.stem.lower()).strip("_")
    return "peer_" + name


def run(command, cwd=None, env=None, timeout=None, log_file=None):
    """Runs a command in its own process group so that a timeout ends all of it (the PyPI
    wrapper of openapi-generator starts java as a child). Returns (returncode or None on
    timeout, seconds, stdout, stderr)."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, errors="replace",
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        code = None
    seconds = round(time.monotonic() - start, 1)
    if log_file is not None:
        log_file.write_text(f"$ {' '.join(map(str, command))}\n# exit {code}, {seconds} s\n"
                            f"--- stdout\n{stdout}\n--- stderr\n{stderr}\n", encoding="utf-8")
    return code, seconds, stdout, stderr


# ---------------------------------------------------------------------------------------------
# The tools


def ensure_progenitor() -> str:
    # `cargo progenitor --version` takes a value (the generated crate's version), so the tool's
    # own version comes from `cargo install --list`.
    probe = subprocess.run(["cargo", "progenitor", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        log("installing cargo-progenitor (cargo install cargo-progenitor --locked)")
        subprocess.run(NICE + ["cargo", "install", "cargo-progenitor", "--locked"], check=True)
    installed = subprocess.run(["cargo", "install", "--list"], capture_output=True, text=True,
                               check=True).stdout
    match = re.search(r"^cargo-progenitor v(\S+?):?$", installed, re.M)
    return match.group(1) if match else "unknown"


def ensure_openapi_generator() -> str:
    if not OPENAPI_GENERATOR.exists():
        log(f"installing openapi-generator-cli into {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(NICE + [str(VENV / "bin" / "pip"), "install", "-q", "openapi-generator-cli"],
                       check=True)
    probe = subprocess.run([str(OPENAPI_GENERATOR), "version"], capture_output=True, text=True,
                           check=True)
    return probe.stdout.strip().splitlines()[-1].strip()


def generate_command(generator: str, document: pathlib.Path, out: pathlib.Path, name: str):
    """The generator's command line (scripts/bench.py times it too, so it carries no `nice`)."""
    if generator == "progenitor":
        return ["cargo", "progenitor", "-i", str(document), "-o", str(out), "-n", name,
                       "-v", "0.1.0"]
    return [str(OPENAPI_GENERATOR), "generate", "-i", str(document), "-g", "rust",
                   "-o", str(out), "--package-name", name, "--skip-validate-spec"]


# ---------------------------------------------------------------------------------------------
# Checking a generator's crates


def write_workspace(workspace: pathlib.Path, names) -> None:
    members = "".join(f'    "crates/{n}",\n' for n in names)
    (workspace / "Cargo.toml").write_text(
        "# Written by scripts/peers.py: the crates one peer generator made from the corpus.\n"
        f'[workspace]\nresolver = "2"\nmembers = [\n{members}]\n', encoding="utf-8")


def cargo_env(workspace: pathlib.Path, jobs: int):
    return dict(os.environ, CARGO_TARGET_DIR=str(workspace / "target"), CARGO_INCREMENTAL="0",
                CARGO_BUILD_JOBS=str(jobs), CARGO_TERM_COLOR="never")


def loadable(workspace: pathlib.Path, names, env):
    """The crates whose manifests load and whose dependencies resolve, the others with the
    reason, and whether the loadable ones load together. A generated manifest that cargo
    rejects would stop the whole workspace, so such crates are found and left out."""
    write_workspace(workspace, names)
    code, _, _, stderr = run(["cargo", "metadata", "--format-version", "1"], cwd=workspace, env=env)
    if code == 0:
        return list(names), {}, True
    log("the workspace does not load; trying each crate alone")
    good, bad = [], {}
    for name in names:
        write_workspace(workspace, [name])
        code, _, _, stderr = run(["cargo", "metadata", "--format-version", "1"], cwd=workspace,
                                 env=env)
        if code == 0:
            good.append(name)
        else:
            lines = [l for l in stderr.splitlines() if l.strip()]
            bad[name] = "cargo cannot load the crate: " + (lines[0] if lines else "?")[:300]
    write_workspace(workspace, good)
    code, _, _, _ = run(["cargo", "metadata", "--format-version", "1"], cwd=workspace, env=env)
    if code != 0:
        log("the crates load alone but not together: checking them one at a time")
    return good, bad, code == 0


def parse_check(stdout: str, names):
    """Attributes the JSON messages of `cargo check` to the workspace's packages."""
    errors = collections.Counter()
    warnings = collections.Counter()
    first_error = {}
    checked = set()
    messages = collections.defaultdict(list)
    for line in stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        package = package_of(message.get("package_id", ""), names)
        if package is None:
            continue
        if message.get("reason") == "compiler-artifact":
            if "lib" in message["target"]["kind"] or "rlib" in message["target"]["kind"]:
                checked.add(package)
        elif message.get("reason") == "compiler-message":
            diagnostic = message["message"]
            level = diagnostic.get("level", "")
            text = diagnostic.get("message", "")
            if SUMMARY.match(text):
                continue
            if level.startswith("error"):
                errors[package] += 1
                first_error.setdefault(package, text)
            elif level == "warning":
                warnings[package] += 1
            if level.startswith("error") or level == "warning":
                messages[package].append(diagnostic.get("rendered") or text)
    return errors, warnings, checked, first_error, messages


def package_of(package_id: str, names):
    # package ids: "path+file:///tmp/peers/x/crates/NAME#0.1.0" (new) or
    # "NAME 0.1.0 (path+file:///...)" (old)
    match = re.search(r"/crates/([^/#\s)]+)", package_id)
    if match and match.group(1) in names:
        return match.group(1)
    return None


def check(generator: str, workspace: pathlib.Path, names, jobs: int):
    """cargo check over the generator's crates; returns {name: (compiles, errors, warnings, note)}."""
    env = cargo_env(workspace, jobs)
    outcome = {}
    good, bad, together = loadable(workspace, names, env)
    for name, note in bad.items():
        outcome[name] = (False, 1, 0, note)
    if not good:
        return outcome
    log(f"{generator}: cargo check of {len(good)} crates (this takes a while)")
    groups = [good] if together else [[name] for name in good]
    for group in groups:
        write_workspace(workspace, group)
        label = "check" if together else f"check-{group[0]}"
        code, seconds, stdout, _ = run(
            NICE + ["cargo", "check", "--workspace", "--keep-going", "--message-format=json"],
            cwd=workspace, env=env, log_file=workspace / "logs" / f"{label}.log")
        log(f"{generator}: cargo check of {len(group)} crate(s) finished in {seconds} s "
            f"(exit {code})")
        errors, warnings, checked, first_error, messages = parse_check(stdout, group)
        for name in group:
            (workspace / "logs" / f"{name}.check.txt").write_text("\n".join(messages[name]),
                                                                    encoding="utf-8")
            if errors[name]:
                outcome[name] = (False, errors[name], warnings[name],
                                 "first error: " + first_error[name][:300])
            elif name in checked:
                outcome[name] = (True, 0, warnings[name], None)
            else:
                outcome[name] = (False, 0, warnings[name],
                                 f"not checked: a dependency failed to build (see logs/{label}.log)")
    write_workspace(workspace, good)
    return outcome


# ---------------------------------------------------------------------------------------------


def run_generator(generator: str, documents, jobs: int):
    workspace = SCRATCH / generator
    crates = workspace / "crates"
    logs = workspace / "logs"
    crates.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    results, generated = {}, []
    for document in documents:
        name = crate_name(document)
        out = crates / name
        shutil.rmtree(out, ignore_errors=True)
        code, seconds, stdout, stderr = run(NICE + generate_command(generator, document, out, name),
                                       cwd=SCRATCH, timeout=GENERATE_TIMEOUT,
                                       log_file=logs / f"{name}.generate.txt")
        status = "timeout" if code is None else ("ok" if code == 0 else f"exit {code}")
        if status == "ok" and not (out / "Cargo.toml").exists():
            status = "exit 0, no Cargo.toml"
        result = {"generate": status, "compiles": None, "errors": 0, "warnings": 0,
                  "seconds": seconds}
        if status == "ok":
            generated.append(name)
        else:
            lines = [l.strip() for l in (stdout + "\n" + stderr).splitlines() if l.strip()]
            if lines:
                result["note"] = pick_generate_error(lines)[:300]
        results[document.name] = result
        log(f"{generator}: {document.name}: {status} in {seconds} s")
    if generated:
        outcome = check(generator, workspace, generated, jobs)
        for document in documents:
            name = crate_name(document)
            if name in outcome:
                compiles, errors, warnings, note = outcome[name]
                result = results[document.name]
                result.update(compiles=compiles, errors=errors, warnings=warnings)
                if note:
                    result["note"] = note
    return results


def pick_generate_error(lines):
    """The most telling line of a failed generator's stderr: progenitor's first "gen fail" line
    (it then ends with a bare "generation experienced errors"), a panic with its message (which
    follows on the next line), an error or exception line, else the last line."""
    failures = [l for l in lines if l.startswith("gen fail")]
    if failures:
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        return re.sub(r"(\\n|\s)+", " ", failures[0])[:240] + more
    for i, line in enumerate(lines):
        if "panicked" in line:
            return "panic: " + (lines[i + 1] if i + 1 < len(lines) else line)
    # openapi-generator (Java): the uncaught exception, and the innermost cause if any
    thrown = [i for i, l in enumerate(lines) if l.startswith("Exception in thread")]
    if thrown:
        causes = [l for l in lines[thrown[0]:] if l.startswith("Caused by:")]
        return lines[thrown[0]] + (" / " + causes[-1] if causes else "")
    for line in lines:
        if line.lower().startswith("error"):
            return line
    return lines[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="only documents whose file name contains this")
    parser.add_argument("--generator", choices=GENERATORS + ("all",), default="all")
    parser.add_argument("--keep-target", action="store_true",
                        help="keep /tmp/peers/<generator>/target after the run")
    parser.add_argument("--jobs", type=int, default=2, help="cargo build jobs (default 2)")
    args = parser.parse_args()

    generators = GENERATORS if args.generator == "all" else (args.generator,)
    documents = sorted(p for p in CORPUS.iterdir()
                       if p.suffix in (".json", ".yaml", ".yml") and p.name != RESULTS.name
                       and args.only in p.name)
    if not documents:
        print(f"no corpus document matches {args.only!r}", file=sys.stderr)
        return 2
    SCRATCH.mkdir(parents=True, exist_ok=True)

    existing = {}
    if RESULTS.exists():
        existing = json.loads(RESULTS.read_text(encoding="utf-8"))
    tools = dict(existing.get("tools", {}))
    results = {k: dict(v) for k, v in existing.get("results", {}).items()}

    started = time.monotonic()
    for generator in generators:
        tools[generator] = ensure_progenitor() if generator == "progenitor" \
            else ensure_openapi_generator()
        log(f"{generator} {tools[generator]}: {len(documents)} documents")
        for document_name, result in run_generator(generator, documents, args.jobs).items():
            results.setdefault(document_name, {})[generator] = result
        if not args.keep_target:
            shutil.rmtree(SCRATCH / generator / "target", ignore_errors=True)
        write(tools, results)  # after each generator, so a later failure loses nothing

    summary(results, generators, [d.name for d in documents])
    log(f"total {round(time.monotonic() - started)} s")
    return 0


def write(tools, results) -> None:
    document = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tools": {g: tools[g] for g in GENERATORS if g in tools},
        "results": {name: {g: results[name][g] for g in GENERATORS if g in results[name]}
                    for name in sorted(results)},
    }
    RESULTS.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {RESULTS.relative_to(ROOT)}")


def summary(results, generators, names) -> None:
    for generator in generators:
        rows = [results[n][generator] for n in names if generator in results.get(n, {})]
        generated = sum(1 for r in rows if r["generate"] == "ok")
        compiles = sum(1 for r in rows if r["compiles"])
        print(f"{generator}: generated {generated}/{len(rows)}, compiles {compiles}/{len(rows)}")


if __name__ == "__main__":
    sys.exit(main())
