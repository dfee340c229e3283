//! The life of one purchase, as a state machine with data per state, and
//! the timeline the status pane shows. Pure: the runtime's task results
//! arrive here as values, with the time they arrived.

use std::time::{Duration, Instant};

use jiff::tz::TimeZone;
use time::OffsetDateTime;

use super::app::{Clock, Tone};
use super::msg::Effect;
use super::service::{Earlier, Lookup};
use super::text::clean;
use crate::api::engine::{ApiFailure, RetryWait, SubmitOutcome, TrackEvent};
use crate::api::ids::OrderId;
use crate::api::journal::{PurchaseRecord, PurchaseState};
use crate::api::purchase::{ClientRequestId, FoundOrder, OrderAction};
use crate::api::wire::{OrderInfo, status};
use crate::domain::order::RequestBody;
use crate::domain::when::{clock_digits, dated_stamp};

pub enum Submission {
    /// Nothing sent yet (or the last attempt was refused and is forgotten).
    Draft,
    /// The request is on its way; its answer decides everything.
    Submitting(Box<Sending>),
    /// The service accepted the order; it is being tracked.
    Placed(Box<Tracking>),
    /// The service refused the order, or it provably never arrived: no
    /// order exists and the draft is intact.
    Failed {
        error: ApiFailure,
        request_id: ClientRequestId,
    },
    /// The answer was lost: an order may exist. Only the user's explicit
    /// word resends, and then with the same Client-Request-Id.
    Unknown(Box<Unknown>),
}

/// How a purchase goes out.
pub enum How<'a> {
    /// A new purchase to `destination`; `separate_from` names the earlier
    /// same-body purchases of unknown outcome the user said it is not.
    New {
        destination: &'a str,
        separate_from: Vec<String>,
    },
    /// The same purchase again, after its answer was lost.
    Resend,
}

pub struct Sending {
    pub request_id: ClientRequestId,
    pub body: RequestBody,
    pub since: Instant,
    pub resend: bool,
    /// The service asked for a wait before the next attempt.
    pub retry: Option<Retry>,
}

pub struct Retry {
    /// When the next attempt goes.
    pub at: Instant,
    /// Which it is: "attempt 2 of 4".
    pub attempt: String,
}

pub struct Tracking {
    pub order_id: String,
    pub instance_ids: Vec<String>,
    pub request_id: Option<ClientRequestId>,
    /// The last order details seen.
    pub latest: Option<OrderInfo>,
    pub next_poll_at: Option<Instant>,
    /// The last failed poll, cleared by the next good one.
    pub trouble: Option<(u32, ApiFailure)>,
    /// The timeline entry of a run of failed polls with the same failure,
    /// so an outage reads as one entry rather than pages of them.
    failures_entry: Option<FailureRun>,
    pub finished: Option<Finished>,
    /// The tracking task is running.
    pub active: bool,
    pub payment: Payment,
    /// A cancellation asked for and not answered yet.
    pub cancelling: bool,
    /// What was sent, when this machine sent it: the estimate the order's
    /// stated amount is compared with.
    pub body: Option<RequestBody>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub status: Option<i32>,
    pub failure: Option<ApiFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payment {
    NotAsked,
    Paying { since: Instant },
    Paid,
    Failed(ApiFailure),
}

struct FailureRun {
    index: usize,
    first_attempt: u32,
    failure: String,
}

/// What the user says of a found order after a lost answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// It is this purchase.
    Claim,
    /// It is not.
    Dismiss,
}

pub struct Unknown {
    pub request_id: ClientRequestId,
    pub body: RequestBody,
    pub sent_at: String,
    pub reason: ApiFailure,
    pub candidates: Vec<FoundOrder>,
    /// The found order the user's next word is about (↑↓ move it).
    pub highlighted: usize,
    pub lookup_failed: Option<ApiFailure>,
    /// How this purchase came on screen.
    pub origin: Origin,
    /// Another flexus is sending it right now: nothing was looked up.
    pub busy_elsewhere: bool,
    /// A fresh look in the order list is under way (since then).
    pub looking: Option<Instant>,
    /// The found order the user chose as this purchase, until the journal
    /// has recorded it: only then is it followed.
    pub claiming: Option<String>,
}

/// Where a purchase of unknown outcome on the status pane comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Sent from this wizard; its answer was lost.
    Lost,
    /// Found unfinished in the journal when the wizard started.
    Reopened,
    /// Found in the journal when the same order was about to be sent
    /// again: nothing was sent. The draft on the review is kept.
    Double {
        /// Every earlier purchase of the same body and unknown outcome; a
        /// "separate purchase" answer acknowledges them all.
        same: Vec<PurchaseRecord>,
        /// Purchases of unknown outcome with other bodies, named too.
        other: Vec<PurchaseRecord>,
    },
}

