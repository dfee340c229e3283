//! The wizard's update function, driven by key presses and task results
//! with no terminal: navigation, going back, invalidation of later choices,
//! validation messages, and the submission state machine.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::KeyCode;

use flexus::api::engine::{SubmitOutcome, TrackEvent};
use flexus::api::ids::OrderId;
use flexus::api::journal::PurchaseState;
use flexus::api::purchase::{FoundOrder, OrderAction};
use flexus::api::wire::status;
use flexus::domain::catalog::Platform;
use flexus::domain::order::{Draft, ImageRef, PeriodType};
use flexus::tui::app::{App, Connection, Overlay, Page, Step};
use flexus::tui::msg::{Effect, Msg, SaveError};
use flexus::tui::screens::dialogs::Confirmed;
use flexus::tui::screens::{extras, image, naming, period, spec, status as status_screen};
use flexus::tui::service::{SignIn, Start};
use flexus::tui::submission::{Payment, Submission};
use flexus::tui::update::update;
use support::*;

fn page(step: Step) -> Page {
    Page::Step(step)
}

fn notices(app: &flexus::tui::app::App) -> Vec<String> {
    app.notices.iter().map(|n| n.text.clone()).collect()
}

fn choose_region(app: &mut flexus::tui::app::App, code: &str) {
    type_text(app, code);
    enter(app);
}

fn choose_os(app: &mut flexus::tui::app::App, name: &str, version: &str) {
    type_text(app, name);
    enter(app);
    type_text(app, version);
    enter(app);
}

fn choose_spec(app: &mut flexus::tui::app::App, code: &str) {
    type_text(app, code);
    enter(app);
}

#[test]
fn enter_goes_on_and_esc_goes_back_keeping_every_choice() {
    let (mut app, _) = signed_in_app();
    assert_eq!(app.page, page(Step::Region));
    choose_region(&mut app, "bangkok");
    assert_eq!(app.page, page(Step::Image));
    assert_eq!(app.draft.region, "ap-southeast-2");
    choose_os(&mut app, "debian", "11.1");
    assert_eq!(app.page, page(Step::Spec));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Image));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Region));
    // Everything is still chosen, and the list points at the choice.
    assert_eq!(app.draft.region, "ap-southeast-2");
    assert_eq!(
        app.catalog.regions[app.region.picker.cursor].code,
        "ap-southeast-2"
    );
    assert_eq!(
        app.draft.image,
        ImageRef::Public {
            name: "Debian".into(),
            version: "11.1".into()
        }
    );
    enter(&mut app);
    enter(&mut app); // Debian is still highlighted: its versions
    assert_eq!(app.image.pane, image::Pane::Versions);
    assert_eq!(app.image.version_rows[app.image.versions.cursor].0, "11.1");
}

#[test]
fn a_new_region_clears_only_the_spec_that_no_longer_fits_and_says_why() {
    let (mut app, _) = signed_in_app();
    choose_region(&mut app, "hong kong");
    choose_os(&mut app, "centos", "7.6");
    choose_spec(&mut app, "025");
    assert_eq!(app.draft.plan_spec, "hf.large.025.30m.linux");
    enter(&mut app); // period
    enter(&mut app); // extras
    type_text(&mut app, "web-01");
    enter(&mut app);
    assert_eq!(app.page, page(Step::Review));

    type_text(&mut app, "1");
    assert_eq!(app.page, page(Step::Region));
    assert!(app.from_review);
    choose_region(&mut app, "bangkok");
    // CentOS 7.6 is sold in Bangkok; the 0.5 GiB package is not.
    assert_eq!(
        app.draft.image,
        ImageRef::Public {
            name: "CentOS".into(),
            version: "7.6".into()
        }
    );
    assert_eq!(app.draft.plan_spec, "");
    assert_eq!(
        notices(&app),
        vec![
            "Spec hf.large.025.30m.linux was cleared: 0.5 GiB packages exist only in CN-Hong Kong and AP-Singapore."
        ]
    );
    // The one step to redo comes next, then straight back to the review.
    assert_eq!(app.page, page(Step::Spec));
    choose_spec(&mut app, "large.1.30m.linux");
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(app.draft.instance_name, "web-01");
    assert_eq!(app.draft.period_num, 1);
}

#[test]
fn a_region_that_does_not_sell_the_version_clears_the_image() {
    let (mut app, _) = signed_in_app();
    choose_region(&mut app, "hong kong");
    choose_os(&mut app, "centos", "8.2");
    choose_spec(&mut app, "large.1.30m.linux");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    choose_region(&mut app, "istanbul");
    assert_eq!(app.draft.image, ImageRef::Unset);
    assert_eq!(
        notices(&app),
        vec!["Image CentOS 8.2 was cleared: CentOS 8.2 is not offered in TR-Istanbul."]
    );
    // The versions list marks 8.2 as not sold here, and refuses it.
    type_text(&mut app, "centos");
    enter(&mut app);
    type_text(&mut app, "8.2");
    let (version, reason) = &app.image.version_rows[app.image.versions.cursor];
    assert_eq!(version, "8.2");
    assert_eq!(
        reason.as_deref(),
        Some("CentOS 8.2 is not offered in TR-Istanbul")
    );
    enter(&mut app);
    assert_eq!(app.page, page(Step::Image));
    assert_eq!(
        app.image.error.as_deref(),
        Some("CentOS 8.2 is not offered in TR-Istanbul")
    );
}

#[test]
fn specs_the_image_does_not_allow_cannot_be_chosen() {
    let (mut app, _) = signed_in_app();
    choose_region(&mut app, "singapore");
    type_text(&mut app, "gitlab");
    enter(&mut app);
    assert_eq!(app.page, page(Step::Spec));
    let row = |app: &flexus::tui::app::App, code: &str| {
        app.spec
            .rows
            .iter()
            .find(|r| r.code == code)
            .unwrap()
            .unavailable
            .clone()
    };
    assert_eq!(
        row(&app, "hf.large.2.30m.linux").as_deref(),
        Some("GitLab needs at least 8 GiB")
    );
    assert_eq!(
        row(&app, "hf.large.1.30m.byol").as_deref(),
        Some("Windows (.byol) packages are only for private Windows images")
    );
    assert_eq!(row(&app, "hf.large.4.30m.linux"), None);
    choose_spec(&mut app, "large.2.30m.linux");
    assert_eq!(app.page, page(Step::Spec));
    assert_eq!(app.draft.plan_spec, "");
    assert_eq!(
        app.spec.error.as_deref(),
        Some("hf.large.2.30m.linux cannot be chosen: GitLab needs at least 8 GiB")
    );
}

#[test]
fn a_private_image_needs_an_id_and_its_system_decides_the_packages() {
    let (mut app, _) = signed_in_app();
    choose_region(&mut app, "singapore");
    type_text(&mut app, "private");
    enter(&mut app);
    assert_eq!(app.image.pane, image::Pane::Private);
    enter(&mut app);
    assert_eq!(
        app.image.error.as_deref(),
        Some("give the private image's ID")
    );
    type_text(&mut app, "  img-0123  ");
    enter(&mut app);
    assert_eq!(
        app.draft.image,
        ImageRef::Private {
            image_id: "img-0123".into()
        }
    );
    assert_eq!(app.private_platform, Some(Platform::Linux));
    choose_spec(&mut app, "large.1.30m.linux");
    assert_eq!(app.draft.plan_spec, "hf.large.1.30m.linux");

    // Switch the image to Windows: the Linux package no longer fits.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Image));
    enter(&mut app); // the private entry is still highlighted
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(' '));
    enter(&mut app);
    assert_eq!(app.private_platform, Some(Platform::Windows));
    assert_eq!(app.draft.plan_spec, "");
    assert_eq!(
        notices(&app),
        vec![
            "Spec hf.large.1.30m.linux was cleared: a private Windows image needs a Windows (.byol) package."
        ]
    );
}

#[test]
fn period_fields_refuse_wrong_input_with_the_rule() {
    let (mut app, _) = signed_in_app();
    choose_region(&mut app, "singapore");
    choose_os(&mut app, "ubuntu", "22.04");
    choose_spec(&mut app, "large.1.30m.linux");
    assert_eq!(app.page, page(Step::Period));
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "abc");
    enter(&mut app);
    assert_eq!(app.page, page(Step::Period));
    assert_eq!(app.period.focus, period::Field::Length);
    assert_eq!(
        app.period.length_error().as_deref(),
        Some("\"abc\" is not a whole number; 1 to 9 months")
    );
    retype(&mut app, "3");
    // A year is 1 to 3: switching the unit re-checks the number.
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "4");
    assert_eq!(
        app.period.length_error().as_deref(),
        Some("a yearly period is 1 to 3 years (got 4)")
    );
    retype(&mut app, "2");
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "201");
    enter(&mut app);
    assert_eq!(app.period.focus, period::Field::Quantity);
    assert_eq!(
        app.period.quantity_error().as_deref(),
        Some("buy from 1 to 200 instances in one order (got 201)")
    );
    press(&mut app, KeyCode::Char('-'));
    enter(&mut app);
    assert_eq!(app.page, page(Step::Extras));
    assert_eq!(app.draft.period_type, PeriodType::Year);
    assert_eq!(app.draft.period_num, 2);
    assert_eq!(app.draft.purchase_quantity, 200);
}

#[test]
fn extras_are_off_by_default_and_sized_when_on() {
    let (mut app, _) = at_step(Step::Extras);
    enter(&mut app);
    assert!(app.draft.extra_resources.is_empty());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(' ')); // EVS on: focus moves to its size
    enter(&mut app);
    assert_eq!(app.page, page(Step::Extras));
    assert_eq!(
        app.extras.evs_error().as_deref(),
        Some("give the EVS data disk a size from 10 to 2048 GiB")
    );
    type_text(&mut app, "4096");
    assert_eq!(
        app.extras.evs_error().as_deref(),
        Some("the EVS data disk must be 10 to 2048 GiB (got 4096)")
    );
    retype(&mut app, "40");
    press(&mut app, KeyCode::Down); // CBR
    press(&mut app, KeyCode::Down); // HSS
    press(&mut app, KeyCode::Char(' '));
    enter(&mut app);
    assert_eq!(app.page, page(Step::Naming));
    let kinds: Vec<_> = app
        .draft
        .extra_resources
        .iter()
        .map(|e| (e.kind.code(), e.size))
        .collect();
    assert_eq!(kinds, vec![("evs", Some(40)), ("hss", None)]);
}

