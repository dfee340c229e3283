//! Every screen and state of the wizard, drawn on a TestBackend at 80x24
//! and 120x40 and compared with reviewed snapshots (tests/snapshots/).
//! Colour is not in a snapshot, so where it carries meaning (unavailable
//! options, errors, the selection) the styled cells are checked directly.

mod support;

use std::time::Duration;

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use flexus::api::engine::{SubmitOutcome, TrackEvent};
use flexus::api::purchase::FoundOrder;
use flexus::api::wire::status;
use flexus::tui::app::App;
use flexus::tui::msg::{Effect, Msg};
use flexus::tui::service::Start;
use flexus::tui::theme::Theme;
use flexus::tui::update::update;
use flexus::tui::view;
use jiff::tz::{Offset, TimeZone};
use support::live::*;
use support::*;

fn buffer(app: &mut App, w: u16, h: u16) -> Buffer {
    app.size = (w, h);
    let mut terminal = terminal(w, h);
    terminal.draw(|f| view::render(app, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The style of the first cell of `needle` on screen.
fn style_of(buf: &Buffer, needle: &str) -> ratatui::style::Style {
    let area = buf.area;
    for y in 0..area.height {
        let row: String = (0..area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        if let Some(byte) = row.find(needle) {
            let x = row[..byte].chars().count() as u16;
            return buf[(x, y)].style();
        }
    }
    panic!("{needle:?} is not on screen");
}

#[test]
fn sign_in_choices() {
    snap!("signin_methods", &mut sign_in_app());
}

#[test]
fn sign_in_refused_token() {
    let mut app = sign_in_app();
    enter(&mut app);
    type_text(&mut app, "wrong");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "billing-secret");
    let effects = enter(&mut app);
    let [Effect::Connect { attempt, .. }] = effects.as_slice() else {
        panic!()
    };
    snap!("signin_signing_in", &mut app);
    update(
        &mut app,
        Msg::Connected {
            attempt: *attempt,
            result: Err(failure(
                Some(401),
                Some("APIGW.0301"),
                "the token was refused\x1b[2J",
                "get a new token and try again",
            )),
        },
    );
    snap!("signin_token_refused", &mut app);
    let text = frame(&mut app, 80, 24);
    // The escape sequence from the network arrives without its ESC.
    assert!(
        text.contains("the token was refused[2J (HTTP 401,"),
        "{text}"
    );
    assert!(!text.contains('\x1b'));
    assert!(!text.contains("wrong"), "the token is masked");
    assert!(!text.contains("billing-secret"), "the billing token too");
}

#[test]
fn sign_in_password_form_masks_the_password() {
    let mut app = sign_in_app();
    press(&mut app, KeyCode::Down);
    enter(&mut app);
    type_text(&mut app, "alice");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "hunter2");
    snap!("signin_password", &mut app);
    assert!(!frame(&mut app, 120, 40).contains("hunter2"));
}

#[test]
fn region() {
    let (mut app, _) = signed_in_app();
    snap!("region", &mut app);
    let buf = buffer(&mut app, 80, 24);
    assert!(
        style_of(&buf, "CN-Hong Kong")
            .add_modifier
            .contains(Modifier::REVERSED)
    );
    // The selection shows without reverse video too: a pointer starts it.
    let text = frame(&mut app, 80, 24);
    assert!(line_with(&text, "CN-Hong Kong").starts_with("\"│›   CN-Hong Kong"));
    assert!(line_with(&text, "AP-Singapore").starts_with("\"│    AP-Singapore"));
    type_text(&mut app, "ap-");
    press(&mut app, KeyCode::Down);
    snap!("region_filtered", &mut app);
    type_text(&mut app, "zz");
    snap!("region_filter_matches_nothing", &mut app);
}

#[test]
fn image_lists() {
    let (mut app, _) = signed_in_app();
    type_text(&mut app, "istanbul");
    enter(&mut app);
    snap!("image_list", &mut app);
    type_text(&mut app, "centos");
    enter(&mut app);
    snap!("image_versions_some_unavailable", &mut app);
    let buf = buffer(&mut app, 80, 24);
    let unavailable = style_of(&buf, "8.2");
    assert_eq!(
        unavailable.fg,
        Some(Color::DarkGray),
        "versions not sold are greyed"
    );
    assert!(
        style_of(&buf, "7.9")
            .add_modifier
            .contains(Modifier::REVERSED),
        "the first version sold is highlighted"
    );
    press(&mut app, KeyCode::Up);
    enter(&mut app);
    snap!("image_version_refused", &mut app);
    let buf = buffer(&mut app, 80, 24);
    assert_eq!(
        style_of(&buf, "✗ CentOS 8.0 is not offered").fg,
        Some(Color::Red)
    );
}

#[test]
fn the_highlighted_application_image_says_what_it_is() {
    let (mut app, _) = signed_in_app();
    enter(&mut app);
    let text = frame(&mut app, 80, 24);
    assert!(
        text.contains("│BT: BT Panel, a web control panel for sites, databases and files"),
        "{text}"
    );
    down(&mut app, 14);
    let text = frame(&mut app, 80, 24);
    assert!(
        text.contains("│SRS: Simple Realtime Server: live streaming"),
        "{text}"
    );
    assert!(
        !text.contains("BT Panel"),
        "only the highlighted one:\n{text}"
    );
    type_text(&mut app, "ubuntu");
    let text = frame(&mut app, 80, 24);
    assert!(
        !text.contains("SRS:"),
        "an OS image has no line of its own:\n{text}"
    );
}

#[test]
fn image_private() {
    let (mut app, _) = signed_in_app();
    enter(&mut app);
    type_text(&mut app, "private");
    enter(&mut app);
    enter(&mut app);
    snap!("image_private_missing_id", &mut app);
    type_text(&mut app, "img-7f3a");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    snap!("image_private_windows", &mut app);
}

#[test]
fn spec_table_greys_what_the_image_does_not_allow() {
    let (mut app, _) = signed_in_app();
    down(&mut app, 1);
    enter(&mut app);
    type_text(&mut app, "gitlab");
    enter(&mut app);
    snap!("spec_gitlab", &mut app);
    let buf = buffer(&mut app, 80, 24);
    assert_eq!(
        style_of(&buf, "hf.large.025.30m.linux").fg,
        Some(Color::DarkGray)
    );
    assert_eq!(
        style_of(&buf, "hf.large.1.30m.byol").fg,
        Some(Color::DarkGray)
    );
    assert_eq!(
        style_of(&buf, "hf.xlarge.2.30m.linux").fg,
        Some(Color::Reset)
    );
    // Enter on a greyed package says why it cannot be had.
    press(&mut app, KeyCode::Home);
    enter(&mut app);
    snap!("spec_refused", &mut app);
    press(&mut app, KeyCode::End);
    snap!("spec_windows_row", &mut app);
}

#[test]
fn a_region_change_tells_what_it_cleared() {
    let (mut app, _) = signed_in_app();
    enter(&mut app); // Hong Kong
    type_text(&mut app, "centos");
    enter(&mut app);
    type_text(&mut app, "7.6");
    enter(&mut app);
    enter(&mut app); // the 0.5 GiB package, first in the table
    assert_eq!(app.draft.plan_spec, "hf.large.025.30m.linux");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    enter(&mut app); // Bangkok
    snap!("image_after_region_change", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(
        text.contains("! Spec hf.large.025.30m.linux was cleared: 0.5 GiB packages exist"),
        "{text}"
    );
}

#[test]
fn period_with_wrong_input() {
    let (mut app, _) = app_at_review();
    type_text(&mut app, "4");
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "12");
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "lots");
    enter(&mut app);
    snap!("period_errors", &mut app);
    let buf = buffer(&mut app, 80, 24);
    assert_eq!(style_of(&buf, "! a monthly period").fg, Some(Color::Red));
}

#[test]
fn extras_with_a_size_error() {
    let (mut app, _) = app_at_review();
    type_text(&mut app, "5");
    snap!("extras_off", &mut app);
    press(&mut app, KeyCode::Char(' '));
    type_text(&mut app, "5");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    type_text(&mut app, "100");
    enter(&mut app);
    snap!("extras_size_error", &mut app);
}

#[test]
fn naming_with_errors_and_tags() {
    let (mut app, _) = app_at_review();
    type_text(&mut app, "6");
    retype(&mut app, "web server");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "front end\x07 for the shop");
    press(&mut app, KeyCode::Tab);
    for (k, v) in [("env", "prod"), ("team", "shop")] {
        press(&mut app, KeyCode::Char('a'));
        type_text(&mut app, k);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, v);
        enter(&mut app);
    }
    snap!("naming_name_error", &mut app);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "env");
    enter(&mut app);
    snap!("naming_tag_editor_duplicate", &mut app);
}

