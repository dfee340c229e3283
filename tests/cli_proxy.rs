//! The proxy variables, as the README describes them: `HTTPS_PROXY` carries
//! the `https://` endpoints, `NO_PROXY` exempts hosts, and a plain `http://`
//! endpoint (this machine only) never goes through a proxy. Everything here
//! is on loopback: the "proxy" and the "service" only note who connects.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A loopback listener that keeps the first line of every connection and
/// then hangs up.
struct Listener {
    port: u16,
    first_lines: Arc<Mutex<Vec<String>>>,
}

impl Listener {
    fn start() -> Listener {
        let socket = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = socket.local_addr().unwrap().port();
        let first_lines = Arc::new(Mutex::new(Vec::new()));
        let seen = first_lines.clone();
        std::thread::spawn(move || {
            for stream in socket.incoming().flatten() {
                stream
                    .set_read_timeout(Some(Duration::from_secs(2)))
                    .unwrap();
                let mut line = String::new();
                let _ = BufReader::new(&stream).read_line(&mut line);
                seen.lock().unwrap().push(line.trim_end().to_string());
            }
        });
        Listener { port, first_lines }
    }

    fn seen(&self) -> Vec<String> {
        self.first_lines.lock().unwrap().clone()
    }
}

/// `flexus status` with every endpoint at `endpoint` and `proxy_env` set;
/// it fails (nothing there speaks TLS or HTTP), which is all it needs to do.
fn status_through(endpoint: &str, proxy_env: &[(&str, String)]) {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(["status", "CS24022811305H1EW", "--timeout", "2"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("FLEXUS_STATE_DIR", home.path().join("state"))
        .env("FLEXUS_TOKEN", "not-a-real-token")
        .env("FLEXUS_BSS_TOKEN", "not-a-real-token")
        .env("FLEXUS_HCSS_ENDPOINT", endpoint)
        .env("FLEXUS_BSS_ENDPOINT", endpoint)
        .env("FLEXUS_IAM_ENDPOINT", endpoint)
        .env("FLEXUS_POLL_INTERVAL_MS", "20")
        .envs(proxy_env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "nothing there answers");
}

#[test]
fn https_endpoints_go_through_https_proxy() {
    let (proxy, service) = (Listener::start(), Listener::start());
    let endpoint = format!("https://127.0.0.1:{}", service.port);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    status_through(&endpoint, &[("HTTPS_PROXY", proxy_url)]);
    let seen = proxy.seen();
    assert!(
        seen.iter()
            .any(|line| line.starts_with(&format!("CONNECT 127.0.0.1:{} ", service.port))),
        "the proxy saw {seen:?}"
    );
    assert!(service.seen().is_empty(), "nothing went direct");
}

#[test]
fn no_proxy_hosts_are_reached_directly() {
    let (proxy, service) = (Listener::start(), Listener::start());
    let endpoint = format!("https://127.0.0.1:{}", service.port);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    status_through(
        &endpoint,
        &[
            ("HTTPS_PROXY", proxy_url),
            ("NO_PROXY", "127.0.0.1".to_string()),
        ],
    );
    assert!(proxy.seen().is_empty(), "the proxy saw {:?}", proxy.seen());
    assert!(!service.seen().is_empty(), "it went direct");
}

#[test]
fn a_plain_http_endpoint_never_uses_a_proxy() {
    let (proxy, service) = (Listener::start(), Listener::start());
    let endpoint = format!("http://127.0.0.1:{}", service.port);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    status_through(
        &endpoint,
        &[("HTTP_PROXY", proxy_url.clone()), ("ALL_PROXY", proxy_url)],
    );
    assert!(proxy.seen().is_empty(), "the proxy saw {:?}", proxy.seen());
    assert!(
        service.seen().iter().any(|line| line.ends_with("HTTP/1.1")),
        "the service saw {:?}",
        service.seen()
    );
}
