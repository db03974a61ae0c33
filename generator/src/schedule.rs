//! Which file each emitting thread takes next: the heaviest first, and never two heavy files at
//! once. A file's tokens and syntax tree take several times its text while it is formatted, so
//! two of the largest files formatted side by side set the generation's peak memory (Oxide's
//! two 160 KB client files: 10 MB against 6 MB one at a time); light files keep the other
//! threads busy meanwhile.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

/// The files still to be made, as indices into the plan, shared by the emitting threads.
pub struct Schedule {
    state: Mutex<State>,
    /// Signalled when a heavy file is done or the work stops.
    changed: Condvar,
}

struct State {
    heavy: VecDeque<usize>,
    light: VecDeque<usize>,
    heavy_in_flight: bool,
    stopped: bool,
}

/// A file handed out: its index in the plan. Dropping it (when the file is done, or its thread
/// unwinds) lets the next heavy file go.
pub struct Taken<'a> {
    /// The file's index in the plan.
    pub index: usize,
    heavy: bool,
    schedule: &'a Schedule,
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        if self.heavy {
            self.schedule.lock().heavy_in_flight = false;
            self.schedule.changed.notify_all();
        }
    }
}

impl Schedule {
    /// The files in `order` (heaviest first, see [`crate::emit::work_order`]); those for which
    /// `is_heavy` holds are made one at a time.
    pub fn new(order: &[usize], is_heavy: impl Fn(usize) -> bool) -> Self {
        let (heavy, light) = order.iter().partition(|index| is_heavy(**index));
        Schedule {
            state: Mutex::new(State {
                heavy,
                light,
                heavy_in_flight: false,
                stopped: false,
            }),
            changed: Condvar::new(),
        }
    }

    /// The next file for a thread: a heavy one when none is being made, else a light one; when
    /// only heavy files are left and one is being made, waits for it. `None` when every file is
    /// handed out or the work stopped.
    pub fn take(&self) -> Option<Taken<'_>> {
        let mut state = self.lock();
        loop {
            if state.stopped {
                return None;
            }
            if !state.heavy_in_flight {
                if let Some(index) = state.heavy.pop_front() {
                    state.heavy_in_flight = true;
                    return Some(self.taken(index, true));
                }
            }
            if let Some(index) = state.light.pop_front() {
                return Some(self.taken(index, false));
            }
            if state.heavy.is_empty() {
                return None;
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Hands out nothing more; threads waiting for a heavy file return.
    pub fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }

    fn taken(&self, index: usize, heavy: bool) -> Taken<'_> {
        Taken {
            index,
            heavy,
            schedule: self,
        }
    }

    /// The state; a thread that panicked while holding it left it consistent (every change is a
    /// single assignment), so a poisoned lock is used as it is.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heavy_files_go_one_at_a_time_and_light_ones_meanwhile() {
        let schedule = Schedule::new(&[4, 3, 2, 1, 0], |index| index >= 3);
        let first = schedule.take().expect("a file");
        assert_eq!(first.index, 4);
        // The other heavy file waits for the first; the light ones go meanwhile.
        let lights: Vec<usize> = (0..3)
            .map(|_| {
                let taken = schedule.take().expect("a file");
                taken.index
            })
            .collect();
        assert_eq!(lights, [2, 1, 0]);
        drop(first);
        assert_eq!(schedule.take().map(|taken| taken.index), Some(3));
        assert!(schedule.take().is_none());
    }

    #[test]
    fn a_thread_waiting_for_a_heavy_file_gets_it_when_the_first_is_done() {
        let schedule = Schedule::new(&[1, 0], |_| true);
        let first = schedule.take().expect("a file");
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| schedule.take().map(|taken| taken.index));
            std::thread::sleep(std::time::Duration::from_millis(20));
            assert!(!waiting.is_finished(), "took a second heavy file at once");
            drop(first);
            assert_eq!(waiting.join().expect("no panic"), Some(0));
        });
    }

    #[test]
    fn stopping_releases_a_waiting_thread() {
        let schedule = Schedule::new(&[1, 0], |_| true);
        let _first = schedule.take().expect("a file");
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| schedule.take().is_none());
            std::thread::sleep(std::time::Duration::from_millis(20));
            schedule.stop();
            assert!(waiting.join().expect("no panic"));
        });
    }
}