#[test]
fn digits_on_an_add_on_row_go_to_its_size_or_say_why_not() {
    let (mut app, _) = at_step(Step::Extras);
    press(&mut app, KeyCode::Char(' ')); // EVS on: focus moves to its size
    press(&mut app, KeyCode::BackTab); // back to the EVS row itself
    assert_eq!(app.extras.focus, extras::Field::Evs);
    type_text(&mut app, "50");
    assert_eq!(app.extras.evs_size.value(), "50");
    assert_eq!(app.extras.focus, extras::Field::EvsSize);
    assert_eq!(app.extras.note, None);

    press(&mut app, KeyCode::Tab); // CBR, off
    type_text(&mut app, "7");
    assert!(!app.extras.cbr);
    assert_eq!(app.extras.cbr_size.value(), "");
    assert_eq!(
        app.extras.note.as_deref(),
        Some("CBR is off, so \"7\" did nothing: Space turns it on, then type its size.")
    );
    press(&mut app, KeyCode::Tab); // HSS: no size at all
    assert_eq!(app.extras.note, None, "the note goes with the next key");
    type_text(&mut app, "3");
    assert!(
        app.extras
            .note
            .as_deref()
            .unwrap()
            .starts_with("HSS has no size")
    );
    type_text(&mut app, "x");
    assert_eq!(
        app.extras.note.as_deref(),
        Some("Space turns the focused add-on on or off; Tab moves to the next.")
    );
    assert!(
        frame(&mut app, 80, 24).contains("! Space turns the focused add-on on or off"),
        "the note is on screen"
    );
    enter(&mut app);
    let sizes: Vec<_> = app
        .draft
        .extra_resources
        .iter()
        .map(|e| (e.kind.code(), e.size))
        .collect();
    assert_eq!(sizes, vec![("evs", Some(50))]);
}

fn at_step(step: Step) -> (flexus::tui::app::App, std::sync::Arc<FakeService>) {
    let (mut app, service) = signed_in_app();
    choose_region(&mut app, "singapore");
    choose_os(&mut app, "ubuntu", "22.04");
    choose_spec(&mut app, "large.2.30m.linux");
    while app.page != page(step) {
        enter(&mut app);
    }
    (app, service)
}

#[test]
fn the_name_is_checked_as_it_is_typed() {
    let (mut app, _) = at_step(Step::Naming);
    assert_eq!(app.naming.focus, naming::Focus::Name);
    type_text(&mut app, "1st");
    assert_eq!(
        app.naming.name_error().as_deref(),
        Some("must start with a letter")
    );
    retype(&mut app, "web 01");
    assert_eq!(
        app.naming.name_error().as_deref(),
        Some("a space is not allowed; use only letters A-Z and a-z, digits, _ and -")
    );
    enter(&mut app);
    assert_eq!(app.page, page(Step::Naming));
    retype(&mut app, "web-01");
    assert_eq!(app.naming.name_error(), None);
    // '?' is text in a text field, not the help.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "why?");
    assert!(app.overlay.is_none());
    assert_eq!(app.naming.description.value(), "why?");
}

#[test]
fn tags_are_added_edited_and_deleted_with_unique_keys() {
    let (mut app, _) = at_step(Step::Naming);
    type_text(&mut app, "web-01");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.naming.focus, naming::Focus::Tags);
    for (key, value) in [("env", "prod"), ("team", "web")] {
        press(&mut app, KeyCode::Char('a'));
        type_text(&mut app, key);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, value);
        enter(&mut app);
    }
    assert_eq!(app.naming.tags.len(), 2);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "env");
    enter(&mut app);
    let editor = app.naming.editor.as_ref().expect("the editor stays open");
    assert_eq!(
        editor.error.as_deref(),
        Some("\"env\" is used by another tag; tag keys must be unique")
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.naming.editor.is_none());
    assert_eq!(app.naming.tags.len(), 2);
    // Edit the second tag's key, then delete the first.
    press(&mut app, KeyCode::Char('e'));
    retype(&mut app, &"k".repeat(33));
    enter(&mut app);
    assert_eq!(
        app.naming.editor.as_ref().unwrap().error.as_deref(),
        Some("the key is 33 characters long; tag keys are 1 to 32")
    );
    retype(&mut app, "owner");
    enter(&mut app);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Char('d'));
    let keys: Vec<_> = app.naming.tags.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, vec!["owner"]);
    enter(&mut app);
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(app.draft.tags[0].value, "web");
}

#[test]
fn a_step_reopened_from_the_review_leads_back_to_it() {
    let (mut app, _) = app_at_review();
    type_text(&mut app, "4");
    assert_eq!(app.page, page(Step::Period));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "3");
    enter(&mut app);
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(app.draft.purchase_quantity, 3);
    assert_eq!(app.draft.instance_name, "web-01");

    // Esc from a reopened step: back to the review, nothing changed, and
    // the form shows the draft again next time.
    type_text(&mut app, "6");
    retype(&mut app, "other-name");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(app.draft.instance_name, "web-01");
    type_text(&mut app, "6");
    assert_eq!(app.naming.name.value(), "web-01");

    // Esc on the review itself is a plain step back: to step 6, and from
    // there on back through the steps, not to the review again.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Review));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Naming));
    assert!(!app.from_review);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Extras));
}

#[test]
fn a_leading_j_or_k_is_typed_into_a_list_filter_not_taken_for_a_move() {
    // `jo` Enter on the image step used to move down with j, filter by "o"
    // and choose Ghost.
    let (mut app, _) = signed_in_app();
    choose_region(&mut app, "singapore");
    type_text(&mut app, "jo");
    assert_eq!(app.image.picker.filter, "jo");
    enter(&mut app);
    assert_eq!(
        app.draft.image,
        ImageRef::Public {
            name: "Joomla".into(),
            version: "5.0.3".into()
        }
    );
    assert_eq!(app.page, page(Step::Spec));
    // The same on a list of versions: k is the start of nothing but text.
    press(&mut app, KeyCode::Esc);
    type_text(&mut app, "ubuntu");
    enter(&mut app);
    type_text(&mut app, "k");
    assert_eq!(app.image.versions.filter, "k");
}

#[test]
fn lists_filter_as_you_type_and_question_mark_is_help_only_outside_text() {
    let (mut app, _) = signed_in_app();
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay, Some(Overlay::Help(None))));
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    type_text(&mut app, "sa");
    assert_eq!(
        app.catalog.regions[app.region.picker.cursor].code,
        "sa-brazil-1"
    );
    press(&mut app, KeyCode::Char('?'));
    assert!(app.overlay.is_none(), "? is part of the filter now");
    assert_eq!(app.region.picker.filter, "sa?");
    press(&mut app, KeyCode::F(1));
    assert!(matches!(app.overlay, Some(Overlay::Help(None))));
}

#[test]
fn submitting_asks_first_and_the_default_is_no() {
    let (mut app, _) = app_at_review();
    enter_and_check(&mut app, Default::default());
    assert_eq!(asked(&app), Some(&Confirmed::Submit { second: false }));
    assert!(enter(&mut app).is_empty(), "Enter is not yes");
    assert!(app.overlay.is_none());
    assert!(matches!(app.submission, Submission::Draft));

    let effects = confirm_and_submit(&mut app);
    let [
        Effect::Submit {
            request_id,
            body,
            separate_from,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("expected one submission, got {effects:?}");
    };
    let id = uuid::Uuid::parse_str(request_id.as_str()).expect("a UUID");
    assert_eq!(id.get_version_num(), 4);
    assert!(separate_from.is_empty());
    assert_eq!(body.instance_name, "web-01");
    assert_eq!(body.plan_spec, "hf.large.2.30m.linux");
    assert_eq!(app.page, Page::Status);
    assert!(matches!(&app.submission, Submission::Submitting(s) if s.request_id == *request_id));
}

#[test]
fn several_instances_or_a_year_ask_twice_and_need_the_word_yes() {
    let (mut app, _) = app_at_review();
    type_text(&mut app, "4");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "2");
    enter(&mut app);
    enter_and_check(&mut app, Default::default());
    assert!(press(&mut app, KeyCode::Char('y')).is_empty());
    assert_eq!(asked(&app), Some(&Confirmed::Submit { second: true }));
    // A doubled y is not a yes.
    press(&mut app, KeyCode::Char('y'));
    assert!(enter(&mut app).is_empty());
    assert!(app.overlay.is_none());
    assert!(matches!(app.submission, Submission::Draft));

    enter_and_check(&mut app, Default::default());
    press(&mut app, KeyCode::Char('y'));
    type_text(&mut app, "yes");
    let effects = enter(&mut app);
    assert!(
        matches!(effects.as_slice(), [Effect::Submit { body, .. }] if body.purchase_quantity == 2)
    );
}

#[test]
fn a_placed_order_is_tracked_and_paid_on_request() {
    let (mut app, _) = app_at_review();
    let effects = confirm_and_submit(&mut app);
    let Effect::Submit { request_id, .. } = &effects[0] else {
        unreachable!()
    };
    // An answer to some other request is dropped.
    update(
        &mut app,
        Msg::Submitted {
            request_id: support::request_id("7c1d9e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"),
            outcome: SubmitOutcome::Placed {
                order_id: "X".into(),
                instance_ids: vec![],
                unrecorded: None,
            },
        },
    );
    assert!(matches!(app.submission, Submission::Submitting(_)));
    let effects = update(
        &mut app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Placed {
                order_id: ORDER_ID.into(),
                instance_ids: vec!["i-1".into()],
                unrecorded: None,
            },
        },
    );
    assert_eq!(
        effects,
        vec![Effect::Track {
            order_id: ORDER_ID.into()
        }]
    );
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    tracked(&mut app, TrackEvent::NextPollIn(Duration::from_secs(5)));
    // News about another order is dropped.
    update(
        &mut app,
        Msg::Tracked {
            order_id: "other".into(),
            event: polled(status::COMPLETED),
        },
    );
    let Submission::Placed(tracking) = &app.submission else {
        panic!("placed")
    };
    assert_eq!(tracking.status(), Some(status::PENDING_PAYMENT));
    assert!(tracking.can_pay());

    press(&mut app, KeyCode::Char('p'));
    assert!(matches!(
        asked(&app),
        Some(Confirmed::Act(OrderAction::Pay { .. }))
    ));
    assert!(
        press(&mut app, KeyCode::Char('n')).is_empty(),
        "no is the default"
    );
    press(&mut app, KeyCode::Char('p'));
    let effects = press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        effects,
        vec![Effect::Act(OrderAction::Pay {
            order_id: OrderId::parse(ORDER_ID).unwrap()
        })]
    );
    update(
        &mut app,
        Msg::Acted {
            action: OrderAction::Pay {
                order_id: OrderId::parse(ORDER_ID).unwrap(),
            },
            result: Ok(()),
        },
    );
    tracked(
        &mut app,
        TrackEvent::PollFailed {
            failure: failure(None, None, "connection refused", "retrying"),
            attempt: 1,
            retry_in: Duration::from_secs(4),
        },
    );
    let Submission::Placed(tracking) = &app.submission else {
        panic!("placed")
    };
    assert_eq!(tracking.payment, Payment::Paid);
    assert_eq!(tracking.trouble.as_ref().map(|(n, _)| *n), Some(1));
    completed(&mut app);
    let texts: Vec<_> = app
        .timeline
        .entries
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(texts[1], format!("order placed: {ORDER_ID}"));
    assert_eq!(texts[2], "pending payment, USD 19.00");
    assert!(texts.contains(&"payment accepted"));
    assert!(texts.contains(&"status check 1 failed: connection refused. retrying; next try in 4s"));
    assert_eq!(texts.last(), Some(&"completed"));
    assert!(!app.order_in_flight());
    assert_eq!(ctrl(&mut app, 'c'), vec![Effect::Quit]);
    assert_eq!(
        app.exit_report().unwrap(),
        format!("Order {ORDER_ID} is completed. Instances: i-1.")
    );
}