/// Text of exactly `chars` characters, words and spaces as people write.
fn prose(chars: usize) -> String {
    "Shop front end, staging copy; rebuilt nightly from the main branch. "
        .chars()
        .cycle()
        .take(chars)
        .collect()
}

/// The review with the longest description and tag value the document
/// allows, each typed on the naming step with its counter in view.
fn at_review_with_long_texts() -> App {
    let (mut app, _) = app_at_review();
    type_text(&mut app, "6");
    press(&mut app, KeyCode::Tab);
    let description = prose(1024);
    type_text(&mut app, &description[..1000]);
    snap!("naming_description_counter", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(
        line_with(&text, "Description").contains(" 1000/1024"),
        "{text}"
    );
    let buf = buffer(&mut app, 80, 24);
    assert_eq!(
        style_of(&buf, "1000/1024").fg,
        Some(Color::Yellow),
        "near the limit the counter warns"
    );
    type_text(&mut app, &description[1000..]);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "notes");
    press(&mut app, KeyCode::Tab);
    let value = prose(2048);
    type_text(&mut app, &value[..37]);
    let text = frame(&mut app, 80, 24);
    assert!(line_with(&text, "Value").contains(" 37/2048"), "{text}");
    let buf = buffer(&mut app, 80, 24);
    assert_ne!(style_of(&buf, "37/2048").fg, Some(Color::Yellow));
    type_text(&mut app, &value[37..]);
    snap!("naming_tag_value_counter", &mut app);
    enter(&mut app);
    enter(&mut app);
    app
}

