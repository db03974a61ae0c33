#!/usr/bin/env python3
"""The corpus check: generate a crate for every document in tests/corpus/ and lint them all.

Every document must generate (exit 0) and its crate must pass `cargo clippy -- -D warnings`.
Constructs the generator degrades are reported by it as warnings; this script groups them by
kind. With --write-docs it rewrites docs/corpus.md from the results; without it, it fails when
docs/corpus.md is not what the results say, so the table stays true.

The peers' results (progenitor, openapi-generator), measured by hand with scripts/peers.py and
kept in tests/corpus/peers-results.json, are shown beside ours.

Usage: scripts/corpus.py [--write-docs] [--only SUBSTRING] [--render-only]
  --render-only  rewrite docs/corpus.md from the last run's results (corpus/results.json in cargo's target folder)
"""

import argparse
import collections
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

from cargo_target import target_dir

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
WORK = target_dir() / "corpus"
DOCS = ROOT / "docs" / "corpus.md"
PEERS = CORPUS / "peers-results.json"
RESULTS = WORK / "results.json"


def crate_dir_name(document: pathlib.Path) -> str:
    return re.sub(r"[^a-z0-9-]", "-", document.stem.lower())


def openapi_version(document: pathlib.Path) -> str:
    head = document.read_text(encoding="utf-8", errors="replace")[:4096]
    match = re.search(r'"?openapi"?\s*:\s*"?\'?([0-9.]+)', head)
    return match.group(1) if match else "?"


def warning_kind(line: str) -> str:
    """A warning without its pointer, its line and the names in it, so that warnings group by kind."""
    message = line.split(": warning: ", 1)[-1]
    message = re.sub(r"^#\S*: ", "", message)
    message = re.sub(r" \(line \d+, column \d+\)", "", message)
    message = re.sub(r"`[^`]*`", "`…`", message)
    return message.split("; hint:")[0].strip()


def generate(generator: pathlib.Path, document: pathlib.Path, out: pathlib.Path):
    crate = "corpus-" + out.name
    result = subprocess.run(
        [str(generator), "generate", "--spec", str(document.relative_to(ROOT)), "--out", str(out),
         "--crate-name", crate],
        cwd=ROOT, capture_output=True, text=True)
    warnings = [l for l in result.stderr.splitlines() if ": warning: " in l]
    errors = [l for l in result.stderr.splitlines() if ": error: " in l or "panicked" in l]
    return result.returncode, warnings, errors


def lines_of(crate: pathlib.Path) -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in crate.rglob("*.rs"))


def clippy(names):
    """Runs clippy on the corpus workspace; returns the crates with errors and the raw output."""
    members = ",\n".join(f'    "{n}"' for n in names)
    (WORK / "Cargo.toml").write_text(
        "# Written by scripts/corpus.py: the generated crates of the corpus.\n"
        f'[workspace]\nresolver = "2"\nmembers = [\n{members}\n]\n', encoding="utf-8")
    shutil.copy(ROOT / "Cargo.lock", WORK / "Cargo.lock")
    env = dict(os.environ, CARGO_TARGET_DIR=str(WORK / "target"))
    result = subprocess.run(
        ["cargo", "clippy", "--workspace", "--keep-going", "--message-format=json", "--", "-D", "warnings"],
        cwd=WORK, capture_output=True, text=True, env=env)
    failed = collections.defaultdict(list)
    for line in result.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("reason") != "compiler-message":
            continue
        diagnostic = message["message"]
        if diagnostic.get("level") in ("error", "warning"):
            package = message["package_id"]
            for name in names:
                if f"/{name}#" in package or package.endswith(f"/{name}") or f"corpus-{name}" in package:
                    failed[name].append(diagnostic.get("rendered") or diagnostic.get("message"))
    return failed, result


def peers_section(rows) -> list:
    """The three generators side by side, from tests/corpus/peers-results.json."""
    if not PEERS.exists():
        return []
    peers = json.loads(PEERS.read_text(encoding="utf-8"))
    results = peers.get("results", {})
    tools = peers.get("tools", {})
    names = ["progenitor", "openapi-generator"]

    def cell(result):
        if not result:
            return "not run"
        if result.get("generate") != "ok":
            return f"generate: {result.get('generate')}"
        return "compiles" if result.get("compiles") else f"does not compile ({result.get('errors', '?')} errors)"

    out = ["", "## Beside other generators", "",
           "Measured by hand with `scripts/peers.py` (not in CI) on the same documents; tool versions: " +
           ", ".join(f"{n} {tools.get(n, '?')}" for n in names) + f" ({peers.get('generated_at', '?')}). "
           "Ours must pass clippy with warnings denied; the peers only need to compile (`cargo check`).", ""]
    total = len(rows)
    ours = sum(1 for r in rows if r["ok"])
    rates = [f"lotinfo-codegen {ours}/{total}"]
    for n in names:
        ok = sum(1 for r in rows if results.get(r["document"], {}).get(n, {}).get("compiles"))
        rates.append(f"{n} {ok}/{total}")
    out += ["Documents whose generated crate compiles: " + "; ".join(rates) + ".", "",
            "| document | lotinfo-codegen (clippy -D warnings) | progenitor | openapi-generator `rust` |",
            "|---|---|---|---|"]
    for r in rows:
        peer = results.get(r["document"], {})
        ours_cell = "passes" if r["ok"] else r["clippy"]
        out.append(f"| `{r['document']}` | {ours_cell} | {cell(peer.get(names[0]))} | {cell(peer.get(names[1]))} |")
    return out


