//! Purchases that outlive the wizard that sent them: an earlier purchase
//! of unknown outcome stops the same order being sent again (only a typed
//! "separate" sends it), and a new wizard reopens the journal's unfinished
//! purchases and follows them. Update tests and snapshots, no terminal.

mod support;

use crossterm::event::KeyCode;

use flexus::api::journal::{DamagedRecord, PurchaseState, RecordedFailure};
use flexus::api::wire::status;
use flexus::domain::order::RequestBody;
use flexus::tui::app::{App, Overlay, Page, Step};
use flexus::tui::msg::{Effect, Msg};
use flexus::tui::screens::dialogs::Confirmed;
use flexus::tui::screens::review;
use flexus::tui::service::{AtStart, Earlier, Lookup, Start};
use flexus::tui::submission::{Origin, Submission};
use flexus::tui::update::update;
use support::*;

fn lost_answer() -> PurchaseState {
    PurchaseState::Ambiguous {
        error: RecordedFailure {
            status: None,
            code: None,
            message: "the connection closed before the answer".to_string(),
        },
        candidates: Vec::new(),
    }
}

fn other_body(app: &App) -> RequestBody {
    let mut other = body_of(app);
    other.instance_name = "db-01".to_string();
    other.purchase_quantity = 3;
    other
}

/// At the review, Enter finds the same order of unknown outcome in the
/// journal, with `lookup` from a fresh look.
fn double_found(lookup: Lookup) -> (App, std::sync::Arc<FakeService>) {
    let (mut app, service) = app_at_review();
    let earlier = Earlier {
        same: vec![record(EARLIER_ID, body_of(&app), PurchaseState::Unanswered)],
        lookup,
        other: vec![record(OTHER_ID, other_body(&app), lost_answer())],
        damaged: Vec::new(),
        credentials: None,
    };
    let effects = enter_and_check(&mut app, earlier);
    assert!(effects.is_empty(), "nothing is sent: {effects:?}");
    (app, service)
}

fn with_candidate() -> Lookup {
    Lookup {
        found: vec![found()],
        ..Lookup::default()
    }
}

fn unknown(app: &App) -> &flexus::tui::submission::Unknown {
    match &app.submission {
        Submission::Unknown(u) => u,
        _ => panic!("not an unknown outcome"),
    }
}

#[test]
fn the_check_comes_before_the_question_and_a_double_sends_nothing() {
    let (mut app, _) = app_at_review();
    let effects = enter(&mut app);
    let [Effect::CheckEarlier { body, .. }] = effects.as_slice() else {
        panic!("the journal is asked first: {effects:?}");
    };
    assert_eq!(*body, body_of(&app));
    assert!(app.overlay.is_none(), "nothing is asked before the answer");
    // A second Enter while checking asks nothing more.
    assert!(enter(&mut app).is_empty());

    let (app, _) = double_found(with_candidate());
    assert_eq!(app.page, Page::Status);
    let u = unknown(&app);
    assert!(matches!(u.origin, Origin::Double { .. }));
    assert_eq!(u.request_id.as_str(), EARLIER_ID);
    assert_eq!(u.candidates.len(), 1);
}

#[test]
fn the_double_pane_shows_the_earlier_purchase_and_what_was_found() {
    let (mut app, _) = double_found(with_candidate());
    let text = frame(&mut app, 120, 40);
    assert!(text.contains("Nothing was sent"), "{text}");
    assert!(text.contains(EARLIER_ID), "{text}");
    assert!(text.contains("2026-01-15 09:10 (UTC+00:00)"), "{text}");
    // The found order: created, amount, spec x quantity.
    let row = line_with(&text, ORDER_ID);
    assert!(
        row.contains("created 2026-01-15 09:30 (UTC+00:00), USD 19.00"),
        "{text}"
    );
    assert!(text.contains("hf.large.2.30m.linux x 1"), "{text}");
    // The other unresolved purchase is named too.
    assert!(text.contains("3 x hf.large.2.30m.linux"), "{text}");
    snap!("status_double_found", &mut app);

    let (mut app, _) = double_found(Lookup::default());
    snap!("status_double_nothing_found", &mut app);

    let (mut app, _) = double_found(Lookup {
        busy_elsewhere: true,
        ..Lookup::default()
    });
    assert!(frame(&mut app, 80, 24).contains("another flexus right now"));
    snap!("status_double_busy", &mut app);
}

