//! A bounded run, in CI, of what the cargo-fuzz targets of `fuzz/` check for hours: the same
//! properties (`fuzz/src/properties.rs`, included here by path) on inputs proptest generates,
//! and every input the fuzzers ever crashed on (`fuzz/regressions/<target>/`) or start from
//! (`fuzz/seeds/<target>/`). See "Fuzzing" in `docs/reliability.md`.
//!
//! The seed is the clock unless `FUZZ_SMOKE_SEED` is set; a failure prints the seed to replay
//! it and the input, shrunk, to save under `fuzz/regressions/`. `FUZZ_SMOKE_CASES` scales the
//! number of cases (a factor, default 1).

#[path = "../fuzz/src/properties.rs"]
mod properties;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Instant, SystemTime};

use properties::{Decoded, Outcome, SEEDS};
use proptest::collection::vec;
use proptest::prelude::{any, prop_oneof, Just, Strategy};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |value| {
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number"))
    })
}

/// The seed of this run: `FUZZ_SMOKE_SEED` when set (to replay a failure), otherwise the clock.
fn seed() -> u64 {
    let clock = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos() as u64);
    env_number("FUZZ_SMOKE_SEED", clock)
}

/// Runs `property` on `cases` inputs (times `FUZZ_SMOKE_CASES`) and counts its outcomes.
fn run<S, O>(name: &str, cases: u32, strategy: S, property: fn(&[u8]) -> O) -> BTreeMap<String, u32>
where
    S: Strategy<Value = Vec<u8>>,
    O: std::fmt::Debug,
{
    let seed = seed();
    let cases = cases * env_number("FUZZ_SMOKE_CASES", 1) as u32;
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let counts = std::cell::RefCell::new(BTreeMap::<String, u32>::new());
    let started = Instant::now();
    let trace = std::env::var_os("FUZZ_SMOKE_TRACE").is_some();
    let result = runner.run(&strategy, |input| {
        if trace {
            eprintln!("{name} input: {input:?}");
        }
        let outcome = format!("{:?}", property(&input));
        *counts.borrow_mut().entry(outcome).or_default() += 1;
        Ok(())
    });
    if let Err(failure) = result {
        panic!(
            "{name} failed (seed {seed}: rerun with FUZZ_SMOKE_SEED={seed}): {failure}\n\
             save the input above under fuzz/regressions/{name}/ and fix the cause"
        );
    }
    let counts = counts.into_inner();
    println!(
        "{name}: {cases} cases in {:.1?} (seed {seed}): {counts:?}",
        started.elapsed()
    );
    counts
}

/// Every file under `fuzz/<folder>/<target>/`.
fn saved_inputs(folder: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = lotinfo_tests::repo_root()
        .join("fuzz")
        .join(folder)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut inputs: Vec<(String, Vec<u8>)> = entries
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a readable input");
            (shown(&path), bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

fn shown(path: &Path) -> String {
    path.strip_prefix(lotinfo_tests::repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Text near a spec: a seed cut at some point with a few bytes of another spec or of junk put
/// in.
fn spliced_spec() -> impl Strategy<Value = Vec<u8>> {
    (
        0..SEEDS.len(),
        any::<proptest::sample::Index>(),
        any::<proptest::sample::Index>(),
        prop_oneof![
            vec(any::<u8>(), 0..8),
            Just(b"\n  - ".to_vec()),
            Just(b": {".to_vec()),
            Just(b"$ref: '#/'".to_vec()),
            Just(b"\n    type: [string, integer]\n".to_vec()),
        ],
    )
        .prop_map(|(seed, cut, resume, junk)| {
            let text = SEEDS[seed].1;
            let boundary = |at: usize| (at..=text.len()).find(|i| text.is_char_boundary(*i));
            let cut = boundary(cut.index(text.len() + 1)).unwrap_or(text.len());
            let skip = resume.index(text.len() + 1 - cut).min(64);
            let resume = boundary(cut + skip).unwrap_or(text.len());
            [
                &text.as_bytes()[..cut],
                &junk[..],
                &text.as_bytes()[resume..],
            ]
            .concat()
        })
}

/// Short texts made of YAML's and JSON's punctuation and a few OpenAPI words.
fn yaml_like_text() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&str] = &[
        "\n",
        " ",
        "  ",
        ": ",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "'",
        "\"",
        "#",
        "&a ",
        "*a",
        "!!str ",
        "? ",
        "|",
        ">",
        "~",
        "null",
        "1",
        "-1e9",
        "openapi",
        "3.1.0",
        "info",
        "title",
        "version",
        "paths",
        "/a",
        "get",
        "responses",
        "components",
        "schemas",
        "A",
        "type",
        "object",
        "$ref",
        "#/components/schemas/A",
        "properties",
        "items",
        "oneOf",
        "enum",
    ];
    vec(0..PIECES.len(), 0..64).prop_map(|indices| {
        indices
            .into_iter()
            .flat_map(|index| PIECES[index].bytes())
            .collect()
    })
}

#[test]
fn the_generator_never_panics_on_text() {
    let spliced = run("spec_text", 96, spliced_spec(), properties::spec_text);
    assert!(
        spliced.len() > 1,
        "the spliced specs reach more than one outcome: {spliced:?}"
    );
    run("spec_text", 400, yaml_like_text(), properties::spec_text);
    run(
        "spec_text",
        200,
        vec(any::<u8>(), 0..256),
        properties::spec_text,
    );
}

#[test]
fn the_generator_never_panics_on_mutated_specs_and_its_rust_parses() {
    let counts = run(
        "spec_mutated",
        300,
        vec(any::<u8>(), 0..96),
        properties::spec_mutated,
    );
    let generated: u32 = counts
        .iter()
        .filter(|(outcome, _)| outcome.starts_with("Generated"))
        .map(|(_, count)| count)
        .sum();
    assert!(
        generated > 0 && counts.contains_key(&format!("{:?}", Outcome::Refused)),
        "the mutations make specs that generate and specs that are refused: {counts:?}"
    );
}

#[test]
fn decoding_never_panics_and_an_error_keeps_the_body() {
    let counts = run(
        "decode_response",
        3000,
        vec(any::<u8>(), 0..160),
        properties::decode_response,
    );
    let decoded_some = counts
        .keys()
        .any(|outcome| *outcome != format!("{:?}", Decoded::default()));
    assert!(
        decoded_some,
        "some mutated examples still decode: {counts:?}"
    );
}

#[test]
fn every_saved_input_of_the_fuzzers_passes() {
    type Property = fn(&[u8]);
    let targets: [(&str, Property); 3] = [
        ("spec_text", |input| {
            properties::spec_text(input);
        }),
        ("spec_mutated", |input| {
            properties::spec_mutated(input);
        }),
        ("decode_response", |input| {
            properties::decode_response(input);
        }),
    ];
    let mut count = 0;
    for (target, property) in targets {
        for folder in ["regressions", "seeds"] {
            for (name, input) in saved_inputs(folder, target) {
                let outcome = std::panic::catch_unwind(|| property(&input));
                assert!(outcome.is_ok(), "{name} fails {target} again");
                count += 1;
            }
        }
    }
    println!("{count} saved inputs replayed");
    assert!(count > 0, "fuzz/seeds/ has inputs");
}
