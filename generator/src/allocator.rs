//! The allocator of the command line and of the benchmarks (feature `mimalloc`): mimalloc, asked
//! for plain allocations where Rust's alignment needs no more than every mimalloc block has. A
//! library user keeps its own allocator; this one is there to be named as the global allocator.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned};
use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};

/// The alignment of every block mimalloc hands out: a pointer's size.
const BLOCK_ALIGN: usize = std::mem::size_of::<usize>();

/// mimalloc, through its plain entry points for the alignments every block has (nearly every
/// allocation: strings, tokens, syntax nodes), and its aligned ones for the rest. The `mimalloc`
/// crate's allocator takes the aligned entry points for all; they check and compute more on the
/// path every one of a generation's millions of allocations takes.
pub struct Mimalloc;

// SAFETY: each call goes to mimalloc with a size and, where the layout needs more than every
// block's alignment, that alignment; mimalloc's blocks are `BLOCK_ALIGN`-aligned, and `mi_free`
// and `mi_realloc` take a block from any of its entry points.
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= BLOCK_ALIGN {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= BLOCK_ALIGN {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, _layout: Layout) {
        // SAFETY: see the impl.
        unsafe { mi_free(pointer.cast::<c_void>()) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= BLOCK_ALIGN {
                mi_realloc(pointer.cast::<c_void>(), new_size).cast()
            } else {
                mi_realloc_aligned(pointer.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_the_alignment_asked() {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 24, 40, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).expect("a layout");
                // SAFETY: a non-zero size; each block is freed once.
                unsafe {
                    let block = Mimalloc.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "{size} by {align}");
                    let grown = Mimalloc.realloc(block, layout, size * 3);
                    assert_eq!(grown as usize % align, 0, "{size} by {align}, grown");
                    Mimalloc.dealloc(
                        grown,
                        Layout::from_size_align(size * 3, align).expect("a layout"),
                    );
                    let zeroed = Mimalloc.alloc_zeroed(layout);
                    assert!(std::slice::from_raw_parts(zeroed, size)
                        .iter()
                        .all(|b| *b == 0));
                    Mimalloc.dealloc(zeroed, layout);
                }
            }
        }
    }
}
