//! The headless commands in Chinese, chosen each way a person can choose
//! it (`--lang zh`, `FLEXUS_LANG=zh`, a Chinese locale), against the
//! sandbox: the words follow the language, the JSON keys and values that
//! scripts match on do not.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

mod cli_support;
use cli_support::{EXAMPLE_PLAN, Run, Setup, plan_file};

/// The ways a person asks for Chinese.
#[derive(Debug, Clone, Copy)]
enum Way {
    Flag,
    Variable,
    Locale,
}

const WAYS: [Way; 3] = [Way::Flag, Way::Variable, Way::Locale];

/// `flexus ARGS` against the sandbox, in Chinese as `way` asks for it.
fn in_chinese(s: &Setup, way: Way, args: &[&str]) -> Command {
    let mut all = Vec::new();
    if let Way::Flag = way {
        all.extend(["--lang", "zh"]);
    }
    all.extend_from_slice(args);
    let mut cmd = s.command(&all);
    match way {
        Way::Flag => {}
        Way::Variable => {
            cmd.env("FLEXUS_LANG", "zh");
        }
        // The clean environment has no FLEXUS_LANG, LC_ALL or LC_MESSAGES.
        Way::Locale => {
            cmd.env("LANG", "zh_CN.UTF-8");
        }
    }
    cmd
}

async fn run(s: &Setup, way: Way, args: &[&str]) -> Run {
    s.run_with(in_chinese(s, way, args)).await
}