impl Unknown {
    /// Resending is offered only when no found order waits to be claimed
    /// or dismissed, nobody else is sending it, and no look is under way.
    pub fn can_resend(&self) -> bool {
        self.candidates.is_empty() && self.can_act()
    }

    /// Claiming or dismissing a found order.
    pub fn can_choose(&self) -> bool {
        !self.candidates.is_empty() && self.can_act()
    }

    /// Looking in the order list again: after a failed look, while another
    /// flexus sends it, or to see whether the order has shown up since
    /// nothing was found. (With orders found, claiming or dismissing them
    /// is the way on.)
    pub fn can_look_again(&self) -> bool {
        self.looking.is_none()
            && self.claiming.is_none()
            && (self.busy_elsewhere || self.lookup_failed.is_some() || self.candidates.is_empty())
    }

    fn can_act(&self) -> bool {
        !self.busy_elsewhere && self.looking.is_none() && self.claiming.is_none()
    }

    /// Moves the highlight among the orders found, `by` rows.
    pub fn highlight(&mut self, by: isize) {
        let last = self.candidates.len().saturating_sub(1);
        self.highlighted = self
            .highlighted
            .min(last)
            .saturating_add_signed(by)
            .min(last);
    }

    /// The found order the highlight is on.
    pub fn highlighted(&self) -> Option<&FoundOrder> {
        let last = self.candidates.len().checked_sub(1)?;
        self.candidates.get(self.highlighted.min(last))
    }

    /// This purchase as the journal holds it, for a fresh look.
    pub fn as_record(&self) -> PurchaseRecord {
        PurchaseRecord {
            client_request_id: self.request_id.to_string(),
            first_sent_at: self.sent_at.clone(),
            last_sent_at: self.sent_at.clone(),
            attempts: 1,
            endpoint: String::new(),
            body: self.body.clone(),
            state: PurchaseState::Unanswered,
            order_id: None,
            instance_ids: Vec::new(),
            last_status: None,
            pending_payment_end_time: None,
            dismissed: Vec::new(),
            found: Vec::new(),
        }
    }

    /// The user's choice of a found order as this purchase, once the
    /// journal has it (`Ok`), or not: the state to go on in.
    pub fn on_claimed(
        self: Box<Self>,
        timeline: &mut Timeline,
        clock: &Clock,
        order_id: &str,
        result: Result<(), ApiFailure>,
    ) -> (Submission, Vec<Effect>) {
        if self.claiming.as_deref() != Some(order_id) {
            return (Submission::Unknown(self), Vec::new());
        }
        match result {
            Ok(()) => {
                timeline.push(
                    clock,
                    Tone::Good,
                    tr!("live.timeline.claimed", order_id = order_id),
                );
                let mut tracking = Tracking::new(
                    order_id.to_string(),
                    Vec::new(),
                    Some(self.request_id.clone()),
                    Some(self.body.clone()),
                );
                tracking.latest = self
                    .candidates
                    .iter()
                    .find(|c| clean(c.order_id()).as_ref() == order_id)
                    .map(|c| c.info.clone());
                let effects = vec![Effect::Track {
                    order_id: order_id.to_string(),
                }];
                (Submission::Placed(Box::new(tracking)), effects)
            }
            Err(failure) => {
                timeline.push(
                    clock,
                    Tone::Error,
                    format!(
                        "the journal could not record order {order_id} as this purchase, so it \
                         is not followed yet: {}",
                        failure_text(&failure)
                    ),
                );
                let mut unknown = self;
                unknown.claiming = None;
                (Submission::Unknown(unknown), Vec::new())
            }
        }
    }

    /// A purchase of the journal, as the status pane shows it.
    pub fn from_record(
        record: &PurchaseRecord,
        request_id: ClientRequestId,
        origin: Origin,
    ) -> Unknown {
        let reason = match &record.state {
            PurchaseState::Ambiguous { error, .. } => {
                let recorded = ApiFailure::from(error);
                ApiFailure {
                    message: tr!("live.timeline.answer_lost", why = recorded.message),
                    ..recorded
                }
            }
            _ => ApiFailure::local(tr!("live.timeline.no_answer_recorded"), ""),
        };
        Unknown {
            request_id,
            body: record.body.clone(),
            sent_at: record.first_sent_at.clone(),
            reason,
            candidates: Vec::new(),
            highlighted: 0,
            lookup_failed: None,
            origin,
            busy_elsewhere: false,
            looking: None,
            claiming: None,
        }
    }

