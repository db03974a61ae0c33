//! The path items, read from the document's tree ahead of the lowering on a thread of their own.
//! The typed document only checks them (see [`crate::spec::Checked`]), so each is read again when
//! its operations are lowered: on a large document that reading is a tenth of the lowering, and
//! it needs nothing the lowering makes. A few items at most wait, read, for the lowering.

use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::Scope;

use crate::pointer::Pointer;
use crate::spec::{Document, PathItem};

/// The path items in document order, each as read from the tree or why it could not be.
pub(super) type PathItems = Receiver<Result<PathItem, String>>;

/// How many read path items may wait for the lowering: enough to keep the reading thread busy,
/// few enough that they take no memory to speak of.
const WAITING: usize = 4;

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
        for path in document.paths.keys() {
            if sender
                .send(document.raw.parse::<PathItem>(&paths.join(path)))
                .is_err()
            {
                return;
            }
        }
    });
    Some(receiver)
}
