//! Frames read again from the file, kept for the page: the frame list's
//! selected frame and the ones read ahead beside it.

use framelens::capture::OwnedFrame;
use std::collections::VecDeque;
use std::rc::Rc;

/// How many frames read from the file are kept: the selected ones, and the
/// ones beside them read ahead.
pub const CACHED_FRAMES: usize = 64;

/// A frame read again from the file, or the sentence why it could not be.
pub type FrameBytes = Result<Rc<OwnedFrame>, String>;

/// Frames of the current load read from the file lately, oldest first, at
/// most [`CACHED_FRAMES`]. Shared between the states a reducer step copies.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameCache(Rc<VecDeque<(u64, FrameBytes)>>);

impl FrameCache {
    pub fn get(&self, number: u64) -> Option<&FrameBytes> {
        self.0.iter().find(|(n, _)| *n == number).map(|(_, p)| p)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds (or replaces) frame `number`; beyond the bound the oldest frame
    /// goes, unless it is one of `keep` (the frame shown, the one selected).
    pub(crate) fn insert(&mut self, number: u64, bytes: FrameBytes, keep: [Option<u64>; 2]) {
        let c = Rc::make_mut(&mut self.0);
        c.retain(|(n, _)| *n != number);
        if c.len() >= CACHED_FRAMES {
            if let Some(i) = c.iter().position(|(n, _)| !keep.contains(&Some(*n))) {
                c.remove(i);
            }
        }
        c.push_back((number, bytes));
    }
}
