//! The wizard against a fake order service in a real pseudo-terminal.
//!
//! By hand (it waits for keys, so it only runs when asked):
//!
//!     cargo test --test tui_try -- --ignored --nocapture
//!
//! FLEXUS_TRY_SIGN_IN=1 starts at the sign-in screen (the token "wrong" is
//! refused); FLEXUS_TRY_PLAN=FILE opens a plan at the review.
//!
//! The other tests here run that same wizard in a pty (this test binary
//! starts itself) to check that the terminal is given back on a signal and
//! on a panic.

mod support;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

use flexus::domain::catalog::Catalog;
use flexus::domain::pricing::PriceTable;
use flexus::tui::theme::Theme;
use flexus::tui::{Options, Start, run};

#[test]
#[ignore = "interactive: run by hand in a terminal"]
fn try_the_wizard_by_hand() {
    let service = support::FakeService::new();
    let start = if std::env::var_os("FLEXUS_TRY_SIGN_IN").is_some() {
        Start::SignInFirst(Arc::new(support::FakeConnector { service }))
    } else {
        Start::Connected(service)
    };
    let plan = std::env::var_os("FLEXUS_TRY_PLAN").map(|path| {
        let text = std::fs::read_to_string(&path).unwrap();
        let (draft, problems) = flexus::domain::order::Draft::from_plan_json(&text);
        flexus::tui::PlanStart {
            path: path.into(),
            draft,
            problems,
        }
    });
    let options = Options {
        catalog: Catalog::embedded(),
        prices: PriceTable::embedded(),
        theme: Theme::from_process_env(),
        plan,
        mouse: true,
        first_frame_exit: false,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let exit = runtime.block_on(run(options, start)).unwrap();
    runtime.shutdown_background();
    if let Some(message) = exit.message {
        eprintln!("{message}");
    }
}

/// The wizard in an 80x24 pty, with everything it wrote.
struct Session {
    child: Box<dyn Child + Send + Sync>,
    output: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(envs: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(std::env::current_exe().unwrap());
        cmd.args([
            "--ignored",
            "--exact",
            "try_the_wizard_by_hand",
            "--nocapture",
            "--test-threads=1",
        ]);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("LANG", "C.UTF-8");
        cmd.env("FLEXUS_TRY_PLAN", "examples/plan.json");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Session {
            child,
            output,
            writer,
            master: pair.master,
        }
    }

    fn screen(&self) -> String {
        let size = |n| std::num::NonZeroU16::new(n).expect("not zero");
        let mut parser = vt100::Parser::new(size(24), size(80), 0);
        parser.process(&self.output.lock().unwrap());
        parser.screen().contents()
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; the screen:\n{}", self.screen());
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the wizard did not exit; the screen:\n{}", self.screen());
    }

    /// The terminal modes left behind, as the pty reports them.
    fn local_modes(&self) -> String {
        let termios = self.master.get_termios().expect("a unix pty");
        format!("{:?}", termios.local_flags)
    }

    /// Whether everything switched on at the start was switched off after.
    fn assert_terminal_given_back(&self) {
        let raw = self.raw();
        let entered = raw
            .find("\x1b[?1049h")
            .expect("the alternate screen was used");
        let left = raw
            .rfind("\x1b[?1049l")
            .expect("the alternate screen was left");
        assert!(left > entered);
        assert!(
            raw[entered..].contains("\x1b[?2004l"),
            "bracketed paste is off again"
        );
        assert!(
            raw[entered..].contains("\x1b[?1000l"),
            "mouse reports are off again"
        );
        assert!(raw[left..].contains("\x1b[?25h") || raw[entered..left].contains("\x1b[?25h"));
        let modes = self.local_modes();
        assert!(
            modes.contains("ICANON") && modes.contains("ECHO"),
            "cooked mode again: {modes}"
        );
    }
}

#[test]
fn sigterm_gives_the_terminal_back() {
    let mut session = Session::start(&[]);
    session.wait_for("7. Review");
    assert!(
        !session.local_modes().contains("ICANON"),
        "raw mode while running"
    );
    let pid = session.child.process_id().unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    session.wait_exit();
    session.assert_terminal_given_back();
}

#[test]
fn a_panic_in_a_task_gives_the_terminal_back_and_stops() {
    let mut session = Session::start(&[("FLEXUS_TRY_PANIC", "1")]);
    session.wait_for("7. Review");
    // examples/plan.json buys two instances: two confirmations.
    session.keys("\r");
    session.wait_for("Place this order?");
    session.keys("y");
    session.wait_for("Please confirm once more");
    session.keys("yes\r");
    let status = session.wait_exit();
    assert_eq!(status.exit_code(), 101);
    session.assert_terminal_given_back();
    let raw = session.raw();
    let left = raw.rfind("\x1b[?1049l").unwrap();
    let after = &raw[left..];
    assert!(
        after.contains("a deliberate bug in the fake order service"),
        "{after}"
    );
    assert!(after.contains("flexus stopped because of a bug"), "{after}");
}

#[test]
fn ctrl_c_quits_and_gives_the_terminal_back() {
    let mut session = Session::start(&[]);
    session.wait_for("7. Review");
    session.keys("\x03");
    let status = session.wait_exit();
    assert!(status.success());
    session.assert_terminal_given_back();
}
