"""Where cargo puts what it builds, as cargo itself reports it: `CARGO_TARGET_DIR`, a
`build.target-dir` in a cargo config, or `target/` of the workspace. Scripts find built binaries
and keep their work there, so they run wherever the user's builds go."""

import functools
import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


@functools.cache
def target_dir() -> pathlib.Path:
    metadata = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--locked"],
        cwd=ROOT, check=True, capture_output=True, text=True)
    return pathlib.Path(json.loads(metadata.stdout)["target_directory"])