fn one_object(run: &Run) -> Value {
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stdout: {}", run.all());
    serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// Every key of a JSON value, nested ones by their path.
fn keys(value: &Value, prefix: &str, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = format!("{prefix}.{key}");
                keys(inner, &path, found);
                found.insert(path);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| keys(item, prefix, found)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_way_of_asking_gives_chinese_catalog_dry_run_refusal_order_and_orders() {
    for way in WAYS {
        let s = Setup::new(&[]).await;

        let catalog = run(&s, way, &["catalog"]).await;
        assert_eq!(catalog.code, 0, "{way:?}: {}", catalog.all());
        for heading in ["类型", "镜像", "规格代码", "价格    记录于"] {
            assert!(
                catalog.stdout.contains(heading),
                "{way:?}: {}",
                catalog.stdout
            );
        }
        assert!(!catalog.stdout.contains("Specification codes"), "{way:?}");
        // The kinds of image in the console's words; --json keeps codes.
        for kind in ["应用镜像", "系统镜像"] {
            assert!(catalog.stdout.contains(kind), "{way:?}: {}", catalog.stdout);
        }
        assert!(!catalog.stdout.contains("  application "), "{way:?}");

        let dry = run(&s, way, &["order", "--plan", EXAMPLE_PLAN, "--dry-run"]).await;
        assert_eq!(dry.code, 0, "{way:?}: {}", dry.all());
        assert!(
            dry.stderr.contains("试运行：未发送任何请求"),
            "{way:?}: {}",
            dry.stderr
        );
        // The request body is the API's, in its own words.
        let body: Value = serde_json::from_str(&dry.stdout).unwrap();
        assert_eq!(body["charging_mode"], "prePaid", "{way:?}");

        // No terminal to ask on: refused, with the flag that confirms.
        let refused = run(&s, way, &["order", "--plan", EXAMPLE_PLAN]).await;
        assert_eq!(refused.code, 2, "{way:?}: {}", refused.all());
        assert!(
            refused.stderr.contains("未经确认，不会下单")
                && refused.stderr.contains("加上--yes即可确认"),
            "{way:?}: {}",
            refused.stderr
        );
        assert!(s.sandbox.created_orders().is_empty(), "{way:?}");

        let placed = run(&s, way, &["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
        assert_eq!(placed.code, 0, "{way:?}: {}", placed.all());
        let order_id = s.sandbox.created_orders()[0].order_id.clone();
        assert!(
            placed
                .stdout
                .contains(&format!("订单{order_id}：已完成，实例已创建")),
            "{way:?}: {}",
            placed.stdout
        );

        let orders = run(&s, way, &["orders"]).await;
        assert_eq!(orders.code, 0, "{way:?}: {}", orders.all());
        let heading = orders.stdout.lines().next().unwrap_or_default();
        assert!(
            heading.starts_with("发送时间") && heading.contains("订单号"),
            "{way:?}: {}",
            orders.stdout
        );
        assert!(orders.stdout.contains(&order_id), "{way:?}");
    }
}

/// Scripts read the same object whatever the language: the keys and the
/// values they match on stay; only the words for people follow it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_keeps_its_keys_and_states_in_chinese_and_words_its_errors_in_chinese() {
    let s = Setup::new(&[]).await;
    let plan = plan_file(s.home.path(), |p| p["is_auto_pay"] = false.into());
    let plan = plan.to_str().unwrap();
    let english = one_object(&s.run(&["order", "--plan", plan, "--yes", "--json"]).await);
    // The first order waits for payment, so this one is said to be separate.
    let again = [
        "order",
        "--plan",
        plan,
        "--yes",
        "--separate-purchase",
        "--json",
    ];
    let chinese_run = run(&s, Way::Variable, &again).await;
    assert_eq!(chinese_run.code, 4, "{}", chinese_run.all());
    let chinese = one_object(&chinese_run);
    let (mut english_keys, mut chinese_keys) = (BTreeSet::new(), BTreeSet::new());
    keys(&english, "", &mut english_keys);
    keys(&chinese, "", &mut chinese_keys);
    assert_eq!(english_keys, chinese_keys, "{english}\n{chinese}");
    assert_eq!(chinese["state"], "pending_payment");
    let message = chinese["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("待支付") && message.contains("flexus pay"),
        "{message}"
    );

    let catalog = one_object(&run(&s, Way::Flag, &["catalog", "--json"]).await);
    assert!(catalog["prices_recorded_on"].is_string(), "{catalog}");
    assert_eq!(
        catalog["offerings"][0]["image_type"], "application",
        "{catalog}"
    );
    assert!(
        catalog["offerings"][0]["plan_specs"].is_array(),
        "{catalog}"
    );

    let orders = run(&s, Way::Locale, &["orders", "--json"]).await;
    for line in orders.stdout.lines() {
        let purchase: Value = serde_json::from_str(line).unwrap();
        assert!(purchase.get("client_request_id").is_some(), "{purchase}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_reads_chinese_down_to_each_argument_and_the_exit_codes() {
    let s = Setup::new(&[]).await;
    let help = run(&s, Way::Flag, &["order", "--help"]).await;
    assert_eq!(help.code, 0, "{}", help.all());
    for words in [
        "按计划文件下单",
        "试运行：检查计划",
        "不询问直接下单",
        "购买服务（HCSS）的终端节点",
        "退出码：0已完成",
    ] {
        assert!(help.stdout.contains(words), "{words}: {}", help.stdout);
    }
    // Every command's about line, in the overview.
    let overview = run(&s, Way::Locale, &["--help"]).await;
    assert!(overview.stdout.contains("在终端中购买华为云Flexus L实例"));
    assert!(
        overview.stdout.contains("列出本机发起的购买"),
        "{}",
        overview.stdout
    );
    assert!(
        !overview.stdout.contains("Show an order's state"),
        "{}",
        overview.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_language_flexus_does_not_speak_is_a_clear_error() {
    let s = Setup::new(&[]).await;
    let mut cmd = s.command(&["orders"]);
    cmd.env("FLEXUS_LANG", "fr");
    let refused = s.run_with(cmd).await;
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(
        refused.stderr.contains("FLEXUS_LANG=\"fr\"") && refused.stderr.contains("use en or zh"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    let flag = s.run(&["--lang", "fr", "orders"]).await;
    assert_eq!(flag.code, 2, "{}", flag.all());
    assert!(flag.stderr.contains("zh (中文)"), "{}", flag.stderr);
}

/// Chinese text as Chinese writes it: lists joined with 、, × between
/// counts, Chinese quotes, and no English default beside the Chinese one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chinese_lists_signs_and_defaults_are_written_the_chinese_way() {
    let s = Setup::new(&[]).await;
    let config = s.home.path().join("config.toml");
    std::fs::write(&config, "[profiles.a]\n[profiles.b]\n").unwrap();
    let mut cmd = in_chinese(&s, Way::Flag, &["--profile", "zz", "catalog"]);
    cmd.env("FLEXUS_CONFIG", &config);
    let refused = s.run_with(cmd).await;
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(refused.stderr.contains("a、b"), "{}", refused.stderr);

    let help = run(&s, Way::Flag, &["sandbox", "--help"]).await.stdout;
    assert!(help.contains("官网价格×月数×数量"), "{help}");
    assert!(help.contains("order_id换成“..”"), "{help}");
    assert!(!help.contains("[default:"), "{help}");
}