#[test]
fn a_refused_order_goes_back_to_the_review_with_the_draft_kept() {
    let (mut app, _) = app_at_review();
    let effects = confirm_and_submit(&mut app);
    let Effect::Submit { request_id, .. } = &effects[0] else {
        unreachable!()
    };
    let first_id = request_id.clone();
    update(
        &mut app,
        Msg::Submitted {
            request_id: first_id.clone(),
            outcome: SubmitOutcome::Rejected(failure(
                Some(400),
                Some("HCSS.14000011"),
                "Insufficient quota",
                "ask for a higher quota",
            )),
        },
    );
    assert!(matches!(app.submission, Submission::Failed { .. }));
    assert!(!app.order_in_flight());
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(app.draft.instance_name, "web-01");
    let effects = confirm_and_submit(&mut app);
    let Effect::Submit { request_id, .. } = &effects[0] else {
        unreachable!()
    };
    assert_ne!(*request_id, first_id, "a new purchase gets a new id");
}

#[test]
fn e_on_a_refused_order_is_named_in_the_footer_and_leads_back_to_the_review() {
    let (mut app, _) = app_at_review();
    refused_with(&mut app, 400, "HCSS.14000011", "Insufficient quota");
    let screen = frame(&mut app, 80, 24);
    let footer = screen.lines().last().unwrap();
    assert!(footer.contains("e Esc back to the review"), "{footer}");
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.page, page(Step::Review));
    assert!(matches!(app.submission, Submission::Draft));
    assert_eq!(app.draft.instance_name, "web-01");
}

fn refused_with(app: &mut App, status: u16, code: &str, message: &str) {
    let effects = confirm_and_submit(app);
    let Effect::Submit { request_id, .. } = &effects[0] else {
        unreachable!()
    };
    update(
        app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Rejected(failure(
                Some(status),
                Some(code),
                message,
                "see the code",
            )),
        },
    );
    assert!(matches!(app.submission, Submission::Failed { .. }));
}

#[test]
fn credentials_turned_down_by_the_purchase_lead_back_to_sign_in_with_the_order_kept() {
    for (status, code) in [(401, "APIGW.0301"), (401, "APIGW.0307"), (403, "CBC.0154")] {
        let (mut app, _) = app_at_review();
        refused_with(&mut app, status, code, "the token is not valid");
        assert_eq!(app.page, Page::SignIn, "{code}");
        let screen = frame(&mut app, 80, 24);
        assert!(screen.contains(code), "{code}: {screen}");
        assert!(screen.contains("Sign in again"), "{code}: {screen}");
        assert_eq!(app.draft.instance_name, "web-01");
        // Leaving sign-in goes back to the review, the order as it was;
        // placing it asks to sign in again rather than resend.
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.page, page(Step::Review), "{code}");
        assert!(
            enter(&mut app).is_empty(),
            "nothing is sent with the same credentials"
        );
        assert_eq!(app.page, Page::SignIn);
    }
}

#[test]
fn a_missing_billing_permission_is_not_a_reason_to_sign_in_again() {
    let (mut app, _) = app_at_review();
    refused_with(&mut app, 403, "CBC.0151", "Access denied");
    assert_ne!(app.page, Page::SignIn);
    assert!(matches!(app.connection, Connection::Ready { .. }));
}

#[test]
fn a_lost_answer_resends_only_on_explicit_word_with_the_same_id() {
    let (mut app, _) = app_at_review();
    let effects = confirm_and_submit(&mut app);
    let Effect::Submit {
        request_id, body, ..
    } = effects[0].clone()
    else {
        unreachable!()
    };
    update(
        &mut app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Ambiguous {
                client_request_id: request_id.clone(),
                sent_at: "2026-01-15T09:30:00Z".into(),
                reason: failure(None, None, "the connection closed before the answer", ""),
                candidates: vec![],
                lookup_failed: None,
            },
        },
    );
    assert!(app.order_in_flight());
    // No way back to the review, where a new id would be made.
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.page, Page::Status);
    press(&mut app, KeyCode::Char('r'));
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "Enter is not yes"
    );
    press(&mut app, KeyCode::Char('r'));
    let effects = press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        effects,
        vec![Effect::Submit {
            request_id,
            body,
            separate_from: Vec::new(),
            resend: true,
        }]
    );
    // Ctrl-C asks while the resend is in the air; n stays.
    assert!(ctrl(&mut app, 'c').is_empty());
    assert_eq!(asked(&app), Some(&Confirmed::Quit));
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert!(!app.quit);
    ctrl(&mut app, 'c');
    assert_eq!(press(&mut app, KeyCode::Char('y')), vec![Effect::Quit]);
    assert!(
        app.exit_report()
            .unwrap()
            .contains("its answer was not seen")
    );
}

#[test]
fn an_order_found_after_a_lost_answer_can_be_tracked() {
    let (mut app, _) = app_at_review();
    let effects = confirm_and_submit(&mut app);
    let Effect::Submit { request_id, .. } = effects[0].clone() else {
        unreachable!()
    };
    update(
        &mut app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Ambiguous {
                client_request_id: request_id.clone(),
                sent_at: "2026-01-15T09:30:00Z".into(),
                reason: failure(None, None, "timed out", ""),
                candidates: vec![FoundOrder {
                    info: order_info(status::PENDING_PAYMENT),
                    line_items: Vec::new(),
                }],
                lookup_failed: None,
            },
        },
    );
    let effects = press(&mut app, KeyCode::Char('t'));
    // The choice is recorded, so the purchase can never be resent; the
    // order is followed once the journal has it.
    assert_eq!(
        effects,
        vec![Effect::Act(claim_action(request_id.as_str(), ORDER_ID))]
    );
    claim_recorded(&mut app, request_id.as_str());
    assert!(matches!(&app.submission, Submission::Placed(t) if t.can_pay()));
}

#[test]
fn sign_in_first_then_back_to_the_wizard_with_secrets_forgotten() {
    let mut app = new_app();
    let connector = std::sync::Arc::new(FakeConnector {
        service: FakeService::new(),
    });
    flexus::tui::update::start(&mut app, &Start::SignInFirst(connector));
    assert_eq!(app.page, Page::SignIn);
    enter(&mut app); // token
    let effects = enter(&mut app);
    assert!(effects.is_empty());
    assert_eq!(
        app.signin.error.as_deref(),
        Some("give the purchase token (scoped to the project of the order's region)")
    );
    type_text(&mut app, "tok-123");
    // One token serves one scope: the billing token is asked for too.
    let effects = enter(&mut app);
    assert!(effects.is_empty());
    assert_eq!(app.signin.focus, 1);
    assert!(
        app.signin
            .error
            .as_deref()
            .unwrap()
            .contains("billing token"),
        "{:?}",
        app.signin.error
    );
    type_text(&mut app, "bss-456");
    let effects = enter(&mut app);
    let [Effect::Connect { attempt, choice }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(matches!(
        choice,
        SignIn::Tokens { purchase: Some(p), billing: Some(b) }
            if p.expose() == "tok-123" && b.expose() == "bss-456"
    ));
    let attempt = *attempt;
    // A stale answer (from an attempt given up on) is dropped.
    update(
        &mut app,
        Msg::Connected {
            attempt: attempt - 1,
            result: Ok(FakeService::new()),
        },
    );
    assert!(matches!(app.connection, Connection::SigningIn { .. }));
    update(
        &mut app,
        Msg::Connected {
            attempt,
            result: Err(failure(
                Some(401),
                Some("APIGW.0301"),
                "the token was refused",
                "get a new one",
            )),
        },
    );
    assert_eq!(app.page, Page::SignIn);
    assert!(matches!(app.connection, Connection::Failed { .. }));
    let effects = enter(&mut app);
    let [Effect::Connect { attempt, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        &mut app,
        Msg::Connected {
            attempt: *attempt,
            result: Ok(FakeService::new()),
        },
    );
    assert_eq!(app.page, page(Step::Region));
    assert_eq!(app.signin.token.value(), "", "the token is forgotten");
    assert_eq!(app.signin.bss_token.value(), "", "the billing token too");
}

#[test]
fn signing_in_can_wait_until_the_order_is_placed() {
    let mut app = new_app();
    let connector = std::sync::Arc::new(FakeConnector {
        service: FakeService::new(),
    });
    flexus::tui::update::start(&mut app, &Start::SignInFirst(connector));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Region));
    choose_region(&mut app, "singapore");
    choose_os(&mut app, "ubuntu", "22.04");
    choose_spec(&mut app, "large.2.30m.linux");
    while app.page != page(Step::Review) {
        enter(&mut app);
        if app.page == page(Step::Naming) {
            type_text(&mut app, "web-01");
        }
    }
    assert!(enter(&mut app).is_empty(), "nothing is sent unsigned");
    assert_eq!(app.page, Page::SignIn);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Review), "back, with the order intact");
    assert_eq!(app.draft.instance_name, "web-01");
}

