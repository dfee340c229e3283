//! The wizard's whole state, and the flow between its steps: which step
//! comes next, what counts as done, and which later choices an earlier
//! change invalidates. Screens keep their own widget state here too, so
//! going back and forth never loses what was typed.

use jiff::tz::TimeZone;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::kept::KeptDraft;
use super::screens::dialogs::Confirmation;
use super::screens::{
    self, extras, image, naming, orders, period, purchases, region, review, signin, spec, status,
};
use super::service::OrderService;
use super::submission::{Submission, Timeline};
use super::theme::Theme;
use crate::api::engine::ApiFailure;
use crate::api::journal::PurchaseRecord;
use crate::domain::catalog::{Catalog, ImageSelection, Platform};
use crate::domain::field::Field;
use crate::domain::order::{Draft, ImageRef, Problem};
use crate::domain::pricing::{PriceTable, SpendingLimit};

/// The steps of the wizard, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Region,
    Image,
    Spec,
    Period,
    Extras,
    Naming,
    Review,
}

impl Step {
    pub const COUNT: usize = 7;
    pub const ALL: [Step; Step::COUNT] = [
        Step::Region,
        Step::Image,
        Step::Spec,
        Step::Period,
        Step::Extras,
        Step::Naming,
        Step::Review,
    ];

    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// The steps that make the order, before the review of it.
    pub const FORM: &[Step] = Step::ALL.split_last().expect("steps").1;

    /// The step's name, as its screen gives it.
    pub fn title(self) -> &'static str {
        super::screens::of(Page::Step(self)).name
    }

    pub fn next(self) -> Step {
        Step::ALL[(self as usize + 1).min(Step::ALL.len() - 1)]
    }

    pub fn previous(self) -> Option<Step> {
        (self as usize).checked_sub(1).map(|i| Step::ALL[i])
    }

    pub fn from_number(n: usize) -> Option<Step> {
        n.checked_sub(1).and_then(|i| Step::ALL.get(i)).copied()
    }

    /// The step where a field of the request body is chosen.
    pub fn of_field(field: &Field) -> Step {
        match field {
            Field::Region => Step::Region,
            Field::ImageRef(_) => Step::Image,
            Field::PlanSpec => Step::Spec,
            Field::PeriodType
            | Field::PeriodNum
            | Field::PurchaseQuantity
            | Field::IsAutoRenew
            | Field::IsAutoPay
            | Field::ChargingMode => Step::Period,
            Field::ExtraResources(_) | Field::Extra(..) => Step::Extras,
            Field::InstanceName | Field::Description | Field::Tags | Field::Tag(..) => Step::Naming,
            Field::Beneath(within, _) => Step::of_field(within),
            Field::Plan | Field::Unknown(_) => Step::Review,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    SignIn,
    Step(Step),
    Status,
    /// The journal's unfinished purchases, listed at the start when there
    /// are several.
    Purchases,
    /// This machine's purchases and the account's orders, opened by `o`.
    Orders,
}

/// The time of the message being handled, set by the runtime before each
/// `update` (and by tests directly), so views and updates never read a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub mono: Instant,
    pub wall: OffsetDateTime,
}

/// How often a spinner turns.
pub const SPINNER_STEP: Duration = Duration::from_millis(100);

impl Clock {
    pub fn now() -> Clock {
        Clock {
            mono: Instant::now(),
            wall: OffsetDateTime::now_utc(),
        }
    }

    /// The frame of a spinner that started turning at `since`; the runtime
    /// redraws on a tick only when this changes.
    pub fn spinner_frame(&self, since: Instant) -> usize {
        (self.mono.saturating_duration_since(since).as_millis() / SPINNER_STEP.as_millis()) as usize
    }
}

/// Whose choices a new order starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoicesFrom {
    /// The order kept over the last quit.
    Kept,
    /// The last order sent.
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Warning,
    Error,
}

/// A message at the top of the page, e.g. which choices a change cleared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
}

/// Modal questions and the help, drawn over the page.
#[derive(Clone)]
pub enum Overlay {
    /// The keys; over a question, that question's keys, and closing the
    /// help goes back to it.
    Help(Option<Box<Overlay>>),
    /// A yes-or-no question; its answer is acted on by `update`.
    Confirm(Confirmation),
    /// Where to save the plan.
    SavePlan(super::widgets::TextField),
}

