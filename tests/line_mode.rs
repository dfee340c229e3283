//! The accessible line mode, as a screen reader's user or a script drives
//! it: the real binary, its answers on a pipe, against the sandbox.

mod cli_support;

use std::io::Write;
use std::process::Stdio;

use cli_support::{Run, Setup};

/// Runs `flexus ARGS` with `answers` on standard input (then its end),
/// checking what every run of the line mode must hold: no escape byte
/// anywhere, and no token printed.
async fn answering(s: &Setup, args: &[&str], env: &[(&str, &str)], answers: &str) -> Run {
    let mut cmd = s.command(args);
    cmd.envs(env.iter().copied()).stdin(Stdio::piped());
    let answers = answers.to_string();
    let output = tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().expect("flexus runs");
        let mut stdin = child.stdin.take().unwrap();
        // Flexus may stop reading early (end of a refused run): a closed
        // pipe is then no failure of the test.
        let _ = stdin.write_all(answers.as_bytes());
        drop(stdin);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(
        !run.all().contains('\u{1b}'),
        "an escape byte in the output:\n{}",
        run.all()
    );
    assert!(
        !run.all().contains(&s.purchase_token()),
        "a token was printed"
    );
    run
}

/// One line per answer: AP-Singapore, Ubuntu 22.04, hf.large.1.30m.linux,
/// a month of one instance, no auto-renew, `auto_pay`, an EVS disk of
/// 20 GiB, the name web-01 and the tag env=prod.
fn purchase(auto_pay: &str) -> String {
    purchase_with(auto_pay, "20")
}

/// [`purchase`] with the EVS disk's answer (empty: none).
fn purchase_with(auto_pay: &str, evs: &str) -> String {
    [
        "2", "18", "", "3", "", "", "", "n", auto_pay, evs, "", "", "web-01", "", "env", "prod", "",
    ]
    .iter()
    .map(|a| format!("{a}\n"))
    .collect()
}

fn at(s: &Setup) -> usize {
    s.sandbox.created_orders().len()
}

#[tokio::test]
async fn a_whole_purchase_through_a_pipe_reads_the_questions_and_the_review_as_lines() {
    let s = Setup::new(&[]).await;
    let answers = format!("{}yes\n", purchase("y"));
    let run = answering(&s, &["--accessible"], &[], &answers).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let out = &run.stdout;
    for question in [
        "To stop at any question, press Ctrl-D (or Ctrl-C): nothing is sent.",
        "Step 1 of 7: Region",
        "Which region?",
        "  2. AP-Singapore (ap-southeast-3)",
        "Type a number from 1 to 6, or press Enter for 1:",
        "Which image?",
        "  18. Ubuntu (OS image; versions 22.04, 20.04, 18.04, 16.04)",
        "Which version of Ubuntu?",
        "Step 3 of 7: Spec",
        // What the rules close is listed with the reason.
        "  1. hf.large.025.30m.linux: 2 vCPUs, 0.5 GiB, no list price known (unavailable: \
         Ubuntu needs at least 1 GiB)",
        "  3. hf.large.1.30m.linux: 2 vCPUs, 2 GiB, USD 9.00 a month",
        "How many months, 1 to 9? Press Enter for 1:",
        "EVS data disk: size in GiB, 10 to 2048; press Enter for none:",
        "Instance name (letters, digits, _ or -, starting with a letter):",
        "Value of the tag env:",
        "Step 7 of 7: Review",
    ] {
        assert!(
            out.contains(&format!("{question}\n")),
            "no {question:?} in:\n{out}"
        );
    }
    for review in [
        "Name            web-01",
        "Region          AP-Singapore (ap-southeast-3)",
        "Image           Ubuntu 22.04",
        "Spec            hf.large.1.30m.linux",
        "Extras          EVS data disk 20 GiB",
        "Tags            env=prod",
        "Memory          2 GiB",
        "Estimate        USD 9.00 per instance per month",
        // What the estimate does not count is said.
        "Not priced      EVS data disk 20 GiB",
    ] {
        assert!(out.contains(review), "no {review:?} in the review:\n{out}");
    }
    let completed = out
        .lines()
        .find(|l| l.ends_with(": completed, the instances are created"))
        .unwrap_or_else(|| panic!("not completed:\n{out}"));
    assert!(completed.starts_with("Order CS"), "{completed}");
    assert_eq!(at(&s), 1);
    let order = &s.sandbox.created_orders()[0];
    assert_eq!(order.body["instance_name"], "web-01");
    assert_eq!(order.body["plan_spec"], "hf.large.1.30m.linux");
    assert!(s.journal_text().contains(&order.client_request_id));
}

