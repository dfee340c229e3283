//! The contract between the API layer and its two front ends (the wizard and
//! the headless commands): what a purchase can end in, and what order
//! tracking reports as it goes. Types only; `purchase` and `tracking`
//! produce them.

use std::fmt;
use std::time::Duration;

use jiff::tz::TimeZone;
use time::OffsetDateTime;

use super::ids::ClientRequestId;
use super::purchase::FoundOrder;
use super::wire::OrderDetails;
use crate::lang::{Lang, in_language};

/// A failure from a service or the network, already in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The service's error code (e.g. `HCSS.14000011`), when it gave one.
    pub code: Option<String>,
    /// What went wrong, in words (the service's message, cleaned of control
    /// characters, or a description of the network failure), in the
    /// reader's language.
    pub message: String,
    /// The same words as an English run forms them: what the journal keeps,
    /// so a record reads the same whichever language wrote it. The
    /// service's own words are the same in both.
    pub english_message: String,
    /// What the user can do next.
    pub next_step: String,
}

impl ApiFailure {
    /// A failure found here, not answered by a service (no status, no
    /// code), whose words read the same in every language: text from
    /// elsewhere. Words flexus forms itself take [`ApiFailure::formed`].
    pub fn local(message: impl Into<String>, next_step: impl Into<String>) -> ApiFailure {
        let message = message.into();
        ApiFailure {
            status: None,
            code: None,
            english_message: message.clone(),
            message,
            next_step: next_step.into(),
        }
    }

    /// A failure found here whose words flexus forms: `words` is formed
    /// once in the reader's language and once in English, for the journal.
    pub fn formed(words: impl Fn() -> String, next_step: impl Into<String>) -> ApiFailure {
        ApiFailure {
            status: None,
            code: None,
            message: words(),
            english_message: in_language(Lang::En, words),
            next_step: next_step.into(),
        }
    }

    /// Puts the words in a longer sentence (`wrap` is given them in the
    /// language it forms its sentence in), in both forms alike.
    pub fn reword(&mut self, wrap: impl Fn(&str) -> String) {
        self.english_message = in_language(Lang::En, || wrap(&self.english_message));
        self.message = wrap(&self.message);
    }

    /// " (HTTP 429, APIGW.0308)", " (HTTP 500)", or nothing: what the
    /// service answered, to follow the words.
    pub fn answer_text(&self) -> String {
        // IAM answers with the status as its code ("401"): say it once.
        let code = self
            .code
            .as_ref()
            .filter(|code| self.status.is_none_or(|s| code.as_str() != s.to_string()));
        match (self.status, code) {
            (Some(status), Some(code)) => {
                tr!(
                    "core.failure.answer_status_code",
                    status = status,
                    code = code
                )
            }
            (Some(status), None) => tr!("core.failure.answer_status", status = status),
            (None, Some(code)) => tr!("core.failure.answer_code", code = code),
            (None, None) => String::new(),
        }
    }
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let said = format!("{}{}", self.message, self.answer_text());
        if self.next_step.is_empty() {
            f.write_str(&said)
        } else {
            f.write_str(&tr!(
                "core.failure.with_next_step",
                said = said,
                next = self.next_step
            ))
        }
    }
}

/// How a submission ended.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitOutcome {
    /// The service accepted the order (202).
    Placed {
        order_id: String,
        instance_ids: Vec<String>,
        /// Why the journal does not know of it, when recording it failed:
        /// the order ID must then reach the user some other way.
        unrecorded: Option<String>,
    },
    /// The service refused it, or it provably never reached the service:
    /// no order exists. The draft can be fixed and submitted again.
    Rejected(ApiFailure),
    /// The request was sent but its answer was lost (or it was a resend of
    /// such a request, whatever became of the resend): an order may exist.
    /// Never resend without the user's word, and then with the same
    /// Client-Request-Id.
    Ambiguous {
        client_request_id: ClientRequestId,
        /// When the purchase was first sent (UTC, `yyyy-MM-ddTHH:mm:ssZ`):
        /// after a resend, the first send too may have placed the order.
        sent_at: String,
        reason: ApiFailure,
        /// Orders created since `sent_at`, found through the order list; the
        /// search itself may have failed (`lookup_failed`).
        candidates: Vec<FoundOrder>,
        lookup_failed: Option<ApiFailure>,
    },
}

/// A wait before a request goes again (after a 429, a 5xx on a read, or a
/// request that provably never left), reported as it starts: the service
/// may ask for a minute, and a person or a script's log should not sit
/// through it in silence.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryWait {
    /// What the last attempt met.
    pub reason: ApiFailure,
    /// How long until the next attempt.
    pub waiting: Duration,
    /// The wait the service asked for (`Retry-After`), when it named one;
    /// `waiting` is shorter when this was over the cap.
    pub asked: Option<Duration>,
    /// When the next attempt goes.
    pub retry_at: OffsetDateTime,
    /// The attempt that comes next (2 for the first retry) ...
    pub attempt: u32,
    /// ... of this many in all, the first included.
    pub attempts: u32,
}

