//! The built binary's `order`, `status`, `orders` and `pay` against the
//! sandbox on 127.0.0.1: exit codes, output, and what the sandbox received.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod cli_support;
use cli_support::{EXAMPLE_PLAN, Run, Setup, plan_file};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_with_yes_places_one_order_and_follows_it_to_completed() {
    let s = Setup::new(&[]).await;
    let url = s.sandbox.url();
    // Endpoints given as flags this time, as in the README's example.
    let mut cmd = s.command(&[
        "order",
        "--plan",
        EXAMPLE_PLAN,
        "--yes",
        "--hcss-endpoint",
        &url,
        "--bss-endpoint",
        &url,
    ]);
    cmd.env_remove("FLEXUS_HCSS_ENDPOINT")
        .env_remove("FLEXUS_BSS_ENDPOINT");
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());

    let created = s.sandbox.created_orders();
    assert_eq!(created.len(), 1);
    let order = &created[0];
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "Submitting the order (Client-Request-Id {})",
                order.client_request_id
            )
            .as_str(),
            &format!(
                "Order {} placed (instances {})",
                order.order_id,
                order.instance_ids.join(", ")
            ),
            &format!("Order {}: processing", order.order_id),
            &format!(
                "Order {}: completed, the instances are created",
                order.order_id
            ),
            &format!("Instances: {}", order.instance_ids.join(", ")),
        ]
    );
    assert!(run.stderr.contains("test-0620-01"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("purchase token from FLEXUS_TOKEN, billing token from FLEXUS_BSS_TOKEN"),
        "{}",
        run.stderr
    );

    // The journal tells the same story, and `orders` and `status` read it.
    let orders = s.run(&["orders"]).await;
    assert_eq!(orders.code, 0, "{}", orders.all());
    let row = orders
        .stdout
        .lines()
        .find(|l| l.contains(&order.order_id))
        .expect("the order is listed");
    assert!(row.contains("completed"), "{row}");
    assert!(
        row.contains("2 x hf.large.1.30m.linux, BT 6.8.35, ap-southeast-3"),
        "{row}"
    );

    let status = s.run(&["status", &order.order_id]).await;
    assert_eq!(status.code, 0, "{}", status.all());
    assert!(
        status
            .stdout
            .starts_with(&format!("Order {}: completed", order.order_id)),
        "{}",
        status.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_and_without_yes_nothing_is_sent() {
    let s = Setup::new(&[]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN]).await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("Add --yes"), "{}", run.stderr);
    assert!(s.sandbox.created_orders().is_empty());
    // Signing in was checked (reads only); no purchase went out.
    assert!(
        s.sandbox
            .requests()
            .iter()
            .all(|r| r.method == "GET" && r.path != "/v1/light-instances"),
        "{:?}",
        s.sandbox.requests()
    );
    assert_eq!(s.journal_text(), "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credentials_and_plain_http_endpoints_are_refused() {
    let s = Setup::new(&[]).await;
    let mut cmd = s.command(&["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    cmd.env_remove("FLEXUS_TOKEN")
        .env_remove("FLEXUS_BSS_TOKEN");
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("no credentials found"),
        "{}",
        run.stderr
    );

    let run = s
        .run(&[
            "order",
            "--plan",
            EXAMPLE_PLAN,
            "--yes",
            "--hcss-endpoint",
            "http://hcss.example.com",
        ])
        .await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr
            .contains("--hcss-endpoint: http:// is accepted only"),
        "{}",
        run.stderr
    );
    assert!(s.sandbox.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_file_works_and_its_token_is_not_shown() {
    let s = Setup::new(&[]).await;
    let token_file = s.home.path().join("token");
    std::fs::write(&token_file, s.purchase_token()).unwrap();
    let bss_file = s.home.path().join("bss-token");
    std::fs::write(&bss_file, s.billing_token()).unwrap();
    let mut cmd = s.command(&[
        "order",
        "--plan",
        EXAMPLE_PLAN,
        "--yes",
        "--token-file",
        token_file.to_str().unwrap(),
        "--bss-token-file",
        bss_file.to_str().unwrap(),
    ]);
    cmd.env_remove("FLEXUS_TOKEN")
        .env_remove("FLEXUS_BSS_TOKEN");
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stderr.contains(&format!(
            "purchase token from {}, billing token from {}",
            token_file.display(),
            bss_file.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(s.sandbox.created_orders().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aksk_credentials_from_the_environment_place_the_order() {
    let s = Setup::new(&[]).await;
    let creds = s.sandbox.credentials();
    let mut cmd = s.command(&["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    cmd.env_remove("FLEXUS_TOKEN")
        .env_remove("FLEXUS_BSS_TOKEN")
        .env("HUAWEICLOUD_SDK_AK", &creds.access_key)
        .env("HUAWEICLOUD_SDK_SK", creds.secret_key.expose());
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(!run.all().contains(creds.secret_key.expose()));
    assert!(!s.journal_text().contains(creds.secret_key.expose()));
    assert_eq!(s.sandbox.created_orders().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_answer_exits_3_shows_the_order_found_and_never_resends() {
    let s = Setup::new(&["drop@create"]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 3, "{}", run.all());
    let created = s.sandbox.created_orders();
    assert_eq!(created.len(), 1, "exactly one order exists");
    let order_id = &created[0].order_id;
    assert!(
        run.stdout.contains("The answer to the purchase was lost"),
        "{}",
        run.stdout
    );
    let listed = run
        .stdout
        .lines()
        .find(|l| l.contains(order_id.as_str()))
        .expect("the order found is shown");
    assert!(
        listed.contains("processing") || listed.contains("completed"),
        "{listed}"
    );
    assert!(run.stderr.contains("flexus orders"), "{}", run.stderr);
    assert!(run.stderr.contains("flexus status"), "{}", run.stderr);

    let orders = s.run(&["orders"]).await;
    assert_eq!(orders.code, 0, "{}", orders.all());
    assert!(
        orders.stdout.contains("unknown: answer lost"),
        "{}",
        orders.stdout
    );
    assert!(
        orders
            .stdout
            .contains(&format!("orders found then: {order_id}")),
        "{}",
        orders.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_on_the_purchase_exits_3_with_its_code_and_is_not_resent() {
    let s = Setup::new(&["500@create"]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 3, "{}", run.all());
    // Named as what it is, with the service's code (what support asks
    // for), not as a lost answer.
    assert!(
        run.stdout.contains(
            "The service answered HTTP 500 (HCSS.15000001, Server exception): the order may \
             still have been placed."
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("was lost"), "{}", run.stdout);
    let sends = s
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/light-instances")
        .count();
    assert_eq!(
        sends, 1,
        "a 500 does not prove nothing happened: never resent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_exits_1_with_code_and_next_step() {
    let s = Setup::new(&["error=HCSS.14000011@create"]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stderr.contains("(HTTP 400, HCSS.14000011)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Lower the quantity or ask for a quota increase"),
        "{}",
        run.stderr
    );
    assert!(s.sandbox.created_orders().is_empty());
    let orders = s.run(&["orders"]).await;
    assert!(
        orders.stdout.contains("refused (HCSS.14000011)"),
        "{}",
        orders.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_and_flaky_polls_are_ridden_out() {
    let s = Setup::new(&["429=0:2@create", "500:2@details"]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(s.sandbox.created_orders().len(), 1);
    let retries = run
        .stdout
        .lines()
        .filter(|l| l.contains("could not check the order") && l.contains("HTTP 500"))
        .count();
    assert_eq!(retries, 2, "{}", run.stdout);
    assert!(run.stdout.contains("completed"), "{}", run.stdout);
}

/// `flexus order` of a plan without auto-pay: it exits 4, the order waiting
/// for payment; its ID and the run.
async fn ordered_pending(s: &Setup) -> (String, Run) {
    let plan = plan_file(s.home.path(), |p| p["is_auto_pay"] = false.into());
    let run = s
        .run(&["order", "--plan", plan.to_str().unwrap(), "--yes"])
        .await;
    assert_eq!(run.code, 4, "{}", run.all());
    (s.sandbox.created_orders()[0].order_id.clone(), run)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_payment_exits_4_and_pay_completes_the_order() {
    let s = Setup::new(&[]).await;
    let (order_id, run) = ordered_pending(&s).await;
    assert!(
        run.stdout.contains(&format!(
            "Order {order_id}: pending payment, to be paid before "
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(&format!("flexus pay {order_id}")),
        "{}",
        run.stderr
    );

    let refused = s.run(&["pay", &order_id]).await;
    assert_eq!(refused.code, 2, "{}", refused.all());

    let paid = s.run(&["pay", &order_id, "--yes"]).await;
    assert_eq!(paid.code, 0, "{}", paid.all());
    assert!(
        paid.stdout
            .contains(&format!("Order {order_id}: payment sent"))
    );
    assert!(
        paid.stdout.contains(&format!(
            "Order {order_id}: completed, the instances are created"
        )),
        "{}",
        paid.stdout
    );
    let orders = s.run(&["orders"]).await;
    let row = orders
        .stdout
        .lines()
        .find(|l| l.contains(&order_id))
        .unwrap();
    assert!(row.contains("completed"), "{row}");

    let again = s.run(&["pay", &order_id, "--yes"]).await;
    assert_eq!(again.code, 1, "{}", again.all());
    assert!(
        again.stderr.contains("not pending payment"),
        "{}",
        again.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_placed_order_that_cannot_be_followed_is_not_reported_as_a_failure() {
    // The purchase goes through, then the order's status cannot be read
    // (here a 400 on the details call; for real, a user without BSS
    // permissions gets a 403).
    let s = Setup::new(&["error=HCSS.14000001@details"]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    let created = s.sandbox.created_orders();
    assert_eq!(created.len(), 1);
    let order_id = &created[0].order_id;
    // Exit 1 means "refused, failed or cancelled": a script would order
    // again. The order exists; its end is what is unknown.
    assert_eq!(run.code, 3, "{}", run.all());
    assert!(
        run.stdout.contains(&format!("Order {order_id} placed")),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains(&format!("flexus status {order_id} --watch")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("was placed"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_this_machine_never_goes_through_a_proxy() {
    // A proxy named in the environment, as on many company machines: a
    // plain-http request sent through it would carry the token in clear
    // over the network. This stand-in records whatever reaches it.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let reached = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let recorder = {
        let reached = reached.clone();
        tokio::spawn(async move {
            use tokio::io::AsyncReadExt;
            while let Ok((mut stream, _)) = proxy.accept().await {
                let mut buf = vec![0u8; 64 * 1024];
                let n = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf))
                    .await
                    .map_or(0, |r| r.unwrap_or(0));
                let mut seen = reached.lock().unwrap();
                seen.extend_from_slice(b"<connection>");
                seen.extend_from_slice(&buf[..n]);
            }
        })
    };

    let s = Setup::new(&[]).await;
    let mut cmd = s.command(&["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    for var in ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] {
        cmd.env(var, &proxy_url);
    }
    let run = s.run_with(cmd).await;
    recorder.abort();
    let seen = String::from_utf8_lossy(&reached.lock().unwrap()).to_string();
    let first_line = seen.lines().next().unwrap_or_default();
    assert!(seen.is_empty(), "the proxy was sent: {first_line}");
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(s.sandbox.created_orders().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_of_an_unknown_order_says_so() {
    let s = Setup::new(&[]).await;
    let run = s.run(&["status", "CS00000000000NOPE"]).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("Check the order ID"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_sending_leaves_the_intent_in_the_journal() {
    let s = Setup::new(&["slow=30000@create"]).await;
    let mut cmd = s.command(&["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    let mut child = cmd.spawn().unwrap();
    // Wait until the request has reached the sandbox, then kill flexus.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !s
        .sandbox
        .requests()
        .iter()
        .any(|r| r.path == "/v1/light-instances")
    {
        assert!(Instant::now() < deadline, "the purchase never arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let text = s.journal_text();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert_eq!(lines[0]["event"], "intent");
    assert_eq!(lines[0]["attempt"], 1);
    assert_eq!(lines[0]["endpoint"], format!("{}/", s.sandbox.url()));
    assert_eq!(lines[0]["body"]["instance_name"], "test-0620-01");
    let id = lines[0]["client_request_id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);

    let orders = s.run(&["orders"]).await;
    assert_eq!(orders.code, 0, "{}", orders.all());
    assert!(
        orders.stdout.contains("unknown: no answer recorded"),
        "{}",
        orders.stdout
    );
    assert!(
        orders.stdout.contains(&format!("Client-Request-Id {id}")),
        "{}",
        orders.stdout
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&s.state_dir()), 0o700);
        assert_eq!(mode(&s.state_dir().join("journal.jsonl")), 0o600);
    }
}

#[tokio::test]
async fn a_reader_that_goes_away_does_not_decide_the_exit_code() {
    let setup = Setup::new(&[]).await;
    let mut cmd = setup.command(&["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    // Standard output is closed before flexus writes anything to it.
    let mut child = tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().expect("flexus runs");
        drop(child.stdout.take());
        let status = child.wait().expect("flexus ends");
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        (status, stderr)
    });
    let (status, stderr) = (&mut child).await.unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    let orders = setup.sandbox.created_orders();
    assert_eq!(orders.len(), 1);
    assert!(
        setup.journal_text().contains("\"status\":5"),
        "followed to completed: {}",
        setup.journal_text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_found_after_a_lost_answer_can_be_claimed_once() {
    let s = Setup::new(&["drop@create"]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 3, "{}", run.all());
    let created = s.sandbox.created_orders();
    let (request_id, order_id) = (&created[0].client_request_id, &created[0].order_id);

    let orders = s.run(&["orders"]).await;
    assert!(
        orders
            .stdout
            .contains(&format!("flexus claim {request_id} ORDER_ID")),
        "{}",
        orders.stdout
    );

    let claimed = s.run(&["claim", request_id, order_id]).await;
    assert_eq!(claimed.code, 0, "{}", claimed.all());
    assert!(
        claimed.stdout.contains("never be sent again"),
        "{}",
        claimed.stdout
    );

    let orders = s.run(&["orders"]).await;
    let line = orders
        .stdout
        .lines()
        .find(|l| l.contains(order_id.as_str()))
        .unwrap_or_else(|| panic!("the order is listed: {}", orders.stdout));
    assert!(!line.contains("unknown"), "{line}");
    assert!(
        !orders.stdout.contains("Unknown outcome"),
        "{}",
        orders.stdout
    );

    let again = s.run(&["claim", request_id, "CS000OTHER"]).await;
    assert_eq!(again.code, 2, "{}", again.all());
    assert!(
        again.stderr.contains("already known as order"),
        "{}",
        again.stderr
    );
    let unknown = s
        .run(&["claim", "00000000-0000-4000-8000-000000000000", order_id])
        .await;
    assert_eq!(unknown.code, 2, "{}", unknown.all());
    assert_eq!(
        s.sandbox.created_orders().len(),
        1,
        "claiming sends nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_ids_given_on_the_command_line_are_refused_unprinted_and_unstored() {
    let s = Setup::new(&["drop@create"]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 3, "{}", run.all());
    let request_id = s.sandbox.created_orders()[0].client_request_id.clone();
    let journal_before = s.journal_text();
    let requests_before = s.sandbox.requests().len();

    let nasty = "\u{1b}]0;pwned\u{7}";
    let long = "C".repeat(501);
    for order_id in ["..", ".", "CS1/../pay", nasty, "", long.as_str()] {
        for args in [
            vec!["claim", request_id.as_str(), order_id],
            vec!["status", order_id],
            vec!["pay", order_id, "--yes"],
        ] {
            let run = s.run(&args).await;
            assert_eq!(run.code, 2, "{args:?}: {}", run.all());
            assert!(
                run.stderr.contains("the order ID"),
                "{args:?}: {}",
                run.stderr
            );
            assert!(!run.all().contains('\u{1b}'), "{args:?}: printed raw");
            assert!(!run.all().contains(&long), "{args:?}: printed raw");
        }
    }
    for crid in [nasty, "..", "0000\u{202e}0000-0000-4000-8000-000000000000"] {
        let run = s.run(&["claim", crid, "CS24022811305H1EW"]).await;
        assert_eq!(run.code, 2, "{}", run.all());
        assert!(!run.all().contains('\u{1b}'), "printed raw: {}", run.all());
        assert!(
            !run.all().contains('\u{202e}'),
            "printed raw: {}",
            run.all()
        );
    }
    assert_eq!(s.journal_text(), journal_before, "nothing was stored");
    assert_eq!(
        s.sandbox.requests().len(),
        requests_before,
        "nothing was sent"
    );
}
/// A plan in another region than AP-Singapore, with an image sold there.
fn plan_in(dir: &Path, region: &str) -> PathBuf {
    plan_file(dir, |p| {
        p["region"] = region.into();
        p["image_ref"] = serde_json::json!({"image_name": "Ubuntu", "image_version": "22.04"});
        p["plan_spec"] = "hf.large.1.30m.linux".into();
        p.as_object_mut().unwrap().remove("extra_resources");
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn istanbul_and_sao_paulo_complete_with_aksk_from_the_environment_and_the_file() {
    let s = Setup::new(&[]).await;
    let creds = s.sandbox.credentials();
    std::fs::create_dir(s.home.path().join(".huaweicloud")).unwrap();
    std::fs::write(
        s.home.path().join(".huaweicloud/credentials"),
        format!(
            "[basic]\nak = {}\nsk = {}\n",
            creds.access_key,
            creds.secret_key.expose()
        ),
    )
    .unwrap();
    for (region, from_env) in [
        ("tr-west-1", true),
        ("sa-brazil-1", true),
        ("tr-west-1", false),
        ("sa-brazil-1", false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let plan = plan_in(dir.path(), region);
        let mut cmd = s.command(&["order", "--plan", plan.to_str().unwrap(), "--yes"]);
        cmd.env_remove("FLEXUS_TOKEN")
            .env_remove("FLEXUS_BSS_TOKEN");
        if from_env {
            cmd.env("HUAWEICLOUD_SDK_AK", &creds.access_key)
                .env("HUAWEICLOUD_SDK_SK", creds.secret_key.expose());
        }
        let run = s.run_with(cmd).await;
        assert_eq!(run.code, 0, "{region} {from_env}: {}", run.all());
        assert!(
            run.stdout.contains("completed, the instances are created"),
            "{}",
            run.stdout
        );
        let source = if from_env {
            "access key from HUAWEICLOUD_SDK_AK".to_string()
        } else {
            format!(
                "access key from {}",
                s.home.path().join(".huaweicloud/credentials").display()
            )
        };
        assert!(run.stderr.contains(&source), "{}", run.stderr);
        assert!(!run.all().contains(creds.secret_key.expose()));
    }
    let regions: Vec<String> = s
        .sandbox
        .created_orders()
        .iter()
        .map(|o| o.body["region"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        regions,
        ["tr-west-1", "sa-brazil-1", "tr-west-1", "sa-brazil-1"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purchase_token_of_another_region_sends_nothing() {
    let s = Setup::new(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_in(dir.path(), "tr-west-1");
    // FLEXUS_TOKEN is the ap-southeast-3 project's.
    let run = s
        .run(&["order", "--plan", plan.to_str().unwrap(), "--yes"])
        .await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stderr.contains("nothing was sent")
            && run
                .stderr
                .contains("scoped to the project of ap-southeast-3")
            && run.stderr.contains("the order is for tr-west-1"),
        "{}",
        run.stderr
    );
    assert!(s.sandbox.created_orders().is_empty());
    assert_eq!(s.journal_text(), "", "not even an intent was recorded");
}

/// The built binary run with `TZ` set to `zone`.
async fn run_in_zone(s: &Setup, zone: &str, args: &[&str]) -> Run {
    let mut cmd = s.command(args);
    cmd.env("TZ", zone);
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    run
}

/// The instant of "2026-01-22 16:46 (UTC+08:00)" found in `text` after
/// `after`, read by its own offset.
fn stated_time(text: &str, after: &str) -> time::OffsetDateTime {
    let rest = &text[text
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} in {text}"))
        + after.len()..];
    let stamp = &rest[..28];
    let local = time::PrimitiveDateTime::parse(
        &stamp[..16],
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]"),
    )
    .unwrap_or_else(|e| panic!("{stamp:?}: {e}"));
    let offset = time::UtcOffset::parse(
        &stamp[21..27],
        time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]"),
    )
    .unwrap_or_else(|e| panic!("{stamp:?}: {e}"));
    assert_eq!(&stamp[16..21], " (UTC", "{stamp:?}");
    local.assume_offset(offset)
}

/// `TZ` (here a POSIX rule that needs no time zone database) moves every
/// time a person reads, and says by how much; what a script reads stays UTC.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_output_is_in_local_time_and_json_stays_utc() {
    let s = Setup::new(&[]).await;
    let (order_id, _) = ordered_pending(&s).await;

    let status_utc = run_in_zone(&s, "UTC0", &["status", &order_id]).await.stdout;
    let status_local = run_in_zone(&s, "CST-8", &["status", &order_id])
        .await
        .stdout;
    for label in ["to be paid before ", "Created  "] {
        let utc = stated_time(&status_utc, label);
        let local = stated_time(&status_local, label);
        assert_eq!(utc, local, "the same instant, {label:?}");
        assert_eq!(local.offset().whole_hours(), 8, "{status_local}");
        assert_eq!(utc.offset().whole_hours(), 0, "{status_utc}");
    }
    assert!(status_local.contains("(UTC+08:00)"), "{status_local}");

    let orders = run_in_zone(&s, "CST-8", &["orders"]).await.stdout;
    let json = run_in_zone(&s, "CST-8", &["orders", "--json"]).await.stdout;
    let json_in_utc = run_in_zone(&s, "UTC0", &["orders", "--json"]).await.stdout;
    assert_eq!(json, json_in_utc, "JSON does not depend on the zone");
    let record: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    let sent_at = record["sent_at"].as_str().unwrap();
    assert!(sent_at.ends_with('Z'), "{sent_at}");
    assert!(s.journal_text().contains(&format!("\"{sent_at}\"")));
    let sent = time::OffsetDateTime::parse(sent_at, &time::format_description::well_known::Rfc3339)
        .unwrap();
    let shown = sent.to_offset(time::macros::offset!(+8));
    let row = orders.lines().find(|l| l.contains(&order_id)).unwrap();
    assert!(
        row.starts_with(&format!(
            "{:04}-{:02}-{:02} {:02}:{:02} (UTC+08:00)  ",
            shown.year(),
            shown.month() as u8,
            shown.day(),
            shown.hour(),
            shown.minute()
        )),
        "{orders}"
    );
    assert!(orders.starts_with("SENT "), "{orders}");
    // The state's deadline is local too, and the state column holds it
    // whole: the order's description starts after two spaces.
    let state_at = row.find("pending payment until ").expect(&orders);
    let deadline = &row[state_at + "pending payment until ".len()..];
    assert_eq!(&deadline[16..28], " (UTC+08:00)", "{row}");
    assert!(deadline[28..].starts_with("  "), "{row}");
    assert!(!deadline.contains('Z'), "{row}");
}

/// Seconds since midnight of "HH:MM:SS".
fn seconds_of_day(clock: &str) -> i64 {
    let parts: Vec<i64> = clock.split(':').map(|p| p.parse().unwrap()).collect();
    parts[0] * 3600 + parts[1] * 60 + parts[2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_order_tells_each_wait_on_stderr_in_local_time() {
    let s = Setup::new(&["429=1:2@create"]).await;
    let mut cmd = s.command(&["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    // A zone eight hours east of UTC, by its POSIX rule.
    cmd.env("TZ", "CST-8");
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(s.sandbox.created_orders().len(), 1, "placed once");
    let waits: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("The service asked us to wait 1 s (HTTP 429, HCSS.14290001)"))
        .collect();
    assert_eq!(waits.len(), 2, "{}", run.stderr);
    assert!(
        waits[0].ends_with("(UTC+08:00), attempt 2 of 4"),
        "{}",
        waits[0]
    );
    assert!(
        waits[1].ends_with("(UTC+08:00), attempt 3 of 4"),
        "{}",
        waits[1]
    );
    let at = waits[0]
        .split("retrying at ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap();
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
    let expected = i64::from(now.hour()) * 3600 + i64::from(now.minute()) * 60;
    let off = (seconds_of_day(at) - expected - i64::from(now.second())).rem_euclid(86_400);
    assert!(off.min(86_400 - off) <= 30, "{at} is not the local time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watching_a_quiet_order_says_now_and_then_that_it_is_still_waiting() {
    let s = Setup::new(&[]).await;
    let plan = plan_file(s.home.path(), |p| p["is_auto_pay"] = false.into());
    let placed = s
        .run(&["order", "--plan", plan.to_str().unwrap(), "--yes"])
        .await;
    assert_eq!(placed.code, 4, "{}", placed.all());
    let order_id = s.sandbox.created_orders()[0].order_id.clone();

    // With FLEXUS_POLL_INTERVAL_MS=50 the slowest check, and so the quiet
    // spell that earns a line, is 1.5 s rather than a minute.
    let mut watch = s
        .command(&["status", &order_id, "--watch"])
        .spawn()
        .unwrap();
    let stdout = watch.stdout.take().unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            if lines_tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    let started = Instant::now();
    let mut seen = Vec::new();
    let alive = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(15))
            .unwrap_or_else(|_| panic!("no line that says it is alive: {seen:?}"));
        if line.contains("still pending payment") {
            break line;
        }
        seen.push(line);
    };
    watch.kill().unwrap();
    watch.wait().unwrap();
    assert_eq!(seen.len(), 1, "the state once, then quiet: {seen:?}");
    assert!(
        seen[0].starts_with(&format!("Order {order_id}: pending payment")),
        "{seen:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(1500));
    assert!(
        alive.starts_with(&format!(
            "Order {order_id}: still pending payment, nothing changed for "
        )),
        "{alive}"
    );
    assert!(alive.contains(" s (next check in "), "{alive}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_asks_cancels_a_pending_order_and_refuses_one_that_is_not() {
    let s = Setup::new(&[]).await;
    let (order_id, _) = ordered_pending(&s).await;

    // Standard input is no terminal: without --yes nothing is cancelled.
    let refused = s.run(&["cancel", &order_id]).await;
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(
        refused
            .stderr
            .contains("not cancelling without confirmation"),
        "{}",
        refused.stderr
    );

    let cancelled = s.run(&["cancel", &order_id, "--yes"]).await;
    assert_eq!(cancelled.code, 0, "{}", cancelled.all());
    assert!(
        cancelled
            .stdout
            .contains(&format!("Order {order_id}: cancellation accepted")),
        "{}",
        cancelled.stdout
    );
    assert!(
        cancelled
            .stdout
            .contains(&format!("Order {order_id}: cancelled")),
        "{}",
        cancelled.stdout
    );
    let orders = s.run(&["orders"]).await;
    let row = orders
        .stdout
        .lines()
        .find(|l| l.contains(&order_id))
        .unwrap();
    assert!(row.contains("cancelled"), "{row}");

    let again = s.run(&["cancel", &order_id, "--yes"]).await;
    assert_eq!(again.code, 1, "{}", again.all());
    assert!(
        again.stderr.contains("not pending payment"),
        "{}",
        again.stderr
    );
    let bad = s.run(&["cancel", "../pay"]).await;
    assert_eq!(bad.code, 2, "{}", bad.all());
}