    /// What a fresh look found; the timeline says it in words.
    pub fn found(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        zone: &TimeZone,
        lookup: Lookup,
    ) {
        self.looking = None;
        self.highlighted = 0;
        self.busy_elsewhere = lookup.busy_elsewhere;
        self.candidates = lookup.found;
        self.lookup_failed = lookup.failed;
        if self.busy_elsewhere {
            timeline.push(clock, Tone::Warning, tr!("live.timeline.busy_elsewhere"));
        } else if let Some(failure) = &self.lookup_failed {
            timeline.push(
                clock,
                Tone::Error,
                tr!("live.timeline.lookup_failed", why = failure_text(failure)),
            );
        } else {
            timeline.push(
                clock,
                Tone::Info,
                found_text(&self.candidates, &self.sent_at, zone),
            );
        }
    }
}

/// "1 x hf.large.1.30m.linux, Ubuntu 22.04, ap-southeast-3": what a
/// purchase buys, in one line, cleaned.
pub fn purchase_text(body: &RequestBody) -> String {
    clean(&body.describe()).into_owned()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: OffsetDateTime,
    pub tone: Tone,
    pub text: String,
}

/// What happened to this purchase, with times, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    pub entries: Vec<TimelineEntry>,
}

impl Timeline {
    pub fn push(&mut self, clock: &Clock, tone: Tone, text: impl Into<String>) {
        self.entries.push(TimelineEntry {
            at: clock.wall,
            tone,
            text: text.into(),
        });
    }
}

/// What a look in the order list found: the orders created since the
/// purchase was sent, and apart from them those the search's margin for
/// clocks caught from shortly before (listed as BEFORE).
fn found_text(found: &[FoundOrder], sent_at: &str, zone: &TimeZone) -> String {
    let before = found.iter().filter(|f| f.created_before(sent_at)).count();
    let since = found.len() - before;
    let at = clean(&dated_stamp(sent_at, zone)).into_owned();
    match (since == 1, before) {
        (true, 0) => tr!("live.timeline.found.one", at = at),
        (false, 0) => tr!("live.timeline.found.other", count = since, at = at),
        (true, _) => tr!("live.timeline.found_before.one", at = at, before = before),
        (false, _) => tr!(
            "live.timeline.found_before.other",
            count = since,
            at = at,
            before = before
        ),
    }
}

/// A failure as one line: the words, the code, the next step; all cleaned,
/// since they come from the network.
pub fn failure_text(failure: &ApiFailure) -> String {
    clean(&failure.to_string()).into_owned()
}

/// What the order says it costs, cleaned for the screen.
pub fn amount_text(info: &OrderInfo) -> Option<String> {
    info.amount_text().map(|text| clean(&text).into_owned())
}

/// "3s", "1m 05s".
pub fn seconds_text(d: Duration) -> String {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    if secs >= 60 {
        tr!(
            "live.minutes_seconds",
            minutes = secs / 60,
            seconds = format!("{:02}", secs % 60)
        )
    } else {
        tr!("live.seconds", seconds = secs)
    }
}

impl Submission {
    pub fn in_flight(&self) -> bool {
        match self {
            Submission::Draft | Submission::Failed { .. } => false,
            Submission::Submitting(_) | Submission::Unknown(_) => true,
            Submission::Placed(t) => !t.is_final() || matches!(t.payment, Payment::Paying { .. }),
        }
    }

    /// Starts sending `body`.
    pub fn start(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        request_id: ClientRequestId,
        body: RequestBody,
        how: How<'_>,
    ) -> Vec<Effect> {
        let (text, resend, separate_from) = match how {
            How::Resend => (tr!("live.timeline.sent_again"), true, Vec::new()),
            How::New {
                destination,
                separate_from,
            } => (
                tr!("live.timeline.sent_to", destination = clean(destination)),
                false,
                separate_from,
            ),
        };
        timeline.push(clock, Tone::Info, text);
        *self = Submission::Submitting(Box::new(Sending {
            request_id: request_id.clone(),
            body: body.clone(),
            since: clock.mono,
            resend,
            retry: None,
        }));
        vec![Effect::Submit {
            request_id,
            body,
            separate_from,
            resend,
        }]
    }

    /// A new purchase goes out, with a fresh timeline; `separate_from`
    /// names the earlier same-body purchases the user said it is not.
    pub fn send_new(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        body: RequestBody,
        destination: &str,
        separate_from: Vec<String>,
    ) -> Vec<Effect> {
        *timeline = Timeline::default();
        if !separate_from.is_empty() {
            timeline.push(
                clock,
                Tone::Info,
                tr!(
                    "live.timeline.separate_from",
                    request_ids = separate_from.join(", ")
                ),
            );
        }
        self.start(
            timeline,
            clock,
            ClientRequestId::new(),
            body,
            How::New {
                destination,
                separate_from,
            },
        )
    }

