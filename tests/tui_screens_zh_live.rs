//! The wizard's live side in Chinese at 80x24: the status pane in each
//! state, the orders view, every question asked over them, and the offer
//! to continue a kept order. Each state is reached inside
//! `in_language(Lang::Zh, ..)`, so what `update` forms is Chinese too;
//! each frame is checked to hold its layout with double-width characters
//! and to show no English sentence, then compared with a reviewed snapshot.

mod support;

use std::time::Duration;

use crossterm::event::KeyCode;
use unicode_width::UnicodeWidthStr;

use flexus::api::engine::{SubmitOutcome, TrackEvent};
use flexus::api::wire::status;
use flexus::lang::{Lang, in_language};
use flexus::tui::msg::Msg;
use flexus::tui::update::update;
use support::live::*;
use support::*;

/// The English of every message in `locales/live.toml`, cut where the
/// code fills something in: pieces long enough that a Chinese screen
/// showing one shows an English sentence of this side of the wizard.
fn english_pieces() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/locales/live.toml");
    let table: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut pieces = Vec::new();
    let mut tables = vec![table];
    while let Some(table) = tables.pop() {
        for (key, value) in table {
            match value {
                toml::Value::Table(inner) => tables.push(inner),
                toml::Value::String(text) if key == "en" => pieces.extend(
                    text.split("%{")
                        .map(|part| part.split_once('}').map_or(part, |(_, rest)| rest))
                        .map(str::trim)
                        .filter(|piece| piece.len() >= 12)
                        .map(str::to_string),
                ),
                _ => {}
            }
        }
    }
    pieces
}

/// The rows of a frame without the quotes `TestBackend` puts around them
/// (and the note on cells hidden under wide characters it adds after).
fn rows(frame: &str) -> Vec<&str> {
    frame
        .lines()
        .map(|line| {
            let inside = line.strip_prefix('"').unwrap_or(line);
            match inside.find("\" Hidden by multi-width symbols") {
                Some(end) => &inside[..end],
                None => inside.strip_suffix('"').unwrap_or(inside),
            }
        })
        .collect()
}

/// What every Chinese frame must hold: each row exactly 80 columns (no
/// double-width character cut or pushing the frame out of line), and none
/// of this side's messages in English.
fn assert_holds_in_chinese(frame: &str) {
    let rows = rows(frame);
    assert_eq!(rows.len(), 24, "{frame}");
    for row in &rows {
        assert_eq!(row.width(), 80, "a row out of line:\n{row}\n{frame}");
        assert!(!row.contains('\u{FFFD}'), "a character cut:\n{frame}");
    }
    let text = rows.join("\n");
    let english: Vec<String> = english_pieces()
        .into_iter()
        .filter(|piece| text.contains(piece.as_str()))
        .collect();
    assert!(
        english.is_empty(),
        "English {english:?} on a Chinese screen:\n{frame}"
    );
}

/// `name` at 80x24, with Client-Request-Ids scrubbed, after checking the
/// frame holds in Chinese; the frame is drawn in Chinese as well.
macro_rules! snap_zh {
    ($name:expr, $app:expr) => {{
        let text = in_language(Lang::Zh, || frame($app, 80, 24));
        assert_holds_in_chinese(&text);
        insta::with_settings!({
            filters => vec![(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "[request-id]")],
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("zh_live_{}_80x24", $name), text);
        });
    }};
}

fn zh<T>(work: impl FnOnce() -> T) -> T {
    in_language(Lang::Zh, work)
}

#[test]
fn status_while_sending_and_the_quit_question_in_flight() {
    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        submitted(&mut app);
        app
    });
    snap_zh!("status_submitting", &mut app);
    let text = zh(|| frame(&mut app, 80, 24));
    line_with(&text, "正在发送订单");
    zh(|| ctrl(&mut app, 'c'));
    snap_zh!("confirm_quit", &mut app);
    line_with(&zh(|| frame(&mut app, 80, 24)), "按y退出；按其他键留下。");
}

#[test]
fn the_order_question_before_sending() {
    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        assert!(enter_and_check(&mut app, Default::default()).is_empty());
        app
    });
    snap_zh!("confirm_submit", &mut app);
}

#[test]
fn status_of_a_tracked_order_pay_and_completion() {
    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        placed(&mut app);
        advance(&mut app, Duration::from_secs(1));
        tracked(&mut app, polled(status::PENDING_PAYMENT));
        tracked(&mut app, TrackEvent::NextPollIn(Duration::from_secs(5)));
        advance(&mut app, Duration::from_millis(1500));
        app
    });
    snap_zh!("status_pending_payment", &mut app);
    let text = zh(|| frame(&mut app, 80, 24));
    assert!(
        line_with(&text, "支付截止").contains("逾期将被取消"),
        "{text}"
    );
    assert!(line_with(&text, "下次查询").contains("4秒后"), "{text}");

    zh(|| {
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
    });
    // The failure's words are the service's (kept as it said them).
    snap_zh!("status_poll_failed", &mut app);
    let text = zh(|| frame(&mut app, 80, 24));
    assert!(line_with(&text, "上次查询").contains("失败："), "{text}");

    zh(|| press(&mut app, KeyCode::Char('p')));
    snap_zh!("confirm_pay", &mut app);
    let text = zh(|| frame(&mut app, 80, 24));
    line_with(&text, "将从账号余额支付USD 19.00。");

    zh(|| {
        press(&mut app, KeyCode::Char('y'));
        advance(&mut app, Duration::from_millis(300));
    });
    snap_zh!("status_paying", &mut app);
    zh(|| {
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
    });
    snap_zh!("status_completed", &mut app);
    let text = zh(|| frame(&mut app, 80, 24));
    assert!(
        line_with(&text, "订单已完成").contains("实例已创建"),
        "{text}"
    );
    line_with(&text, "支付已受理");
}

