//! A way for tests to make the journal's disk fill up on cue, in this
//! process or in a `flexus` they start: the only failure of a write that
//! cannot be arranged reliably from outside (root ignores file modes, and
//! mounting a small file system needs privileges CI may lack).

use std::fs::File;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};

/// `FLEXUS_JOURNAL_FAIL_AFTER=N`: the appends after the first N made by
/// this process fail as on a full disk, half written. For tests only.
pub const ENV_FAIL_AFTER: &str = "FLEXUS_JOURNAL_FAIL_AFTER";

static APPENDS: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` whole, unless the injected fault says the disk is full.
pub fn write(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    let done = APPENDS.fetch_add(1, Ordering::SeqCst);
    let limit = std::env::var(ENV_FAIL_AFTER)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(limit) = limit
        && done >= limit
    {
        file.write_all(&bytes[..bytes.len() / 2])?;
        return Err(io::Error::new(
            io::ErrorKind::StorageFull,
            format!("no space left on device (simulated by {ENV_FAIL_AFTER})"),
        ));
    }
    file.write_all(bytes)
}