    /// After a lost answer, on the user's explicit word: the same body
    /// with the same Client-Request-Id.
    pub fn resend(&mut self, timeline: &mut Timeline, clock: &Clock) -> Vec<Effect> {
        let Submission::Unknown(unknown) = self else {
            return Vec::new();
        };
        let (request_id, body) = (unknown.request_id.clone(), unknown.body.clone());
        self.start(timeline, clock, request_id, body, How::Resend)
    }

    /// The journal holds this same order, of unknown outcome: nothing was
    /// sent, and the earlier purchase is shown with what a fresh look found.
    pub fn stop_as_double(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        zone: &TimeZone,
        request_id: ClientRequestId,
        earlier: Earlier,
    ) {
        let Some(first) = earlier.same.first() else {
            return;
        };
        *timeline = Timeline::default();
        timeline.push(
            clock,
            Tone::Warning,
            format!(
                "nothing was sent: the same order was sent at {} (Client-Request-Id {}) and its \
                 outcome is unknown",
                clean(&dated_stamp(&first.first_sent_at, zone)),
                clean(&first.client_request_id)
            ),
        );
        let mut unknown = Unknown::from_record(
            first,
            request_id,
            Origin::Double {
                same: earlier.same.clone(),
                other: earlier.other,
            },
        );
        unknown.found(timeline, clock, zone, earlier.lookup);
        *self = Submission::Unknown(Box::new(unknown));
    }

    /// A purchase of the journal, reopened: a placed order is tracked, one
    /// of unknown outcome is looked up again.
    pub fn reopen(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        zone: &TimeZone,
        record: PurchaseRecord,
    ) -> Vec<Effect> {
        *self = Submission::Draft;
        *timeline = Timeline::default();
        timeline.push(
            clock,
            Tone::Info,
            tr!(
                "live.timeline.reopened",
                what = purchase_text(&record.body),
                at = clean(&dated_stamp(&record.first_sent_at, zone))
            ),
        );
        let request_id = match record.request_id() {
            Ok(id) => id,
            Err(why) => {
                timeline.push(
                    clock,
                    Tone::Error,
                    tr!("live.timeline.record_unfollowable", why = why),
                );
                return Vec::new();
            }
        };
        match (&record.state, &record.order_id) {
            (PurchaseState::Placed, Some(order_id)) => {
                let order_id = clean(order_id).into_owned();
                timeline.push(
                    clock,
                    Tone::Info,
                    tr!("live.timeline.reopened_placed", order_id = order_id),
                );
                let tracking = Tracking::new(
                    order_id.clone(),
                    record
                        .instance_ids
                        .iter()
                        .map(|id| clean(id).into_owned())
                        .collect(),
                    Some(request_id),
                    Some(record.body.clone()),
                );
                *self = Submission::Placed(Box::new(tracking));
                vec![Effect::Track { order_id }]
            }
            _ if record.is_unresolved() => {
                timeline.push(clock, Tone::Info, tr!("live.timeline.reopened_unknown"));
                let mut unknown =
                    Unknown::from_record(&record, request_id.clone(), Origin::Reopened);
                unknown.looking = Some(clock.mono);
                *self = Submission::Unknown(Box::new(unknown));
                vec![Effect::LookAgain {
                    request_id,
                    record: Box::new(record),
                }]
            }
            _ => Vec::new(),
        }
    }

    /// The user leaves this purchase on the status pane (back to the
    /// review, or on to a new order); the journal keeps it. A placed order
    /// still followed is no longer polled.
    pub fn leave(&mut self, timeline: &mut Timeline) -> Vec<Effect> {
        let stop = match self {
            Submission::Placed(tracking) if tracking.active && !tracking.is_final() => {
                Some(Effect::StopTracking {
                    order_id: tracking.order_id.clone(),
                })
            }
            _ => None,
        };
        *self = Submission::Draft;
        *timeline = Timeline::default();
        stop.into_iter().collect()
    }

    /// Follows an order known by its ID alone (listed by BSS, not sent
    /// from this machine), as `flexus status` does: tracked, so a pending
    /// one can be paid or cancelled.
    pub fn follow(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        order_id: String,
    ) -> Vec<Effect> {
        let order_id = clean(&order_id).into_owned();
        *timeline = Timeline::default();
        timeline.push(
            clock,
            Tone::Info,
            tr!("live.timeline.followed", order_id = order_id),
        );
        *self = Submission::Placed(Box::new(Tracking::new(
            order_id.clone(),
            Vec::new(),
            None,
            None,
        )));
        vec![Effect::Track { order_id }]
    }