#[test]
fn confirm_cancel() {
    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        placed(&mut app);
        tracked(&mut app, polled(status::PENDING_PAYMENT));
        press(&mut app, KeyCode::Char('c'));
        app
    });
    snap_zh!("confirm_cancel", &mut app);
    line_with(
        &zh(|| frame(&mut app, 80, 24)),
        "按y取消；按其他键保留订单。",
    );
}

#[test]
fn status_when_tracking_stops_early() {
    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        placed(&mut app);
        tracked(&mut app, polled(status::PROCESSING));
        update(
            &mut app,
            Msg::TrackingEnded {
                order_id: ORDER_ID.into(),
            },
        );
        app
    });
    snap_zh!("status_tracking_stopped", &mut app);
    line_with(&zh(|| frame(&mut app, 80, 24)), "未在跟踪：按t重新跟踪。");
}

#[test]
fn status_of_a_refused_order() {
    let mut app = zh(|| {
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
        app
    });
    snap_zh!("status_refused", &mut app);
    line_with(
        &zh(|| frame(&mut app, 80, 24)),
        "订单被拒绝：没有购买任何东西。",
    );
}

#[test]
fn status_after_a_lost_answer_and_the_resend_question() {
    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        lost(&mut app, 2, false);
        app
    });
    snap_zh!("status_unknown_candidates", &mut app);
    line_with(&zh(|| frame(&mut app, 80, 24)), "t是，d不是");

    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        lost(&mut app, 0, false);
        press(&mut app, KeyCode::Char('r'));
        app
    });
    snap_zh!("confirm_resend", &mut app);
    line_with(&zh(|| frame(&mut app, 80, 24)), "按y重新发送");
}

#[test]
fn the_quit_question_keeping_choices_and_the_offer_to_continue() {
    let mut quitting = zh(quitting_half_made);
    snap_zh!("confirm_quit_keeping_choices", &mut quitting);
    line_with(&zh(|| frame(&mut quitting, 80, 24)), "下次启动时可以继续");
    let mut offered = zh(offered_to_continue);
    // The steps' names in the sentence are the steps' own (another file).
    snap_zh!("offer_to_continue", &mut offered);
    line_with(
        &zh(|| frame(&mut offered, 80, 24)),
        "按Enter继续，按n重新开始。",
    );
}

#[test]
fn help_on_the_status_pane() {
    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        placed(&mut app);
        tracked(&mut app, polled(status::PENDING_PAYMENT));
        press(&mut app, KeyCode::Char('?'));
        app
    });
    snap_zh!("help_status", &mut app);
    let text = zh(|| frame(&mut app, 80, 24));
    line_with(&text, "本页");
    line_with(&text, "所有页面");
}

#[test]
fn orders_merged_empty_and_when_bss_fails() {
    let mut app = zh(|| {
        let (mut app, _) = app_at_review();
        app.zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
        let journal = journal_purchases(&app);
        open_orders(&mut app, journal, account_orders_page());
        app
    });
    snap_zh!("orders_merged", &mut app);
    let text = zh(|| frame(&mut app, 80, 24));
    line_with(
        &text,
        "该账号有23个Flexus L订单，已列出3个；按PgDn列出更多。",
    );

    let mut app = zh(|| {
        let (mut app, _) = signed_in_app();
        open_orders(&mut app, Vec::new(), whole_page(Vec::new()));
        app
    });
    snap_zh!("orders_empty", &mut app);
    line_with(&zh(|| frame(&mut app, 80, 24)), "还没有订单");

    let mut app = zh(|| {
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
        app
    });
    snap_zh!("orders_bss_failed", &mut app);
    line_with(&zh(|| frame(&mut app, 80, 24)), "无法列出账号的订单");
}

/// The check of English above finds this side's sentences on an English
/// screen, so its silence on the Chinese ones means something.
#[test]
fn the_english_check_sees_this_sides_english() {
    let (mut app, _) = app_at_review();
    placed(&mut app);
    tracked(&mut app, polled(status::PENDING_PAYMENT));
    let text = in_language(Lang::En, || frame(&mut app, 80, 24));
    let found = english_pieces()
        .into_iter()
        .filter(|piece| text.contains(piece.as_str()))
        .count();
    assert!(found >= 3, "{found} pieces found in\n{text}");
}
