//! The choosing steps, the review and the sign-in in Chinese at 80x24:
//! every screen a person reads while making an order, with state formed in
//! `update` in Chinese too (each test runs whole inside `in_language`).
//! Double-width characters must not break the layouts: columns line up,
//! cut text ends in an ellipsis, and nothing is cut mid-character.

mod support;

use std::sync::Arc;

use crossterm::event::KeyCode;
use flexus::domain::pricing::PriceTable;
use flexus::lang::{Lang, in_language};
use flexus::tui::app::App;
use support::*;
use unicode_width::UnicodeWidthStr;

/// The screen at 80x24, snapshotted as `zh_<name>`, after checking that
/// every row is exactly as wide as the terminal: a double-width character
/// cut in half or pushed past the edge would change a row's width.
fn snap_zh(name: &str, app: &mut App) -> String {
    let text = frame(app, 80, 24);
    for line in text.lines() {
        // The buffer's rows in quotes; after a row with wide characters
        // the cells they cover are listed, outside the quotes.
        let row = match line.find("\" Hidden by multi-width symbols") {
            Some(end) => &line[1..end],
            None => line.trim_matches('"'),
        };
        assert_eq!(row.width(), 80, "{name}: a row is not 80 cells:\n{text}");
    }
    insta::with_settings!({
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(format!("zh_{name}_80x24"), text);
    });
    text
}

fn zh<T>(work: impl FnOnce() -> T) -> T {
    in_language(Lang::Zh, work)
}

#[test]
fn sign_in_methods_and_the_password_form() {
    zh(|| {
        let mut app = sign_in_app();
        let text = snap_zh("signin_methods", &mut app);
        assert!(text.contains("用哪种方式登录"), "{text}");
        press(&mut app, KeyCode::Down);
        enter(&mut app);
        type_text(&mut app, "alice");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "hunter2");
        let text = snap_zh("signin_password", &mut app);
        assert!(!text.contains("hunter2"), "the password is masked");
        assert!(line_with(&text, "› 密码").contains("•••••••"), "{text}");
    });
}

#[test]
fn a_missing_sign_in_field_is_named_in_chinese() {
    zh(|| {
        let mut app = sign_in_app();
        enter(&mut app);
        enter(&mut app);
        let text = frame(&mut app, 80, 24);
        assert!(text.contains("! 请填写购买用Token"), "{text}");
    });
}

#[test]
fn region_list_and_its_filter() {
    zh(|| {
        let (mut app, _) = signed_in_app();
        let text = snap_zh("region", &mut app);
        assert!(text.contains("第1/7步"), "{text}");
        type_text(&mut app, "ap-");
        press(&mut app, KeyCode::Down);
        let text = snap_zh("region_filtered", &mut app);
        assert!(text.contains("筛选：ap-_"), "{text}");
        type_text(&mut app, "zz");
        let text = frame(&mut app, 80, 24);
        assert!(text.contains("没有匹配项"), "{text}");
    });
}

#[test]
fn image_list_versions_and_private_image() {
    zh(|| {
        let (mut app, _) = signed_in_app();
        type_text(&mut app, "istanbul");
        enter(&mut app);
        let text = snap_zh("image_list", &mut app);
        assert!(text.contains("应用镜像"), "{text}");
        type_text(&mut app, "centos");
        enter(&mut app);
        let text = snap_zh("image_versions_some_unavailable", &mut app);
        assert!(text.contains("选择哪个版本"), "{text}");
        assert!(text.contains("不可选："), "{text}");

        let (mut app, _) = signed_in_app();
        enter(&mut app);
        press(&mut app, KeyCode::End);
        enter(&mut app);
        enter(&mut app);
        let text = snap_zh("image_private_missing_id", &mut app);
        assert!(text.contains("镜像ID"), "{text}");
    });
}

#[test]
fn spec_table_columns_line_up_under_chinese_titles() {
    zh(|| {
        let (mut app, _) = signed_in_app();
        down(&mut app, 1);
        enter(&mut app);
        type_text(&mut app, "gitlab");
        enter(&mut app);
        let text = snap_zh("spec_gitlab", &mut app);
        // Each title starts where its column's values start, counted in
        // cells (a title of two Chinese characters is four cells wide).
        let titles = line_with(&text, "内存");
        let row = line_with(&text, "hf.xlarge.2.30m.linux");
        let column = |line: &str, needle: &str| {
            let byte = line.find(needle).unwrap();
            line[..byte].width()
        };
        assert_eq!(column(titles, "内存"), column(row, "8 GiB"), "{text}");
        assert_eq!(column(titles, "每月"), column(row, "USD"), "{text}");
    });
}

#[test]
fn period_with_errors() {
    zh(|| {
        let (mut app, _) = app_at_review();
        type_text(&mut app, "4");
        press(&mut app, KeyCode::Tab);
        retype(&mut app, "12");
        press(&mut app, KeyCode::Tab);
        retype(&mut app, "lots");
        enter(&mut app);
        let text = snap_zh("period_errors", &mut app);
        assert!(text.contains("“lots”不是整数"), "{text}");
    });
}

#[test]
fn extras_with_a_size_error() {
    zh(|| {
        let (mut app, _) = app_at_review();
        type_text(&mut app, "5");
        press(&mut app, KeyCode::Char(' '));
        type_text(&mut app, "5");
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Char(' '));
        type_text(&mut app, "100");
        enter(&mut app);
        let text = snap_zh("extras_size_error", &mut app);
        assert!(text.contains("容量"), "{text}");
    });
}