/// Where signing in stands.
#[derive(Clone)]
pub enum Connection {
    NotSignedIn,
    SigningIn {
        attempt: u64,
        since: Instant,
        what: String,
    },
    Ready {
        service: Arc<dyn OrderService>,
        /// Where orders go, in full (the review shows it).
        label: String,
        /// The same in a few words, for the header when the full one does
        /// not fit.
        brief: String,
    },
    Failed {
        error: ApiFailure,
        what: String,
    },
}

/// The config profile the wizard runs with: its name for the header, its
/// spending limit for the review, and where to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileInUse {
    pub name: String,
    /// "profile NAME in FILE".
    pub described: String,
    pub region: Option<String>,
    pub limit: SpendingLimit,
}

pub struct App {
    pub catalog: Arc<Catalog>,
    pub prices: Arc<PriceTable>,
    pub theme: Theme,
    pub clock: Clock,
    /// The zone a person reads times in, looked up once at the start (tests
    /// name one); the journal and the services keep UTC.
    pub zone: TimeZone,
    /// Terminal size in cells, as last reported.
    pub size: (u16, u16),

    /// The order being built: every choice that was accepted.
    pub draft: Draft,
    /// The OS of a private image: not part of the request body, but it
    /// decides which packages fit.
    pub private_platform: Option<Platform>,
    pub page: Page,
    /// Steps whose defaults the user has seen and accepted (period, extras,
    /// naming); the choice steps are done when their choice is valid.
    pub accepted: [bool; Step::COUNT],
    /// The current step was reopened from the review: Enter and Esc lead
    /// back there.
    pub from_review: bool,
    /// Where to go once signed in.
    pub resume: Page,
    pub notices: Vec<Notice>,
    pub overlay: Option<Overlay>,
    pub connection: Connection,
    pub connect_attempts: u64,
    /// Checks for earlier purchases of unknown outcome asked so far (the
    /// id of the latest).
    pub checks: u64,
    /// Once signed in, read the journal's unfinished purchases and reopen
    /// them, and start a new order from the last one's choices (a bare
    /// `flexus`; cleared once asked).
    pub reattach: bool,
    /// The draft as the wizard opened it (empty, a plan, the last order's
    /// choices, a kept order): quitting keeps the draft only when the user
    /// has changed it since.
    pub opened_with: Draft,
    /// A half-made order kept over the last quit, offered until answered.
    pub kept: Option<KeptDraft>,
    /// A kept order's file is on disk, to remove once an order is sent or
    /// the user starts afresh.
    pub kept_on_disk: bool,
    /// The last order, read while the offer of a kept order is still open:
    /// starting afresh starts from its choices.
    pub last_order: Option<Box<PurchaseRecord>>,
    /// Quitting was asked with Ctrl-C (not `q`): the exit says 130.
    pub interrupted: bool,
    pub purchases: purchases::State,
    pub orders: orders::State,

    pub signin: signin::State,
    pub region: region::State,
    pub image: image::State,
    pub spec: spec::State,
    pub period: period::State,
    pub extras: extras::State,
    pub naming: naming::State,
    pub review: review::State,
    pub status: status::State,

    pub submission: Submission,
    pub timeline: Timeline,
    pub quit: bool,
    /// The signal that ended the wizard, if one did; SIGINT also for the
    /// Ctrl-C key (the terminal's interrupt, which raw mode reads as a key).
    pub stopped_by: Option<&'static str>,
    pub profile: Option<ProfileInUse>,
}

impl App {
    pub fn new(catalog: Arc<Catalog>, prices: Arc<PriceTable>, theme: Theme, clock: Clock) -> App {
        let mut app = App {
            region: region::State::new(&catalog, &prices),
            image: image::State::default(),
            spec: spec::State::default(),
            period: period::State::default(),
            extras: extras::State::default(),
            naming: naming::State::default(),
            review: review::State::default(),
            status: status::State::default(),
            signin: signin::State::default(),
            catalog,
            prices,
            theme,
            clock,
            zone: TimeZone::UTC,
            size: (80, 24),
            draft: Draft::default(),
            private_platform: None,
            page: Page::Step(Step::Region),
            accepted: [false; Step::COUNT],
            from_review: false,
            resume: Page::Step(Step::Region),
            notices: Vec::new(),
            overlay: None,
            connection: Connection::NotSignedIn,
            connect_attempts: 0,
            checks: 0,
            reattach: false,
            opened_with: Draft::default(),
            kept: None,
            kept_on_disk: false,
            last_order: None,
            interrupted: false,
            purchases: purchases::State::default(),
            orders: orders::State::default(),
            submission: Submission::Draft,
            timeline: Timeline::default(),
            quit: false,
            stopped_by: None,
            profile: None,
        };
        app.refresh_options();
        app
    }

