//! The exit protocol: how a command that failed says so. Every failure is
//! worded for the user once, where it happens, and carries the exit code a
//! script reads; `main` prints the words and exits with the code.

/// Exit codes: scripts can tell a bad plan from a failure to act on it.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_INVALID: i32 = 2;
/// A purchase was sent but its answer was lost, and it was not resent: an
/// order may exist (see `flexus orders`, `flexus status`). Also an order
/// placed but not followed to its end.
pub const EXIT_UNKNOWN_OUTCOME: i32 = 3;
/// The order was placed and waits for payment (`flexus pay`).
pub const EXIT_PENDING_PAYMENT: i32 = 4;
/// The order was placed, but the journal could not record it (a full disk,
/// say): its ID was printed, and `flexus orders` will not know it.
pub const EXIT_UNRECORDED: i32 = 5;

/// A failure already worded for the user, with the exit code it deserves.
/// An empty message exits with the code and prints nothing.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
    /// The service's error code (`HCSS.14000011`), when a service refused:
    /// scripts reading `--json` match on it rather than on words.
    pub service_code: Option<String>,
    /// What to do next, when it is known apart from the message (the
    /// message says it too, for people).
    pub next_step: Option<String>,
}

impl Failure {
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code,
            service_code: None,
            next_step: None,
        }
    }

    /// Keeps the service's code and next step of the failure this one words.
    pub fn answering(mut self, cause: &crate::api::engine::ApiFailure) -> Self {
        self.service_code = cause.code.clone();
        self.next_step = Some(cause.next_step.clone()).filter(|step| !step.is_empty());
        self
    }
}

pub use crate::io_text::io_words;

/// A reader that went away (`flexus catalog | head`) is not an error worth
/// a message; anything else is.
pub fn output_failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::new(EXIT_OK, "")
    } else {
        Failure::new(EXIT_FAILURE, tr!("cmd.output_failed", why = e))
    }
}

/// What each exit code means in general, for the help of the commands that
/// give no more precise meanings of their own; the constants above are the
/// only source of the numbers.
fn exit_meaning(code: i32) -> Option<String> {
    Some(match code {
        EXIT_OK => tr!("cmd.exit.ok"),
        EXIT_FAILURE => tr!("cmd.exit.failure"),
        EXIT_INVALID => tr!("cmd.exit.invalid"),
        EXIT_UNKNOWN_OUTCOME => tr!("cmd.exit.unknown_outcome"),
        EXIT_PENDING_PAYMENT => tr!("cmd.exit.pending_payment"),
        EXIT_UNRECORDED => tr!("cmd.exit.unrecorded"),
        _ => return None,
    })
}

/// "Exit codes: 0 done; 1 ...": the help text for a command that can end
/// with `codes`.
pub fn exit_codes_help(codes: &[i32]) -> String {
    let listed: Vec<String> = codes
        .iter()
        .filter_map(|&code| {
            Some(tr!(
                "cmd.exit.entry",
                code = code,
                meaning = exit_meaning(code)?
            ))
        })
        .collect();
    tr!(
        "cmd.exit.codes",
        list = listed.join(&tr!("cmd.exit.separator"))
    )
}