    /// Follows a placed order again after its tracking stopped early.
    pub fn track_again(&mut self, timeline: &mut Timeline, clock: &Clock) -> Vec<Effect> {
        let Submission::Placed(tracking) = self else {
            return Vec::new();
        };
        if tracking.active || tracking.is_final() {
            return Vec::new();
        }
        tracking.active = true;
        timeline.push(clock, Tone::Info, tr!("live.timeline.tracking_again"));
        vec![Effect::Track {
            order_id: tracking.order_id.clone(),
        }]
    }

    /// Looks in the order list again for a purchase of unknown outcome, on
    /// the user's word.
    pub fn look_again(&mut self, timeline: &mut Timeline, clock: &Clock) -> Vec<Effect> {
        let Submission::Unknown(unknown) = self else {
            return Vec::new();
        };
        if !unknown.can_look_again() {
            return Vec::new();
        }
        timeline.push(clock, Tone::Info, tr!("live.timeline.looking_again"));
        unknown.looking = Some(clock.mono);
        vec![Effect::LookAgain {
            request_id: unknown.request_id.clone(),
            record: Box::new(unknown.as_record()),
        }]
    }

    /// What a fresh look found, for the purchase looked for; whether it was.
    pub fn on_looked_again(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        zone: &TimeZone,
        request_id: &ClientRequestId,
        lookup: Lookup,
    ) -> bool {
        match self {
            Submission::Unknown(unknown)
                if unknown.request_id == *request_id && unknown.looking.is_some() =>
            {
                unknown.found(timeline, clock, zone, lookup);
                true
            }
            _ => false,
        }
    }

    /// The user's word about the highlighted found order: it is this
    /// purchase, or it is not. An order ID that is not of Huawei's shape
    /// cannot be recorded, and the timeline says so.
    pub fn choose(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        choice: Choice,
    ) -> Vec<Effect> {
        let Submission::Unknown(unknown) = self else {
            return Vec::new();
        };
        let Some(found) = unknown.highlighted().filter(|_| unknown.can_choose()) else {
            return Vec::new();
        };
        let order_id = match OrderId::parse(found.order_id()) {
            Ok(id) => id,
            Err(why) => {
                let shown = clean(found.order_id()).into_owned();
                timeline.push(
                    clock,
                    Tone::Error,
                    tr!("live.timeline.unrecordable", order_id = shown, why = why),
                );
                return Vec::new();
            }
        };
        let request_id = unknown.request_id.clone();
        let action = match choice {
            Choice::Claim => OrderAction::Claim {
                request_id,
                order_id,
            },
            Choice::Dismiss => OrderAction::Dismiss {
                request_id,
                order_id,
            },
        };
        self.act(timeline, clock, action)
    }

    /// An action on the placed order for the engine, built by `make` from
    /// its ID; when the ID is of no shape Huawei uses, so that it cannot be
    /// sent, the timeline says so in the words `unsendable` forms from why.
    pub fn order_action(
        &self,
        timeline: &mut Timeline,
        clock: &Clock,
        unsendable: impl FnOnce(String) -> String,
        make: impl FnOnce(OrderId) -> OrderAction,
    ) -> Option<OrderAction> {
        let Submission::Placed(tracking) = self else {
            return None;
        };
        match OrderId::parse(&tracking.order_id) {
            Ok(order_id) => Some(make(order_id)),
            Err(why) => {
                timeline.push(clock, Tone::Error, unsendable(why.to_string()));
                None
            }
        }
    }

    /// Hands `action` to the engine, saying so on the timeline, if it fits
    /// the purchase on screen; the answer comes back to `on_acted`.
    pub fn act(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        action: OrderAction,
    ) -> Vec<Effect> {
        match (&mut *self, &action) {
            (Submission::Placed(tracking), OrderAction::Pay { order_id })
                if tracking.order_id == order_id.as_str() && tracking.can_pay() =>
            {
                tracking.payment = Payment::Paying { since: clock.mono };
                timeline.push(clock, Tone::Info, tr!("live.timeline.paying"));
            }
            (Submission::Placed(tracking), OrderAction::Cancel { order_id })
                if tracking.order_id == order_id.as_str() && tracking.can_cancel() =>
            {
                tracking.cancelling = true;
                timeline.push(clock, Tone::Info, tr!("live.timeline.cancelling"));
            }
            (
                Submission::Unknown(unknown),
                OrderAction::Claim {
                    request_id,
                    order_id,
                },
            ) if unknown.request_id == *request_id && unknown.can_choose() => {
                let shown = clean(order_id.as_str()).into_owned();
                timeline.push(
                    clock,
                    Tone::Info,
                    tr!("live.timeline.chose", order_id = shown),
                );
                unknown.claiming = Some(shown);
            }
            (
                Submission::Unknown(unknown),
                OrderAction::Dismiss {
                    request_id,
                    order_id,
                },
            ) if unknown.request_id == *request_id && unknown.can_choose() => {
                timeline.push(
                    clock,
                    Tone::Info,
                    tr!(
                        "live.timeline.said_not_mine",
                        order_id = clean(order_id.as_str())
                    ),
                );
            }
            _ => return Vec::new(),
        }
        vec![Effect::Act(action)]
    }