impl RetryWait {
    /// "the service asked us to wait 37 s (HTTP 429, APIGW.0308)", or
    /// "could not connect to ...; waiting 0.5 s": why nothing happens now.
    pub fn why(&self) -> String {
        let waiting = crate::domain::when::duration_text(self.waiting);
        let answer = self.reason.answer_text();
        match self.asked {
            Some(asked) if asked == self.waiting => {
                tr!("core.retry.asked", waiting = waiting, answer = answer)
            }
            Some(asked) => tr!(
                "core.retry.asked_longer",
                asked = crate::domain::when::duration_text(asked),
                answer = answer,
                waiting = waiting
            ),
            None => tr!(
                "core.retry.after",
                message = self.reason.message,
                answer = answer,
                waiting = waiting
            ),
        }
    }

    /// "attempt 2 of 4".
    pub fn attempt_text(&self) -> String {
        tr!(
            "core.retry.attempt",
            attempt = self.attempt,
            attempts = self.attempts
        )
    }

    /// The whole line for a log: "the service asked us to wait 37 s (HTTP
    /// 429, APIGW.0308); retrying at 16:46:05 (UTC+08:00), attempt 2 of 4".
    pub fn describe(&self, zone: &TimeZone) -> String {
        tr!(
            "core.retry.line",
            why = self.why(),
            at = crate::domain::when::clock_time(self.retry_at, zone),
            attempt = self.attempt_text()
        )
    }
}

/// What order tracking reports, in order, until `Finished`.
#[derive(Debug, Clone, PartialEq)]
pub enum TrackEvent {
    /// A poll answered; sent on every successful poll.
    Polled(Box<OrderDetails>),
    /// A poll failed (network or 5xx); tracking goes on after `retry_in`.
    PollFailed {
        failure: ApiFailure,
        attempt: u32,
        retry_in: Duration,
    },
    /// The next poll is due after this long (sent after each `Polled`).
    NextPollIn(Duration),
    /// The order reached a final status (5 completed or 4 cancelled), or
    /// tracking stopped for good (`failure`, e.g. the order does not exist
    /// or the credentials were refused).
    Finished {
        status: Option<i32>,
        failure: Option<ApiFailure>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: Option<u16>, code: Option<&str>) -> ApiFailure {
        ApiFailure {
            status,
            code: code.map(str::to_string),
            ..ApiFailure::local("the password is wrong", "Check it and sign in again")
        }
    }

    fn wait(asked: Option<u64>, waiting: u64) -> RetryWait {
        RetryWait {
            reason: ApiFailure {
                status: Some(429),
                code: Some("APIGW.0308".to_string()),
                ..ApiFailure::local(
                    "HCSS is receiving too many requests",
                    "Wait a minute and try again",
                )
            },
            waiting: Duration::from_secs(waiting),
            asked: asked.map(Duration::from_secs),
            retry_at: time::macros::datetime!(2026-01-22 08:46:05 UTC),
            attempt: 2,
            attempts: 4,
        }
    }

    #[test]
    fn a_wait_says_who_asked_for_it_when_the_retry_goes_and_which_it_is() {
        let beijing = TimeZone::fixed(jiff::tz::Offset::constant(8));
        assert_eq!(
            wait(Some(37), 37).describe(&beijing),
            "the service asked us to wait 37 s (HTTP 429, APIGW.0308); retrying at 16:46:05 \
             (UTC+08:00), attempt 2 of 4"
        );
        assert_eq!(
            wait(Some(600), 60).why(),
            "the service asked us to wait 600 s (HTTP 429, APIGW.0308); waiting 60 s"
        );
        let mut unnamed = wait(None, 1);
        unnamed.reason = ApiFailure::local("could not connect to 127.0.0.1:9", "Check");
        assert_eq!(
            unnamed.describe(&TimeZone::UTC),
            "could not connect to 127.0.0.1:9; waiting 1 s; retrying at 08:46:05 (UTC+00:00), \
             attempt 2 of 4"
        );
    }

    #[test]
    fn the_status_and_code_are_said_once_each() {
        assert_eq!(
            failure(Some(400), Some("HCSS.14000011")).to_string(),
            "the password is wrong (HTTP 400, HCSS.14000011). Check it and sign in again"
        );
        assert_eq!(
            failure(Some(401), Some("401")).to_string(),
            "the password is wrong (HTTP 401). Check it and sign in again"
        );
        assert_eq!(
            failure(None, Some("401")).to_string(),
            "the password is wrong (401). Check it and sign in again"
        );
    }
}
