//! A whole purchase in Chinese: the real binary in a real pseudo-terminal,
//! against the sandbox on a real socket, its language chosen by the locale
//! alone (`LANG=zh_CN.UTF-8`, no `FLEXUS_LANG`), every step walked by
//! keystrokes and read in Chinese, and exactly one order placed.

mod support;

use flexus::sandbox::SandboxConfig;
use std::time::Duration;
use support::pty::Session;
use support::world::World;

const ENTER: &str = "\r";
const TAB: &str = "\t";

/// What each screen shows, in order: the step's frame (its number, in any
/// language) or what it lists, and Chinese a reader of that step sees: the
/// header naming where the order goes, the regions by their console names.
const STEP_WORDS: [&[&str]; 8] = [
    &["亚太-新加坡", "使用IAM Token"],
    &["╭ 2. ", "使用IAM Token", "亚太-新加坡"],
    &["22.04", "使用IAM Token"],
    &["╭ 3. ", "使用IAM Token"],
    &["╭ 4. ", "使用IAM Token"],
    &["╭ 5. ", "使用IAM Token", "1个月"],
    &["╭ 6. ", "使用IAM Token", "1个月"],
    &["╭ 7. ", "使用IAM Token", "1个月"],
];

/// Waits for each of `words` on the screen.
fn wait_for_all(wizard: &Session, words: &[&str]) {
    for word in words {
        wizard.wait_for(word);
    }
}

#[test]
fn a_whole_purchase_in_chinese_chosen_by_the_locale_reaches_completed() {
    let world = World::start(SandboxConfig {
        complete_after: Duration::from_millis(500),
        ..SandboxConfig::default()
    });
    // The pty pins English; empty means unset, so the locale decides.
    let mut wizard = world.wizard(&[
        ("FLEXUS_LANG", ""),
        ("LC_ALL", ""),
        ("LC_MESSAGES", ""),
        ("LANG", "zh_CN.UTF-8"),
    ]);

    wait_for_all(&wizard, STEP_WORDS[0]);
    wizard.keys("ap-southeast-3");
    wizard.keys(ENTER);

    wait_for_all(&wizard, STEP_WORDS[1]);
    wizard.keys("ubuntu");
    wizard.keys(ENTER);
    wait_for_all(&wizard, STEP_WORDS[2]);
    wizard.keys(ENTER); // 22.04, the first

    wait_for_all(&wizard, STEP_WORDS[3]);
    wizard.keys("large.2.30m.linux");
    wizard.keys(ENTER);

    wait_for_all(&wizard, STEP_WORDS[4]);
    wizard.keys(TAB);
    wizard.keys(TAB);
    wizard.keys(TAB);
    wizard.keys(TAB); // auto-pay on, so the order completes by itself
    wizard.keys(" ");
    wizard.keys(ENTER);

    wait_for_all(&wizard, STEP_WORDS[5]);
    wizard.keys(ENTER);

    wait_for_all(&wizard, STEP_WORDS[6]);
    wizard.keys("web-01");
    wizard.keys(ENTER);

    wait_for_all(&wizard, STEP_WORDS[7]);
    assert!(
        world.sandbox.created_orders().is_empty(),
        "nothing is sent before the confirmation"
    );
    wizard.keys(ENTER);
    // The question over the review: its keys say what any other key does.
    wait_for_all(&wizard, &["其他键"]);
    wizard.keys("y");

    wait_for_all(&wizard, &["实例已创建", "已下单", "时间线", "订单ID"]);
    let orders = world.sandbox.created_orders();
    assert_eq!(orders.len(), 1, "exactly one order was placed");
    let screen = wizard.screen();
    assert!(screen.contains(&orders[0].order_id), "{screen}");
    assert_eq!(orders[0].body["instance_name"], "web-01");
    assert_eq!(orders[0].body["region"], "ap-southeast-3");

    wizard.keys("q");
    let status = wizard.wait_exit();
    assert!(status.success(), "{status:?}");
    wizard.assert_terminal_given_back();
    assert_eq!(world.sandbox.created_orders().len(), 1);
}
