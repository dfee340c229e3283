//! `flexus order` on a real terminal (a pseudo-terminal): it asks before
//! spending money (default no), and after a lost answer asks before any
//! resend, which then reuses the Client-Request-Id.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use flexus::sandbox::SandboxHandle;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

mod cli_support;
use cli_support::{EXAMPLE_PLAN, clean_env, start_sandbox};

async fn sandbox_with(faults: &[&str]) -> SandboxHandle {
    start_sandbox(faults, Duration::from_millis(300)).await
}

/// flexus running in a pseudo-terminal, its screen output collected.
struct Session {
    output: Arc<Mutex<String>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _home: tempfile::TempDir,
}

impl Session {
    fn start(h: &SandboxHandle, args: &[&str]) -> Session {
        let home = tempfile::tempdir().unwrap();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 50,
                cols: 200,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_flexus"));
        cmd.args(args);
        cmd.env_clear();
        for (name, value) in clean_env(h, home.path()) {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(String::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let _keep_master = pair.master;
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Session {
            output,
            writer,
            child,
            _home: home,
        }
    }

    async fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.output.lock().unwrap().contains(text) {
            assert!(
                Instant::now() < deadline,
                "never saw {text:?}; screen:\n{}",
                self.output.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn type_line(&mut self, line: &str) {
        self.writer.write_all(line.as_bytes()).unwrap();
        self.writer.write_all(b"\r").unwrap();
        self.writer.flush().unwrap();
    }

    async fn exit_code(mut self) -> (u32, String) {
        let status = tokio::task::spawn_blocking(move || {
            let status = self.child.wait().unwrap();
            (status, self.output)
        })
        .await
        .unwrap();
        // Let the reader drain what was written last.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let text = status.1.lock().unwrap().clone();
        (status.0.exit_code(), text)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_confirmation_defaults_to_no() {
    let h = sandbox_with(&[]).await;
    let mut s = Session::start(&h, &["order", "--plan", EXAMPLE_PLAN]);
    s.wait_for("Place this order? It is charged to the account. [y/N]")
        .await;
    s.type_line("");
    let (code, screen) = s.exit_code().await;
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("ordering was not confirmed"), "{screen}");
    // Signing in was checked before asking (reads only); nothing was bought.
    assert!(h.created_orders().is_empty());
    assert!(
        h.requests()
            .iter()
            .all(|r| r.method == "GET" && r.path != "/v1/light-instances"),
        "{:?}",
        h.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_order_needs_yes_typed_out_a_second_time() {
    let h = sandbox_with(&[]).await;
    let mut s = Session::start(&h, &["order", "--plan", EXAMPLE_PLAN]);
    s.wait_for("[y/N]").await;
    s.type_line("y");
    s.wait_for("Please confirm once more: 2 x").await;
    s.type_line("y");
    let (code, screen) = s.exit_code().await;
    assert_eq!(code, 1, "{screen}");
    assert!(screen.contains("type yes to confirm"), "{screen}");
    assert!(h.created_orders().is_empty(), "a single y buys nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yes_on_the_terminal_places_the_order() {
    let h = sandbox_with(&[]).await;
    let mut s = Session::start(&h, &["order", "--plan", EXAMPLE_PLAN]);
    s.wait_for("[y/N]").await;
    s.type_line("y");
    // Two instances: asked again, as the wizard asks, for a typed yes.
    s.wait_for("Type yes and press Enter").await;
    s.type_line("yes");
    let (code, screen) = s.exit_code().await;
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("completed, the instances are created"),
        "{screen}"
    );
    assert_eq!(h.created_orders().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_lost_answer_with_an_order_found_no_resend_is_offered() {
    let h = sandbox_with(&["drop@create"]).await;
    let mut s = Session::start(&h, &["order", "--plan", EXAMPLE_PLAN]);
    s.wait_for("Place this order?").await;
    s.type_line("y");
    s.wait_for("Type yes and press Enter").await;
    s.type_line("yes");
    s.wait_for("FlexusL orders created since").await;
    let order_id = h.created_orders()[0].order_id.clone();
    s.wait_for(&order_id).await;
    // The found order may be this purchase: claim or dismiss it first.
    let (code, screen) = s.exit_code().await;
    assert_eq!(code, 3, "{screen}");
    assert!(!screen.contains("Send the same purchase again"), "{screen}");
    assert!(screen.contains("flexus claim"), "{screen}");
    assert!(screen.contains("flexus dismiss"), "{screen}");
    assert_eq!(h.created_orders().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_lost_answer_with_nothing_found_no_means_no_resend() {
    let h = sandbox_with(&["500@create"]).await;
    let mut s = Session::start(&h, &["order", "--plan", EXAMPLE_PLAN]);
    s.wait_for("Place this order?").await;
    s.type_line("y");
    s.wait_for("Type yes and press Enter").await;
    s.type_line("yes");
    s.wait_for("Send the same purchase again, with the same Client-Request-Id? [y/N]")
        .await;
    s.type_line("n");
    let (code, screen) = s.exit_code().await;
    assert_eq!(code, 3, "{screen}");
    assert!(screen.contains("flexus resend"), "{screen}");
    assert!(h.created_orders().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_lost_answer_yes_resends_with_the_same_client_request_id() {
    let h = sandbox_with(&["500@create"]).await;
    let mut s = Session::start(&h, &["order", "--plan", EXAMPLE_PLAN]);
    s.wait_for("Place this order?").await;
    s.type_line("y");
    s.wait_for("Type yes and press Enter").await;
    s.type_line("yes");
    s.wait_for("Send the same purchase again, with the same Client-Request-Id? [y/N]")
        .await;
    s.type_line("y");
    let (code, screen) = s.exit_code().await;
    assert_eq!(code, 0, "{screen}");
    let sends = h
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/light-instances")
        .count();
    assert_eq!(sends, 2, "the user asked for a second send");
    let created = h.created_orders();
    assert_eq!(created.len(), 1, "the 500 placed nothing");
    assert!(
        screen.contains(&format!(
            "Submitting the order (Client-Request-Id {})",
            created[0].client_request_id
        )),
        "the resend kept the first send's ID: {screen}"
    );
    assert!(
        screen.contains(&format!(
            "Sending the purchase again (Client-Request-Id {})",
            created[0].client_request_id
        )),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("Order {} placed", created[0].order_id)),
        "{screen}"
    );
}
