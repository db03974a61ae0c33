#!/usr/bin/env bash
# Every check of the repository, in the order that fails fastest. This is the command the README
# gives and the one .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "formatting (workspace, and the runtime the generator copies verbatim)"
cargo fmt --all -- --check
rustfmt --edition 2021 --check generator/runtime/*.rs

step "drift: generated-client/ is what the generator makes of spec/lotinfo.yaml"
cargo run --locked --quiet -p lotinfo-codegen -- check

step "clippy, warnings denied (generator, generated client, golden crates, tests)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Prism, the mock server the contract tests check requests with (pinned in package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

step "tests (unit, integration, golden, end to end, contract against Prism, doctests)"
cargo test --workspace --locked

step "documentation, warnings denied"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "packaging: both published crates package and build from their .crate files (dry run)"
cargo package --locked --quiet -p lotinfo-codegen
cargo package --locked --quiet -p lotinfo-client

step "round trip: every operation of the lotinfo spec, the golden fixtures and a corpus subset against Prism"
python3 scripts/roundtrip.py --ci

step "corpus: every document of tests/corpus generates a crate that passes clippy -D warnings"
python3 scripts/corpus.py

printf '\nall checks passed\n'