#[test]
fn the_password_form_needs_user_password_and_account() {
    let mut app = new_app();
    let connector = std::sync::Arc::new(FakeConnector {
        service: FakeService::new(),
    });
    flexus::tui::update::start(&mut app, &Start::SignInFirst(connector));
    press(&mut app, KeyCode::Down);
    enter(&mut app);
    type_text(&mut app, "alice");
    enter(&mut app);
    assert_eq!(app.signin.error.as_deref(), Some("give the password"));
    assert_eq!(app.signin.focus, 1);
    type_text(&mut app, "s3cret");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "acme");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "123456");
    enter(&mut app);
    assert_eq!(app.signin.focus, 4, "an MFA code needs the user ID");
    type_text(&mut app, "u-42");
    let effects = enter(&mut app);
    let [Effect::Connect { choice, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let SignIn::Password {
        user,
        password,
        account,
        mfa_code,
        mfa_user_id,
    } = choice
    else {
        panic!("password sign-in")
    };
    assert_eq!((user.as_str(), account.as_str()), ("alice", "acme"));
    assert_eq!(password.expose(), "s3cret");
    assert_eq!(mfa_code.as_deref(), Some("123456"));
    assert_eq!(mfa_user_id.as_deref(), Some("u-42"));
    assert!(!format!("{choice:?}").contains("s3cret"));
}

#[test]
fn a_saved_plan_opens_at_the_review_or_at_its_first_problem() {
    let mut app = new_app();
    let text = std::fs::read_to_string("examples/plan.json").unwrap();
    let (draft, problems) = Draft::from_plan_json(&text);
    app.load_plan(PathBuf::from("examples/plan.json"), draft.clone(), problems);
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(app.first_unfinished(), None);

    let mut broken = draft;
    broken.period_num = 12;
    broken.instance_name = "9lives".into();
    let mut app = new_app();
    app.load_plan(PathBuf::from("p.json"), broken, vec![]);
    assert_eq!(app.page, page(Step::Period));
    assert_eq!(app.period.length.value(), "12");
    let shown = notices(&app);
    assert_eq!(shown[0], "The plan has 2 problems; fix them and go on:");
    assert!(shown.contains(&"period_num: a monthly period is 1 to 9 months (got 12)".to_string()));
    assert!(shown.contains(&"instance_name: must start with a letter".to_string()));
}

#[test]
fn saving_the_plan_never_overwrites_without_a_yes() {
    let (mut app, _) = app_at_review();
    press(&mut app, KeyCode::Char('s'));
    let Some(Overlay::SavePlan(field)) = &app.overlay else {
        panic!("save prompt")
    };
    assert_eq!(field.value(), "plan-web-01.json");
    let effects = enter(&mut app);
    let [
        Effect::SavePlan {
            path,
            contents,
            overwrite: false,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    let (reread, problems) = Draft::from_plan_json(contents);
    assert!(problems.is_empty());
    assert_eq!(reread, app.draft);
    update(
        &mut app,
        Msg::PlanSaved {
            path: path.clone(),
            result: Err(SaveError::Exists),
        },
    );
    assert!(matches!(asked(&app), Some(Confirmed::OverwritePlan(_))));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(app.overlay.is_none());
}

#[test]
fn a_save_that_failed_offers_the_typed_path_again() {
    let (mut app, _) = app_at_review();
    let typed = std::path::PathBuf::from("/no/such/folder/web.json");
    update(
        &mut app,
        Msg::PlanSaved {
            path: typed.clone(),
            result: Err(SaveError::Other("its folder does not exist".into())),
        },
    );
    press(&mut app, KeyCode::Char('s'));
    let Some(Overlay::SavePlan(field)) = &app.overlay else {
        panic!("save prompt")
    };
    assert_eq!(field.value(), "/no/such/folder/web.json");
}

#[test]
fn a_save_into_a_missing_folder_says_so_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let failed = runtime.block_on(flexus::tui::runtime::write_plan(
        &dir.path().join("missing/plan.json"),
        "{}",
        false,
    ));
    assert_eq!(
        failed,
        Err(SaveError::Other("its folder does not exist".into()))
    );
}

#[test]
fn write_plan_refuses_to_replace_a_file_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "precious").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let refused = runtime.block_on(flexus::tui::runtime::write_plan(&path, "{}", false));
    assert_eq!(refused, Err(SaveError::Exists));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
    runtime
        .block_on(flexus::tui::runtime::write_plan(&path, "{}\n", true))
        .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
}

#[test]
fn signals_quit_at_once_and_ctrl_c_quits_when_nothing_is_in_flight() {
    let (mut app, _) = signed_in_app();
    assert_eq!(ctrl(&mut app, 'c'), vec![Effect::Quit]);
    let (mut app, _) = app_at_review();
    confirm_and_submit(&mut app);
    assert_eq!(update(&mut app, Msg::Signal("SIGTERM")), vec![Effect::Quit]);
    assert!(app.quit);
}

#[test]
fn a_failed_background_sign_in_shows_at_once_and_is_asked_again_at_submit() {
    let mut app = new_app();
    let connector = std::sync::Arc::new(FakeConnector {
        service: FakeService::new(),
    });
    let effects = flexus::tui::update::start(
        &mut app,
        &Start::Connect {
            connector,
            choice: SignIn::Sandbox,
        },
    );
    let [Effect::Connect { attempt, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    // The wizard is usable while signing in.
    assert_eq!(app.page, page(Step::Region));
    update(
        &mut app,
        Msg::Connected {
            attempt: *attempt,
            result: Err(failure(None, None, "the sandbox did not start", "")),
        },
    );
    // Credentials that do not work are said on the sign-in screen at once
    // (not after the seventh step); Esc goes on with the order.
    assert_eq!(
        app.page,
        Page::SignIn,
        "the failure is shown where it can be fixed"
    );
    let shown = frame(&mut app, 80, 24);
    assert!(shown.contains("the sandbox did not start"), "{shown}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Region));
    choose_region(&mut app, "singapore");
    choose_os(&mut app, "ubuntu", "22.04");
    choose_spec(&mut app, "large.1.30m.linux");
    enter(&mut app);
    enter(&mut app);
    type_text(&mut app, "web-01");
    enter(&mut app);
    assert_eq!(app.page, page(Step::Review));
    enter(&mut app);
    assert_eq!(app.page, Page::SignIn);
    down(&mut app, 3);
    let effects = enter(&mut app);
    let [Effect::Connect { attempt, choice }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*choice, SignIn::Sandbox);
    update(
        &mut app,
        Msg::Connected {
            attempt: *attempt,
            result: Ok(FakeService::new()),
        },
    );
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(app.draft.instance_name, "web-01");
}

#[test]
fn pasted_text_goes_to_the_field_on_one_line() {
    let (mut app, _) = at_step(Step::Naming);
    update(&mut app, Msg::Paste("web-\n01\x1b[31m".into()));
    assert_eq!(app.naming.name.value(), "web- 01[31m");
    ctrl(&mut app, 'u');
    update(&mut app, Msg::Paste("web-01".into()));
    enter(&mut app);
    assert_eq!(app.draft.instance_name, "web-01");
}

#[test]
fn pasted_numbers_reach_the_period_and_extras_fields() {
    let (mut app, _) = at_step(Step::Period);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.period.focus, period::Field::Quantity);
    ctrl(&mut app, 'u');
    update(&mut app, Msg::Paste("30\n".into()));
    assert_eq!(app.period.quantity.value(), "30");
    enter(&mut app);
    assert_eq!(app.draft.purchase_quantity, 30);

    assert_eq!(app.page, page(Step::Extras));
    update(&mut app, Msg::Paste("100".into()));
    assert!(
        app.extras
            .note
            .as_deref()
            .is_some_and(|note| note.contains("pasted text did nothing")),
        "{:?}",
        app.extras.note
    );
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.extras.focus, extras::Field::EvsSize);
    update(&mut app, Msg::Paste("100".into()));
    assert_eq!(app.extras.evs_size.value(), "100");
}

#[test]
fn a_signal_is_remembered_for_the_exit_code() {
    let (mut app, _) = signed_in_app();
    update(&mut app, Msg::Signal("SIGHUP"));
    assert!(app.quit);
    assert_eq!(app.stopped_by, Some("SIGHUP"));
}

#[test]
fn a_timer_runs_only_while_something_on_screen_moves() {
    use flexus::tui::runtime::next_change;
    let (mut app, _) = app_at_review();
    let now = app.clock.mono;
    assert_eq!(next_change(&app, now), None, "nothing moves on the review");
    let effects = confirm_and_submit(&mut app);
    assert_eq!(
        next_change(&app, now),
        Some(now + Duration::from_millis(100)),
        "the sending spinner's next frame"
    );
    let Effect::Submit { request_id, .. } = &effects[0] else {
        unreachable!()
    };
    update(
        &mut app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Placed {
                order_id: ORDER_ID.into(),
                instance_ids: vec![],
                unrecorded: None,
            },
        },
    );
    assert_eq!(
        next_change(&app, now),
        None,
        "placed, no poll scheduled yet"
    );
    update(
        &mut app,
        Msg::Tracked {
            order_id: ORDER_ID.into(),
            event: TrackEvent::NextPollIn(Duration::from_secs(5)),
        },
    );
    assert_eq!(
        next_change(&app, now),
        Some(now + Duration::from_secs(1)),
        "the countdown: once a second"
    );
    assert_eq!(
        next_change(&app, now + Duration::from_millis(1300)),
        Some(now + Duration::from_secs(2)),
        "on the second it shows, however late the last wake was"
    );
    assert_eq!(
        next_change(&app, now + Duration::from_secs(5)),
        None,
        "nothing more to count"
    );
    update(
        &mut app,
        Msg::Tracked {
            order_id: ORDER_ID.into(),
            event: TrackEvent::Finished {
                status: Some(status::COMPLETED),
                failure: None,
            },
        },
    );
    assert_eq!(next_change(&app, now), None, "final: the timer is dropped");
}

#[test]
fn a_countdown_wakes_the_wizard_once_for_each_second_it_shows() {
    use flexus::tui::runtime::next_change;
    let (mut app, _) = app_at_review();
    placed_with_ids(&mut app, 1);
    tracked(&mut app, TrackEvent::NextPollIn(Duration::from_secs(60)));
    let start = app.clock.mono;
    let mut now = start;
    let mut wakes = 0;
    let mut shown = Vec::new();
    while let Some(at) = next_change(&app, now) {
        assert!(at > now, "never a wake for nothing");
        now = at;
        wakes += 1;
        app.clock.mono = now;
        shown.push(field(&frame(&mut app, 80, 24), "Next check"));
    }
    assert_eq!(wakes, 60, "one wake a second for a minute");
    assert_eq!(shown[0], "in 59s");
    assert_eq!(shown[58], "in 1s");
    assert_eq!(shown[59], "checking now");
    let distinct: std::collections::HashSet<_> = shown.iter().collect();
    assert_eq!(distinct.len(), 60, "each wake shows a new number");
}

