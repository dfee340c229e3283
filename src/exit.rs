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
        Failure::new(EXIT_FAILURE, format!("cannot write the output: {e}"))
    }
}

/// What each exit code means in general, for the help of the commands that
/// give no more precise meanings of their own; the constants above are the
/// only source of the numbers.
const EXIT_MEANINGS: [(i32, &str); 6] = [
    (EXIT_OK, "done"),
    (
        EXIT_FAILURE,
        "failed or refused (the message says why and what to do)",
    ),
    (
        EXIT_INVALID,
        "invalid arguments, plan or usage, or a question that could not be asked",
    ),
    (
        EXIT_UNKNOWN_OUTCOME,
        "outcome unknown: an order may exist or was not followed to its end (check `flexus \
         orders` and `flexus status`)",
    ),
    (
        EXIT_PENDING_PAYMENT,
        "placed and waiting for payment (`flexus pay`)",
    ),
    (
        EXIT_UNRECORDED,
        "placed, but the journal could not record it (the order ID is printed)",
    ),
];

/// "Exit codes: 0 done; 1 ...": the help text for a command that can end
/// with `codes`.
pub fn exit_codes_help(codes: &[i32]) -> String {
    let listed: Vec<String> = EXIT_MEANINGS
        .iter()
        .filter(|(code, _)| codes.contains(code))
        .map(|(code, meaning)| format!("{code} {meaning}"))
        .collect();
    format!("Exit codes: {}.", listed.join("; "))
}
