//! Generation, end to end and stage by stage, on the lotinfo spec, the shared peer-comparison
//! document (Oxide's API, which progenitor accepts) and the three largest documents of the corpus;
//! and the drift check on an unchanged tree. Run with `cargo bench -p lotinfo-codegen --bench
//! generation`, or `scripts/bench.py` for every benchmark, the peers and a table.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use lotinfo_codegen::render::files;
use lotinfo_codegen::spec::Sources;
use lotinfo_codegen::{generate, ir, spec, stages};

mod shared;
use shared::{options, repo, DOCUMENTS};

/// The allocator of the command line, so that the times are those a user of it sees.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: lotinfo_codegen::allocator::Mimalloc = lotinfo_codegen::allocator::Mimalloc;

fn generation(c: &mut Criterion) {
    for (name, path) in DOCUMENTS {
        let Ok(text) = std::fs::read_to_string(repo().join(path)) else {
            eprintln!("skipping {name}: {path} cannot be read");
            continue;
        };
        let options = options();
        let sources = Sources::text(&text);
        let mut group = c.benchmark_group(format!("generate/{name}"));
        if *name != "lotinfo" {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(20));
        }
        group.bench_function("end_to_end", |b| {
            b.iter(|| generate(&text, &options).expect("generates"))
        });
        group.bench_function("load", |b| b.iter(|| spec::load(&text).expect("loads")));
        let document = spec::load(&text).expect("loads");
        group.bench_function("lower", |b| {
            b.iter(|| ir::lower(&document).expect("lowers"))
        });
        let (api, _) = ir::lower(&document).expect("lowers");
        group.bench_function("emit", |b| b.iter(|| stages::emit(&api, &options)));
        group.bench_function("render", |b| {
            b.iter_batched(
                || stages::emit(&api, &options),
                |emitted| stages::render(emitted, &sources, &options).expect("renders"),
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

/// `check` on an unchanged tree: generate in memory and compare with the checked-in client.
fn check(c: &mut Criterion) {
    let spec = repo().join("spec/lotinfo.yaml");
    let out = repo().join("generated-client");
    let options = lotinfo_codegen::Options {
        crate_name: "lotinfo-client".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_label: "spec/lotinfo.yaml".to_owned(),
        regenerate_command: "cargo run -p lotinfo-codegen -- generate".to_owned(),
    };
    let (generated, _) = lotinfo_codegen::generate_file(&spec, &options).expect("generates");
    assert!(
        files::compare(&generated, &out)
            .expect("compares")
            .is_empty(),
        "the checked-in client is in sync, so this times `check` on an unchanged tree"
    );
    c.bench_function("check/lotinfo", |b| {
        b.iter(|| {
            let (generated, _) =
                lotinfo_codegen::generate_file(&spec, &options).expect("generates");
            files::compare(&generated, &out).expect("compares")
        })
    });
}

criterion_group!(benches, generation, check);
criterion_main!(benches);