#[test]
fn review_shortens_long_texts_to_keep_the_estimate_in_view() {
    let mut app = at_review_with_long_texts();
    snap!("review_long_texts", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(
        line_with(&text, "Description").contains("… (1024 characters)│"),
        "{text}"
    );
    assert!(
        line_with(&text, "Tags").contains("… (2048 characters)│"),
        "{text}"
    );
    assert!(text.contains("Whole order    USD 19.00"), "{text}");
    assert!(
        text.contains("w show whole"),
        "the footer names the key:\n{text}"
    );

    press(&mut app, KeyCode::Char('w'));
    snap!("review_long_texts_whole", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(!text.contains("characters)"), "{text}");
    assert!(text.contains("w shorten"), "{text}");
    press(&mut app, KeyCode::Char('w'));
    assert!(frame(&mut app, 80, 24).contains("(1024 characters)"));
}

#[test]
fn an_empty_name_shows_its_whole_rule_at_80_columns() {
    let (mut app, _) = app_at_review();
    type_text(&mut app, "6");
    ctrl(&mut app, 'u');
    enter(&mut app);
    let screen = frame(&mut app, 80, 24);
    let note: Vec<&str> = screen
        .lines()
        .skip_while(|line| !line.contains("! give the instances a name"))
        .take(2)
        .map(|line| line.trim_matches(|c: char| matches!(c, '"' | '│' | ' ')))
        .collect();
    assert_eq!(note.len(), 2, "{screen}");
    assert!(note[0].ends_with("starting with"), "{screen}");
    assert_eq!(note[1], "a letter", "{screen}");
}

#[test]
fn review() {
    let (mut app, _) = app_at_review();
    snap!("review", &mut app);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::PageDown);
    snap!("review_json", &mut app);
}

#[test]
fn the_question_before_sending_calls_the_total_an_estimate() {
    let (mut app, _) = app_at_review();
    enter_and_check(&mut app, Default::default());
    snap!("confirm_submit_priced", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(text.contains("│Estimated total: USD 19.00 "), "{text}");
    assert!(
        text.contains("An estimate from list prices; the placed order states what is charged."),
        "{text}"
    );
}

#[test]
fn review_of_an_unpriced_yearly_order() {
    let (mut app, _) = app_at_review();
    type_text(&mut app, "1");
    press(&mut app, KeyCode::Home);
    enter(&mut app); // Hong Kong: no list prices known
    type_text(&mut app, "4");
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    retype(&mut app, "5");
    enter(&mut app);
    type_text(&mut app, "5");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    enter(&mut app);
    snap!("review_unpriced_yearly", &mut app);
    enter_and_check(&mut app, Default::default());
    snap!("confirm_submit", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(
        text.contains("│Sent to: fake service (test double)"),
        "a purchase names where it goes:\n{text}"
    );
    press(&mut app, KeyCode::Char('y'));
    type_text(&mut app, "ye");
    snap!("confirm_submit_again", &mut app);
}

#[test]
fn save_plan_prompt() {
    let (mut app, _) = app_at_review();
    press(&mut app, KeyCode::Char('s'));
    snap!("save_plan_prompt", &mut app);
    let effects = enter(&mut app);
    let [Effect::SavePlan { path, .. }] = effects.as_slice() else {
        panic!()
    };
    update(
        &mut app,
        Msg::PlanSaved {
            path: path.clone(),
            result: Err(flexus::tui::msg::SaveError::Exists),
        },
    );
    snap!("save_plan_overwrite", &mut app);
    press(&mut app, KeyCode::Char('y'));
    update(
        &mut app,
        Msg::PlanSaved {
            path: path.clone(),
            result: Ok(()),
        },
    );
    snap!("review_plan_saved", &mut app);
}

#[test]
fn status_while_sending() {
    let (mut app, _) = app_at_review();
    submitted(&mut app);
    snap!("status_submitting", &mut app);
    ctrl(&mut app, 'c');
    snap!("confirm_quit", &mut app);
}

#[test]
fn the_quit_question_keeping_choices_and_the_offer_to_continue() {
    snap!("confirm_quit_keeping_choices", &mut quitting_half_made());
    snap!("offer_to_continue", &mut offered_to_continue());
}

/// A reader eight hours east of UTC sees the deadline and the timeline in
/// their own time, with the offset said, so neither reads as UTC.
#[test]
fn status_of_a_pending_order_in_local_time() {
    let (mut app, _) = app_at_review();
    app.zone = TimeZone::fixed(Offset::constant(8));
    placed(&mut app);
    advance(&mut app, Duration::from_secs(1));
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    tracked(&mut app, TrackEvent::NextPollIn(Duration::from_secs(5)));
    advance(&mut app, Duration::from_millis(1500));
    snap!("status_pending_payment_local_time", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(
        line_with(&text, "Pay before").contains("2026-01-22 17:30 (UTC+08:00), or it is cancelled"),
        "{text}"
    );
    assert!(text.contains("Timeline (UTC+08:00)"), "{text}");
    assert!(
        line_with(&text, "pending payment, USD 19.00").contains("  17:30:02  "),
        "{text}"
    );
}

/// An entry after a daylight-saving change says its own offset: the
/// heading's is the first entry's, and the same clock time can happen twice.
#[test]
fn a_timeline_entry_after_a_change_of_offset_says_its_own() {
    let (mut app, _) = app_at_review();
    // UTC+01:00, and UTC+02:00 from 09:30:01 UTC on 2026-01-15 (day 15).
    app.zone = TimeZone::posix("AAA-1BBB,J15/10:30:01,J300").unwrap();
    placed(&mut app);
    let text = frame(&mut app, 80, 24);
    assert!(text.contains("Timeline (UTC+01:00)"), "{text}");
    assert!(
        line_with(&text, "  10:30:00  ").contains("order sent"),
        "{text}"
    );
    let placed_row = line_with(&text, "  11:30:01  ");
    assert!(placed_row.contains("(UTC+02:00) "), "{text}");
}

#[test]
fn status_of_a_tracked_order() {
    let (mut app, _) = app_at_review();
    placed(&mut app);
    advance(&mut app, Duration::from_secs(1));
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    tracked(&mut app, TrackEvent::NextPollIn(Duration::from_secs(5)));
    advance(&mut app, Duration::from_millis(1500));
    snap!("status_pending_payment", &mut app);
    advance(&mut app, Duration::from_millis(3500));
    tracked(
        &mut app,
        TrackEvent::PollFailed {
            failure: failure(None, None, "network unreachable", "flexus keeps trying"),
            attempt: 1,
            retry_in: Duration::from_secs(8),
        },
    );
    advance(&mut app, Duration::from_secs(2));
    snap!("status_poll_failed", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(line_with(&text, "Next check").contains("in 6s"), "{text}");
    assert!(
        line_with(&text, "Last check").contains("failed: network unreachable"),
        "{text}"
    );
    let buf = buffer(&mut app, 80, 24);
    assert_eq!(
        style_of(&buf, "failed: network unreachable").fg,
        Some(Color::Yellow),
        "a failed check stands out"
    );
    press(&mut app, KeyCode::Char('p'));
    snap!("confirm_pay", &mut app);
    press(&mut app, KeyCode::Char('y'));
    advance(&mut app, Duration::from_millis(300));
    snap!("status_paying", &mut app);
    update(
        &mut app,
        Msg::Acted {
            action: flexus::api::purchase::OrderAction::Pay {
                order_id: flexus::api::ids::OrderId::parse(ORDER_ID).unwrap(),
            },
            result: Ok(()),
        },
    );
    advance(&mut app, Duration::from_secs(6));
    tracked(&mut app, polled(status::PROCESSING));
    advance(&mut app, Duration::from_secs(5));
    completed(&mut app);
    snap!("status_completed", &mut app);
    let buf = buffer(&mut app, 80, 24);
    assert_eq!(style_of(&buf, "Order completed").fg, Some(Color::Green));
}

#[test]
fn status_says_when_the_order_states_another_amount_than_the_estimate() {
    let (mut app, _) = app_at_review();
    placed(&mut app);
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    let text = frame(&mut app, 80, 24);
    assert!(
        !text.contains("Estimate "),
        "an amount equal to the estimate needs no word:\n{text}"
    );
    let mut info = order_info(status::PENDING_PAYMENT);
    info.amount_after_discount = Some(17.1);
    tracked(
        &mut app,
        TrackEvent::Polled(Box::new(flexus::api::wire::OrderDetails {
            total_count: 1,
            order_info: info,
            order_line_items: Vec::new(),
        })),
    );
    snap!("status_amount_differs", &mut app);
    let text = frame(&mut app, 80, 24);
    assert!(
        line_with(&text, "Estimate")
            .contains("USD 19.00 at list prices; the order's USD 17.10 is charged"),
        "{text}"
    );
    let below_id = text
        .lines()
        .skip_while(|line| !line.contains("│Client-Request-Id"))
        .nth(1)
        .unwrap();
    assert!(
        below_id.contains("names this purchase to Huawei Cloud; a resend reuses it"),
        "what the ID is for is said under it:\n{text}"
    );
}

#[test]
fn status_when_tracking_stops_early() {
    let (mut app, _) = app_at_review();
    placed(&mut app);
    tracked(&mut app, polled(status::PROCESSING));
    update(
        &mut app,
        Msg::TrackingEnded {
            order_id: ORDER_ID.into(),
        },
    );
    snap!("status_tracking_stopped", &mut app);
}

#[test]
fn status_of_a_refused_order() {
    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    update(
        &mut app,
        Msg::Submitted {
            request_id,
            outcome: SubmitOutcome::Rejected(failure(
                Some(400),
                Some("HCSS.14000011"),
                "Insufficient quota.",
                "Ask for a higher FlexusL quota or buy fewer instances",
            )),
        },
    );
    snap!("status_refused", &mut app);
    let buf = buffer(&mut app, 80, 24);
    assert_eq!(style_of(&buf, "The order was refused").fg, Some(Color::Red));
}

#[test]
fn status_after_a_lost_answer() {
    let (mut app, _) = app_at_review();
    lost(&mut app, 2, false);
    snap!("status_unknown_candidates", &mut app);
    // No resend while a found order may be this purchase.
    press(&mut app, KeyCode::Char('r'));
    assert!(app.overlay.is_none());

    let (mut app, _) = app_at_review();
    lost(&mut app, 0, false);
    press(&mut app, KeyCode::Char('r'));
    snap!("confirm_resend", &mut app);

    let (mut app, _) = app_at_review();
    lost(&mut app, 0, true);
    snap!("status_unknown_lookup_failed", &mut app);
}

#[test]
fn help_lists_this_page_and_everywhere() {
    let (mut app, _) = signed_in_app();
    press(&mut app, KeyCode::Char('?'));
    snap!("help_region", &mut app);
    let (mut app, _) = app_at_review();
    press(&mut app, KeyCode::Char('?'));
    snap!("help_review", &mut app);
}

#[test]
fn a_terminal_too_small_says_what_it_needs() {
    let (mut app, _) = signed_in_app();
    let text = frame(&mut app, 60, 20);
    insta::with_settings!({prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("too_small_60x20", text);
    });
    let text = frame(&mut app, 80, 23);
    assert!(text.contains("at least 80x24"), "{text}");
    assert!(text.contains("This one is 80x23"), "{text}");
}

#[test]
fn no_color_and_a_plain_locale_draw_ascii_without_colour() {
    let mut app = new_app_with(Theme::new(false, false));
    let service = FakeService::new();
    flexus::tui::update::start(&mut app, &Start::Connected(service));
    down(&mut app, 1);
    enter(&mut app);
    type_text(&mut app, "gitlab");
    enter(&mut app);
    let text = frame(&mut app, 80, 24);
    insta::with_settings!({prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("spec_ascii_no_color_80x24", text);
    });
    assert!(
        text.is_ascii(),
        "only ASCII without a UTF-8 locale:\n{text}"
    );
    let buf = buffer(&mut app, 80, 24);
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "no colour with NO_COLOR");
        assert_eq!(cell.bg, Color::Reset, "no colour with NO_COLOR");
    }
    // The selected row is pointed at in ASCII.
    assert!(line_with(&text, "hf.large.4.30m.linux").starts_with("\"|>   hf.large.4"));
    // Without colour, unavailable rows still say so: the x marker and dim.
    assert!(line_with(&text, "hf.large.1.30m.byol").contains(" x "));
    assert!(
        style_of(&buf, "hf.large.1.30m.byol")
            .add_modifier
            .contains(Modifier::DIM)
    );
}

#[test]
fn wide_terminals_show_the_choices_in_a_side_panel() {
    let (mut app, _) = app_at_review();
    let wide = frame(&mut app, 120, 40);
    assert!(wide.contains("Your order"), "{wide}");
    assert!(line_with(&wide, "Your order").starts_with("\"╭ Your order"));
    let narrow = frame(&mut app, 80, 24);
    assert!(!narrow.contains("Your order"));
    assert!(
        line_with(&narrow, "Step 7/7")
            .contains("AP-Singapore · Ubuntu 22.04 · hf.large.2.30m.linux")
    );
}

/// Sent, and placed a second later with `instances` instances.
fn placed_with(app: &mut App, instances: usize) {
    let request_id = submitted(app);
    advance(app, Duration::from_secs(1));
    let ids = (0..instances)
        .map(|i| format!("6b085eca238ced20aa014d{i:02}"))
        .collect();
    answer_placed(app, request_id, ids);
}

/// What must stay in view at 80x24 whatever the order's size.
fn assert_the_essentials_show(text: &str) {
    for needle in [
        "Order pending payment: nothing happens until it is paid.",
        "Order ID           CS26011509300ABCD",
        "Client-Request-Id  [request-id]",
        "Amount             USD 19.00",
        "Pay before",
        "Next check",
        "Timeline (UTC+00:00)",
        "p pay now",
    ] {
        assert!(text.contains(needle), "{needle:?} is not in view:\n{text}");
    }
}

#[test]
fn status_of_a_thirty_instance_order_stays_readable() {
    let (mut app, _) = app_at_review();
    placed_with(&mut app, 30);
    advance(&mut app, Duration::from_secs(1));
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    tracked(&mut app, TrackEvent::NextPollIn(Duration::from_secs(5)));
    snap!("status_30_instances", &mut app);
    let text = scrubbed(&mut app);
    assert_the_essentials_show(&text);
    assert!(
        line_with(&text, "Instance IDs")
            .contains("6b085eca238ced20aa014d00, 6b085eca238ced20aa014d01 and 28"),
        "{text}"
    );
    assert!(text.contains("more (i lists all 30)"), "{text}");
    assert!(line_with(&text, "p pay now").contains("i all 30 IDs"));
    assert!(!text.contains("6b085eca238ced20aa014d02"), "{text}");

    // A long, flapping outage: each change of failure adds to the timeline;
    // the newest entries stay in view and the older ones are a scroll away.
    for attempt in 1..=12 {
        advance(&mut app, Duration::from_secs(5));
        let failure = if attempt % 2 == 1 {
            failure(None, None, "network unreachable", "flexus keeps trying")
        } else {
            failure(Some(503), None, "the service is unavailable", "")
        };
        tracked(
            &mut app,
            TrackEvent::PollFailed {
                failure,
                attempt,
                retry_in: Duration::from_secs(8),
            },
        );
    }
    snap!("status_30_instances_long_outage", &mut app);
    let text = scrubbed(&mut app);
    assert_the_essentials_show(&text);
    assert!(
        line_with(&text, "Last check")
            .contains("failed (12 in a row): the service is unavailable (HTTP 503)")
    );
    assert!(text.contains("status check 12 failed"), "{text}");
    assert!(line_with(&text, "Timeline (UTC+00:00)").contains("lines above)"));
    assert!(line_with(&text, "p pay now").contains("↑↓ PgUp PgDn scroll"));
    press(&mut app, KeyCode::Home);
    let top = scrubbed(&mut app);
    assert!(top.contains("order sent to fake service"), "{top}");
    assert!(line_with(&top, "newer lines").contains("End shows the newest"));
    press(&mut app, KeyCode::End);
    assert!(scrubbed(&mut app).contains("status check 12 failed"));

    // i lists every instance ID, one per line, and scrolls through them.
    press(&mut app, KeyCode::Char('i'));
    snap!("status_30_instances_all_ids", &mut app);
    let text = scrubbed(&mut app);
    assert!(text.contains("All 30 instance IDs (i goes back to the timeline)"));
    assert_the_essentials_show(&text.replace("All 30 instance IDs", "Timeline (UTC+00:00)"));
    assert!(line_with(&text, "p pay now").contains("i timeline"));
    press(&mut app, KeyCode::End);
    let text = scrubbed(&mut app);
    assert!(text.contains("  6b085eca238ced20aa014d29"), "{text}");
    assert!(line_with(&text, "All 30 instance IDs").contains("above)"));
    press(&mut app, KeyCode::Char('i'));
    assert!(scrubbed(&mut app).contains("status check 12 failed"));
}

/// The 80x24 frame with the Client-Request-Id scrubbed, as in snapshots.
fn scrubbed(app: &mut App) -> String {
    let text = frame(app, 80, 24);
    let id = regex_free_request_id(&text);
    match id {
        Some(id) => text.replace(&id, "[request-id]"),
        None => text,
    }
}

/// The UUID after "Client-Request-Id", if one is on screen.
fn regex_free_request_id(text: &str) -> Option<String> {
    let line = text.lines().find(|l| l.contains("Client-Request-Id  "))?;
    let after = line.split("Client-Request-Id  ").nth(1)?;
    Some(
        after
            .split_whitespace()
            .next()?
            .trim_end_matches('│')
            .to_string(),
    )
}

/// The fake service under another name, to see how the header fits it.
struct Named {
    inner: std::sync::Arc<FakeService>,
    full: &'static str,
    brief: &'static str,
}

impl flexus::tui::service::OrderService for Named {
    fn submit(
        &self,
        body: flexus::domain::order::RequestBody,
        client_request_id: flexus::api::purchase::ClientRequestId,
        separate_from: Vec<String>,
        waits: tokio::sync::mpsc::Sender<flexus::api::engine::RetryWait>,
    ) -> futures::future::BoxFuture<'static, SubmitOutcome> {
        self.inner
            .submit(body, client_request_id, separate_from, waits)
    }

    fn resend(
        &self,
        body: flexus::domain::order::RequestBody,
        client_request_id: flexus::api::purchase::ClientRequestId,
        waits: tokio::sync::mpsc::Sender<flexus::api::engine::RetryWait>,
    ) -> futures::future::BoxFuture<'static, SubmitOutcome> {
        self.inner.resend(body, client_request_id, waits)
    }

    fn earlier(
        &self,
        body: flexus::domain::order::RequestBody,
    ) -> futures::future::BoxFuture<
        'static,
        Result<flexus::tui::service::Earlier, flexus::api::engine::ApiFailure>,
    > {
        self.inner.earlier(body)
    }

    fn at_start(
        &self,
    ) -> futures::future::BoxFuture<
        'static,
        Result<flexus::tui::service::AtStart, flexus::api::engine::ApiFailure>,
    > {
        self.inner.at_start()
    }

    fn journal_purchases(
        &self,
    ) -> futures::future::BoxFuture<
        'static,
        Result<Vec<flexus::api::journal::PurchaseRecord>, flexus::api::engine::ApiFailure>,
    > {
        self.inner.journal_purchases()
    }

    fn list_orders(
        &self,
        offset: u32,
        limit: u32,
    ) -> futures::future::BoxFuture<
        'static,
        Result<flexus::tui::service::OrdersPage, flexus::api::engine::ApiFailure>,
    > {
        self.inner.list_orders(offset, limit)
    }

    fn look_again(
        &self,
        record: flexus::api::journal::PurchaseRecord,
    ) -> futures::future::BoxFuture<'static, flexus::tui::service::Lookup> {
        self.inner.look_again(record)
    }

    fn track(
        &self,
        order_id: String,
        events: tokio::sync::mpsc::Sender<TrackEvent>,
        check_now: flexus::api::tracking::CheckNow,
    ) -> futures::future::BoxFuture<'static, ()> {
        self.inner.track(order_id, events, check_now)
    }

    fn act(
        &self,
        action: flexus::api::purchase::OrderAction,
    ) -> futures::future::BoxFuture<'static, Result<(), flexus::api::engine::ApiFailure>> {
        self.inner.act(action)
    }

    fn describe(&self) -> String {
        self.full.to_string()
    }

    fn brief(&self) -> String {
        self.brief.to_string()
    }
}

