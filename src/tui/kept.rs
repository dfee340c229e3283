//! A half-made order kept over a quit (Ctrl-C, q, SIGHUP, SIGTERM) and
//! offered at the next start. The file holds the draft in the plan format
//! the review's save writes, and the step it was left at. Only the runtime
//! and the wizard command touch the file; `update` deals in [`KeptDraft`].

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::app::Step;
use crate::api::journal;
use crate::domain::order::Draft;

/// The file's name inside the state directory (the sandbox's own when the
/// wizard runs against the sandbox).
pub const FILE_NAME: &str = "draft.json";

/// Where the draft is kept for a state directory.
pub fn file_in(state_dir: &Path) -> PathBuf {
    state_dir.join(FILE_NAME)
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeptDraft {
    pub draft: Draft,
    /// The step the user was at when they left.
    pub step: Step,
}

impl KeptDraft {
    /// The file's contents: the plan and the step, nothing secret (a draft
    /// holds no credential).
    pub fn to_json(&self) -> String {
        let kept = json!({
            "left_at_step": self.step.number(),
            "plan": self.draft.to_plan_value(),
        });
        format!(
            "{}\n",
            serde_json::to_string_pretty(&kept).expect("json values serialize")
        )
    }

    /// Reads the file's contents back; `None` when they are not a kept
    /// draft (damaged, or written by hand).
    pub fn from_json(text: &str) -> Option<KeptDraft> {
        let value: Value = serde_json::from_str(text).ok()?;
        let step = value["left_at_step"]
            .as_u64()
            .and_then(|n| Step::from_number(n as usize))?;
        let plan = value.get("plan").filter(|p| p.is_object())?;
        // Fields not chosen yet are missing, which the plan reader calls
        // problems; the choices are checked against the catalog when the
        // draft is taken up again.
        let (draft, _) = Draft::from_plan_value(plan);
        Some(KeptDraft { draft, step })
    }
}

/// What the start finds: nothing, a draft to offer, or a file that could
/// not be read as one (said, and left alone for the user to look at).
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Nothing,
    Draft(KeptDraft),
    Unreadable(String),
}

pub fn read(path: &Path) -> Found {
    match std::fs::read_to_string(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Found::Nothing,
        Err(e) => Found::Unreadable(e.to_string()),
        Ok(text) => match KeptDraft::from_json(&text) {
            Some(kept) => Found::Draft(kept),
            None => Found::Unreadable(tr!("live.kept.not_a_kept_order")),
        },
    }
}

/// Writes the file whole or not at all (a temporary file renamed over it),
/// readable by the user alone.
pub fn write(path: &Path, contents: &str) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    journal::create_private_dir(dir)?;
    let temporary = dir.join(format!(".{FILE_NAME}.{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = (|| -> io::Result<()> {
        let mut file = options.open(&temporary)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        journal::sync_dir(dir);
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Removes the file; one already gone is fine.
pub fn remove(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_draft_is_written_for_the_user_alone_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(&dir.path().join("sandbox"));
        let kept = KeptDraft {
            draft: Draft {
                region: "ap-southeast-3".to_string(),
                ..Draft::default()
            },
            step: Step::Image,
        };
        write(&path, &kept.to_json()).unwrap();
        assert_eq!(read(&path), Found::Draft(kept));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir = std::fs::metadata(path.parent().unwrap()).unwrap();
            assert_eq!(dir.permissions().mode() & 0o777, 0o700);
        }
        remove(&path).unwrap();
        assert_eq!(read(&path), Found::Nothing);
        remove(&path).unwrap();
    }

    #[test]
    fn a_file_that_is_not_a_kept_draft_is_said_to_be_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(dir.path());
        std::fs::write(&path, "{\"plan\": {}}").unwrap();
        assert!(matches!(read(&path), Found::Unreadable(_)));
    }
}
