//! `flexus sandbox`: runs a sandbox in the foreground, prints how to use it,
//! logs one line per request, and stops on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use clap::Args;
use tokio::sync::broadcast::error::RecvError;

use super::{Data, Execute};
use crate::api::auth::{ENV_AK, ENV_BSS_TOKEN, ENV_SK, ENV_TOKEN};
use crate::exit::{EXIT_FAILURE, Failure};
use crate::sandbox::{self, Fault, SandboxConfig, SandboxHandle};

#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct SandboxArgs {
    /// Address to listen on: loopback only (port 0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = sandbox::DEFAULT_LISTEN, value_parser = parse_listen)]
    pub listen: SocketAddr,

    /// Inject a fault, e.g. 429:3@create, 500:2@details, slow=4000@create, drop@create, error=HCSS.14000011@create, huge=300@create, badid@create (repeatable; see --help)
    #[arg(long = "fault", value_name = "FAULT")]
    pub faults: Vec<Fault>,

    /// Seconds a paid order stays processing (3) before it is completed (5)
    #[arg(long, value_name = "SECS", default_value = "3", value_parser = parse_seconds)]
    pub complete_after: Duration,

    /// Milliseconds added to every answer
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,

    /// Require login protection (MFA) on the IAM token call; the code is 123456
    #[arg(long)]
    pub require_mfa: bool,
}

impl Execute for SandboxArgs {
    fn execute(self, data: Data, _: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let config = SandboxConfig {
            faults: self.faults,
            complete_after: self.complete_after,
            latency: Duration::from_millis(self.latency),
            require_mfa: self.require_mfa,
            catalog: data.catalog,
            prices: data.prices,
            ..SandboxConfig::default()
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Failure::new(EXIT_FAILURE, tr!("cmd.sandbox.cannot_start", why = e)))?;
        runtime.block_on(serve(self.listen, config, err))
    }
}

/// The long help of `flexus sandbox`, after the flags.
const AFTER_HELP: &str = "\
The sandbox answers the HCSS purchase call, the BSS order calls (details, list,
pay, cancel) and the IAM token, project and domain calls on ONE address, so
every --*-endpoint flag can point at it. Scopes are enforced as on Huawei
Cloud: the purchase takes only the project of the order's region (a token
scoped to it, or AK/SK with its X-Project-Id; otherwise 401 APIGW.0301),
billing only the account's domain (a domain-scoped token, or AK/SK with
X-Domain-Id; otherwise 403 CBC.0151). It validates orders with the same rules as
`flexus order --dry-run`. Credentials are made up at random at each start and
printed on standard error: they are good for this sandbox only. Nothing is
real: no account, no money; orders vanish when the sandbox stops.

Orders: is_auto_pay true -> processing (3), then completed (5) after
--complete-after; false -> pending payment (6) for 24 hours until paid
(-> 3 -> 5) or cancelled (4). Amounts are the list price x months x quantity
from the price table; a package without a known list price is charged
0.01 USD per instance per month (an obviously fake figure), and add-ons are
free. An unknown order id is answered 400 CBC.30000010.

Login protection: with --require-mfa, the IAM token call needs the totp
method with the IAM user's id (printed at start) and the code 123456.

Faults: KIND[=VALUE][:COUNT][@ENDPOINT], repeatable, applied in the order given.
  KIND      429[=SECS]  answer 429 (HCSS.14290001) with Retry-After SECS (default 1)
            500         answer 500 (HCSS.15000001; CBC.0999 on BSS calls)
            slow=MS     handle the request at once, but answer MS milliseconds
                        later (a client that gives up sooner has still placed
                        the order)
            drop        handle the request (the order IS created), then reset
                        the connection without any answer
            error=CODE  answer with a code of the purchase document's Table 8
                        and its status, e.g. error=HCSS.14000011 (insufficient quota)
            huge=MB     handle the request (the order IS created), then answer
                        with MB MiB of whitespace before the real answer
            badid       handle the request (the order IS created), then answer
                        with every order_id replaced by \"..\"
  COUNT     how many matching requests it hits: a number (default 1), or *
  ENDPOINT  create, details, list, pay, cancel, iam, all (default all)
Faults hit authenticated requests only. As on a real service, a request is
handled to the end even when the client goes away before the answer. Each fault uses up only the requests
it hits, so `--fault 429:2@create --fault drop@create` answers 429, 429,
then cuts the third, then works normally.

Examples:
  flexus sandbox
  flexus sandbox --listen 127.0.0.1:0 --complete-after 10
  flexus sandbox --fault 429:3@create --fault 500:2@details
  flexus sandbox --fault slow=4000@create --fault drop@create
  flexus sandbox --fault error=HCSS.14000010@create --require-mfa";

/// Parses `--listen`: an IP and port, or `localhost:PORT`; loopback only.
fn parse_listen(text: &str) -> Result<SocketAddr, String> {
    let addr = match text.strip_prefix("localhost:") {
        Some(port) => port
            .parse::<u16>()
            .map(|port| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port))
            .map_err(|_| tr!("cmd.sandbox.bad_port", port = port))?,
        None => text
            .parse::<SocketAddr>()
            .map_err(|_| tr!("cmd.sandbox.bad_address", text = text))?,
    };
    if !addr.ip().is_loopback() {
        return Err(tr!("cmd.sandbox.not_loopback", ip = addr.ip()));
    }
    Ok(addr)
}

/// Parses a number of seconds, fractions allowed.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| tr!("cmd.sandbox.bad_seconds", text = text))
}