#[test]
fn y_and_enter_alone_do_nothing_and_only_typed_separate_sends() {
    let (mut app, service) = double_found(with_candidate());
    assert!(press(&mut app, KeyCode::Char('y')).is_empty());
    assert!(enter(&mut app).is_empty());
    assert!(app.overlay.is_none());
    assert!(matches!(app.submission, Submission::Unknown(_)));

    assert!(press(&mut app, KeyCode::Char('s')).is_empty());
    assert_eq!(asked(&app), Some(&Confirmed::SubmitSeparate));
    snap!("confirm_separate", &mut app);
    // y, Enter: no.
    press(&mut app, KeyCode::Char('y'));
    assert!(enter(&mut app).is_empty());
    assert!(app.overlay.is_none());
    // Enter alone: no.
    press(&mut app, KeyCode::Char('s'));
    assert!(enter(&mut app).is_empty());
    assert!(app.overlay.is_none());
    // Half the word: no.
    press(&mut app, KeyCode::Char('s'));
    type_text(&mut app, "separat");
    assert!(enter(&mut app).is_empty());
    // Esc in the question: back to the pane, still nothing sent.
    press(&mut app, KeyCode::Char('s'));
    type_text(&mut app, "separate");
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(matches!(app.submission, Submission::Unknown(_)));

    press(&mut app, KeyCode::Char('s'));
    type_text(&mut app, "separate");
    let effects = enter(&mut app);
    let [
        Effect::Submit {
            request_id,
            body,
            separate_from,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("one submission: {effects:?}");
    };
    assert_ne!(request_id.as_str(), EARLIER_ID, "a new purchase, a new ID");
    assert_eq!(*body, body_of(&app));
    assert_eq!(separate_from, &vec![EARLIER_ID.to_string()]);
    assert!(matches!(app.submission, Submission::Submitting(_)));
    assert!(service.state.submitted.lock().unwrap().is_empty());
}

#[test]
fn resend_is_not_offered_while_a_found_order_is_unclaimed() {
    let (mut app, _) = double_found(with_candidate());
    assert!(
        !hint_keys(&app).contains(&"r".to_string()),
        "{:?}",
        hint_keys(&app)
    );
    assert!(press(&mut app, KeyCode::Char('r')).is_empty());
    assert!(app.overlay.is_none());

    // d: not this purchase, recorded; then resend is offered.
    let effects = press(&mut app, KeyCode::Char('d'));
    assert_eq!(
        effects,
        vec![Effect::Act(dismiss_action(EARLIER_ID, ORDER_ID))]
    );
    // Until the journal says it recorded it, the order stays.
    assert!(press(&mut app, KeyCode::Char('r')).is_empty());
    assert!(app.overlay.is_none());
    update(
        &mut app,
        Msg::Acted {
            action: dismiss_action(EARLIER_ID, ORDER_ID),
            result: Ok(()),
        },
    );
    assert!(unknown(&app).candidates.is_empty());
    assert!(hint_keys(&app).contains(&"r".to_string()));
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(asked(&app), Some(&Confirmed::Resend));
    let effects = press(&mut app, KeyCode::Char('y'));
    // The earlier purchase again, with its own ID, not a new one.
    assert_eq!(
        effects,
        vec![Effect::Submit {
            request_id: request_id(EARLIER_ID),
            body: body_of(&app),
            separate_from: Vec::new(),
            resend: true,
        }]
    );
}

#[test]
fn a_found_order_is_followed_with_t_and_claimed() {
    let (mut app, _) = double_found(with_candidate());
    let effects = press(&mut app, KeyCode::Char('t'));
    assert_eq!(
        effects,
        vec![Effect::Act(claim_action(EARLIER_ID, ORDER_ID))]
    );
    // Followed once the journal has the claim, not before.
    assert!(matches!(&app.submission, Submission::Unknown(_)));
    assert!(press(&mut app, KeyCode::Char('t')).is_empty(), "asked once");
    claim_recorded(&mut app, EARLIER_ID);
    assert!(matches!(&app.submission, Submission::Placed(t) if t.order_id == ORDER_ID));
}

#[test]
fn a_claim_the_journal_refused_leaves_the_choice_open() {
    let (mut app, _) = double_found(with_candidate());
    press(&mut app, KeyCode::Char('t'));
    let effects = update(
        &mut app,
        Msg::Acted {
            action: claim_action(EARLIER_ID, ORDER_ID),
            result: Err(failure(
                None,
                None,
                "another flexus is sending this purchase right now",
                "",
            )),
        },
    );
    assert!(effects.is_empty(), "not followed: {effects:?}");
    assert!(unknown(&app).can_choose(), "t works again");
    let timeline = format!("{:?}", app.timeline);
    assert!(timeline.contains("could not record"), "{timeline}");
}

#[test]
fn a_purchase_another_flexus_is_sending_can_be_looked_at_again() {
    let (mut app, _) = double_found(Lookup {
        busy_elsewhere: true,
        ..Lookup::default()
    });
    assert!(hint_keys(&app).contains(&"g".to_string()));
    let effects = press(&mut app, KeyCode::Char('g'));
    let [Effect::LookAgain { request_id, record }] = effects.as_slice() else {
        panic!("a fresh look: {effects:?}");
    };
    assert_eq!(request_id.as_str(), EARLIER_ID);
    assert_eq!(record.client_request_id, EARLIER_ID);
    assert!(unknown(&app).looking.is_some());
    assert!(
        press(&mut app, KeyCode::Char('g')).is_empty(),
        "one look at a time"
    );
}

#[test]
fn busy_elsewhere_offers_neither_claim_nor_resend() {
    let (mut app, _) = double_found(Lookup {
        busy_elsewhere: true,
        ..Lookup::default()
    });
    let keys = hint_keys(&app);
    assert!(
        !keys.contains(&"r".to_string()) && !keys.contains(&"t".to_string()),
        "{keys:?}"
    );
    assert!(press(&mut app, KeyCode::Char('r')).is_empty());
    assert!(app.overlay.is_none());
    assert!(keys.contains(&"s".to_string()));
}

#[test]
fn esc_goes_back_to_the_review_with_everything_kept() {
    let (mut app, _) = double_found(with_candidate());
    let before = app.draft.clone();
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.page, Page::Step(Step::Review));
    assert_eq!(app.draft, before);
    assert!(matches!(app.submission, Submission::Draft));
    // The other purchase of unknown outcome stays named on the review.
    assert!(frame(&mut app, 120, 40).contains("3 x hf.large.2.30m.linux"));
}