fn app_sending_to(full: &'static str, brief: &'static str) -> App {
    let mut app = new_app();
    let service = std::sync::Arc::new(Named {
        inner: FakeService::new(),
        full,
        brief,
    });
    flexus::tui::update::start(&mut app, &Start::Connected(service));
    app
}

#[test]
fn the_header_names_the_destination_in_full_or_in_brief_never_cut() {
    let full = "the sandbox at http://127.0.0.1:42847 (no account, no money)";
    let mut app = app_sending_to(full, "sandbox 127.0.0.1:42847");
    let narrow = frame(&mut app, 80, 24);
    let header = narrow.lines().next().unwrap();
    assert!(header.contains("buy a FlexusL instance"), "{header}");
    assert!(header.ends_with("sandbox 127.0.0.1:42847 \""), "{header}");
    let wide = frame(&mut app, 120, 40);
    assert!(
        wide.lines()
            .next()
            .unwrap()
            .ends_with(&format!("{full} \""))
    );

    // The review keeps the whole description, however narrow.
    let (mut review, _) = app_at_review();
    review.connection = app.connection.clone();
    let text = frame(&mut review, 80, 24);
    assert!(
        line_with(&text, "Sends to").contains("the sandbox at http://127.0.0.1:42847 (no"),
        "{text}"
    );

    // A brief too long beside the tagline pushes the tagline out first.
    let mut app = app_sending_to(
        "https://hcss.ap-southeast-3.myhuaweicloud.com as IAM user deploy-bot of acme-holdings",
        "hcss.ap-southeast-3.myhuaweicloud.com, deploy-bot",
    );
    let header = frame(&mut app, 80, 24).lines().next().unwrap().to_string();
    assert!(!header.contains("buy a FlexusL"), "{header}");
    assert!(
        header.ends_with("hcss.ap-southeast-3.myhuaweicloud.com, deploy-bot \""),
        "{header}"
    );
}