#[test]
fn a_purchase_the_service_makes_wait_says_so_and_counts_down_to_the_retry() {
    let (mut app, _) = app_at_review();
    let effects = confirm_and_submit(&mut app);
    let Effect::Submit { request_id, .. } = &effects[0] else {
        unreachable!()
    };
    let wait = flexus::api::engine::RetryWait {
        reason: failure(
            Some(429),
            Some("APIGW.0308"),
            "HCSS is receiving too many requests",
            "Wait a minute and try again",
        ),
        waiting: Duration::from_secs(37),
        asked: Some(Duration::from_secs(37)),
        retry_at: app.clock.wall + Duration::from_secs(37),
        attempt: 2,
        attempts: 4,
    };
    let stale = flexus::api::purchase::ClientRequestId::new();
    update(
        &mut app,
        Msg::Waiting {
            request_id: stale,
            wait: wait.clone(),
        },
    );
    let entries = app.timeline.entries.len();
    update(
        &mut app,
        Msg::Waiting {
            request_id: request_id.clone(),
            wait,
        },
    );
    assert_eq!(
        app.timeline.entries.len(),
        entries + 1,
        "one entry, for this purchase only"
    );
    assert_eq!(
        app.timeline.entries.last().unwrap().text,
        "the service asked us to wait 37 s (HTTP 429, APIGW.0308); attempt 2 of 4 follows"
    );
    assert_eq!(
        field(&frame(&mut app, 80, 24), "Retrying"),
        "attempt 2 of 4 in 37s"
    );
    advance(&mut app, Duration::from_millis(12_500));
    assert_eq!(
        field(&frame(&mut app, 80, 24), "Retrying"),
        "attempt 2 of 4 in 25s"
    );
}

/// The value of the status pane's `label` row.
fn field(screen: &str, label: &str) -> String {
    let line = line_with(screen, label);
    let inside = line.trim_matches(|c| c == '"' || c == '│' || c == ' ');
    inside
        .strip_prefix(label)
        .unwrap_or_else(|| panic!("{line}"))
        .trim()
        .to_string()
}

#[test]
fn the_review_tells_when_the_order_no_longer_matches_its_plan_file() {
    let (mut app, _) = app_at_review();
    let headless =
        |app: &mut flexus::tui::app::App| line_with(&frame(app, 120, 40), "Headless").to_string();
    assert!(headless(&mut app).contains("(s saves the plan there)"));
    press(&mut app, KeyCode::Char('s'));
    let effects = enter(&mut app);
    let [Effect::SavePlan { path, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        &mut app,
        Msg::PlanSaved {
            path: path.clone(),
            result: Ok(()),
        },
    );
    assert!(headless(&mut app).contains("flexus order --plan plan-web-01.json (saved)"));
    type_text(&mut app, "4");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "3");
    enter(&mut app);
    assert!(headless(&mut app).contains("(changed since; s saves it)"));
}

/// Sent and placed at once, with `ids` instances.
fn placed_with_ids(app: &mut App, ids: usize) {
    let request_id = submitted(app);
    answer_placed(
        app,
        request_id,
        (0..ids).map(|i| format!("i-{i}")).collect(),
    );
}

fn poll_failed(attempt: u32, message: &str) -> TrackEvent {
    TrackEvent::PollFailed {
        failure: failure(None, None, message, "retrying"),
        attempt,
        retry_in: Duration::from_secs(4),
    }
}

fn timeline(app: &flexus::tui::app::App) -> Vec<String> {
    app.timeline
        .entries
        .iter()
        .map(|e| e.text.clone())
        .collect()
}

#[test]
fn a_run_of_the_same_failed_check_is_one_timeline_entry() {
    let (mut app, _) = app_at_review();
    placed_with_ids(&mut app, 1);
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    let before = app.timeline.entries.len();
    for attempt in 1..=3 {
        advance(&mut app, Duration::from_secs(4));
        tracked(&mut app, poll_failed(attempt, "connection refused"));
    }
    assert_eq!(app.timeline.entries.len(), before + 1);
    assert_eq!(
        timeline(&app).last().unwrap(),
        "status checks 1 to 3 failed (the last at 09:30:12): connection refused. retrying; next try in 4s"
    );
    assert_eq!(
        app.timeline.entries.last().unwrap().at.time(),
        time::macros::time!(09:30:04),
        "the entry keeps the time the run began"
    );
    // Another failure starts its own entry; so does the same one after a
    // good check.
    tracked(&mut app, poll_failed(4, "HTTP 503"));
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    tracked(&mut app, poll_failed(1, "HTTP 503"));
    let texts = timeline(&app);
    assert_eq!(
        texts[texts.len() - 3..],
        [
            "status check 4 failed: HTTP 503. retrying; next try in 4s",
            "reached the order service again",
            "status check 1 failed: HTTP 503. retrying; next try in 4s",
        ]
    );
}

#[test]
fn the_status_pane_scrolls_and_lists_every_instance_id() {
    let (mut app, _) = app_at_review();
    app.size = (80, 24);
    placed_with_ids(&mut app, 30);
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    for attempt in 1..=20 {
        let message = if attempt % 2 == 0 {
            "HTTP 503"
        } else {
            "reset"
        };
        tracked(&mut app, poll_failed(attempt, message));
    }
    assert_eq!(app.status.scroll, None, "the newest entries are in view");
    press(&mut app, KeyCode::Home);
    assert_eq!(app.status.scroll, Some(0));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.status.scroll, Some(2));
    press(&mut app, KeyCode::Up);
    assert_eq!(app.status.scroll, Some(1));
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.status.scroll, Some(0), "the top is as far as it goes");
    // News while reading older entries does not move them away.
    tracked(&mut app, poll_failed(21, "reset"));
    assert_eq!(app.status.scroll, Some(0));
    press(&mut app, KeyCode::End);
    assert_eq!(app.status.scroll, None);
    press(&mut app, KeyCode::Up);
    let Some(one_up) = app.status.scroll else {
        panic!("scrolled")
    };
    assert!(one_up > 0);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.status.scroll, None, "back at the end, following again");
    press(&mut app, KeyCode::PageUp);
    let Some(page_up) = app.status.scroll else {
        panic!("scrolled")
    };
    assert!(page_up < one_up, "a page is more than a line");
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.status.scroll, None);

    press(&mut app, KeyCode::Char('i'));
    assert_eq!(app.status.section, status_screen::Section::InstanceIds);
    assert_eq!(app.status.scroll, Some(0), "the list starts at its top");
    press(&mut app, KeyCode::End);
    assert!(frame(&mut app, 80, 24).contains("  i-29"));
    press(&mut app, KeyCode::Char('i'));
    assert_eq!(app.status.section, status_screen::Section::Timeline);
    assert_eq!(app.status.scroll, None);
    // The keys still do what they did.
    press(&mut app, KeyCode::Char('p'));
    assert!(matches!(
        asked(&app),
        Some(Confirmed::Act(OrderAction::Pay { .. }))
    ));
}

#[test]
fn no_key_acts_while_the_terminal_is_too_small() {
    let (mut app, _) = app_at_review();
    let review = app.page;
    update(&mut app, Msg::Resize(60, 15));
    let mut effects = Vec::new();
    effects.extend(enter(&mut app));
    effects.extend(press(&mut app, KeyCode::Char('y')));
    type_text(&mut app, "yes");
    effects.extend(enter(&mut app));
    effects.extend(press(&mut app, KeyCode::Esc));
    effects.extend(update(&mut app, Msg::Paste("yes".to_string())));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.overlay.is_none(), "no dialog opened blind");
    assert_eq!(app.page, review);
    assert!(matches!(app.submission, Submission::Draft));

    // Back to a usable size, the same keys work as ever.
    update(&mut app, Msg::Resize(80, 24));
    let effects = confirm_and_submit(&mut app);
    assert!(matches!(effects.as_slice(), [Effect::Submit { .. }]));

    // Ctrl-C still works while too small: with an order in flight it only
    // asks, and the question cannot be answered until it can be seen.
    update(&mut app, Msg::Resize(79, 30));
    assert!(ctrl(&mut app, 'c').is_empty());
    assert_eq!(asked(&app), Some(&Confirmed::Quit));
    assert!(press(&mut app, KeyCode::Char('y')).is_empty());
    assert!(!app.quit);
    let (mut idle, _) = signed_in_app();
    update(&mut idle, Msg::Resize(40, 10));
    assert_eq!(ctrl(&mut idle, 'c'), vec![Effect::Quit]);
}

#[test]
fn a_pending_order_is_cancelled_only_on_a_yes_and_its_status_follows() {
    let (mut app, _) = app_at_review();
    placed_with_ids(&mut app, 1);
    // Before the order is known to wait for payment, there is nothing to
    // cancel.
    assert!(press(&mut app, KeyCode::Char('c')).is_empty());
    assert!(asked(&app).is_none());
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    assert!(
        hint_keys(&app).iter().any(|k| k == "c"),
        "{:?}",
        hint_keys(&app)
    );

    press(&mut app, KeyCode::Char('c'));
    let cancel = OrderAction::Cancel {
        order_id: OrderId::parse(ORDER_ID).unwrap(),
    };
    assert_eq!(asked(&app), Some(&Confirmed::Act(cancel.clone())));
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "no is the default: Enter keeps the order"
    );
    assert!(asked(&app).is_none());
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(
        press(&mut app, KeyCode::Char('y')),
        vec![Effect::Act(cancel.clone())]
    );
    // While the service is asked, the order is neither paid nor cancelled
    // twice.
    assert!(press(&mut app, KeyCode::Char('p')).is_empty());
    assert!(press(&mut app, KeyCode::Char('c')).is_empty());
    assert!(asked(&app).is_none());

    update(
        &mut app,
        Msg::Acted {
            action: cancel,
            result: Ok(()),
        },
    );
    tracked(&mut app, polled(status::CANCELLED));
    let Submission::Placed(tracking) = &app.submission else {
        panic!("placed")
    };
    assert!(tracking.is_final());
    assert!(!tracking.can_cancel() && !tracking.can_pay());
    let shown = frame(&mut app, 80, 24);
    assert!(shown.contains("cancellation accepted"), "{shown}");
}

