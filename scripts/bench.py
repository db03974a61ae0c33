#!/usr/bin/env python3
"""Runs the generator's benchmarks and prints one table (Markdown).

- criterion (`cargo bench -p lotinfo-codegen --bench generation`): generation end to end and stage
  by stage (load, lower, emit, render) on spec/lotinfo.yaml and the corpus's three largest
  documents, and `check` on an unchanged tree; the table shows criterion's point estimates;
- peak memory of one generation by the release binary, read from the kernel (getrusage of the
  child), beside the input's size;
- the size of the generated crate: files, lines, and items (`pub struct`, `pub enum`, `pub fn`,
  `pub async fn`).

Usage: scripts/bench.py [--quick]   (--quick: shorter criterion runs, for a first look)
Not run by CI: timings belong in docs/performance.md with the command that produced them.
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [
    ("lotinfo", "spec/lotinfo.yaml"),
    ("stripe", "tests/corpus/apisguru-stripe.com.json"),
    ("jira", "tests/corpus/apisguru-atlassian.com-jira.json"),
    ("codat", "tests/corpus/apisguru-codat.io-accounting.json"),
]
STAGES = ["end_to_end", "load", "lower", "emit", "render"]
ITEM = re.compile(r"^\s*pub (?:async )?(?:struct|enum|fn|type) ", re.M)


def criterion_estimate(group: str, bench: str) -> float | None:
    """The point estimate of the mean, in milliseconds, criterion saved for `group/bench`."""
    path = ROOT / "target" / "criterion" / group / bench / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["mean"]["point_estimate"] / 1e6


def peak_memory_kib(spec: Path, out: Path) -> int:
    """Peak resident memory of one generation, in KiB, measured in a fresh child process."""
    binary = ROOT / "target" / "release" / "lotinfo-codegen"
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(str(binary), [str(binary), "generate", "--spec", str(spec), "--out", str(out),
                               "--crate-name", "bench-client"])
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"generating {spec} failed")
    return usage.ru_maxrss


def crate_size(folder: Path) -> tuple[int, int, int]:
    files = lines = items = 0
    for path in folder.rglob("*.rs"):
        text = path.read_text(encoding="utf-8")
        files += 1
        lines += text.count("\n")
        items += len(ITEM.findall(text))
    return files, lines, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bench = ["cargo", "bench", "--locked", "-p", "lotinfo-codegen", "--bench", "generation", "--"]
    if args.quick:
        bench += ["--warm-up-time", "1", "--measurement-time", "3"]
    subprocess.run(bench, cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--locked", "--release", "-q", "-p", "lotinfo-codegen"], cwd=ROOT, check=True)

    print("\n| document | size | end to end | load | lower | emit | render | peak memory | ×input | files | lines | items |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, relative in DOCUMENTS:
        spec = ROOT / relative
        size_kib = spec.stat().st_size / 1024
        times = [criterion_estimate(f"generate_{name}", stage) for stage in STAGES]
        with tempfile.TemporaryDirectory() as out:
            peak = peak_memory_kib(spec, Path(out))
            files, lines, items = crate_size(Path(out))
        cells = [f"{t:.1f} ms" if t is not None else "—" for t in times]
        print(f"| {name} | {size_kib:.0f} KiB | " + " | ".join(cells)
              + f" | {peak / 1024:.0f} MiB | {peak / size_kib:.1f} | {files} | {lines} | {items} |")
    check = criterion_estimate("check_lotinfo", "")
    if check is None:
        check = criterion_estimate("check", "lotinfo")
    print(f"\n`check` of spec/lotinfo.yaml on an unchanged tree: "
          + (f"{check:.1f} ms" if check is not None else "—"))


if __name__ == "__main__":
    main()