    /// The answer to a submission. Answers to anything but the request in
    /// the air are dropped.
    pub fn on_submitted(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        zone: &TimeZone,
        request_id: &ClientRequestId,
        outcome: SubmitOutcome,
    ) -> Vec<Effect> {
        let Submission::Submitting(sending) = self else {
            return Vec::new();
        };
        if sending.request_id != *request_id {
            return Vec::new();
        }
        match outcome {
            SubmitOutcome::Placed {
                order_id,
                instance_ids,
                unrecorded,
            } => {
                let order_id = clean(&order_id).into_owned();
                timeline.push(
                    clock,
                    Tone::Good,
                    tr!("live.timeline.placed", order_id = order_id),
                );
                if let Some(why) = unrecorded {
                    timeline.push(
                        clock,
                        Tone::Error,
                        tr!(
                            "live.timeline.unrecorded",
                            order_id = order_id,
                            why = clean(&why)
                        ),
                    );
                }
                let tracking = Tracking::new(
                    order_id.clone(),
                    instance_ids
                        .iter()
                        .map(|id| clean(id).into_owned())
                        .collect(),
                    Some(request_id.clone()),
                    Some(sending.body.clone()),
                );
                *self = Submission::Placed(Box::new(tracking));
                vec![Effect::Track { order_id }]
            }
            SubmitOutcome::Rejected(error) => {
                timeline.push(
                    clock,
                    Tone::Error,
                    tr!("live.timeline.refused", why = failure_text(&error)),
                );
                *self = Submission::Failed {
                    error,
                    request_id: request_id.clone(),
                };
                Vec::new()
            }
            SubmitOutcome::Ambiguous {
                client_request_id,
                sent_at,
                reason,
                candidates,
                lookup_failed,
            } => {
                timeline.push(
                    clock,
                    Tone::Warning,
                    clean(&crate::api::failure::ambiguity(&reason, true)).into_owned(),
                );
                match &lookup_failed {
                    Some(failure) => timeline.push(
                        clock,
                        Tone::Error,
                        tr!("live.timeline.lookup_failed", why = failure_text(failure)),
                    ),
                    None => {
                        timeline.push(clock, Tone::Info, found_text(&candidates, &sent_at, zone))
                    }
                }
                let body = sending.body.clone();
                *self = Submission::Unknown(Box::new(Unknown {
                    request_id: client_request_id,
                    body,
                    sent_at,
                    reason,
                    candidates,
                    highlighted: 0,
                    lookup_failed,
                    origin: Origin::Lost,
                    busy_elsewhere: false,
                    looking: None,
                    claiming: None,
                }));
                Vec::new()
            }
        }
    }

    /// A wait before the purchase in the air goes again: said in the
    /// timeline, and counted down on the status pane until the attempt.
    pub fn on_waiting(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        request_id: &ClientRequestId,
        wait: RetryWait,
    ) {
        let Submission::Submitting(sending) = self else {
            return;
        };
        if sending.request_id != *request_id {
            return;
        }
        timeline.push(
            clock,
            Tone::Warning,
            clean(&tr!(
                "live.timeline.retry_follows",
                why = wait.why(),
                attempt = wait.attempt_text()
            ))
            .into_owned(),
        );
        sending.retry = Some(Retry {
            at: clock.mono + wait.waiting,
            attempt: wait.attempt_text(),
        });
    }