def render(rows, degraded) -> str:
    out = [
        "# Corpus results",
        "",
        "Written by `scripts/corpus.py --write-docs`; `scripts/corpus.py` (run by the test command)",
        "fails when this page and the results disagree. The documents and their sources are listed in",
        "`tests/corpus/SOURCES.md`.",
        "",
        f"{sum(1 for r in rows if r['ok'])} of {len(rows)} documents generate a crate that passes "
        "`cargo clippy -- -D warnings`.",
        "",
        "| document | OpenAPI | size (KB) | generate | clippy -D warnings | lines of Rust | degraded constructs |",
        "|---|---|---:|---|---|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| `{r['document']}` | {r['version']} | {r['size_kb']} | {r['generate']} | {r['clippy']} | "
            f"{r['lines']} | {r['warnings']} |")
    out += peers_section(rows)
    out += ["", "## What is degraded, and why", "",
            "Each kind of warning the generator gave, with the documents it appeared in and how often.",
            "A degraded construct is reported with its JSON pointer when generating; the rest of the",
            "crate is still generated and compiles.", ""]
    for kind, per_document in sorted(degraded.items()):
        total = sum(per_document.values())
        where = ", ".join(f"`{d}` ({n})" for d, n in sorted(per_document.items()))
        out.append(f"- **{kind}** — {total} in all: {where}")
    out.append("")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--render-only", action="store_true")
    args = parser.parse_args()
    if args.render_only:
        saved = json.loads(RESULTS.read_text(encoding="utf-8"))
        DOCS.write_text(render(saved["rows"], saved["degraded"]), encoding="utf-8")
        print(f"wrote {DOCS.relative_to(ROOT)} from {RESULTS}", file=sys.stderr)
        return 0

    subprocess.run(["cargo", "build", "--locked", "--release", "-q", "-p", "lotinfo-codegen"], cwd=ROOT, check=True)
    generator = target_dir() / "release" / "lotinfo-codegen"
    WORK.mkdir(parents=True, exist_ok=True)

    documents = sorted(
        p for p in CORPUS.iterdir()
        if p.suffix in (".json", ".yaml", ".yml") and p != PEERS and args.only in p.name)
    rows, generated, degraded = [], [], collections.defaultdict(collections.Counter)
    for document in documents:
        name = crate_dir_name(document)
        out = WORK / name
        code, warnings, errors = generate(generator, document, out)
        for warning in warnings:
            degraded[warning_kind(warning)][document.name] += 1
        row = {
            "document": document.name,
            "name": name,
            "version": openapi_version(document),
            "size_kb": round(document.stat().st_size / 1024),
            "generate": "ok" if code == 0 else f"exit {code}",
            "warnings": len(warnings),
            "lines": lines_of(out) if code == 0 else 0,
            "clippy": "not run",
            "ok": False,
        }
        if code == 0:
            generated.append(name)
        else:
            print(f"FAIL generate {document.name} (exit {code}):\n  " + "\n  ".join(errors[:10]), file=sys.stderr)
        rows.append(row)
        print(f"generated {document.name}: exit {code}, {len(warnings)} warning(s)", file=sys.stderr)

    failed, result = clippy(generated) if generated else ({}, None)
    if result is not None and result.returncode != 0 and not failed:
        print(result.stderr[-5000:], file=sys.stderr)
        print("FAIL clippy did not run", file=sys.stderr)
        return 1
    for row in rows:
        if row["name"] in generated:
            problems = failed.get(row["name"], [])
            row["clippy"] = "pass" if not problems else f"{len(problems)} problem(s)"
            row["ok"] = not problems
            for problem in problems[:5]:
                print(f"FAIL clippy {row['document']}:\n{problem}", file=sys.stderr)

    if not args.only:
        RESULTS.write_text(json.dumps({"rows": rows, "degraded": degraded}, ensure_ascii=False, indent=1), encoding="utf-8")
    page = render(rows, degraded)
    if args.write_docs:
        DOCS.write_text(page, encoding="utf-8")
        print(f"wrote {DOCS.relative_to(ROOT)}", file=sys.stderr)
    elif not args.only and DOCS.read_text(encoding="utf-8") != page:
        print("FAIL docs/corpus.md is not what the results say; run scripts/corpus.py --write-docs", file=sys.stderr)
        return 1
    ok = sum(1 for r in rows if r["ok"])
    print(f"{ok} passed, {len(rows) - ok} failed")
    return 0 if ok == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
