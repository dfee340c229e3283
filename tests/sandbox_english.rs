//! The sandbox stands in for Huawei, which answers in English: its refusals
//! stay English even when it runs inside a flexus that speaks Chinese (the
//! wizard starts it in its own process).

mod sandbox_support;

use flexus::lang::{Lang, in_language};
use sandbox_support::*;
use serde_json::json;

#[test]
fn a_refused_order_is_answered_in_english_inside_a_chinese_run() {
    // One thread runs the sandbox and the test, so the sandbox's handlers
    // read the Chinese this thread is set to.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (status, answer) = in_language(Lang::Zh, || {
        runtime.block_on(async {
            let sb = start_default().await;
            let mut body = plan();
            body["instance_name"] = json!("1abc");
            answer(create(&sb, &body).await).await
        })
    });
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error_code"], "HCSS.14000001");
    assert_eq!(
        answer["error_msg"],
        "Invalid parameter: instance_name: must start with a letter"
    );
    // The same rule, asked of the domain in Chinese, does speak Chinese.
    let chinese = in_language(Lang::Zh, || {
        flexus::domain::order::check_instance_name("1abc").unwrap_err()
    });
    assert_eq!(chinese, "必须以字母开头");
}