async fn serve(
    listen: SocketAddr,
    config: SandboxConfig,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let faults = config.faults.clone();
    let require_mfa = config.require_mfa;
    let handle = sandbox::start(listen, config).await.map_err(|e| {
        let message = if e.kind() == std::io::ErrorKind::AddrInUse {
            tr!("cmd.sandbox.in_use", listen = listen, why = e)
        } else {
            tr!("cmd.sandbox.cannot_listen", listen = listen, why = e)
        };
        Failure::new(EXIT_FAILURE, message)
    })?;
    let write_failed =
        |e: std::io::Error| Failure::new(EXIT_FAILURE, tr!("cmd.sandbox.cannot_write", why = e));
    err.write_all(banner(&handle, &faults, require_mfa).as_bytes())
        .map_err(write_failed)?;
    err.flush().map_err(write_failed)?;

    let mut log = handle.subscribe();
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            received = log.recv() => {
                let line = match received {
                    Ok(request) => request.log_line(),
                    Err(RecvError::Lagged(missed)) => tr!("cmd.sandbox.lagged", count = missed),
                    Err(RecvError::Closed) => break,
                };
                // A closed standard error must not stop the sandbox.
                let _ = writeln!(err, "{line}");
            }
            () = &mut stop => break,
        }
    }
    let orders = handle.created_orders().len();
    let requests = handle.requests().len();
    let requests = if requests == 1 {
        tr!("cmd.sandbox.requests.one")
    } else {
        tr!("cmd.sandbox.requests.other", count = requests)
    };
    let orders = if orders == 1 {
        tr!("cmd.sandbox.orders.one")
    } else {
        tr!("cmd.sandbox.orders.other", count = orders)
    };
    let _ = writeln!(
        err,
        "{}",
        tr!("cmd.sandbox.stopping", requests = requests, orders = orders)
    );
    handle.shutdown().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM where there is one.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// What the user needs to try the sandbox, printed once at start.
fn banner(handle: &SandboxHandle, faults: &[Fault], require_mfa: bool) -> String {
    let url = handle.url();
    let c = handle.credentials();
    let faults = if faults.is_empty() {
        tr!("cmd.sandbox.no_faults")
    } else {
        faults
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mfa = if require_mfa {
        tr!(
            "cmd.sandbox.mfa_required",
            user_id = &c.user_id,
            code = sandbox::SANDBOX_MFA_PASSCODE
        )
    } else {
        tr!("cmd.sandbox.mfa_not_required")
    };
    let projects = c
        .projects
        .iter()
        .map(|(region, id)| format!("{region} {id}"))
        .collect::<Vec<_>>()
        .join(", ");
    let home = crate::api::endpoints::DEFAULT_AUTH_REGION;
    let purchase = c
        .project_token(home)
        .or_else(|| c.project_tokens.first().map(|(_, t)| t))
        .map(|t| t.expose().to_string())
        .unwrap_or_default();
    tr!(
        "cmd.sandbox.banner",
        url = url,
        purchase = purchase,
        home = home,
        billing = c.domain_token.expose(),
        ak = &c.access_key,
        sk = c.secret_key.expose(),
        domain = &c.account_id,
        projects = projects,
        user = &c.user,
        password = c.password.expose(),
        account = &c.account,
        user_id = &c.user_id,
        mfa = mfa,
        token_env = ENV_TOKEN,
        bss_token_env = ENV_BSS_TOKEN,
        ak_env = ENV_AK,
        sk_env = ENV_SK,
        faults = faults
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_accepts_loopback_only() {
        assert_eq!(parse_listen("127.0.0.1:8787").unwrap().port(), 8787);
        assert_eq!(parse_listen("[::1]:0").unwrap().port(), 0);
        assert_eq!(
            parse_listen("localhost:9000").unwrap(),
            "127.0.0.1:9000".parse::<SocketAddr>().unwrap()
        );
        let refused = parse_listen("0.0.0.0:8787").unwrap_err();
        assert!(refused.contains("not a loopback address"), "{refused}");
        assert!(parse_listen("192.168.1.2:80").is_err());
        assert!(parse_listen("8787").unwrap_err().contains("127.0.0.1:8787"));
        assert!(parse_listen("localhost:http").unwrap_err().contains("port"));
    }

    #[test]
    fn the_help_states_the_real_figures() {
        assert!(AFTER_HELP.contains(&format!("code {}", sandbox::SANDBOX_MFA_PASSCODE)));
        let price = sandbox::orders::UNLISTED_MONTHLY_PRICE;
        assert!(AFTER_HELP.contains(&format!(
            "{price} {} per instance per month",
            sandbox::orders::CURRENCY
        )));
        let window = SandboxConfig::default().payment_window.as_secs() / 3600;
        assert!(AFTER_HELP.contains(&format!("pending payment (6) for {window} hours")));
        for example in AFTER_HELP
            .lines()
            .filter_map(|l| l.trim().strip_prefix("flexus sandbox"))
        {
            let words: Vec<&str> = example.split_whitespace().collect();
            for pair in words.windows(2).filter(|w| w[0] == "--fault") {
                assert!(pair[1].parse::<Fault>().is_ok(), "{}", pair[1]);
            }
        }
    }

    #[test]
    fn seconds_take_fractions_but_not_negatives() {
        assert_eq!(parse_seconds("3").unwrap(), Duration::from_secs(3));
        assert_eq!(parse_seconds("0.5").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_seconds("0").unwrap(), Duration::ZERO);
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
        assert!(parse_seconds("NaN").is_err());
    }
}