#[tokio::test]
async fn a_wrong_answer_is_explained_and_asked_again_keeping_the_earlier_ones() {
    let s = Setup::new(&[]).await;
    // A number out of range, a closed spec, a name too long, a name with
    // a space, and `y` where only `yes` sends; then `q` at the review.
    let long = "a".repeat(300);
    let answers = format!("9\n2\n18\n\n1\n3\n\n\n\nn\nn\n\n\n\n{long}\nweb 01\nweb-01\n\n\ny\nq\n");
    let answers = answers.as_str();
    let run = answering(&s, &["--accessible"], &[], answers).await;
    let out = &run.stdout;
    assert!(
        out.contains("\"9\" is not one of the numbers 1 to 6.\n"),
        "{out}"
    );
    assert_eq!(
        out.matches("Type a number from 1 to 6, or press Enter for 1:\n")
            .count(),
        2,
        "the region is asked again:\n{out}"
    );
    assert!(
        out.contains("1 cannot be chosen: Ubuntu needs at least 1 GiB.\n"),
        "{out}"
    );
    assert!(
        out.contains("Not taken: name: is 300 characters long; the limit is "),
        "{out}"
    );
    assert!(
        out.contains("Not taken: name: a space is not allowed"),
        "{out}"
    );
    assert!(
        out.contains("Not taken: \"y\" does not place the order; only the word yes does"),
        "{out}"
    );
    // Every answer before the wrong ones was kept.
    assert!(
        out.contains("Region          AP-Singapore (ap-southeast-3)"),
        "{out}"
    );
    assert!(out.contains("Name            web-01"), "{out}");
    assert!(
        out.ends_with("Quit at the review: nothing was sent.\n"),
        "{out}"
    );
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(at(&s), 0);
}

#[tokio::test]
async fn the_end_of_input_before_yes_sends_nothing_and_says_so() {
    let s = Setup::new(&[]).await;
    let run = answering(&s, &["--accessible"], &[], &purchase("y")).await;
    assert!(
        run.stdout
            .ends_with("End of input before the order was confirmed: nothing was sent.\n"),
        "{}",
        run.all()
    );
    assert_eq!(run.code, 2, "{}", run.all());
    assert_eq!(at(&s), 0);
    assert!(
        !s.journal_text().contains("client_request_id"),
        "{}",
        s.journal_text()
    );
}

#[tokio::test]
async fn the_end_of_input_after_the_order_is_sent_keeps_it_and_says_how_to_follow_it() {
    let s = Setup::new(&[]).await;
    // Auto-pay off: the order waits for payment, and the input ends where
    // flexus offers to pay it.
    let answers = format!("{}yes\n", purchase("n"));
    let run = answering(&s, &["--accessible"], &[], &answers).await;
    assert_eq!(at(&s), 1);
    let order_id = s.sandbox.created_orders()[0].order_id.clone();
    assert!(
        run.stdout.contains(&format!(
            "End of input: order {order_id} stays placed and waits for payment; it is in the \
             journal. Pay it with `flexus pay {order_id}`"
        )),
        "{}",
        run.all()
    );
    assert_eq!(run.code, 4, "pending payment:\n{}", run.all());
    assert!(s.journal_text().contains(&order_id));
}

#[tokio::test]
async fn a_dumb_terminal_chooses_the_line_mode_and_flexus_accessible_0_refuses_it() {
    let s = Setup::new(&[]).await;
    let run = answering(&s, &[], &[("TERM", "dumb")], "").await;
    assert!(
        run.stdout.starts_with("flexus, accessible mode:"),
        "{}",
        run.all()
    );
    assert!(run.stdout.contains("Which region?\n"), "{}", run.all());
    assert_eq!(run.code, 2);

    let refused = answering(&s, &[], &[("TERM", "dumb"), ("FLEXUS_ACCESSIBLE", "0")], "").await;
    assert!(refused.stdout.is_empty(), "{}", refused.all());
    assert!(
        refused.stderr.contains("the wizard needs a terminal"),
        "{}",
        refused.all()
    );

    let asked = answering(&s, &[], &[("FLEXUS_ACCESSIBLE", "1")], "").await;
    assert!(asked.stdout.contains("Which region?\n"), "{}", asked.all());
}