#[test]
fn naming_with_errors_and_tags() {
    zh(|| {
        let (mut app, _) = app_at_review();
        type_text(&mut app, "6");
        retype(&mut app, "web server");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "商店前端");
        press(&mut app, KeyCode::Tab);
        for (k, v) in [("env", "生产"), ("team", "商店")] {
            press(&mut app, KeyCode::Char('a'));
            type_text(&mut app, k);
            press(&mut app, KeyCode::Tab);
            type_text(&mut app, v);
            enter(&mut app);
        }
        let text = snap_zh("naming_name_error", &mut app);
        assert!(text.contains("env = 生产"), "{text}");
        press(&mut app, KeyCode::Char('a'));
        type_text(&mut app, "env");
        enter(&mut app);
        snap_zh("naming_tag_editor_duplicate", &mut app);
    });
}

#[test]
fn review_in_chinese() {
    zh(|| {
        let (mut app, _) = app_at_review();
        let text = snap_zh("review", &mut app);
        assert!(text.contains("费用预估"), "{text}");
        assert!(text.contains("2026-11-26的官网价格"), "{text}");
    });
}

/// Chinese text of `chars` characters (each two cells wide).
fn chinese_prose(chars: usize) -> String {
    "商店前端的预发布副本，每晚从主分支重新构建。"
        .chars()
        .cycle()
        .take(chars)
        .collect()
}

#[test]
fn long_chinese_texts_are_cut_by_cells_and_the_estimate_stays_in_view() {
    zh(|| {
        let (mut app, _) = app_at_review();
        type_text(&mut app, "6");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, &chinese_prose(1024));
        let text = frame(&mut app, 80, 24);
        assert!(line_with(&text, "描述").contains(" 1024/1024"), "{text}");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Char('a'));
        type_text(&mut app, "notes");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, &chinese_prose(300));
        enter(&mut app);
        enter(&mut app);
        let text = snap_zh("review_long_texts", &mut app);
        // Cut by cells: the count ends at the frame (a cell left over where
        // a two-cell character would not fit stays blank).
        assert!(text.contains("…（1024个字符） │"), "{text}");
        assert!(text.contains("…（300个字符）│"), "{text}");
        assert!(text.contains("整个订单"), "{text}");
    });
}

#[test]
fn review_over_the_spending_limit() {
    zh(|| {
        let mut app = at_review_with_limit(1_500);
        let text = snap_zh("review_over_the_limit", &mut app);
        assert!(text.contains("：已超出"), "{text}");
        assert!(enter(&mut app).is_empty(), "nothing is asked or sent");
        let notice = &app.notices.last().expect("a notice").text;
        assert!(notice.starts_with("未发送任何内容："), "{notice}");
    });
}

#[test]
fn the_question_before_sending_and_the_save_plan_prompt() {
    zh(|| {
        let (mut app, _) = app_at_review();
        enter_and_check(&mut app, Default::default());
        let text = snap_zh("confirm_submit", &mut app);
        assert!(text.contains("提交此订单？"), "{text}");
        assert!(text.contains("预估总价：USD 19.00"), "{text}");

        let (mut app, _) = app_at_review();
        press(&mut app, KeyCode::Char('s'));
        snap_zh("save_plan_prompt", &mut app);
    });
}

#[test]
fn help_for_a_step() {
    zh(|| {
        let (mut app, _) = app_at_review();
        type_text(&mut app, "4");
        press(&mut app, KeyCode::Char('?'));
        let text = snap_zh("help_period", &mut app);
        assert!(text.contains("按月"), "{text}");
    });
}

/// The app at the review with a price table recorded `recorded_on`.
fn at_review_with_prices_of(recorded_on: &str) -> App {
    let (mut app, _) = app_at_review();
    app.prices = Arc::new(PriceTable {
        recorded_on: recorded_on.to_string(),
        ..PriceTable::embedded()
    });
    app
}

/// A price table over a year old (the test clock says 2026-01-15) is named
/// beside the price, in the warning's colour, without pushing the estimate
/// off the first screen; its whole advice follows the estimate's notes.
#[test]
fn a_price_table_over_a_year_old_is_warned_of_on_the_review() {
    let mut app = at_review_with_prices_of("2024-06-01");
    let text = frame(&mut app, 80, 24);
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("review_stale_prices_80x24", text);
    });
    let row = line_with(&text, "Per instance");
    assert!(
        row.contains("(list price over a year old: 2024-06-01)"),
        "{text}"
    );
    assert!(text.contains("Whole order    USD 19.00"), "{text}");
    let buf = {
        let mut terminal = terminal(80, 24);
        terminal
            .draw(|f| flexus::tui::view::render(&app, f))
            .unwrap();
        terminal.backend().buffer().clone()
    };
    let y = text
        .lines()
        .position(|l| l.contains("Per instance"))
        .unwrap() as u16;
    let x = 20;
    assert_eq!(
        buf[(x, y)].style().fg,
        Some(ratatui::style::Color::Yellow),
        "the stale price is in the warning's colour"
    );
    for _ in 0..3 {
        press(&mut app, KeyCode::PageDown);
    }
    let text = frame(&mut app, 80, 24);
    assert!(text.contains("--prices FILE"), "the advice:\n{text}");

    let mut fresh = at_review_with_prices_of("2025-06-01");
    let text = frame(&mut fresh, 80, 24);
    assert!(
        line_with(&text, "Per instance").contains("(list price of 2025-06-01)"),
        "{text}"
    );

    zh(|| {
        let mut app = at_review_with_prices_of("2024-06-01");
        let text = snap_zh("review_stale_prices", &mut app);
        assert!(text.contains("已超过一年"), "{text}");
        assert!(text.contains("整个订单"), "{text}");
    });
}
