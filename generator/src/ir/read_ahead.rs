//! The path items, read from the document's tree ahead of the lowering on a thread of their own.
//! The typed document only checks them (see [`crate::spec::Checked`]), so each is read again when
//! its operations are lowered: on a large document that reading is a tenth of the lowering, and
//! it needs nothing the lowering makes. A few chunks of items at most wait, read, for the lowering.

use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::Scope;

use crate::pointer::Pointer;
use crate::spec::{Document, PathItem};

/// A path item as read from the tree, or why it could not be.
type Read = Result<PathItem, String>;

/// How many path items go over together: the reading thread, always ahead, waits for room after
/// each hand-over, and each wake-up cost the lowering thread a system call (Stripe's 400 items
/// took some 3 ms of it one by one).
const CHUNK: usize = 8;

/// How many chunks of read path items may wait for the lowering: enough to keep the reading
/// thread busy, few enough that they take no memory to speak of.
const WAITING: usize = 2;

/// The path items in document order, read ahead on a thread of their own.
pub(super) struct PathItems {
    chunks: Receiver<Vec<Read>>,
    current: std::vec::IntoIter<Read>,
}

impl Iterator for PathItems {
    type Item = Read;

    /// The next path item in document order; `None` after the last, or when the reading thread
    /// stopped early (it panicked, which the end of its scope passes on).
    fn next(&mut self) -> Option<Read> {
        loop {
            if let Some(read) = self.current.next() {
                return Some(read);
            }
            self.current = self.chunks.recv().ok()?.into_iter();
        }
    }
}

/// Each path item of `document` in document order, as [`crate::spec::RawDocument::parse`] reads
/// it, read on a thread of `scope`. `None` when the document keeps its path items already
/// ([`Document::kept`]): the lowering takes them from there. The thread stops when the receiver is
/// dropped.
pub(super) fn path_items<'scope>(
    scope: &'scope Scope<'scope, '_>,
    document: &'scope Document,
) -> Option<PathItems> {
    if document.kept.is_some() {
        return None;
    }
    let (sender, receiver) = sync_channel(WAITING);
    crate::spawn_with_large_stack(scope, move || {
        let paths = Pointer::root().join("paths");
        let mut chunk = Vec::with_capacity(CHUNK);
        for path in document.paths.keys() {
            chunk.push(document.raw.parse::<PathItem>(&paths.join(path)));
            if chunk.len() == CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                if sender.send(full).is_err() {
                    return;
                }
            }
        }
        if !chunk.is_empty() {
            let _ = sender.send(chunk);
        }
    });
    Some(PathItems {
        chunks: receiver,
        current: Vec::new().into_iter(),
    })
}
