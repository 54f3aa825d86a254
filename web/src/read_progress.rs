//! How far a read (a scan, a path diagnosis) has come, for the progress bar.

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Milliseconds since the read started.
    pub elapsed_ms: f64,
}

impl Progress {
    /// Estimated milliseconds left at the rate so far.
    pub fn remaining_ms(&self) -> Option<f64> {
        if self.bytes_done == 0 || self.elapsed_ms <= 0.0 || self.bytes_total < self.bytes_done {
            return None;
        }
        Some(self.elapsed_ms / self.bytes_done as f64 * (self.bytes_total - self.bytes_done) as f64)
    }
}