#[test]
fn a_cancellation_the_service_refuses_says_its_words_and_keeps_the_order() {
    let (mut app, _) = app_at_review();
    placed_with_ids(&mut app, 1);
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    press(&mut app, KeyCode::Char('c'));
    let effects = press(&mut app, KeyCode::Char('y'));
    let [Effect::Act(cancel)] = effects.as_slice() else {
        panic!("one cancellation: {effects:?}")
    };
    update(
        &mut app,
        Msg::Acted {
            action: cancel.clone(),
            result: Err(failure(
                Some(400),
                Some("CBC.30000067"),
                "The order cannot be cancelled in its current status.",
                "",
            )),
        },
    );
    let shown = frame(&mut app, 120, 40);
    assert!(
        shown.contains("the order was not cancelled: The order cannot be cancelled"),
        "{shown}"
    );
    assert!(shown.contains("CBC.30000067"), "{shown}");
    let Submission::Placed(tracking) = &app.submission else {
        panic!("placed")
    };
    assert!(tracking.can_cancel(), "it may be tried again");
}

#[test]
fn orders_found_from_before_the_send_are_not_counted_as_created_since() {
    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    let mut earlier = order_info(status::PENDING_PAYMENT);
    earlier.order_id = "CS2601150929EARLY".into();
    earlier.create_time = Some("2026-01-15T09:29:00Z".into());
    update(
        &mut app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Ambiguous {
                client_request_id: request_id,
                sent_at: "2026-01-15T09:30:00Z".into(),
                reason: failure(None, None, "timed out", ""),
                candidates: vec![
                    FoundOrder {
                        info: order_info(status::PENDING_PAYMENT),
                        line_items: Vec::new(),
                    },
                    FoundOrder {
                        info: earlier,
                        line_items: Vec::new(),
                    },
                ],
                lookup_failed: None,
            },
        },
    );
    assert_eq!(
        timeline(&app).last().unwrap(),
        "1 order created since 2026-01-15 09:30 (UTC+00:00) found, and 1 created shortly \
         before it (marked BEFORE)"
    );
}

// ---- the orders view ----

fn orders_key_offered(app: &App) -> bool {
    flexus::tui::screens::global_bindings(app, false)
        .iter()
        .any(|b| b.action == flexus::tui::screens::Global::Orders && b.in_footer())
}

fn orders_rows(app: &App) -> usize {
    flexus::tui::screens::orders::rows(&app.orders).len()
}

#[test]
fn o_opens_the_orders_view_from_any_step_and_esc_returns_with_the_draft_kept() {
    let (mut app, _) = app_at_review();
    let draft = app.draft.clone();
    assert!(orders_key_offered(&app), "the footer names o");
    open_orders(&mut app, Vec::new(), whole_page(Vec::new()));
    assert_eq!(app.page, Page::Orders);
    assert!(!orders_key_offered(&app), "o is not offered on itself");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(app.draft, draft, "every choice is kept");

    // From an earlier step too, and back to it.
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.page, page(Step::Image));
    open_orders(&mut app, Vec::new(), whole_page(Vec::new()));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Image));
    assert!(app.from_review, "Enter still leads back to the review");
    assert_eq!(app.draft, draft);
}

#[test]
fn while_a_filter_or_a_field_is_typed_o_is_text() {
    let (mut app, _) = signed_in_app();
    down(&mut app, 1);
    enter(&mut app);
    assert_eq!(app.page, page(Step::Image));
    type_text(&mut app, "go"); // a filter started by g: o is part of it
    assert_eq!(app.page, page(Step::Image));
    assert_eq!(app.image.picker.filter, "go");
    // A name field takes o as a letter.
    let (mut app, _) = app_at_review();
    press(&mut app, KeyCode::Char('6'));
    assert_eq!(app.page, page(Step::Naming));
    type_text(&mut app, "o");
    assert_eq!(app.page, page(Step::Naming));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.draft.instance_name, "web-01o");
}

#[test]
fn enter_on_an_account_order_alone_follows_it_and_pay_and_cancel_are_offered() {
    let (mut app, _) = signed_in_app();
    let listed = vec![account_order(
        ORDER_ID,
        status::PENDING_PAYMENT,
        "2026-01-15T09:00:00Z",
        19.0,
    )];
    open_orders(&mut app, Vec::new(), whole_page(listed));
    assert_eq!(orders_rows(&app), 1);
    let effects = enter(&mut app);
    assert_eq!(
        effects,
        vec![Effect::Track {
            order_id: ORDER_ID.to_string()
        }]
    );
    assert_eq!(app.page, Page::Status);
    assert!(matches!(&app.submission, Submission::Placed(t) if t.order_id == ORDER_ID));
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    let keys = hint_keys(&app);
    assert!(
        keys.contains(&"p".to_string()) && keys.contains(&"c".to_string()),
        "{keys:?}"
    );
    press(&mut app, KeyCode::Char('c'));
    let order_id = OrderId::parse(ORDER_ID).unwrap();
    assert_eq!(
        asked(&app),
        Some(&Confirmed::Act(OrderAction::Cancel {
            order_id: order_id.clone()
        }))
    );
    press(&mut app, KeyCode::Char('x')); // no
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(
        asked(&app),
        Some(&Confirmed::Act(OrderAction::Pay { order_id }))
    );
    // The orders view is one key away from the order, and Esc comes back.
    app.overlay = None;
    open_orders(&mut app, Vec::new(), whole_page(Vec::new()));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, Page::Status);
    assert!(matches!(&app.submission, Submission::Placed(t) if t.order_id == ORDER_ID));
}

#[test]
fn a_journal_purchase_and_its_account_order_are_one_row_and_enter_reopens_the_purchase() {
    let (mut app, _) = signed_in_app();
    let body = body_of(&app_at_review().0);
    let mine = record(EARLIER_ID, body.clone(), PurchaseState::Placed);
    let unanswered = record(OTHER_ID, body, PurchaseState::Unanswered);
    let listed = vec![
        account_order(
            ORDER_ID,
            status::PENDING_PAYMENT,
            "2026-01-15T09:10:01Z",
            19.0,
        ),
        account_order(
            "CS2601140800WXYZ",
            status::COMPLETED,
            "2026-01-14T08:00:00Z",
            7.5,
        ),
    ];
    open_orders(&mut app, vec![mine.clone(), unanswered], whole_page(listed));
    assert_eq!(
        orders_rows(&app),
        3,
        "one row per order, and the unanswered one"
    );
    let rows = flexus::tui::screens::orders::rows(&app.orders);
    assert_eq!(rows[0].order_id(), Some(ORDER_ID), "newest first");
    assert!(rows[0].record.is_some() && rows[0].info.is_some());
    assert_eq!(rows[1].order_id(), None);
    assert_eq!(rows[2].order_id(), Some("CS2601140800WXYZ"));
    let effects = enter(&mut app);
    assert_eq!(
        effects,
        vec![Effect::Track {
            order_id: ORDER_ID.to_string()
        }]
    );
    assert_eq!(app.page, Page::Status);
    assert!(
        matches!(&app.submission, Submission::Placed(t) if t.request_id.as_ref().map(|r| r.to_string()) == Some(EARLIER_ID.to_string())),
        "reopened as the journal's purchase"
    );
}

#[test]
fn page_down_asks_bss_for_the_next_offset_and_stale_pages_are_dropped() {
    let (mut app, _) = signed_in_app();
    let order = |i: u32| {
        account_order(
            &format!("CS26011{i:05}ABCD"),
            status::COMPLETED,
            &format!("2026-01-{:02}T08:00:00Z", 28 - i / 10),
            1.0,
        )
    };
    let limit = flexus::tui::screens::orders::PAGE_SIZE;
    let first: Vec<_> = (0..limit).map(order).collect();
    open_orders(
        &mut app,
        Vec::new(),
        Ok(flexus::tui::service::OrdersPage {
            total: 45,
            orders: first,
            left_out: 0,
            line_items: Vec::new(),
        }),
    );
    // PageDown moves a page at a time; on the last row it asks for more.
    assert!(press(&mut app, KeyCode::PageDown).is_empty());
    assert_eq!(app.orders.cursor, 10);
    press(&mut app, KeyCode::End);
    assert_eq!(app.orders.cursor, limit as usize - 1);
    let effects = press(&mut app, KeyCode::PageDown);
    let [
        Effect::ListOrders {
            generation,
            offset,
            limit: asked_limit,
        },
    ] = effects.as_slice()
    else {
        panic!("the next page is asked for: {effects:?}");
    };
    assert_eq!((*offset, *asked_limit), (limit, limit));
    assert!(
        press(&mut app, KeyCode::PageDown).is_empty(),
        "once at a time"
    );
    // An answer for an earlier opening of the view is dropped.
    update(
        &mut app,
        Msg::OrdersListed {
            generation: generation - 1,
            offset: limit,
            result: whole_page(vec![order(99)]),
        },
    );
    assert_eq!(orders_rows(&app), limit as usize);
    update(
        &mut app,
        Msg::OrdersListed {
            generation: *generation,
            offset: limit,
            result: Ok(flexus::tui::service::OrdersPage {
                total: 45,
                orders: (limit..2 * limit).map(order).collect(),
                left_out: 0,
                line_items: Vec::new(),
            }),
        },
    );
    assert_eq!(orders_rows(&app), 2 * limit as usize);
    press(&mut app, KeyCode::End);
    let effects = press(&mut app, KeyCode::PageDown);
    assert!(
        matches!(effects.as_slice(), [Effect::ListOrders { offset, .. }] if *offset == 2 * limit),
        "{effects:?}"
    );
}

#[test]
fn a_bss_failure_keeps_the_journal_rows_and_says_what_to_do() {
    let (mut app, _) = signed_in_app();
    let body = body_of(&app_at_review().0);
    let mine = record(EARLIER_ID, body, PurchaseState::Placed);
    open_orders(
        &mut app,
        vec![mine],
        Err(failure(
            Some(403),
            Some("CBC.0150"),
            "the billing token may not list orders",
            "sign in with a token of the account's domain",
        )),
    );
    assert_eq!(orders_rows(&app), 1, "the journal's purchase stays");
    let screen = frame(&mut app, 80, 24);
    line_with(&screen, "Could not list the account's orders");
    line_with(&screen, "CBC.0150");
    line_with(&screen, "try again");
    // r asks again.
    let effects = press(&mut app, KeyCode::Char('r'));
    assert!(
        matches!(
            effects.as_slice(),
            [
                Effect::ReadJournal { .. },
                Effect::ListOrders { offset: 0, .. }
            ]
        ),
        "{effects:?}"
    );
}

