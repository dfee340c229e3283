//! The contract between the API layer and its two front ends (the wizard and
//! the headless commands): what a purchase can end in, and what order
//! tracking reports as it goes. Types only; `purchase` and `tracking`
//! produce them.

use std::fmt;
use std::time::Duration;

use super::ids::ClientRequestId;
use super::purchase::FoundOrder;
use super::wire::OrderDetails;

/// A failure from a service or the network, already in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The service's error code (e.g. `HCSS.14000011`), when it gave one.
    pub code: Option<String>,
    /// What went wrong, in words (the service's message, cleaned of control
    /// characters, or a description of the network failure).
    pub message: String,
    /// What the user can do next.
    pub next_step: String,
}

impl ApiFailure {
    /// A failure found here, not answered by a service: no status, no code.
    pub fn local(message: impl Into<String>, next_step: impl Into<String>) -> ApiFailure {
        ApiFailure {
            status: None,
            code: None,
            message: message.into(),
            next_step: next_step.into(),
        }
    }
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        // IAM answers with the status as its code ("401"): say it once.
        let code = self
            .code
            .as_ref()
            .filter(|code| self.status.is_none_or(|s| code.as_str() != s.to_string()));
        match (self.status, code) {
            (Some(status), Some(code)) => write!(f, " (HTTP {status}, {code})")?,
            (Some(status), None) => write!(f, " (HTTP {status})")?,
            (None, Some(code)) => write!(f, " ({code})")?,
            (None, None) => {}
        }
        if !self.next_step.is_empty() {
            write!(f, ". {}", self.next_step)?;
        }
        Ok(())
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
            message: "the password is wrong".to_string(),
            next_step: "Check it and sign in again".to_string(),
        }
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