#[test]
fn other_unresolved_purchases_are_named_and_the_question_follows() {
    let (mut app, _) = app_at_review();
    let other = record(OTHER_ID, other_body(&app), lost_answer());
    let effects = enter_and_check(
        &mut app,
        Earlier {
            other: vec![other],
            ..Earlier::default()
        },
    );
    assert!(effects.is_empty());
    assert_eq!(asked(&app), Some(&Confirmed::Submit { second: false }));
    press(&mut app, KeyCode::Esc);
    let text = frame(&mut app, 80, 24);
    assert!(text.contains("outcome is unknown"), "{text}");
    snap!("review_names_other_unresolved", &mut app);
}

#[test]
fn a_damaged_record_that_may_hide_a_purchase_takes_a_typed_separate() {
    let (mut app, _) = app_at_review();
    let effects = enter_and_check(
        &mut app,
        Earlier {
            damaged: vec![DamagedRecord {
                place: "line 3".into(),
                event: Some("intent".into()),
                client_request_id: Some(EARLIER_ID.into()),
                ..DamagedRecord::default()
            }],
            ..Earlier::default()
        },
    );
    assert!(effects.is_empty());
    // Named on the review, and y alone does not send: its body is lost, so
    // this may be the same order.
    let screen = frame(&mut app, 120, 40);
    assert!(screen.contains("damaged record at line 3"), "{screen}");
    assert_eq!(asked(&app), Some(&Confirmed::SubmitSeparate));
    assert!(press(&mut app, KeyCode::Char('y')).is_empty());
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    app.overlay = Some(Overlay::Confirm(review::separate_question(&app)));
    for c in "separate".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let effects = press(&mut app, KeyCode::Enter);
    let [Effect::Submit { separate_from, .. }] = effects.as_slice() else {
        panic!("sent as separate: {effects:?}");
    };
    assert_eq!(separate_from, &[EARLIER_ID.to_string()]);
}

#[test]
fn credentials_that_cannot_place_or_follow_the_order_lead_to_sign_in_before_asking() {
    let (mut app, _) = app_at_review();
    let draft = app.draft.clone();
    let effects = enter_and_check(
        &mut app,
        Earlier {
            credentials: Some(failure(
                None,
                None,
                "the purchase token is scoped to the project of ap-southeast-3, but the order \
                 is for tr-west-1",
                "",
            )),
            ..Earlier::default()
        },
    );
    assert!(effects.is_empty());
    assert!(app.overlay.is_none(), "nothing to confirm");
    assert_eq!(app.page, Page::SignIn);
    let shown = frame(&mut app, 120, 40);
    assert!(shown.contains("Nothing was sent"), "{shown}");
    assert!(shown.contains("tr-west-1"), "{shown}");
    assert_eq!(app.draft, draft, "the order is kept");
}

