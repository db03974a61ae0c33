//! Peak heap memory of one generation, as the command line runs it (`generate_file_each`, each
//! file handed over as soon as it is formatted), beside the size of the input document.
//!
//! The allocator is the command line's, wrapped in a counter of the bytes live at each moment, so
//! the figure is what the generation itself holds: unlike the process's resident size, it leaves
//! out the binary's pages, the threads' stacks and what the allocator keeps in reserve (which
//! alone is several times the size of a small document). Run with `cargo bench -p lotinfo-codegen
//! --bench memory`, or through `scripts/bench.py`, which puts the figures in its table. Prints one
//! line per document: `memory <name> <input bytes> <peak heap bytes>`.

use std::alloc::{GlobalAlloc, Layout};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use lotinfo_codegen::generate_file_each;

mod shared;
use shared::{options, repo, DOCUMENTS};

#[cfg(feature = "mimalloc")]
type Inner = lotinfo_codegen::allocator::Mimalloc;
#[cfg(not(feature = "mimalloc"))]
type Inner = std::alloc::System;

#[cfg(feature = "mimalloc")]
const INNER: Inner = lotinfo_codegen::allocator::Mimalloc;
#[cfg(not(feature = "mimalloc"))]
const INNER: Inner = std::alloc::System;

/// The command line's allocator, counting the bytes live and the most that were live at once.
struct Counting {
    live: AtomicUsize,
    peak: AtomicUsize,
}

impl Counting {
    fn grew(&self, bytes: usize) {
        let live = self.live.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(live, Ordering::Relaxed);
    }

    fn shrank(&self, bytes: usize) {
        self.live.fetch_sub(bytes, Ordering::Relaxed);
    }

    /// Starts a new measurement from what is live now.
    fn reset_peak(&self) {
        self.peak
            .store(self.live.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

// SAFETY: every call is passed to the inner allocator unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { INNER.alloc(layout) };
        if !pointer.is_null() {
            self.grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { INNER.alloc_zeroed(layout) };
        if !pointer.is_null() {
            self.grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { INNER.dealloc(pointer, layout) };
        self.shrank(layout.size());
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { INNER.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            self.grew(new_size);
            self.shrank(layout.size());
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting {
    live: AtomicUsize::new(0),
    peak: AtomicUsize::new(0),
};

/// Runs `stage` and returns its result, the most bytes live during it and the bytes live after it
/// (both counted from what was live before it).
fn measured<T>(stage: impl FnOnce() -> T) -> (T, usize, usize) {
    ALLOCATOR.reset_peak();
    let before = ALLOCATOR.live.load(Ordering::Relaxed);
    let result = stage();
    let peak = ALLOCATOR.peak.load(Ordering::Relaxed) - before;
    let after = ALLOCATOR
        .live
        .load(Ordering::Relaxed)
        .saturating_sub(before);
    (result, peak, after)
}

/// Where the memory goes, stage by stage: the loaded document, the document and the IR together,
/// and the IR alone.
fn stages(path: &Path) -> String {
    let ((document, _sources), load_peak, document_bytes) =
        measured(|| lotinfo_codegen::spec::load_file(path).expect("loads"));
    let (lowered, lower_peak, ir_bytes) = measured(|| lotinfo_codegen::ir::lower(&document));
    drop(document);
    drop(lowered);
    format!(
        "load peak {load_peak}, document {document_bytes}; lower peak {lower_peak}, IR {ir_bytes}"
    )
}

fn main() {
    // `cargo bench` passes `--bench`; a name given after `--` picks documents.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|argument| !argument.starts_with("--"))
        .collect();
    let options = options();
    for (name, path) in DOCUMENTS {
        if !filters.is_empty() && !filters.iter().any(|filter| name.contains(filter.as_str())) {
            continue;
        }
        let path = repo().join(path);
        let Ok(metadata) = std::fs::metadata(&path) else {
            eprintln!("skipping {name}: {} cannot be read", path.display());
            continue;
        };
        ALLOCATOR.reset_peak();
        let before = ALLOCATOR.live.load(Ordering::Relaxed);
        let mut output_bytes = 0usize;
        let generated = generate_file_each(&path, &options, |_, text| {
            output_bytes += text.len();
            Ok::<(), std::convert::Infallible>(())
        });
        let peak = ALLOCATOR.peak.load(Ordering::Relaxed) - before;
        if let Err(failure) = generated {
            eprintln!("{name}: generation failed: {failure}");
            std::process::exit(1);
        }
        let stages = stages(&path);
        println!(
            "memory {name} {} {peak} ({:.1}× the input, {output_bytes} bytes of output)",
            metadata.len(),
            peak as f64 / metadata.len() as f64
        );
        println!("  {stages}");
    }
}