#[test]
fn after_reopening_an_unfinished_purchase_o_reaches_the_orders_view() {
    let body = body_of(&app_at_review().0);
    let (mut app, effects) = starting_with(vec![record(EARLIER_ID, body, PurchaseState::Placed)]);
    assert_eq!(app.page, Page::Status, "a bare flexus opens on it");
    assert_eq!(
        effects,
        vec![Effect::Track {
            order_id: ORDER_ID.to_string()
        }]
    );
    open_orders(&mut app, Vec::new(), whole_page(Vec::new()));
    assert_eq!(app.page, Page::Orders);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, Page::Status);
}

#[test]
fn o_while_signing_in_waits_and_asks_for_the_orders_once_signed_in() {
    let mut app = new_app();
    let service = FakeService::new();
    let connector = std::sync::Arc::new(FakeConnector {
        service: service.clone(),
    });
    let effects = flexus::tui::update::start(
        &mut app,
        &Start::Connect {
            connector,
            choice: SignIn::Sandbox,
        },
    );
    let [Effect::Connect { attempt, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let attempt = *attempt;
    assert!(
        press(&mut app, KeyCode::Char('o')).is_empty(),
        "nothing can be asked before signing in is done"
    );
    assert_eq!(app.page, Page::Orders);
    let shown = frame(&mut app, 80, 24);
    line_with(&shown, "Signing in with the sandbox");
    let effects = update(
        &mut app,
        Msg::Connected {
            attempt,
            result: Ok(service),
        },
    );
    assert!(
        matches!(
            effects.as_slice(),
            [
                Effect::ReadJournal { .. },
                Effect::ListOrders { offset: 0, .. }
            ]
        ),
        "{effects:?}"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Region), "Esc still goes back");
}

#[test]
fn o_when_not_signed_in_opens_the_sign_in_screen_first_with_the_orders_to_follow() {
    let mut app = new_app();
    assert!(press(&mut app, KeyCode::Char('o')).is_empty());
    assert_eq!(app.page, Page::SignIn);
    assert_eq!(app.resume, Page::Orders);
    line_with(
        &frame(&mut app, 80, 24),
        "Sign in to see the account's orders",
    );
}

#[test]
fn rows_arriving_above_the_highlighted_one_do_not_move_the_highlight() {
    let (mut app, _) = signed_in_app();
    let body = body_of(&app_at_review().0);
    let mine = record(OTHER_ID, body, PurchaseState::Unanswered); // sent 09:10
    open_orders(
        &mut app,
        vec![mine],
        Ok(flexus::tui::service::OrdersPage {
            total: 2,
            orders: vec![account_order(
                "CS2601150920AAAA",
                status::COMPLETED,
                "2026-01-15T09:20:00Z",
                1.0,
            )],
            left_out: 0,
            line_items: Vec::new(),
        }),
    );
    down(&mut app, 1);
    let highlighted = |app: &App| {
        let rows = flexus::tui::screens::orders::rows(&app.orders);
        rows[app.orders.cursor]
            .record
            .map(|r| r.client_request_id.clone())
    };
    assert_eq!(highlighted(&app).as_deref(), Some(OTHER_ID));
    let effects = press(&mut app, KeyCode::PageDown);
    let [Effect::ListOrders { generation, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    update(
        &mut app,
        Msg::OrdersListed {
            generation: *generation,
            offset: 1,
            result: Ok(flexus::tui::service::OrdersPage {
                total: 2,
                orders: vec![account_order(
                    "CS2601150915BBBB",
                    status::COMPLETED,
                    "2026-01-15T09:15:00Z",
                    1.0,
                )],
                left_out: 0,
                line_items: Vec::new(),
            }),
        },
    );
    assert_eq!(orders_rows(&app), 3);
    assert_eq!(app.orders.cursor, 2);
    assert_eq!(highlighted(&app).as_deref(), Some(OTHER_ID));
}

#[test]
fn an_order_still_being_sent_keeps_the_status_pane_and_enter_says_why() {
    let (mut app, _) = app_at_review();
    submitted(&mut app);
    assert_eq!(app.page, Page::Status);
    let listed = vec![account_order(
        "CS2601140800WXYZ",
        status::PENDING_PAYMENT,
        "2026-01-14T08:00:00Z",
        7.5,
    )];
    open_orders(&mut app, Vec::new(), whole_page(listed));
    assert!(enter(&mut app).is_empty(), "nothing is followed instead");
    assert_eq!(app.page, Page::Orders);
    assert!(matches!(app.submission, Submission::Submitting(_)));
    assert!(
        notices(&app).iter().any(|n| n.contains("still under way")),
        "{:?}",
        notices(&app)
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, Page::Status, "back to the order in the air");
}

// ---- quitting with a half-made order, and starting from earlier choices ----

/// The words of the question asked, as one text.
fn question_text(app: &App) -> String {
    match &app.overlay {
        Some(Overlay::Confirm(question)) => question
            .lines
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => panic!("no question is asked"),
    }
}

/// AP-Singapore and Ubuntu 22.04 chosen, at the spec step.
fn half_made() -> App {
    let (mut app, _) = signed_in_app();
    down(&mut app, 1); // AP-Singapore
    enter(&mut app);
    choose_os(&mut app, "ubuntu", "22.04");
    assert_eq!(app.page, page(Step::Spec));
    app
}

/// The draft an effect keeps, read back as the next start reads it.
fn kept_by(effects: &[Effect]) -> flexus::tui::kept::KeptDraft {
    let contents = effects
        .iter()
        .find_map(|e| match e {
            Effect::KeepDraft { contents } => Some(contents),
            _ => None,
        })
        .expect("the draft is kept");
    flexus::tui::kept::KeptDraft::from_json(contents).expect("a kept draft")
}

#[test]
fn ctrl_c_with_a_half_made_order_says_what_is_kept_and_keeps_it_on_yes() {
    let mut app = half_made();
    assert!(ctrl(&mut app, 'c').is_empty());
    assert_eq!(asked(&app), Some(&Confirmed::Quit));
    assert_eq!(
        question_text(&app),
        "Your choices so far (AP-Singapore, Ubuntu 22.04) are kept; the next start offers to \
         continue. Nothing was ordered.\n\nPress y to quit; any other key stays."
    );
    let effects = press(&mut app, KeyCode::Char('y'));
    assert_eq!(effects.last(), Some(&Effect::Quit));
    let kept = kept_by(&effects);
    assert_eq!(kept.step, Step::Spec);
    assert_eq!(kept.draft, app.draft);
    assert_eq!(app.stopped_by, Some("SIGINT"), "Ctrl-C exits 130");
}

#[test]
fn any_other_key_stays_and_a_second_ctrl_c_quits_at_once_still_keeping_the_draft() {
    let mut app = half_made();
    ctrl(&mut app, 'c');
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.overlay.is_none() && !app.quit);
    assert_eq!(app.page, page(Step::Spec));
    ctrl(&mut app, 'c');
    let effects = ctrl(&mut app, 'c');
    assert!(app.quit);
    assert_eq!(kept_by(&effects).draft.region, "ap-southeast-3");
    assert_eq!(app.stopped_by, Some("SIGINT"));
}

#[test]
fn without_a_choice_made_ctrl_c_quits_at_once_and_exits_130() {
    let (mut app, _) = signed_in_app();
    assert_eq!(ctrl(&mut app, 'c'), vec![Effect::Quit]);
    assert_eq!(app.stopped_by, Some("SIGINT"));
}

#[test]
fn q_after_an_order_quits_with_0_and_a_new_order_from_it_is_nothing_to_keep() {
    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    answer_placed(&mut app, request_id, vec!["i-1".into()]);
    completed(&mut app);
    assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
    assert_eq!(app.stopped_by, None, "q is not an interrupt");

    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    answer_placed(&mut app, request_id, vec!["i-1".into()]);
    completed(&mut app);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.page, page(Step::Region));
    assert_eq!(ctrl(&mut app, 'c'), vec![Effect::Quit]);
}

#[test]
fn a_refused_order_is_kept_over_ctrl_c_at_the_review() {
    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    update(
        &mut app,
        Msg::Submitted {
            request_id,
            outcome: SubmitOutcome::Rejected(failure(Some(400), None, "no", "")),
        },
    );
    ctrl(&mut app, 'c');
    assert!(question_text(&app).starts_with(
        "Your choices so far (AP-Singapore, Ubuntu 22.04, hf.large.2.30m.linux, 1 month x1, \
         no add-ons, web-01) are kept"
    ));
    let effects = press(&mut app, KeyCode::Char('y'));
    assert_eq!(kept_by(&effects).draft, app.draft);
}

#[test]
fn the_quit_question_while_an_order_is_in_flight_keeps_no_draft() {
    let (mut app, _) = app_at_review();
    submitted(&mut app);
    ctrl(&mut app, 'c');
    assert_eq!(
        question_text(&app),
        "The order was sent and its answer has not come yet.\nIts ID is in the journal either \
         way.\n\nPress y to quit; any other key stays."
    );
    assert_eq!(press(&mut app, KeyCode::Char('y')), vec![Effect::Quit]);
}

#[test]
fn a_second_ctrl_c_while_an_order_is_in_flight_keeps_the_question_open() {
    let (mut app, _) = app_at_review();
    submitted(&mut app);
    ctrl(&mut app, 'c');
    let asked = question_text(&app);
    assert_eq!(ctrl(&mut app, 'c'), Vec::new());
    assert!(!app.quit);
    assert_eq!(question_text(&app), asked);
}

#[test]
fn a_quit_from_sign_in_reached_through_the_orders_view_keeps_the_step_o_was_pressed_on() {
    let mut app = half_made();
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.page, Page::Orders);
    // Signing in again (an expired sign-in) resumes at the orders view.
    app.page = Page::SignIn;
    app.resume = Page::Orders;
    ctrl(&mut app, 'c');
    let kept = kept_by(&press(&mut app, KeyCode::Char('y')));
    assert_eq!(kept.step, Step::Spec);
}

#[test]
fn a_hangup_or_sigterm_keeps_a_half_made_order() {
    for signal in ["SIGHUP", "SIGTERM"] {
        let mut app = half_made();
        let effects = update(&mut app, Msg::Signal(signal));
        assert_eq!(kept_by(&effects).step, Step::Spec, "{signal}");
        assert_eq!(effects.last(), Some(&Effect::Quit));
        assert_eq!(app.stopped_by, Some(signal));
    }
}