    /// Opens a saved plan: every step filled in, at the review, or at the
    /// first step with a problem when the plan has some.
    pub fn load_plan(&mut self, path: PathBuf, draft: Draft, reading_problems: Vec<Problem>) {
        self.fill_draft(draft);
        self.review.plan_file = Some(path);
        self.review.file_draft = Some(self.draft.clone());
        let mut problems = reading_problems;
        problems.extend(self.draft.problems(&self.catalog));
        let first = problems.iter().map(|p| Step::of_field(&p.field)).min();
        for problem in &problems {
            self.accepted[Step::of_field(&problem.field) as usize] = false;
        }
        match first {
            None => self.go_to(Page::Step(Step::Review)),
            Some(step) => {
                self.go_to(Page::Step(step));
                let count = problems.len();
                self.notice(
                    Tone::Warning,
                    if count == 1 {
                        tr!("live.plan_problems.one")
                    } else {
                        tr!("live.plan_problems.other", count = count)
                    },
                );
                for p in problems {
                    self.notice(Tone::Warning, p.to_string());
                }
            }
        }
        self.resume = self.page;
    }

    /// The OS of a draft's private image, as far as its package tells.
    fn private_platform_of(&self, draft: &Draft) -> Option<Platform> {
        match draft.image {
            ImageRef::Private { .. } => draft
                .image_selection(&self.catalog)
                .and_then(|s| match s {
                    ImageSelection::Private { platform } => Some(platform),
                    ImageSelection::Public { .. } => None,
                })
                .or(Some(Platform::Linux)),
            _ => None,
        }
    }

    /// Every step filled in from `draft` and accepted, as if chosen: a plan,
    /// or a journaled purchase reopened, which is where this order starts
    /// (nothing of it to keep over a quit).
    pub fn fill_draft(&mut self, draft: Draft) {
        self.private_platform = self.private_platform_of(&draft);
        self.opened_with = draft.clone();
        self.draft = draft;
        self.accepted = [true; Step::COUNT];
        self.refresh_options();
        self.sync_all_screens();
    }

    /// Starts from earlier choices (the last order's, or the kept order's),
    /// each step's cursor on them but none accepted: the user
    /// walks the steps. A choice the catalog no longer offers is dropped,
    /// and its step starts as usual. Returns the first step whose choice
    /// was dropped, and a notice for each saying why.
    pub fn take_up(&mut self, draft: Draft, source: ChoicesFrom) -> (Option<Step>, Vec<Notice>) {
        let mut draft = draft;
        let mut first_dropped = None;
        let mut dropped = Vec::new();
        for &step in Step::FORM {
            if !chosen(&draft, step) {
                continue;
            }
            let problems = draft.problems(&self.catalog);
            let Some(problem) = problems.iter().find(|p| Step::of_field(&p.field) == step) else {
                continue;
            };
            // The image and the package are chosen for a region, and the
            // package for an image: they go with it.
            let with_it: &[Step] = match step {
                Step::Region => &[Step::Image, Step::Spec],
                Step::Image => &[Step::Spec],
                _ => &[],
            };
            let also: Vec<String> = with_it
                .iter()
                .filter(|&&s| chosen(&draft, s))
                .map(|s| s.title().to_lowercase())
                .collect();
            drop_choice(&mut draft, step);
            for &later in with_it {
                drop_choice(&mut draft, later);
            }
            let choice = step.title().to_lowercase();
            let also = also.join(tr!("live.dropped.and").as_str());
            let text = match (source, also.is_empty()) {
                (ChoicesFrom::Kept, true) => {
                    tr!("live.dropped.kept", choice = choice, problem = problem)
                }
                (ChoicesFrom::Kept, false) => tr!(
                    "live.dropped.kept_with",
                    choice = choice,
                    also = also,
                    problem = problem
                ),
                (ChoicesFrom::Last, true) => {
                    tr!("live.dropped.last", choice = choice, problem = problem)
                }
                (ChoicesFrom::Last, false) => tr!(
                    "live.dropped.last_with",
                    choice = choice,
                    also = also,
                    problem = problem
                ),
            };
            dropped.push(Notice {
                tone: Tone::Warning,
                text,
            });
            first_dropped.get_or_insert(step);
        }
        self.private_platform = self.private_platform_of(&draft);
        self.draft = draft;
        self.accepted = [false; Step::COUNT];
        self.opened_with = self.draft.clone();
        self.refresh_options();
        self.sync_all_screens();
        (first_dropped, dropped)
    }

