//! Storage fault injection: a plan that makes chosen disk operations of
//! [`DurableStorage`](super::DurableStorage) fail, so tests can prove that a
//! failed write, fsync, rename or delete never loses an acknowledged edit and
//! never leaves a store that will not open.
//!
//! A plan counts every operation it is asked about (optionally only one
//! kind) and fails the `n`th, or every one from the `n`th on (a disk that
//! stays broken, such as a full disk). A failed write first writes half its
//! bytes, like a torn write. Stores opened normally carry no plan; the only
//! cost is one `Option` check per operation.
//!
//! Plans exist only with the `test-support` feature (the test suite turns
//! it on); in the app and the CLI `FaultPlan` has no values at all, so no
//! store can be made to fail on purpose.

use std::io;
#[cfg(feature = "test-support")]
use std::sync::atomic::{AtomicU64, Ordering};

/// The disk operations a plan can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultOp {
    /// Writing a chunk's bytes to its temp file.
    Write,
    /// `fsync` of a file or directory.
    Fsync,
    /// Renaming a temp file into place.
    Rename,
    /// Removing a superseded chunk.
    Delete,
}

/// Without `test-support` there are no plans.
#[cfg(not(feature = "test-support"))]
#[derive(Debug)]
pub enum FaultPlan {}

#[cfg(not(feature = "test-support"))]
impl FaultPlan {
    pub(crate) fn check(&self, _op: FaultOp) -> io::Result<()> {
        match *self {}
    }
}

/// Which operations fail. Shared between the test and the storage.
#[cfg(feature = "test-support")]
#[derive(Debug)]
pub struct FaultPlan {
    only: Option<FaultOp>,
    fail_at: u64,
    persistent: bool,
    seen: AtomicU64,
    failed: AtomicU64,
}

#[cfg(feature = "test-support")]
impl FaultPlan {
    /// Fails only the `n`th (1-based) matching operation.
    pub fn fail_nth(n: u64, only: Option<FaultOp>) -> FaultPlan {
        FaultPlan::new(n, only, false)
    }

    /// Fails the `n`th matching operation and every one after it.
    pub fn fail_from(n: u64, only: Option<FaultOp>) -> FaultPlan {
        FaultPlan::new(n, only, true)
    }

    /// Fails nothing; counts operations (to size a sweep over them).
    pub fn count_only() -> FaultPlan {
        FaultPlan::new(0, None, false)
    }

    fn new(fail_at: u64, only: Option<FaultOp>, persistent: bool) -> FaultPlan {
        FaultPlan {
            only,
            fail_at,
            persistent,
            seen: AtomicU64::new(0),
            failed: AtomicU64::new(0),
        }
    }

    /// Matching operations seen so far.
    pub fn seen(&self) -> u64 {
        self.seen.load(Ordering::SeqCst)
    }

    /// Operations failed so far.
    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::SeqCst)
    }

    /// Called by the storage before each operation: `Err` means "fail it".
    pub(crate) fn check(&self, op: FaultOp) -> io::Result<()> {
        if self.only.is_some_and(|only| only != op) {
            return Ok(());
        }
        let n = self.seen.fetch_add(1, Ordering::SeqCst) + 1;
        let fails =
            self.fail_at != 0 && (n == self.fail_at || (self.persistent && n > self.fail_at));
        if fails {
            self.failed.fetch_add(1, Ordering::SeqCst);
            Err(io::Error::other(format!(
                "injected {op:?} failure (operation {n})"
            )))
        } else {
            Ok(())
        }
    }
}

#[cfg(all(test, feature = "test-support"))]
mod tests {
    use super::*;

    #[test]
    fn fails_exactly_the_chosen_operations() {
        let once = FaultPlan::fail_nth(2, Some(FaultOp::Rename));
        assert!(once.check(FaultOp::Write).is_ok());
        assert!(once.check(FaultOp::Rename).is_ok());
        assert!(once.check(FaultOp::Rename).is_err());
        assert!(once.check(FaultOp::Rename).is_ok());
        assert_eq!((once.seen(), once.failed()), (3, 1));

        let from = FaultPlan::fail_from(2, None);
        let results: Vec<bool> = [FaultOp::Write, FaultOp::Fsync, FaultOp::Delete]
            .into_iter()
            .map(|op| from.check(op).is_ok())
            .collect();
        assert_eq!(results, [true, false, false]);
        assert!(FaultPlan::count_only().check(FaultOp::Write).is_ok());
    }
}