/// Everything shown of a hostile service's answers: no control character
/// or bidirectional override in what the wizard keeps to show (ratatui's
/// buffer drops them too, but the timeline and the report printed on exit
/// do not go through it), and nothing in Debug form.
#[test]
fn text_from_the_service_is_cleaned_and_never_shown_as_debug() {
    const HOSTILE: &str = "\x1b]0;owned\x07\x1b[2J\u{202E}\u{9b}31m";
    let unsafe_char = |c: char| (c.is_control() && c != '\n') || c == '\u{202E}';
    let assert_clean = |app: &mut App| {
        for (w, h) in SIZES {
            let text = frame(app, w, h);
            for debug in ["Some(", "None", "ApiFailure", "OrderInfo", "\\u{", "{ "] {
                assert!(!text.contains(debug), "{debug:?} on screen:\n{text}");
            }
        }
        for entry in &app.timeline.entries {
            assert!(!entry.text.contains(unsafe_char), "{:?}", entry.text);
        }
        if let Some(report) = app.exit_report() {
            assert!(!report.contains(unsafe_char), "{report:?}");
        }
    };
    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    update(
        &mut app,
        Msg::Submitted {
            request_id,
            outcome: SubmitOutcome::Placed {
                order_id: format!("CS2601{HOSTILE}"),
                instance_ids: (0..5).map(|i| format!("i-{i}{HOSTILE}")).collect(),
                unrecorded: None,
            },
        },
    );
    let order_id = match &app.submission {
        flexus::tui::submission::Submission::Placed(t) => t.order_id.clone(),
        _ => panic!("placed"),
    };
    assert_eq!(order_id, "CS2601]0;owned[2J31m", "cleaned on arrival");
    let mut info = order_info(status::PENDING_PAYMENT);
    info.order_id = order_id.clone();
    info.currency = Some(format!("USD{HOSTILE}"));
    info.pending_payment_end_time = Some(format!("soon{HOSTILE}"));
    let poll = |event| Msg::Tracked {
        order_id: order_id.clone(),
        event,
    };
    update(
        &mut app,
        poll(TrackEvent::Polled(Box::new(
            flexus::api::wire::OrderDetails {
                total_count: 1,
                order_info: info,
                order_line_items: Vec::new(),
            },
        ))),
    );
    update(
        &mut app,
        poll(TrackEvent::PollFailed {
            failure: failure(
                Some(500),
                Some(&format!("CBC.{HOSTILE}")),
                &format!("internal error{HOSTILE}"),
                &format!("wait{HOSTILE}"),
            ),
            attempt: 1,
            retry_in: Duration::from_secs(5),
        }),
    );
    assert_clean(&mut app);
    assert!(frame(&mut app, 120, 40).contains("internal error]0;owned[2J31m"));
    press(&mut app, KeyCode::Char('i'));
    assert_clean(&mut app);
    press(&mut app, KeyCode::Char('p'));
    assert_clean(&mut app);
    // An order ID of no shape Huawei uses never reaches a payment request.
    assert!(press(&mut app, KeyCode::Char('y')).is_empty());
    press(&mut app, KeyCode::Char('i'));
    let shown = frame(&mut app, 120, 40);
    assert!(shown.contains("cannot be paid from here"), "{shown}");
    update(
        &mut app,
        poll(TrackEvent::Finished {
            status: None,
            failure: Some(failure(None, None, &format!("gone{HOSTILE}"), "")),
        }),
    );
    assert_clean(&mut app);

    // After a lost answer, the orders found are the service's words too.
    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    let mut found = order_info(status::PROCESSING);
    found.order_id = format!("CS2602{HOSTILE}");
    found.create_time = Some(format!("today{HOSTILE}"));
    update(
        &mut app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Ambiguous {
                client_request_id: request_id,
                sent_at: format!("2026{HOSTILE}"),
                reason: failure(None, None, &format!("reset{HOSTILE}"), ""),
                candidates: vec![FoundOrder {
                    info: found,
                    line_items: Vec::new(),
                }],
                lookup_failed: None,
            },
        },
    );
    assert_clean(&mut app);
    press(&mut app, KeyCode::Char('t'));
    assert_clean(&mut app);
}