    /// Tracking news for the order on screen; news of any other is dropped.
    pub fn on_tracked(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        zone: &TimeZone,
        order_id: &str,
        event: TrackEvent,
    ) {
        let Submission::Placed(tracking) = self else {
            return;
        };
        if tracking.order_id != order_id {
            return;
        }
        match event {
            TrackEvent::Polled(details) => {
                let info = details.order_info;
                let changed = tracking.latest.as_ref().map(|l| l.status) != Some(info.status);
                tracking.failures_entry = None;
                if tracking.trouble.take().is_some() {
                    timeline.push(clock, Tone::Good, tr!("live.timeline.reached_again"));
                }
                if changed {
                    let state = status::describe(info.status);
                    let text = match amount_text(&info).filter(|_| tracking.latest.is_none()) {
                        Some(amount) => {
                            tr!("live.timeline.state_amount", state = state, amount = amount)
                        }
                        None => state,
                    };
                    let tone = match info.status {
                        status::COMPLETED => Tone::Good,
                        status::CANCELLED => Tone::Error,
                        status::PENDING_PAYMENT => Tone::Warning,
                        _ => Tone::Info,
                    };
                    timeline.push(clock, tone, text);
                }
                tracking.latest = Some(info);
            }
            TrackEvent::PollFailed {
                failure,
                attempt,
                retry_in,
            } => {
                let text = failure_text(&failure);
                let next = seconds_text(retry_in);
                let run = tracking
                    .failures_entry
                    .as_ref()
                    .filter(|run| run.failure == text && run.index + 1 == timeline.entries.len());
                match run {
                    // The same failure again, and nothing else happened
                    // since: the run's entry grows instead of the timeline.
                    // Its clock reads like the entry's own, in the offset the
                    // timeline's heading names.
                    Some(run) => {
                        let entry = &mut timeline.entries[run.index];
                        entry.text = tr!(
                            "live.timeline.checks_failed",
                            first = run.first_attempt,
                            last = attempt,
                            at = clock_digits(clock.wall, zone),
                            why = text,
                            next = next
                        );
                    }
                    None => {
                        timeline.push(
                            clock,
                            Tone::Warning,
                            tr!(
                                "live.timeline.check_failed",
                                attempt = attempt,
                                why = text,
                                next = next
                            ),
                        );
                        tracking.failures_entry = Some(FailureRun {
                            index: timeline.entries.len() - 1,
                            first_attempt: attempt,
                            failure: text,
                        });
                    }
                }
                tracking.trouble = Some((attempt, failure));
                tracking.next_poll_at = Some(clock.mono + retry_in);
            }
            TrackEvent::NextPollIn(after) => {
                tracking.next_poll_at = Some(clock.mono + after);
            }
            TrackEvent::Finished {
                status: final_status,
                failure,
            } => {
                tracking.next_poll_at = None;
                if let Some(failure) = &failure {
                    timeline.push(
                        clock,
                        Tone::Error,
                        tr!(
                            "live.timeline.tracking_stopped",
                            why = failure_text(failure)
                        ),
                    );
                }
                tracking.finished = Some(Finished {
                    status: final_status,
                    failure,
                });
            }
        }
    }

    pub fn on_tracking_ended(&mut self, timeline: &mut Timeline, clock: &Clock, order_id: &str) {
        let Submission::Placed(tracking) = self else {
            return;
        };
        if tracking.order_id != order_id {
            return;
        }
        tracking.active = false;
        tracking.next_poll_at = None;
        if tracking.finished.is_none() {
            timeline.push(clock, Tone::Warning, tr!("live.timeline.stopped_early"));
        }
    }

    /// The engine's answer to an action on an order; answers about anything
    /// but the purchase or order on screen are dropped.
    pub fn on_acted(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        action: &OrderAction,
        result: Result<(), ApiFailure>,
    ) -> Vec<Effect> {
        match action {
            OrderAction::Pay { order_id } => {
                self.on_paid(timeline, clock, order_id.as_str(), result);
                Vec::new()
            }
            OrderAction::Cancel { order_id } => {
                if let Submission::Placed(tracking) = self
                    && tracking.order_id == order_id.as_str()
                    && std::mem::take(&mut tracking.cancelling)
                {
                    match result {
                        Ok(()) => {
                            timeline.push(clock, Tone::Good, tr!("live.timeline.cancel_accepted"))
                        }
                        Err(failure) => timeline.push(
                            clock,
                            Tone::Error,
                            tr!("live.timeline.cancel_failed", why = failure_text(&failure)),
                        ),
                    }
                }
                Vec::new()
            }
            OrderAction::Claim {
                request_id,
                order_id,
            } => {
                if !matches!(self, Submission::Unknown(u) if u.request_id == *request_id) {
                    return Vec::new();
                }
                let Submission::Unknown(unknown) = std::mem::replace(self, Submission::Draft)
                else {
                    unreachable!("checked above")
                };
                let (next, effects) =
                    unknown.on_claimed(timeline, clock, order_id.as_str(), result);
                *self = next;
                effects
            }
            OrderAction::Dismiss {
                request_id,
                order_id,
            } => {
                self.on_dismissed(timeline, clock, request_id, order_id.as_str(), result);
                Vec::new()
            }
        }
    }

