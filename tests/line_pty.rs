//! The accessible line mode on a real terminal: signing in with a password
//! that is never shown, and nothing but plain lines on the screen.

mod support;

use flexus::sandbox::SandboxConfig;
use support::pty::Session;
use support::world::World;

#[test]
fn a_password_typed_on_a_terminal_is_not_shown_and_no_escape_byte_is_written() {
    let world = World::start(SandboxConfig::default());
    let url = world.sandbox.url();
    let home = tempfile::tempdir().unwrap();
    // No token or access key anywhere: flexus asks how to sign in.
    let mut line = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &[
            "--accessible",
            "--hcss-endpoint",
            &url,
            "--bss-endpoint",
            &url,
            "--iam-endpoint",
            &url,
        ],
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("FLEXUS_STATE_DIR", world.state.path().to_str().unwrap()),
            ("TERM", "xterm-256color"),
        ],
    );
    let creds = world.sandbox.credentials();
    let password = creds.password.expose().to_string();
    line.wait_for("How do you sign in?");
    line.keys("2\r");
    line.wait_for("IAM user name:");
    line.keys(&format!("{}\r", creds.user));
    line.wait_for("Password (not shown as you type):");
    line.keys(&format!("{password}\r"));
    line.wait_for("Account name");
    line.keys(&format!("{}\r", creds.account));
    line.wait_for("MFA code");
    line.keys("\r");
    line.wait_for("Which region?");
    let raw = line.raw();
    assert!(raw.contains(&creds.user), "the user name is echoed:\n{raw}");
    assert!(!raw.contains(&password), "the password was shown:\n{raw}");
    assert!(!raw.contains('\u{1b}'), "an escape byte:\n{raw:?}");
    // End of input (Ctrl-D on an empty line) before yes: nothing sent.
    line.keys("\u{4}");
    line.wait_for("nothing was sent.");
    let status = line.wait_exit();
    assert_eq!(status.exit_code(), 2);
    assert!(world.sandbox.created_orders().is_empty());
}

#[test]
fn a_whole_purchase_in_chinese_on_a_terminal() {
    let world = World::start(SandboxConfig::default());
    let mut line = world.wizard(&[("FLEXUS_LANG", "zh"), ("FLEXUS_ACCESSIBLE", "1")]);
    line.wait_for("选择哪个区域？");
    // AP-Singapore, Ubuntu 22.04, hf.large.1.30m.linux, a month, auto-pay,
    // no extras, the name web-01, no tags; typed ahead, as a fast typist
    // (or a braille keyboard's buffer) does.
    line.keys("2\r18\r\r3\r\r\r\rn\ry\r\r\r\rweb-01\r\r\r");
    line.wait_for("输入yes并按Enter以提交此订单");
    line.keys("yes\r");
    let status = line.wait_exit();
    let raw = line.raw();
    assert!(status.success(), "{raw}");
    for asked in [
        "第1步，共7步：",
        "请输入1到6之间的编号，或按Enter选1：",
        "选择Ubuntu的哪个版本？",
        "下单后从账户余额自动支付？",
        "第7步，共7步：",
    ] {
        assert!(raw.contains(asked), "no {asked:?} in:\n{raw}");
    }
    assert!(!raw.contains('\u{1b}'), "an escape byte:\n{raw:?}");
    let orders = world.sandbox.created_orders();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].body["instance_name"], "web-01");
}