    /// The user has chosen something since the wizard opened that no order
    /// holds yet: quitting keeps it for the next start.
    pub fn has_unsent_choices(&self) -> bool {
        matches!(
            self.submission,
            Submission::Draft | Submission::Failed { .. }
        ) && self.draft_with_edits() != self.opened_with
    }

    /// The draft with what the current form step's fields hold, when the
    /// order can take it: a quit keeps edits not yet confirmed with Enter.
    /// A list step's highlight is not a choice, so it is not kept.
    pub fn draft_with_edits(&self) -> Draft {
        let mut draft = self.draft.clone();
        match self.step_left_at() {
            Step::Period => self.period.write_into(&mut draft),
            Step::Extras => self.extras.write_into(&mut draft),
            Step::Naming => self.naming.write_into(&self.catalog, &mut draft),
            _ => {}
        }
        draft
    }

    /// The draft and the step it is at, to keep over a quit.
    pub fn to_keep(&self) -> KeptDraft {
        KeptDraft {
            draft: self.draft_with_edits(),
            step: self.step_left_at(),
        }
    }

    /// The step a quit leaves the order at.
    fn step_left_at(&self) -> Step {
        self.step_of(self.page)
    }

    /// The step `page` stands for when the order is left there: the step
    /// itself, or the page it leads back to (sign-in to where it resumes,
    /// the orders view to where `o` was pressed), followed a few hops.
    fn step_of(&self, page: Page) -> Step {
        let mut page = page;
        for _ in 0..3 {
            page = match page {
                Page::Step(step) => return step,
                Page::Status | Page::Purchases => return Step::Review,
                Page::SignIn => self.resume,
                Page::Orders => match self.orders.came_from.as_ref() {
                    Some((from, _)) => *from,
                    None => return Step::Review,
                },
            };
        }
        Step::Region
    }

    pub fn notice(&mut self, tone: Tone, text: impl Into<String>) {
        self.notices.push(Notice {
            tone,
            text: text.into(),
        });
    }

    /// Shows another page; notices belong to the page they were shown on.
    pub fn go_to(&mut self, page: Page) {
        if page != self.page {
            self.notices.clear();
        }
        self.page = page;
    }

