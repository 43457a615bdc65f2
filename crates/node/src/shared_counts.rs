//! Counting across every process on the store, for limits that must hold node-wide when
//! several `warroom serve` processes share one database (login attempts per client, and the
//! heartbeat by which each process learns how many share the per-token rate).

use crate::{Node, Result};
use jiff::Timestamp;

/// Windows older than this many windows are dropped as counting goes on.
const KEEP_WINDOWS: i64 = 10;

/// Which fixed window a count falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Seconds since the Unix epoch at which the window starts.
    pub start: i64,
    pub seconds: i64,
}

impl Window {
    /// The window of `seconds` (at least 1) that holds `at`.
    pub fn at(at: Timestamp, seconds: i64) -> Self {
        let seconds = seconds.max(1);
        Self {
            start: at.as_second().div_euclid(seconds) * seconds,
            seconds,
        }
    }

    /// The window just before this one.
    pub fn previous(self) -> Self {
        Self {
            start: self.start - self.seconds,
            seconds: self.seconds,
        }
    }
}

impl Node {
    /// Adds `n` to `key`'s count in `window`, as every process on the store counts it, and
    /// returns the total (`n` = 0 reads it).
    pub fn count_in_window(&self, key: &[u8], window: Window, n: u64) -> Result<u64> {
        let forget_before = window.start - KEEP_WINDOWS * window.seconds;
        Ok(self
            .store_ref()
            .bump_window(key, window.start, n, forget_before)?)
    }
}

#[cfg(test)]
mod tests {
    use super::Window;

    #[test]
    fn windows_are_aligned_and_chain_back() {
        let at = jiff::Timestamp::from_second(1_700_000_059).unwrap_or_else(|_| unreachable!());
        let w = Window::at(at, 60);
        assert_eq!(w.start, 1_700_000_040);
        assert_eq!(w.previous().start, 1_699_999_980);
        assert_eq!(Window::at(at, 0).seconds, 1, "a zero window is one second");
        let before_epoch = jiff::Timestamp::from_second(-1).unwrap_or_else(|_| unreachable!());
        assert_eq!(Window::at(before_epoch, 60).start, -60);
    }
}