#[test]
fn a_server_error_on_the_purchase_is_named_as_such_not_as_a_lost_answer() {
    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    update(
        &mut app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Ambiguous {
                client_request_id: request_id,
                sent_at: "2026-01-15T09:30:00Z".into(),
                reason: failure(Some(500), Some("HCSS.15000001"), "Server exception", ""),
                candidates: Vec::new(),
                lookup_failed: None,
            },
        },
    );
    let text = frame(&mut app, 120, 40);
    assert!(
        text.contains("The service answered HTTP 500 (HCSS.15000001, Server exception): the"),
        "{text}"
    );
    assert!(!text.contains("was lost"), "{text}");
}

// ---- keys: one list drives key handling, the footer and the help ----

/// A screen in a state with keys of its own, built afresh on each call.
type State = (&'static str, fn() -> App);

/// An app at the review after `keys` (a step's number, then more).
fn from_review(keys: &str) -> App {
    let (mut app, _) = app_at_review();
    type_text(&mut app, keys);
    app
}

fn signed_in() -> App {
    signed_in_app().0
}

fn at_review() -> App {
    app_at_review().0
}

fn private_image() -> App {
    let mut app = signed_in();
    enter(&mut app);
    type_text(&mut app, "private");
    enter(&mut app);
    app
}

fn sending() -> App {
    let mut app = at_review();
    submitted(&mut app);
    app
}

fn pending_payment() -> App {
    let mut app = at_review();
    placed(&mut app);
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    app
}

fn lost_with_orders() -> App {
    let mut app = at_review();
    lost(&mut app, 2, false);
    app
}

fn lost_with_none() -> App {
    let mut app = at_review();
    lost(&mut app, 0, false);
    app
}

fn double_found() -> App {
    let mut app = at_review();
    let earlier = flexus::tui::service::Earlier {
        same: vec![record(
            EARLIER_ID,
            body_of(&app),
            flexus::api::journal::PurchaseState::Unanswered,
        )],
        lookup: flexus::tui::service::Lookup {
            found: vec![found()],
            ..Default::default()
        },
        ..Default::default()
    };
    enter_and_check(&mut app, earlier);
    app
}

fn every_state() -> Vec<State> {
    vec![
        ("sign-in ways", sign_in_app),
        ("sign-in token form", || {
            let mut app = sign_in_app();
            enter(&mut app);
            app
        }),
        ("signing in", || {
            let mut app = sign_in_app();
            type_text(&mut app, "4");
            enter(&mut app);
            app
        }),
        ("region", signed_in),
        ("region, filtered", || {
            let mut app = signed_in();
            type_text(&mut app, "ap-");
            app
        }),
        ("region, from the review", || from_review("1")),
        ("image list", || {
            let mut app = signed_in();
            enter(&mut app);
            app
        }),
        ("image list, from the review", || from_review("2")),
        ("image versions", || {
            let mut app = signed_in();
            enter(&mut app);
            type_text(&mut app, "ubuntu");
            enter(&mut app);
            app
        }),
        ("private image ID", private_image),
        ("private image system", || {
            let mut app = private_image();
            press(&mut app, KeyCode::Tab);
            app
        }),
        ("spec", || from_review("3")),
        ("period unit", || from_review("4")),
        ("period length", || {
            let mut app = from_review("4");
            press(&mut app, KeyCode::Tab);
            app
        }),
        ("period auto-pay", || {
            let mut app = from_review("4");
            for _ in 0..4 {
                press(&mut app, KeyCode::Tab);
            }
            app
        }),
        ("extras switch", || from_review("5")),
        ("extras size", || from_review("5 ")),
        ("naming name", || from_review("6")),
        ("naming tags", || {
            let mut app = from_review("6");
            press(&mut app, KeyCode::Tab);
            press(&mut app, KeyCode::Tab);
            for tag in ["env", "team"] {
                press(&mut app, KeyCode::Char('a'));
                type_text(&mut app, tag);
                enter(&mut app);
            }
            app
        }),
        ("tag editor", || {
            let mut app = from_review("6");
            press(&mut app, KeyCode::Tab);
            press(&mut app, KeyCode::Tab);
            press(&mut app, KeyCode::Char('a'));
            app
        }),
        ("review", at_review),
        ("review with JSON", || from_review("v")),
        ("place-order question", || {
            let mut app = at_review();
            enter_and_check(&mut app, Default::default());
            app
        }),
        ("second question", || {
            let mut app = from_review("4");
            press(&mut app, KeyCode::Right); // a year
            enter(&mut app);
            enter_and_check(&mut app, Default::default());
            press(&mut app, KeyCode::Char('y'));
            app
        }),
        ("save plan", || from_review("s")),
        ("sending", sending),
        ("quit question", || {
            let mut app = sending();
            ctrl(&mut app, 'c');
            app
        }),
        ("quit question keeping choices", quitting_half_made),
        ("offer to continue", offered_to_continue),
        ("pending payment", pending_payment),
        ("pay question", || {
            let mut app = pending_payment();
            press(&mut app, KeyCode::Char('p'));
            app
        }),
        ("completed", || {
            let mut app = pending_payment();
            completed(&mut app);
            app
        }),
        ("refused", || {
            let mut app = at_review();
            let request_id = submitted(&mut app);
            update(
                &mut app,
                Msg::Submitted {
                    request_id,
                    outcome: SubmitOutcome::Rejected(failure(Some(400), None, "no", "")),
                },
            );
            app
        }),
        ("lost, orders found", lost_with_orders),
        ("lost, nothing found", lost_with_none),
        ("resend question", || {
            let mut app = lost_with_none();
            press(&mut app, KeyCode::Char('r'));
            app
        }),
        ("the same order found", double_found),
        ("separate question", || {
            let mut app = double_found();
            press(&mut app, KeyCode::Char('s'));
            app
        }),
        ("reopened", || {
            let body = body_of(&at_review());
            let records = vec![record(
                EARLIER_ID,
                body,
                flexus::api::journal::PurchaseState::Unanswered,
            )];
            starting_with(records).0
        }),
        ("unfinished purchases", || {
            let body = body_of(&at_review());
            let records = [EARLIER_ID, OTHER_ID]
                .map(|id| {
                    record(
                        id,
                        body.clone(),
                        flexus::api::journal::PurchaseState::Unanswered,
                    )
                })
                .to_vec();
            starting_with(records).0
        }),
        ("help", || {
            let mut app = signed_in();
            press(&mut app, KeyCode::Char('?'));
            app
        }),
    ]
}

/// The keys of the page, or of the question over it, then those that work
/// everywhere: the order key handling reads them in.
fn hints_here(app: &App) -> Vec<flexus::tui::screens::keys::Hint> {
    let here = match &app.overlay {
        Some(overlay) => flexus::tui::screens::dialogs::hints(overlay),
        None => flexus::tui::screens::hints(app),
    };
    let typing = here.iter().any(|h| h.takes_text());
    let global = flexus::tui::screens::global_bindings(app, typing);
    global.iter().map(|b| b.hint()).chain(here).collect()
}

/// A key press a binding's key stands for.
fn press_of(key: flexus::tui::screens::keys::Key) -> crossterm::event::KeyEvent {
    use crossterm::event::{KeyEvent, KeyModifiers};
    use flexus::tui::screens::keys::Key;
    match key {
        Key::Code(KeyCode::BackTab) => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        Key::Code(code) => key_event(code),
        Key::Char(c) | Key::Range(c, _) => key_event(KeyCode::Char(c)),
        Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
        Key::Text | Key::TextButHelp | Key::Any => key_event(KeyCode::Char('x')),
    }
}

#[test]
fn every_key_the_footer_names_does_something_there() {
    for (name, build) in every_state() {
        for hint in hints_here(&build()).iter().filter(|h| h.in_footer()) {
            let acts = hint.keys.iter().any(|&key| {
                let mut app = build();
                let before = frame(&mut app, 80, 24);
                let effects = update(&mut app, Msg::Key(press_of(key)));
                !effects.is_empty() || app.quit || frame(&mut app, 80, 24) != before
            });
            assert!(
                acts,
                "{name}: the footer says \"{} {}\" but no key of it does anything",
                hint.label(),
                hint.words
            );
        }
    }
}

#[test]
fn every_key_that_works_is_in_the_help_and_reaches_its_binding() {
    use flexus::tui::app::Overlay;
    for (name, build) in every_state() {
        for (w, h) in SIZES {
            let mut app = build();
            if matches!(app.overlay, Some(Overlay::Help(_))) {
                continue;
            }
            // What works depends on what fits (scrolling, above all).
            app.size = (w, h);
            let hints = hints_here(&app);
            // The first binding that answers a key is the one the help
            // names for it: none is shadowed by an earlier one, or by a key
            // that works everywhere.
            for hint in hints.iter().filter(|h| h.enabled) {
                for &key in hint.keys {
                    let event = press_of(key);
                    let first = hints.iter().find(|h| h.matches(&event)).unwrap();
                    assert!(
                        first == hint || key == flexus::tui::screens::keys::Key::Any,
                        "{name}: {key:?} of \"{} {}\" is taken by \"{} {}\"",
                        hint.label(),
                        hint.words,
                        first.label(),
                        first.words
                    );
                }
            }
            press(&mut app, KeyCode::F(1));
            assert!(matches!(app.overlay, Some(Overlay::Help(_))), "{name}: F1");
            let help = frame(&mut app, w, h);
            for hint in hints.iter().filter(|h| h.in_help()) {
                let words = hint.detail.as_ref().unwrap_or(&hint.words);
                let start: String = words.chars().take(24).collect();
                let shown = format!("  {:<15} {start}", hint.label());
                assert!(
                    help.contains(&shown),
                    "{name} at {w}x{h}: the help does not name \"{shown}\":\n{help}"
                );
            }
        }
    }
}

#[test]
fn confirm_cancel() {
    let (mut app, _) = app_at_review();
    placed(&mut app);
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    press(&mut app, KeyCode::Char('c'));
    snap!("confirm_cancel", &mut app);
}

// ---- the orders view ----

#[test]
fn orders_journal_only() {
    let (mut app, _) = app_at_review();
    let journal = journal_purchases(&app);
    open_orders(&mut app, journal, whole_page(Vec::new()));
    snap!("orders_journal_only", &mut app);
}

#[test]
fn orders_merged_with_the_account_in_local_time() {
    let (mut app, _) = app_at_review();
    app.zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let journal = journal_purchases(&app);
    open_orders(&mut app, journal, account_orders_page());
    snap!("orders_merged", &mut app);
    let screen = frame(&mut app, 80, 24);
    let row = line_with(&screen, "17:10 (UTC+08:00)");
    assert!(
        row.contains("pending payment") && row.contains("USD 19.00"),
        "one row for the journal's order, with BSS's amount: {row}"
    );
    line_with(&screen, "PgDn");
}

#[test]
fn orders_when_bss_fails() {
    let (mut app, _) = app_at_review();
    let journal = journal_purchases(&app);
    open_orders(
        &mut app,
        journal,
        Err(failure(
            Some(401),
            Some("APIGW.0301"),
            "the billing token was refused",
            "sign in again with a token of the account's domain",
        )),
    );
    snap!("orders_bss_failed", &mut app);
}

#[test]
fn orders_empty() {
    let (mut app, _) = signed_in_app();
    open_orders(&mut app, Vec::new(), whole_page(Vec::new()));
    snap!("orders_empty", &mut app);
}

#[test]
fn orders_loading() {
    let (mut app, _) = signed_in_app();
    let effects = press(&mut app, KeyCode::Char('o'));
    assert_eq!(effects.len(), 2, "{effects:?}");
    let screen = frame(&mut app, 80, 24);
    line_with(&screen, "Loading the account's orders");
    line_with(&screen, "Reading this machine's order journal");
}

#[test]
fn the_review_shows_the_profiles_limit_and_refuses_an_order_over_it() {
    let mut app = at_review_with_limit(1_500);
    snap!("review_over_the_limit", &mut app);
    let text = frame(&mut app, 120, 40);
    assert!(
        text.contains(" flexus (work) "),
        "the header names the profile:\n{text}"
    );
    assert!(
        text.contains("Limit          USD 15.00 per order (unpriced refused): over it"),
        "{text}"
    );
    // Enter asks nothing and sends nothing: the refusal says why and where
    // the limit is set.
    assert!(enter(&mut app).is_empty());
    assert!(app.overlay.is_none());
    let notice = &app.notices.last().expect("a notice").text;
    assert!(
        notice.contains("estimated total USD 19.00 is over the spending limit of USD 15.00")
            && notice.contains("profile work in /home/me/.config/flexus/config.toml"),
        "{notice}"
    );

    // Under the limit the order goes on to the usual check and question.
    let mut app = at_review_with_limit(1_900);
    let text = frame(&mut app, 120, 40);
    assert!(
        text.contains("USD 19.00 per order (unpriced refused)"),
        "{text}"
    );
    assert!(!text.contains(": over it"), "{text}");
    enter_and_check(&mut app, Default::default());
    assert!(
        app.overlay.is_some(),
        "the question before sending is asked"
    );
}

#[test]
fn the_profiles_region_is_where_the_region_list_starts() {
    let catalog = flexus::domain::catalog::Catalog::embedded();
    let wanted = catalog.regions.len() - 1;
    let mut options = flexus::tui::Options {
        catalog: catalog.clone(),
        prices: flexus::domain::pricing::PriceTable::embedded(),
        theme: Theme::new(true, true),
        plan: None,
        mouse: false,
        first_frame_exit: false,
        reattach: false,
        kept_file: None,
        kept_found: flexus::tui::kept::Found::Nothing,
        profile: Some(flexus::tui::app::ProfileInUse {
            name: "far".to_string(),
            described: "profile far in config.toml".to_string(),
            region: Some(catalog.regions[wanted].code.clone()),
            limit: Default::default(),
        }),
    };
    let (app, _) =
        flexus::tui::runtime::prepare(&mut options, &Start::Connected(FakeService::new()));
    assert_eq!(app.region.picker.cursor, wanted);
    assert!(
        app.draft.region.is_empty(),
        "the cursor moves; nothing is chosen"
    );
}