#[tokio::test]
async fn the_same_purchase_in_chinese_through_a_pipe() {
    let s = Setup::new(&[]).await;
    let answers = format!("{}yes\n", purchase("y"));
    let run = answering(&s, &["--accessible", "--lang", "zh"], &[], &answers).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let out = &run.stdout;
    for line in [
        "第1步，共7步：区域\n",
        "选择哪个区域？",
        "  2. 亚太-新加坡 (ap-southeast-3)",
        "BT 6.8.35（应用镜像）：宝塔面板，管理网站、数据库和文件的网页控制面板\n",
        "请输入1到6之间的编号，或按Enter选1：",
        "选择Ubuntu的哪个版本？",
        "  3. hf.large.1.30m.linux：",
        "购买几个月（1到9）？按Enter选1：",
        "标签env的值：",
        "第7步，共7步：确认订单\n",
        "输入yes并按Enter以提交此订单",
    ] {
        assert!(out.contains(line), "no {line:?} in:\n{out}");
    }
    assert!(!out.contains("Which region?"), "{out}");
    assert_eq!(at(&s), 1);
}

#[tokio::test]
async fn the_review_reads_out_the_profiles_spending_limit_and_refuses_yes_over_it() {
    let s = Setup::new(&[]).await;
    let config = s.home.path().join("config.toml");
    std::fs::write(&config, "[profiles.default]\nmax_order_total = 5\n").unwrap();
    let config = config.to_str().unwrap();
    let answers = format!("{}yes\nq\n", purchase_with("y", ""));
    let run = answering(
        &s,
        &["--accessible"],
        &[("FLEXUS_CONFIG", config)],
        &answers,
    )
    .await;
    let out = &run.stdout;
    for line in [
        "Spending limit of profile default: USD 5.00 per order (unpriced refused).\n",
        "Nothing can be sent: the estimated total USD 9.00 is over the spending limit of USD \
         5.00 (max_order_total).",
        "This order cannot be sent as it is: type a step number from 1 to 6",
        "Not taken: this order cannot be sent as it is; change a step first.\n",
    ] {
        assert!(out.contains(line), "no {line:?} in:\n{out}");
    }
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(at(&s), 0);
}

#[tokio::test]
async fn the_next_order_starts_from_the_last_ones_choices_and_enter_keeps_them() {
    let s = Setup::new(&[]).await;
    let first = answering(
        &s,
        &["--accessible"],
        &[],
        &format!("{}yes\n", purchase("y")),
    )
    .await;
    assert_eq!(first.code, 0, "{}", first.all());
    // Enter at each of the 16 questions (the tags kept), twice at the
    // review, where Enter sends nothing, then quit.
    let answers = format!("{}q\n", "\n".repeat(18));
    let run = answering(&s, &["--accessible"], &[], &answers).await;
    let out = &run.stdout;
    assert!(
        out.contains("Starting from the choices of your last order, sent "),
        "{out}"
    );
    assert!(
        out.contains("Type a number from 1 to 6, or press Enter for 2:\n"),
        "{out}"
    );
    assert!(
        out.contains("Instance name (press Enter for web-01):\n"),
        "{out}"
    );
    for review in [
        "Region          AP-Singapore (ap-southeast-3)",
        "Image           Ubuntu 22.04",
        "Spec            hf.large.1.30m.linux",
        "Extras          EVS data disk 20 GiB",
        "Tags            env=prod",
    ] {
        assert!(out.contains(review), "no {review:?} in the review:\n{out}");
    }
    assert!(
        out.ends_with("Quit at the review: nothing was sent.\n"),
        "{out}"
    );
    assert_eq!(at(&s), 1);
}