#[test]
fn a_stale_check_answer_is_dropped() {
    let (mut app, _) = app_at_review();
    let effects = enter(&mut app);
    let [Effect::CheckEarlier { check, .. }] = effects.as_slice() else {
        panic!()
    };
    let check = *check;
    // The user went to change the name meanwhile.
    press(&mut app, KeyCode::Char('6'));
    let same = record(EARLIER_ID, body_of(&app), PurchaseState::Unanswered);
    let effects = update(
        &mut app,
        Msg::EarlierChecked {
            check,
            result: Ok(Earlier {
                same: vec![same],
                ..Earlier::default()
            }),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(app.page, Page::Step(Step::Naming));
    assert!(matches!(app.submission, Submission::Draft));
    assert!(app.overlay.is_none());
}

// ---- reopening at the start ----

fn a_body() -> RequestBody {
    let (app, _) = app_at_review();
    body_of(&app)
}

#[test]
fn nothing_unfinished_leaves_the_wizard_at_step_one() {
    let (app, effects) = starting_with(Vec::new());
    assert!(effects.is_empty());
    assert_eq!(app.page, Page::Step(Step::Region));
    // Without reopening asked for (a plan), the journal is not read.
    let (mut app, _) = signed_in_app();
    assert!(!app.reattach);
    let effects = flexus::tui::update::start(&mut app, &Start::Connected(FakeService::new()));
    assert!(effects.is_empty());
}

#[test]
fn a_new_order_begun_while_signing_in_is_not_taken_over() {
    let mut app = new_app();
    app.reattach = true;
    let service = FakeService::new();
    let effects = flexus::tui::update::start(&mut app, &Start::Connected(service));
    assert_eq!(effects, vec![Effect::ReadJournalAtStart]);
    // The user picks a region before the journal's answer arrives.
    press(&mut app, KeyCode::Enter);
    let page = app.page;
    let draft = app.draft.clone();
    assert_ne!(page, Page::Step(Step::Region));
    let effects = update(
        &mut app,
        Msg::AtStart(Ok(AtStart {
            unfinished: vec![record(EARLIER_ID, a_body(), lost_answer())],
            last_order: None,
        })),
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.page, page, "the wizard stays where the user is");
    assert_eq!(app.draft, draft, "and keeps what they chose");
    let notices = format!("{:?}", app.notices);
    assert!(notices.contains("1 unfinished purchase"), "{notices}");
}

#[test]
fn one_unknown_purchase_opens_looked_up_and_one_key_follows_the_order() {
    let (mut app, effects) = starting_with(vec![record(EARLIER_ID, a_body(), lost_answer())]);
    assert_eq!(app.page, Page::Status);
    let [Effect::LookAgain { request_id, record }] = effects.as_slice() else {
        panic!("a fresh look: {effects:?}");
    };
    assert_eq!(request_id.as_str(), EARLIER_ID);
    assert_eq!(record.client_request_id, EARLIER_ID);
    assert!(unknown(&app).looking.is_some());
    // While looking nothing can be resent or claimed.
    assert!(press(&mut app, KeyCode::Char('r')).is_empty());
    assert!(app.overlay.is_none());
    snap!("status_reopened_looking", &mut app);

    // A stale answer (another purchase) is dropped.
    update(
        &mut app,
        Msg::LookedAgain {
            request_id: support::request_id(OTHER_ID),
            lookup: with_candidate(),
        },
    );
    assert!(unknown(&app).looking.is_some());
    update(
        &mut app,
        Msg::LookedAgain {
            request_id: support::request_id(EARLIER_ID),
            lookup: with_candidate(),
        },
    );
    assert_eq!(unknown(&app).candidates.len(), 1);
    assert!(!hint_keys(&app).contains(&"r".to_string()));
    snap!("status_reopened_found", &mut app);
    let effects = press(&mut app, KeyCode::Char('t'));
    assert_eq!(
        effects,
        vec![Effect::Act(claim_action(EARLIER_ID, ORDER_ID))]
    );
    claim_recorded(&mut app, EARLIER_ID);
}

#[test]
fn one_placed_order_opens_and_is_tracked() {
    let (app, effects) = starting_with(vec![record(EARLIER_ID, a_body(), PurchaseState::Placed)]);
    assert_eq!(
        effects,
        vec![Effect::Track {
            order_id: ORDER_ID.into()
        }]
    );
    assert_eq!(app.page, Page::Status);
    assert!(matches!(&app.submission, Submission::Placed(t)
        if t.order_id == ORDER_ID && t.request_id.as_ref().map(|id| id.as_str()) == Some(EARLIER_ID)));
}

#[test]
fn an_order_waiting_for_payment_can_be_left_for_a_new_one() {
    let (mut app, _) = starting_with(vec![record(EARLIER_ID, a_body(), PurchaseState::Placed)]);
    update(
        &mut app,
        Msg::Tracked {
            order_id: ORDER_ID.into(),
            event: polled(status::PENDING_PAYMENT),
        },
    );
    assert!(
        hint_keys(&app).contains(&"n".to_string()),
        "{:?}",
        hint_keys(&app)
    );
    let effects = press(&mut app, KeyCode::Char('n'));
    assert_eq!(
        effects,
        vec![Effect::StopTracking {
            order_id: ORDER_ID.into()
        }],
        "its polling stops"
    );
    assert_eq!(app.page, Page::Step(Step::Region));
}

#[test]
fn several_are_listed_first_and_enter_opens_one() {
    let body = a_body();
    let mut other = body.clone();
    other.purchase_quantity = 2;
    let records = vec![
        record(EARLIER_ID, body.clone(), lost_answer()),
        record(OTHER_ID, other, PurchaseState::Placed),
    ];
    let (mut app, effects) = starting_with(records.clone());
    assert!(effects.is_empty());
    assert_eq!(app.page, Page::Purchases);
    snap!("purchases_unfinished", &mut app);
    press(&mut app, KeyCode::Down);
    let effects = enter(&mut app);
    assert_eq!(
        effects,
        vec![Effect::Track {
            order_id: ORDER_ID.into()
        }]
    );
    assert_eq!(app.page, Page::Status);

    // n (or Esc) goes on to a new order instead.
    let (mut app, _) = starting_with(records.clone());
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(app.page, Page::Step(Step::Region));
    let (mut app, _) = starting_with(records);
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.page, Page::Step(Step::Region));
}

#[test]
fn a_new_order_from_the_unfinished_list_starts_from_the_last_orders_choices() {
    let body = a_body();
    let mut other = body.clone();
    other.purchase_quantity = 2;
    let records = vec![
        record(EARLIER_ID, body.clone(), lost_answer()),
        record(OTHER_ID, other.clone(), PurchaseState::Placed),
    ];
    let mut app = new_app();
    app.reattach = true;
    flexus::tui::update::start(&mut app, &Start::Connected(FakeService::new()));
    update(
        &mut app,
        Msg::AtStart(Ok(AtStart {
            unfinished: records.clone(),
            last_order: Some(Box::new(records[1].clone())),
        })),
    );
    assert_eq!(app.page, Page::Purchases);
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(app.page, Page::Step(Step::Region));
    assert_eq!(app.draft.region, other.region);
    assert_eq!(app.draft.purchase_quantity, 2);
    assert!(
        app.notices.iter().any(|n| n
            .text
            .starts_with("Starting from the choices of your last order")),
        "{:?}",
        app.notices
    );
}

#[test]
fn a_reopened_purchase_leads_on_to_a_new_order_that_the_check_stops() {
    let body = a_body();
    let (mut app, _) = starting_with(vec![record(EARLIER_ID, body.clone(), lost_answer())]);
    update(
        &mut app,
        Msg::LookedAgain {
            request_id: request_id(EARLIER_ID),
            lookup: Lookup::default(),
        },
    );
    assert!(hint_keys(&app).contains(&"n".to_string()));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.page, Page::Step(Step::Region));
    assert!(matches!(app.submission, Submission::Draft));
    // The same choices: Enter through to the review.
    for _ in 0..6 {
        enter(&mut app);
    }
    // The image step opens on its versions: one more Enter.
    if app.page != Page::Step(Step::Review) {
        enter(&mut app);
    }
    assert_eq!(app.page, Page::Step(Step::Review));
    assert_eq!(body_of(&app), body);
    let earlier = Earlier {
        same: vec![record(EARLIER_ID, body, lost_answer())],
        ..Earlier::default()
    };
    assert!(enter_and_check(&mut app, earlier).is_empty());
    assert!(matches!(&app.submission, Submission::Unknown(u)
        if matches!(u.origin, Origin::Double { .. })));
}

#[test]
fn a_journal_that_cannot_be_read_is_said_and_the_wizard_goes_on() {
    let mut app = new_app();
    app.reattach = true;
    flexus::tui::update::start(&mut app, &Start::Connected(FakeService::new()));
    update(
        &mut app,
        Msg::AtStart(Err(failure(
            None,
            None,
            "cannot read the order journal: permission denied",
            "",
        ))),
    );
    assert_eq!(app.page, Page::Step(Step::Region));
    assert!(frame(&mut app, 80, 24).contains("permission denied"));
}