    fn on_dismissed(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        request_id: &ClientRequestId,
        order_id: &str,
        result: Result<(), ApiFailure>,
    ) {
        let Submission::Unknown(unknown) = self else {
            return;
        };
        if unknown.request_id != *request_id {
            return;
        }
        match result {
            Ok(()) => {
                unknown
                    .candidates
                    .retain(|c| clean(c.order_id()).as_ref() != order_id);
                timeline.push(
                    clock,
                    Tone::Good,
                    tr!("live.timeline.dismissed", order_id = order_id),
                );
                if unknown.candidates.is_empty() {
                    timeline.push(clock, Tone::Info, tr!("live.timeline.none_left"));
                }
            }
            Err(failure) => timeline.push(
                clock,
                Tone::Error,
                tr!(
                    "live.timeline.dismiss_failed",
                    order_id = order_id,
                    why = failure_text(&failure)
                ),
            ),
        }
    }

    fn on_paid(
        &mut self,
        timeline: &mut Timeline,
        clock: &Clock,
        order_id: &str,
        result: Result<(), ApiFailure>,
    ) {
        let Submission::Placed(tracking) = self else {
            return;
        };
        if tracking.order_id != order_id || !matches!(tracking.payment, Payment::Paying { .. }) {
            return;
        }
        match result {
            Ok(()) => {
                timeline.push(clock, Tone::Good, tr!("live.timeline.paid"));
                tracking.payment = Payment::Paid;
            }
            Err(failure) => {
                timeline.push(
                    clock,
                    Tone::Error,
                    tr!("live.timeline.pay_failed", why = failure_text(&failure)),
                );
                tracking.payment = Payment::Failed(failure);
            }
        }
    }

    pub fn exit_report(&self, zone: &TimeZone) -> Option<String> {
        match self {
            Submission::Draft | Submission::Failed { .. } => None,
            Submission::Submitting(sending) => {
                Some(tr!("live.exit.sending", request_id = sending.request_id))
            }
            Submission::Unknown(unknown) => Some(tr!(
                "live.exit.unknown",
                at = clean(&dated_stamp(&unknown.sent_at, zone)),
                request_id = unknown.request_id
            )),
            Submission::Placed(t) => {
                let state = t.status_words();
                let order_id = &t.order_id;
                let said = if t.is_final() {
                    tr!("live.exit.final", order_id = order_id, state = state)
                } else {
                    tr!("live.exit.not_final", order_id = order_id, state = state)
                };
                Some(if t.instance_ids.is_empty() {
                    said
                } else {
                    let ids = t.instance_ids.join(", ");
                    tr!("live.exit.with_instances", said = said, ids = ids)
                })
            }
        }
    }
}

impl Tracking {
    pub fn new(
        order_id: String,
        instance_ids: Vec<String>,
        request_id: Option<ClientRequestId>,
        body: Option<RequestBody>,
    ) -> Tracking {
        Tracking {
            order_id,
            instance_ids,
            request_id,
            latest: None,
            next_poll_at: None,
            trouble: None,
            failures_entry: None,
            finished: None,
            active: true,
            payment: Payment::NotAsked,
            cancelling: false,
            body,
        }
    }

    pub fn status(&self) -> Option<i32> {
        self.finished
            .as_ref()
            .and_then(|f| f.status)
            .or(self.latest.as_ref().map(|l| l.status))
    }

    pub fn is_final(&self) -> bool {
        self.finished.is_some() || self.status().is_some_and(status::is_final)
    }

    pub fn status_words(&self) -> String {
        match self.status() {
            Some(code) => status::describe(code),
            None => tr!("live.status.placed"),
        }
    }

    /// The user may go on to a new order: this one is final, no longer
    /// followed, or waits for payment, which waits for a person (maybe a
    /// day; the journal keeps it, and the next start reopens it).
    pub fn can_leave(&self) -> bool {
        let waits_for_payment = self.status() == Some(status::PENDING_PAYMENT)
            && !matches!(self.payment, Payment::Paying { .. });
        self.is_final() || !self.active || waits_for_payment
    }

    /// Paying makes sense only while the order waits for payment.
    pub fn can_pay(&self) -> bool {
        self.status() == Some(status::PENDING_PAYMENT)
            && !matches!(self.payment, Payment::Paying { .. } | Payment::Paid)
            && !self.cancelling
    }

    /// Only an order waiting for payment can be cancelled, and not while
    /// it is being paid.
    pub fn can_cancel(&self) -> bool {
        self.can_pay()
    }
}
