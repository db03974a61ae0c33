//! The `lotinfo-codegen` command line: `generate` writes the client crate, `check` says whether the
//! checked-in crate is what the spec makes, `explain` says where in the spec a generated item comes
//! from. The commands live in `cli/`.

mod cli;

use std::process::ExitCode;

/// Generation allocates many small, short-lived values (tokens, syntax nodes, strings); mimalloc
/// serves them faster than the system allocator and returns memory with less fragmentation across
/// the emitting threads (see docs/performance.md and `allocator.rs`). It is built without
/// transparent huge pages (feature `no_thp`): with them the kernel zeroed and kept whole 2 MiB
/// pages, doubling the peak memory and spending a sixth of the time in page clearing.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: lotinfo_codegen::allocator::Mimalloc = lotinfo_codegen::allocator::Mimalloc;

fn main() -> ExitCode {
    cli::main()
}