    /// The spinner symbol for something under way since `since`.
    pub fn spinner(&self, since: Instant) -> &'static str {
        self.theme.spinner(self.clock.spinner_frame(since))
    }

    pub fn service(&self) -> Option<&Arc<dyn OrderService>> {
        match &self.connection {
            Connection::Ready { service, .. } => Some(service),
            _ => None,
        }
    }

    /// The catalog's view of the chosen image, using the private platform
    /// chosen on the image step rather than guessing it from the package.
    pub fn image_selection(&self) -> Option<ImageSelection> {
        match &self.draft.image {
            ImageRef::Unset => None,
            ImageRef::Public { name, version } => Some(ImageSelection::Public {
                name: name.clone(),
                version: version.clone(),
            }),
            ImageRef::Private { .. } => self
                .private_platform
                .map(|platform| ImageSelection::Private { platform }),
        }
    }

    /// Whether a step holds a valid, accepted choice.
    pub fn step_done(&self, step: Step) -> bool {
        let catalog = &self.catalog;
        let draft = &self.draft;
        match step {
            Step::Region => catalog.check_region(&draft.region).is_ok(),
            Step::Image => {
                self.step_done(Step::Region)
                    && match &draft.image {
                        ImageRef::Unset => false,
                        ImageRef::Public { name, version } => {
                            catalog.check_version(&draft.region, name, version).is_ok()
                        }
                        ImageRef::Private { image_id } => {
                            !image_id.trim().is_empty() && self.private_platform.is_some()
                        }
                    }
            }
            Step::Spec => {
                self.step_done(Step::Image)
                    && self.image_selection().is_some_and(|selection| {
                        catalog
                            .check_spec(&draft.region, &selection, &draft.plan_spec)
                            .is_ok()
                    })
            }
            Step::Period | Step::Extras | Step::Naming => self.accepted[step as usize],
            Step::Review => false,
        }
    }

    pub fn first_unfinished(&self) -> Option<Step> {
        Step::FORM.iter().copied().find(|&s| !self.step_done(s))
    }

    /// A step's input was valid and is now in the draft: clear what no longer
    /// fits and move on.
    pub fn accept(&mut self, step: Step) {
        self.accepted[step as usize] = true;
        let cleared = self.reconcile();
        let was_from_review = self.from_review;
        let next = if was_from_review {
            self.first_unfinished().unwrap_or(Step::Review)
        } else {
            step.next()
        };
        // A step that must be redone because of this change also leads back
        // to the review.
        self.from_review = was_from_review && next != Step::Review;
        self.go_to(Page::Step(next));
        self.notices.extend(cleared);
        self.sync_screen(next);
    }

    /// Back one step, keeping everything; from a reopened step, back to the
    /// review with the draft as it was.
    pub fn back(&mut self) {
        let Page::Step(step) = self.page else {
            return;
        };
        if self.from_review {
            self.from_review = false;
            self.sync_screen(step);
            self.go_to(Page::Step(Step::Review));
        } else if let Some(previous) = step.previous() {
            self.go_to(Page::Step(previous));
        }
    }

    /// Opens a step from the review, showing the draft's values.
    pub fn reopen(&mut self, step: Step) {
        self.sync_screen(step);
        self.from_review = true;
        self.go_to(Page::Step(step));
    }

    /// Clears the choices an upstream change made impossible and says why.
    /// Returns the notices; recomputes the options of the later steps.
    pub fn reconcile(&mut self) -> Vec<Notice> {
        let mut cleared = Vec::new();
        let region_ok = self.catalog.check_region(&self.draft.region).is_ok();
        if let (true, ImageRef::Public { name, version }) = (region_ok, &self.draft.image)
            && let Err(reason) = self
                .catalog
                .check_version(&self.draft.region, name, version)
        {
            cleared.push(Notice {
                tone: Tone::Warning,
                text: tr!(
                    "live.cleared.image",
                    name = name,
                    version = version,
                    reason = reason
                ),
            });
            self.draft.image = ImageRef::Unset;
        }
        if region_ok
            && !self.draft.plan_spec.is_empty()
            && let Some(selection) = self.image_selection()
            && let Err(reason) =
                self.catalog
                    .check_spec(&self.draft.region, &selection, &self.draft.plan_spec)
        {
            cleared.push(Notice {
                tone: Tone::Warning,
                text: tr!(
                    "live.cleared.spec",
                    spec = self.draft.plan_spec,
                    reason = reason
                ),
            });
            self.draft.plan_spec.clear();
        }
        self.refresh_options();
        cleared
    }

    /// Recomputes the options whose availability depends on earlier choices.
    pub fn refresh_options(&mut self) {
        image::refresh(self);
        spec::refresh(self);
    }

    pub fn sync_screen(&mut self, step: Step) {
        (screens::of(Page::Step(step)).sync)(self)
    }

    pub fn sync_all_screens(&mut self) {
        for step in Step::ALL {
            self.sync_screen(step);
        }
    }

    /// Whether an order is out of the user's hands: quitting needs a yes.
    pub fn order_in_flight(&self) -> bool {
        self.submission.in_flight()
    }

    /// What to tell the user on the way out, after the terminal is restored.
    pub fn exit_report(&self) -> Option<String> {
        self.submission.exit_report(&self.zone)
    }
}

/// Whether a draft holds a choice for `step` (the period always has one).
fn chosen(draft: &Draft, step: Step) -> bool {
    match step {
        Step::Region => !draft.region.is_empty(),
        Step::Image => draft.image != ImageRef::Unset,
        Step::Spec => !draft.plan_spec.is_empty(),
        Step::Period => true,
        Step::Extras => !draft.extra_resources.is_empty(),
        Step::Naming => !draft.instance_name.is_empty(),
        Step::Review => false,
    }
}

/// Clears a step's part of the draft, back to where a new order starts.
fn drop_choice(draft: &mut Draft, step: Step) {
    let fresh = Draft::default();
    match step {
        Step::Region => draft.region = fresh.region,
        Step::Image => draft.image = fresh.image,
        Step::Spec => draft.plan_spec = fresh.plan_spec,
        Step::Period => {
            draft.period_type = fresh.period_type;
            draft.period_num = fresh.period_num;
            draft.purchase_quantity = fresh.purchase_quantity;
            draft.is_auto_renew = fresh.is_auto_renew;
            draft.is_auto_pay = fresh.is_auto_pay;
        }
        Step::Extras => draft.extra_resources = fresh.extra_resources,
        Step::Naming => {
            draft.instance_name = fresh.instance_name;
            draft.description = fresh.description;
            draft.tags = fresh.tags;
        }
        Step::Review => {}
    }
}
