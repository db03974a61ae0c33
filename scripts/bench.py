#!/usr/bin/env python3
"""Runs the generator's benchmarks and prints one table (Markdown).

- criterion (`cargo bench -p lotinfo-codegen --bench generation`): generation end to end and stage
  by stage (load, lower, emit, render) on spec/lotinfo.yaml and the corpus's three largest
  documents, and `check` on an unchanged tree; the table shows criterion's point estimates;
- spec/lotinfo.yaml through the release binary as a user runs it: `generate` into an empty folder
  and `check` of the checked-in crate, each a whole process (median of 31 runs);
- peak memory of one generation, beside the input's size: the heap the generation holds at its
  peak (`cargo bench -p lotinfo-codegen --bench memory`, which counts every allocation of the
  command line's allocator), and the release binary's whole process as the kernel sees it (GNU
  time's maximum resident size, which adds the binary, the threads' stacks and what the
  allocator keeps in reserve);
- the size of the generated crate: files, lines, and items (`pub struct`, `pub enum`, `pub fn`,
  `pub async fn`);
- the peers, in the same run (unless --no-peers): this generator's command line, progenitor
  (`cargo progenitor`) and openapi-generator's `rust` generator, each as a whole process on the
  shared comparison document (../shared/bench-specs/oxide-nexus.json, which progenitor accepts)
  and the corpus's three largest: generation time (median of several runs, each into a new folder
  on a memory file system when the machine has one, for every generator alike; see
  `timed_outputs_root`, and each run's time is printed on stderr), peak memory, lines
  of Rust out, and the time of `cargo check` and `cargo build --release` of each generated crate
  from a warm dependency cache (the crate is built once, its lib.rs touched, and the second build
  timed, so only the crate itself is compiled; the release build on the comparison document
  only, as it takes many minutes on the others). Ratios are printed beside the times: the machines
  are noisy, the ratios much less so.

Usage: scripts/bench.py [--quick] [--no-peers] [--no-release] [--no-compile] [--only NAME]
  --quick       shorter criterion runs and one generation per peer, for a first look
  --no-peers    only this generator's benchmarks
  --no-release  no `cargo build --release` timings (they take minutes on 2 cores)
  --no-compile  no compile timings of the generated crates at all
  --only NAME   only this document (lotinfo, oxide, stripe, jira, codat)
The peers are installed on first use by scripts/peers.py's helpers (crates.io and PyPI). Not run
by CI: the numbers and the command that produced them go in docs/performance.md.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402  (the peers' installation and command lines live there)
from cargo_target import target_dir  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OXIDE = "../shared/bench-specs/oxide-nexus.json"
DOCUMENTS = [
    ("lotinfo", "spec/lotinfo.yaml"),
    ("oxide", OXIDE),
    ("stripe", "tests/corpus/apisguru-stripe.com.json"),
    ("jira", "tests/corpus/apisguru-atlassian.com-jira.json"),
    ("codat", "tests/corpus/apisguru-codat.io-accounting.json"),
]
PEER_DOCUMENTS = [d for d in DOCUMENTS if d[0] != "lotinfo"]
GENERATORS = ["lotinfo-codegen", "progenitor", "openapi-generator"]
SCRATCH = Path("/tmp/bench-peers")
STAGES = ["end_to_end", "load", "lower", "emit", "render"]
ITEM = re.compile(r"^\s*pub (?:async )?(?:struct|enum|fn|type) ", re.M)
# Outputs removed only when the bench ends (see `set_aside`).
LEFT_FOR_THE_END: list[Path] = []


def timed_outputs_root() -> str | None:
    """Where the timed generations write: a memory file system when the machine has one (Linux's
    `/dev/shm`), for every generator alike; otherwise the system's temporary folder.

    On this project's machines (ext4 without a journal) a file is made slowly while the inode
    table still holds many recently freed inodes: each new file's inode is looked for past every
    free one deleted in the last minute, or in the last six while its table block is not yet
    written back (perf: `recently_deleted` and `find_get_block_common` under `ext4_create`, half
    of a generation's time). The removal of a previous bench's outputs (some 20,000 files from
    this generator's and openapi-generator's runs) made this generator's next Stripe runs take
    0.37, 0.64 and 0.96 s in three benches in a row, against 0.26–0.30 s on a settled disk and
    the same 0.26 s in process: the disk's history, not the generators, decided the ratio. Both
    generators write every file of their output there all the same (this one 1,300 files for
    Stripe, openapi-generator 3,200)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return str(shm)
    return None


def criterion_estimate(group: str, bench: str) -> float | None:
    """The point estimate of the mean, in milliseconds, criterion saved for `group/bench`."""
    path = target_dir() / "criterion" / group / bench / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["mean"]["point_estimate"] / 1e6


OURS = target_dir() / "release" / "lotinfo-codegen"


def measured(command, log: Path) -> tuple[int, float, int]:
    """Runs a command with its output in `log`: (exit code, wall seconds, peak resident memory in
    KiB). A process forked from this Python script starts with the script's pages counted as its
    own (the kernel carries a forked process's high-water mark across exec), which alone reads as
    about 14 MiB; so the peak is taken by GNU time, a small process, when the machine has it, and
    otherwise read from the kernel for the child (getrusage), which overstates small peaks."""
    gnu_time = Path("/usr/bin/time")
    with tempfile.TemporaryDirectory() as scratch, open(log, "w", encoding="utf-8") as out:
        report = Path(scratch) / "peak"
        wrapped = [str(gnu_time), "-f", "%M", "-o", str(report)] + list(command) \
            if gnu_time.exists() else list(command)
        start = time.monotonic()
        process = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - start
        peak = usage.ru_maxrss
        if gnu_time.exists() and report.exists():
            lines = report.read_text().split()
            peak = int(lines[-1]) if lines and lines[-1].isdigit() else peak
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, seconds, peak


def set_aside(folder: Path) -> None:
    """Moves a previous output out of the way, to be removed when the bench ends ([`removed_at_end`]).
    The machines' ext4 has no journal, and without one ext4 will not reuse an inode freed in the
    last minute (six while its inode table block is not written back): making a file, it looks up
    each recently freed inode of the group in the block cache and skips it. A generation that creates 1,300 files right after the previous run's
    1,300 were removed spent up to a second of system time in that search (perf: `recently_deleted`
    under `ext4_create`), so removing outputs between runs timed the bench's own clean-up as part
    of the next generation, of whichever generator, and made the times swing by half. Renaming
    frees no inode."""
    if folder.exists():
        aside = Path(tempfile.mkdtemp(prefix="set-aside-", dir=folder.parent))
        folder.rename(aside / folder.name)
        LEFT_FOR_THE_END.append(aside)


def fresh_folder(prefix: str) -> Path:
    """A new, empty folder for one run's output (see [`timed_outputs_root`]), removed when the
    bench ends."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=timed_outputs_root()))
    LEFT_FOR_THE_END.append(folder)
    return folder


def removed_at_end() -> None:
    """Removes every folder [`set_aside`] and [`fresh_folder`] left, once nothing is timed any
    more, and has the disk write back what the removals changed, so that the freed inodes count
    as recently freed for one minute rather than six (see [`timed_outputs_root`])."""
    for folder in LEFT_FOR_THE_END:
        shutil.rmtree(folder, ignore_errors=True)
    LEFT_FOR_THE_END.clear()
    os.sync()


def generate_command(generator: str, spec: Path, out: Path, name: str) -> list[str]:
    if generator == "lotinfo-codegen":
        return [str(OURS), "generate", "--spec", str(spec), "--out", str(out), "--crate-name",
                name]
    return peers.generate_command(generator, spec, out, name)


def heap_peaks(only: str | None) -> dict[str, int]:
    """Peak heap bytes of one generation per document, from the `memory` benchmark."""
    command = ["cargo", "bench", "--locked", "-q", "-p", "lotinfo-codegen", "--bench", "memory"]
    if only:
        command += ["--", only]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    peaks = {}
    for line in output.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == "memory":
            peaks[fields[1]] = int(fields[3])
    return peaks


def peak_memory_kib(spec: Path, out: Path) -> int:
    """Peak resident memory of one generation by the release binary, in KiB."""
    with tempfile.TemporaryDirectory() as logs:
        code, _, peak = measured(generate_command("lotinfo-codegen", spec, out, "bench-client"),
                                 Path(logs) / "log")
    if code != 0:
        sys.exit(f"generating {spec} failed")
    return peak


def whole_process_lotinfo(runs: int) -> None:
    """The command line as a user runs it on spec/lotinfo.yaml: `generate` into an empty folder and
    `check` of the checked-in crate, each a whole process (start-up, reading, writing, exit), the
    median of `runs` after one untimed run."""
    def median_ms(command: list[str], into_fresh_folder: bool) -> float:
        times = []
        for run in range(runs + 1):
            out = ["--out", str(fresh_folder("bench-lotinfo-") / "client")] \
                if into_fresh_folder else []
            start = time.monotonic()
            subprocess.run(command + out, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            if run > 0:
                times.append((time.monotonic() - start) * 1e3)
        return statistics.median(times)
    generate = median_ms([str(OURS), "generate"], True)
    check = median_ms([str(OURS), "check"], False)
    print(f"\nspec/lotinfo.yaml as a whole process (median of {runs}): `generate` into an empty "
          f"folder {generate:.1f} ms, `check` of the checked-in crate {check:.1f} ms")


def crate_size(folder: Path) -> tuple[int, int, int]:
    files = lines = items = 0
    for path in folder.rglob("*.rs"):
        text = path.read_text(encoding="utf-8")
        files += 1
        lines += text.count("\n")
        items += len(ITEM.findall(text))
    return files, lines, items


def timed_build(command: list[str], crate: Path, env: dict, log: Path) -> float | None:
    """Seconds of `command` (a cargo build of one crate) after a first, untimed run that builds the
    dependencies and the crate; lib.rs is touched in between so that only the crate is rebuilt.
    None when the crate does not build."""
    first = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                           stderr=open(log, "w", encoding="utf-8"))
    if first.returncode != 0:
        return None
    (crate / "src" / "lib.rs").touch()
    start = time.monotonic()
    second = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start if second.returncode == 0 else None


def peer_row(generator: str, name: str, spec: Path, runs: int, release: bool,
             compile_: bool = True) -> dict:
    """One generator on one document: generation (median time, peak memory), output size, and
    crate-only check and release build times."""
    workspace = SCRATCH / generator
    crate_dir = workspace / "crates" / f"bench_{name}"
    logs = workspace / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    times, peak, code = [], 0, 0
    set_aside(crate_dir)
    for run in range(runs):
        # Each run into a folder never used before (see `timed_outputs_root`).
        out = fresh_folder(f"bench-{generator}-{name}-") / "out"
        code, seconds, memory = measured(
            generate_command(generator, spec, out, f"bench_{name}"),
            logs / f"{name}.generate.{run}.log")
        if code != 0 or not (out / "Cargo.toml").exists():
            return {"generated": False, "note": f"generation fails (exit {code}, see {logs})"}
        times.append(seconds)
        peak = max(peak, memory)
    print(f"{generator} on {name}: " + ", ".join(f"{t:.2f} s" for t in times), file=sys.stderr)
    # The crate that is measured and compiled, made once more, untimed, where the workspace is.
    code, _, _ = measured(generate_command(generator, spec, crate_dir, f"bench_{name}"),
                          logs / f"{name}.generate.kept.log")
    if code != 0 or not (crate_dir / "Cargo.toml").exists():
        return {"generated": False, "note": f"generation fails (exit {code}, see {logs})"}
    files, lines, items = crate_size(crate_dir)
    row = {"generated": True, "seconds": statistics.median(times), "peak_kib": peak,
           "lines": lines, "items": items}
    if not compile_:
        return row
    peers.write_workspace(workspace, [crate_dir.name])
    env = peers.cargo_env(workspace, 2)
    manifest = ["--manifest-path", str(workspace / "Cargo.toml"), "-p", crate_dir.name]
    row["check"] = timed_build(["cargo", "check", "-q"] + manifest, crate_dir, env,
                               logs / f"{name}.check.log")
    if release and row["check"] is not None:
        row["release"] = timed_build(["cargo", "build", "-q", "--release"] + manifest, crate_dir,
                                     env, logs / f"{name}.release.log")
    return row


def ratio(numerator, denominator) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return ""
    return f" ({numerator / denominator:.1f}×)"


def peers_table(runs: int, release: bool, compile_: bool = True) -> None:
    """The peers beside this generator, on the large documents, with ratios to this generator."""
    versions = {"lotinfo-codegen": "release build", "progenitor": peers.ensure_progenitor(),
                "openapi-generator": peers.ensure_openapi_generator()}
    print("\n## Peers (whole process; ratio = the peer's value / this generator's)\n")
    print("| document | generator | generation | peak memory | lines | check | release build |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, relative in PEER_DOCUMENTS:
        spec = (ROOT / relative).resolve()
        if not spec.exists():
            print(f"| {name} | — | {relative} is missing | | | | |")
            continue
        rows = {g: peer_row(g, name, spec, runs, release and name == "oxide", compile_)
                for g in GENERATORS}
        ours = rows["lotinfo-codegen"]
        for generator in GENERATORS:
            row = rows[generator]
            label = f"{generator} {versions[generator]}"
            if not row["generated"]:
                print(f"| {name} | {label} | {row['note']} | | | | |")
                continue
            mine = generator == "lotinfo-codegen"
            def cell(key, unit, scale=1.0):
                value = row.get(key)
                if value is None:
                    return "does not compile" if key == "check" and compile_ else "—"
                text = f"{value * scale:.2f} {unit}" if unit == "s" else f"{value * scale:.0f} {unit}"
                return text + ("" if mine else ratio(value, ours.get(key)))
            print(f"| {name} | {label} | {cell('seconds', 's')} | {cell('peak_kib', 'MiB', 1 / 1024)} "
                  f"| {cell('lines', '')} | {cell('check', 's')} | {cell('release', 's')} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-release", action="store_true")
    parser.add_argument("--no-compile", action="store_true")
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    if args.only:
        global DOCUMENTS, PEER_DOCUMENTS
        DOCUMENTS = [d for d in DOCUMENTS if d[0] == args.only]
        PEER_DOCUMENTS = [d for d in PEER_DOCUMENTS if d[0] == args.only]
    bench = ["cargo", "bench", "--locked", "-p", "lotinfo-codegen", "--bench", "generation", "--"]
    if args.quick:
        bench += ["--warm-up-time", "1", "--measurement-time", "3"]
    if args.only:
        # criterion's filter: generate/NAME/... (and check/lotinfo for lotinfo).
        bench.append(f"/{args.only}")
    subprocess.run(bench, cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--locked", "--release", "-q", "-p", "lotinfo-codegen"], cwd=ROOT, check=True)

    heaps = heap_peaks(args.only)

    print("\n| document | size | end to end | load | lower | emit | render | peak heap | ×input | peak resident | ×input | files | lines | items |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, relative in DOCUMENTS:
        spec = ROOT / relative
        if not spec.exists():
            print(f"| {name} | {relative} is missing |")
            continue
        size_kib = spec.stat().st_size / 1024
        times = [criterion_estimate(f"generate_{name}", stage) for stage in STAGES]
        out = fresh_folder(f"bench-{name}-")
        peak = peak_memory_kib(spec, out)
        files, lines, items = crate_size(out)
        cells = [f"{t:.1f} ms" if t is not None else "—" for t in times]
        heap = heaps.get(name)
        heap_cells = (f"{heap / 2**20:.1f} MiB | {heap / 1024 / size_kib:.1f}" if heap is not None
                      else "— | —")
        print(f"| {name} | {size_kib:.0f} KiB | " + " | ".join(cells)
              + f" | {heap_cells} | {peak / 1024:.0f} MiB | {peak / size_kib:.1f}"
              + f" | {files} | {lines} | {items} |")
    if any(name == "lotinfo" for name, _ in DOCUMENTS):
        whole_process_lotinfo(5 if args.quick else 31)
    check = criterion_estimate("check_lotinfo", "")
    if check is None:
        check = criterion_estimate("check", "lotinfo")
    print(f"\n`check` of spec/lotinfo.yaml on an unchanged tree: "
          + (f"{check:.1f} ms" if check is not None else "—"))
    if not args.no_peers:
        peers_table(1 if args.quick else 5, not args.no_release, not args.no_compile)


if __name__ == "__main__":
    try:
        main()
    finally:
        removed_at_end()