/// A wizard reading the journal at the start, whose newest purchase is
/// `last` (and nothing unfinished).
fn starting_after(last: flexus::domain::order::RequestBody) -> App {
    let mut app = new_app();
    app.reattach = true;
    let effects = flexus::tui::update::start(&mut app, &Start::Connected(FakeService::new()));
    assert_eq!(effects, vec![Effect::ReadJournalAtStart]);
    let last = record(
        EARLIER_ID,
        last,
        flexus::api::journal::PurchaseState::Placed,
    );
    let effects = update(
        &mut app,
        Msg::AtStart(Ok(flexus::tui::service::AtStart {
            unfinished: Vec::new(),
            last_order: Some(Box::new(last)),
        })),
    );
    assert!(effects.is_empty(), "{effects:?}");
    app
}

#[test]
fn a_new_order_starts_with_every_cursor_on_the_last_orders_choices() {
    let body = body_of(&app_at_review().0);
    let mut app = starting_after(body.clone());
    assert_eq!(app.page, page(Step::Region));
    assert_eq!(
        notices(&app),
        vec![
            "Starting from the choices of your last order, sent 2026-01-15 09:10 (UTC+00:00); \
             Enter confirms each."
        ]
    );
    assert!(app.accepted.iter().all(|a| !a), "the steps are walked");
    assert_eq!(
        app.catalog.regions[app.region.picker.cursor].code,
        "ap-southeast-3"
    );
    enter(&mut app);
    assert_eq!(app.page, page(Step::Image));
    enter(&mut app); // Ubuntu -> its versions, on 22.04
    assert_eq!(app.image.os, "Ubuntu");
    assert_eq!(app.image.version_rows[app.image.versions.cursor].0, "22.04");
    enter(&mut app);
    assert_eq!(app.page, page(Step::Spec));
    assert_eq!(
        app.spec.rows[app.spec.picker.cursor].code,
        "hf.large.2.30m.linux"
    );
    for _ in 0..4 {
        enter(&mut app); // spec, period, extras, name
    }
    assert_eq!(app.page, page(Step::Review));
    assert_eq!(body_of(&app), body);
    // Walking the last order's choices unchanged is nothing to keep.
    assert_eq!(ctrl(&mut app, 'c'), vec![Effect::Quit]);
}

#[test]
fn edits_on_the_current_step_not_yet_confirmed_are_kept_over_ctrl_c() {
    let body = body_of(&app_at_review().0);
    let mut app = starting_after(body.clone());
    for _ in 0..4 {
        enter(&mut app); // region, image, its version, spec: as last time
    }
    assert_eq!(app.page, page(Step::Period));
    // The length, edited but not confirmed with Enter.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "3");
    assert!(ctrl(&mut app, 'c').is_empty(), "asks first");
    assert!(
        question_text(&app).contains("with this step's edits are kept"),
        "{}",
        question_text(&app)
    );
    let kept = kept_by(&press(&mut app, KeyCode::Char('y')));
    assert_eq!(kept.step, Step::Period);
    assert_eq!(kept.draft.period_num, 3);
    assert_eq!(kept.draft.region, body.region);
}

#[test]
fn a_last_choice_no_longer_offered_is_dropped_with_a_notice() {
    let mut body = body_of(&app_at_review().0);
    body.image_ref.image_version = Some("9.9".to_string());
    let app = starting_after(body.clone());
    assert_eq!(app.draft.region, "ap-southeast-3");
    assert_eq!(app.draft.image, ImageRef::Unset);
    let shown = notices(&app).join("\n");
    assert!(
        shown.contains("The image choice of the last order was dropped (and its spec with it):"),
        "{shown}"
    );
    assert!(shown.contains("Choose again."), "{shown}");
    assert_eq!(app.image.pane, image::Pane::List);

    body.region = "xx-nowhere-1".to_string();
    let app = starting_after(body);
    assert_eq!(app.draft.region, "");
    assert_eq!(app.region.picker.cursor, 0, "the usual start");
    assert_eq!(app.draft.instance_name, "web-01", "the rest is kept");
    let shown = notices(&app).join("\n");
    assert!(
        shown.contains(
            "The region choice of the last order was dropped (and its image and spec with it):"
        ),
        "{shown}"
    );
}

#[test]
fn a_plan_wins_over_the_last_choices() {
    let (mut app, _) = signed_in_app();
    assert!(
        !app.reattach,
        "with --plan the journal is not read at the start"
    );
    assert!(flexus::tui::update::start(&mut app, &Start::Connected(FakeService::new())).is_empty());
}

/// A wizard opened with a kept half-made order (AP-Singapore, Ubuntu 22.04,
/// left at the spec step).
fn opened_with_kept() -> App {
    let kept = flexus::tui::kept::KeptDraft {
        draft: half_made().draft,
        step: Step::Spec,
    };
    let mut options = flexus::tui::Options {
        catalog: flexus::domain::catalog::Catalog::embedded(),
        prices: flexus::domain::pricing::PriceTable::embedded(),
        theme: flexus::tui::theme::Theme::new(true, true),
        plan: None,
        mouse: false,
        first_frame_exit: false,
        reattach: true,
        kept_file: None,
        kept_found: flexus::tui::kept::Found::Draft(kept),
        profile: None,
    };
    let (mut app, effects) =
        flexus::tui::runtime::prepare(&mut options, &Start::Connected(FakeService::new()));
    assert_eq!(effects, vec![Effect::ReadJournalAtStart]);
    app.zone = jiff::tz::TimeZone::UTC;
    app
}

#[test]
fn a_kept_order_is_offered_and_enter_continues_at_the_step_it_was_left() {
    let mut app = opened_with_kept();
    assert_eq!(asked(&app), Some(&Confirmed::ContinueKept));
    assert!(
        question_text(&app).starts_with(
            "Last time you quit at step 3 (Spec) with your choices kept (AP-Singapore, Ubuntu \
             22.04)."
        ),
        "{}",
        question_text(&app)
    );
    // A key that is neither yes nor no leaves the question open.
    assert!(press(&mut app, KeyCode::Char('x')).is_empty());
    assert_eq!(asked(&app), Some(&Confirmed::ContinueKept));
    assert!(enter(&mut app).is_empty());
    assert_eq!(app.page, page(Step::Spec));
    assert_eq!(app.draft.region, "ap-southeast-3");
    assert!(app.step_done(Step::Image));
    // The journal's answer comes after: the choices stay the kept ones.
    let other = body_of(&app_at_review().0);
    update(
        &mut app,
        Msg::AtStart(Ok(flexus::tui::service::AtStart {
            unfinished: Vec::new(),
            last_order: Some(Box::new(record(
                EARLIER_ID,
                other,
                flexus::api::journal::PurchaseState::Placed,
            ))),
        })),
    );
    assert_eq!(app.page, page(Step::Spec));
    assert_eq!(app.draft.plan_spec, "");
    // The order sent from it removes the kept file.
    choose_spec(&mut app, "large.2.30m.linux");
    enter(&mut app);
    enter(&mut app);
    type_text(&mut app, "web-01");
    enter(&mut app);
    let effects = confirm_and_submit(&mut app);
    assert!(effects.contains(&Effect::ForgetDraft), "{effects:?}");
    assert!(matches!(effects[0], Effect::Submit { .. }));
}

#[test]
fn starting_afresh_forgets_the_kept_order_and_starts_from_the_last_one() {
    let mut app = opened_with_kept();
    let body = body_of(&app_at_review().0);
    update(
        &mut app,
        Msg::AtStart(Ok(flexus::tui::service::AtStart {
            unfinished: Vec::new(),
            last_order: Some(Box::new(record(
                EARLIER_ID,
                body.clone(),
                flexus::api::journal::PurchaseState::Placed,
            ))),
        })),
    );
    assert_eq!(app.draft, Draft::default(), "asked first");
    assert_eq!(
        press(&mut app, KeyCode::Char('n')),
        vec![Effect::ForgetDraft]
    );
    assert!(app.overlay.is_none());
    assert_eq!(app.page, page(Step::Region));
    assert_eq!(app.draft, Draft::from_request_body(&body));
    assert!(notices(&app)[0].starts_with("Starting from the choices of your last order"));
}
#[test]
fn w_on_the_review_shows_long_texts_whole_and_shortens_them_again() {
    let (mut app, _) = app_at_review();
    app.size = (80, 24);
    assert!(press(&mut app, KeyCode::Char('w')).is_empty());
    assert!(
        !app.review.show_whole,
        "with nothing long to show, w does nothing"
    );

    app.draft.description = "a description longer than one row of the review ".repeat(20);
    assert!(press(&mut app, KeyCode::Char('w')).is_empty());
    assert!(app.review.show_whole);
    assert_eq!(app.page, page(Step::Review), "the review stays open");
    press(&mut app, KeyCode::Char('w'));
    assert!(!app.review.show_whole);
    press(&mut app, KeyCode::Char('v'));
    assert!(
        app.review.show_json && !app.review.show_whole,
        "the JSON body keeps its own key"
    );
}

/// The code of the package the spec step's cursor is on.
fn spec_under_cursor(app: &App) -> &str {
    &app.spec.rows[app.spec.picker.cursor].code
}

#[test]
fn the_spec_cursor_starts_on_the_cheapest_priced_package_that_fits_unless_one_was_chosen() {
    let (mut app, _) = signed_in_app();
    choose_region(&mut app, "ap-southeast-3");
    choose_os(&mut app, "Ubuntu", "22.04");
    assert_eq!(app.page, page(Step::Spec));
    assert_eq!(
        spec_under_cursor(&app),
        "hf.large.1.30m.linux",
        "USD 9.00 a month: the 1 GiB package that fits Ubuntu has no list price"
    );
    assert_eq!(
        spec::start_row(&app, Some("hf.xlarge.2.30m.linux"))
            .map(|i| app.spec.rows[i].code.as_str()),
        Some("hf.xlarge.2.30m.linux"),
        "a remembered package wins"
    );

    choose_spec(&mut app, "hf.xlarge.2");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.page, page(Step::Spec));
    assert_eq!(
        spec_under_cursor(&app),
        "hf.xlarge.2.30m.linux",
        "the package chosen stays under the cursor"
    );

    let (mut app, _) = signed_in_app();
    choose_region(&mut app, "ap-southeast-1");
    choose_os(&mut app, "Ubuntu", "22.04");
    assert_eq!(
        spec_under_cursor(&app),
        "hf.large.05.30m.linux",
        "with no list prices in the region, the first package that fits"
    );
}