#[tokio::test]
async fn an_order_whose_answer_was_lost_is_never_sent_twice_from_the_line_mode() {
    // The sandbox places the order but drops its answer.
    let s = Setup::new(&["drop@create"]).await;
    let answers = format!("{}yes\n", purchase("y"));
    let lost = answering(&s, &["--accessible"], &[], &answers).await;
    assert_eq!(lost.code, 3, "outcome unknown:\n{}", lost.all());
    assert_eq!(at(&s), 1);
    // Going on past the warning at start, the same order again (Enter
    // keeps each of the last order's 16 choices): the journal's unresolved
    // purchase stops it before anything is sent.
    let same = format!("y\n{}yes\n", "\n".repeat(16));
    let again = answering(&s, &["--accessible"], &[], &same).await;
    assert_eq!(again.code, 3, "{}", again.all());
    assert!(
        again.stderr.contains(
            "nothing was sent: this same order was sent before and its outcome is unknown"
        ),
        "{}",
        again.all()
    );
    assert_eq!(at(&s), 1, "sent twice");
}

#[tokio::test]
async fn a_start_after_a_lost_answer_names_the_order_found_and_places_nothing() {
    let s = Setup::new(&["drop@create"]).await;
    let answers = format!("{}yes\n", purchase("y"));
    let lost = answering(&s, &["--accessible"], &[], &answers).await;
    assert_eq!(lost.code, 3, "outcome unknown:\n{}", lost.all());
    let created = s.sandbox.created_orders();
    let (order, id) = (&created[0].order_id, &created[0].client_request_id);
    // Enter alone at the warning: no new order.
    let run = answering(&s, &["--accessible"], &[], "\n").await;
    let out = &run.stdout;
    let warned = out
        .find("An earlier purchase from this machine has an unknown outcome: web-01 (hf.large.1.30m.linux, ap-southeast-3), sent ")
        .expect(out);
    assert!(
        out[warned..].contains(&format!("Client-Request-Id {id}.")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "The account's order list holds orders that may be this purchase: {order}."
        )),
        "{out}"
    );
    for next in [
        format!("flexus claim {id} ORDER_ID"),
        format!("flexus dismiss {id} ORDER_ID"),
        format!("flexus resend {id}"),
    ] {
        assert!(out.contains(&next), "no {next:?}:\n{out}");
    }
    assert!(out.contains("Go on to a new order anyway?"), "{out}");
    assert!(!out.contains("Step 1 of 7"), "{out}");
    assert_eq!(run.code, 3, "{}", run.all());
    assert_eq!(at(&s), 1, "placed again");
}

#[tokio::test]
async fn enter_alone_and_a_pasted_page_at_the_review_are_told_shortly_and_place_nothing() {
    let s = Setup::new(&[]).await;
    let long = "a".repeat(5000);
    let answers = format!("{}\n{long}\nq\n", purchase("y"));
    let run = answering(&s, &["--accessible"], &[], &answers).await;
    let out = &run.stdout;
    assert!(
        out.contains("Enter alone does nothing here; type yes, a step number, or q"),
        "{out}"
    );
    assert!(!out.contains("\"\" does not place"), "{out}");
    let said = format!(
        "\"{}… (5000 characters)\" does not place the order",
        "a".repeat(40)
    );
    assert!(out.contains(&said), "{out}");
    assert!(out.lines().all(|l| l.len() < 300), "a long line:\n{out}");
    assert_eq!(at(&s), 0);
}

#[tokio::test]
async fn credentials_that_fail_are_told_and_another_way_to_sign_in_is_asked() {
    let s = Setup::new(&[]).await;
    let env = [
        ("FLEXUS_TOKEN", "MIIrefused"),
        ("FLEXUS_BSS_TOKEN", "MIIrefused"),
    ];
    // The sandbox, chosen from the list; then the input ends.
    let run = answering(&s, &["--accessible"], &env, "4\n").await;
    let out = &run.stdout;
    let failed = out.find("Signing in failed: ").expect(out);
    let asked = out.find("How do you sign in?\n").expect(out);
    let sandbox = out
        .find("Signed in. Orders go to the sandbox at ")
        .expect(out);
    assert!(failed < asked && asked < sandbox, "{out}");
    assert!(!out.contains("MIIrefused"), "{out}");
    assert_eq!(run.code, 2, "{}", run.all());
}
