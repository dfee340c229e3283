//! The order book over a real socket: creating, reading, listing, paying
//! and cancelling orders, and how their status moves.

mod sandbox_support;

use std::time::Duration;

use flexus::sandbox::{SandboxConfig, SandboxHandle};
use reqwest::Method;
use sandbox_support::*;
use serde_json::{Value, json};

/// A payment from the account balance, as `flexus pay` sends it.
fn pay_request(order_id: &str) -> Value {
    json!({"order_id": order_id, "use_coupon": "NO", "use_discount": "NO"})
}

async fn pay(sb: &SandboxHandle, body: &Value) -> (u16, Value) {
    answer(send_json(sb, Method::POST, "/v3/orders/customer-orders/pay", body).await).await
}

async fn cancel(sb: &SandboxHandle, body: &Value) -> (u16, Value) {
    answer(send_json(sb, Method::PUT, "/v2/orders/customer-orders/cancel", body).await).await
}

#[tokio::test]
async fn a_valid_order_is_accepted_and_recorded() {
    let sb = start_default().await;
    let id = request_id();
    let (status, body) = answer(create_with_id(&sb, &plan(), &id).await).await;
    assert_eq!(status, 202, "{body}");
    let order_id = body["order_id"].as_str().unwrap();
    assert!(
        order_id.starts_with("CS") && order_id.len() == 17,
        "{order_id}"
    );
    let instances = body["instance_ids"].as_array().unwrap();
    assert_eq!(instances.len(), 2, "the plan buys two instances");
    for i in instances {
        let i = i.as_str().unwrap();
        assert!(
            i.len() == 24 && i.bytes().all(|b| b.is_ascii_hexdigit()),
            "{i}"
        );
    }

    let orders = sb.created_orders();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].client_request_id, id);
    assert_eq!(orders[0].order_id, order_id);
    assert_eq!(orders[0].body, plan());
    assert_eq!(orders[0].instance_ids.len(), 2);
}

#[tokio::test]
async fn the_same_client_request_id_twice_makes_two_orders() {
    let sb = start_default().await;
    let id = request_id();
    let (a, _) = answer(create_with_id(&sb, &plan(), &id).await).await;
    let (b, _) = answer(create_with_id(&sb, &plan(), &id).await).await;
    assert_eq!((a, b), (202, 202));
    let orders = sb.created_orders();
    assert_eq!(orders.len(), 2);
    assert_ne!(orders[0].order_id, orders[1].order_id);
}

#[tokio::test]
async fn details_show_the_order_with_its_price() {
    let sb = start_default().await;
    let order_id = place(&sb, |_| {}).await;
    let (status, body) = answer(
        get(
            &sb,
            &format!("/v2/orders/customer-orders/details/{order_id}"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let details: flexus::api::wire::OrderDetails = serde_json::from_value(body.clone()).unwrap();
    let info = &details.order_info;
    assert_eq!(info.order_id, order_id);
    assert_eq!(info.currency.as_deref(), Some("USD"));
    assert_eq!(info.measure_id, Some(1));
    assert_eq!(info.order_type, Some(1));
    // hf.large.1.30m.linux in ap-southeast-3, 1 month, 2 instances.
    let prices = flexus::domain::pricing::PriceTable::embedded();
    let monthly = prices
        .monthly_price("ap-southeast-3", "hf.large.1.30m.linux")
        .expect("the example package has a list price");
    let want = monthly.times(2).cents as f64 / 100.0;
    assert_eq!(info.official_amount, Some(want));
    assert_eq!(info.amount_after_discount, Some(want));
    let created = info.create_time.as_deref().unwrap();
    assert!(
        flexus::api::wire::parse_bss_time(created).is_some(),
        "{created}"
    );
    assert_eq!(details.order_line_items.len(), 1);
    let item = &details.order_line_items[0];
    assert_eq!(item.period_type, Some(2));
    assert_eq!(item.period_num, Some(1));
    assert_eq!(item.subscription_num, Some(2));
}

#[tokio::test]
async fn an_unknown_order_is_refused_with_a_bss_code() {
    let sb = start_default().await;
    let (status, body) =
        answer(get(&sb, "/v2/orders/customer-orders/details/CS2402281130XXXXX").await).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "CBC.30000010");
}

#[tokio::test]
async fn an_auto_paid_order_processes_then_completes() {
    let sb = start(SandboxConfig {
        complete_after: Duration::from_millis(300),
        ..SandboxConfig::default()
    })
    .await;
    let order_id = place(&sb, |_| {}).await;
    let (_, body) = answer(
        get(
            &sb,
            &format!("/v2/orders/customer-orders/details/{order_id}"),
        )
        .await,
    )
    .await;
    assert!(body["order_info"]["payment_time"].is_string(), "{body}");
    wait_for_status(&sb, &order_id, 5).await;
}

#[tokio::test]
async fn an_order_completes_only_after_complete_after() {
    let sb = start(SandboxConfig {
        complete_after: Duration::from_secs(3600),
        ..SandboxConfig::default()
    })
    .await;
    let order_id = place(&sb, |_| {}).await;
    assert_eq!(order_status(&sb, &order_id).await, 3);
}

#[tokio::test]
async fn a_manual_order_waits_for_payment_then_completes() {
    let sb = start(SandboxConfig {
        complete_after: Duration::from_millis(200),
        ..SandboxConfig::default()
    })
    .await;
    let order_id = place(&sb, |b| b["is_auto_pay"] = json!(false)).await;
    let (_, body) = answer(
        get(
            &sb,
            &format!("/v2/orders/customer-orders/details/{order_id}"),
        )
        .await,
    )
    .await;
    assert_eq!(body["order_info"]["status"], 6);
    let deadline = body["order_info"]["pending_payment_end_time"]
        .as_str()
        .unwrap();
    assert!(
        flexus::api::wire::parse_bss_time(deadline).is_some(),
        "{deadline}"
    );
    assert!(body["order_info"].get("payment_time").is_none(), "{body}");

    let payment = pay_request(&order_id);
    let (status, body) = pay(&sb, &payment).await;
    assert_eq!(status, 204, "{body}");
    wait_for_status(&sb, &order_id, 5).await;

    // Paying again is refused: the order is no longer pending payment.
    let (status, body) = pay(&sb, &payment).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "CBC.99003106");
}

#[tokio::test]
async fn a_pending_order_can_be_cancelled_once() {
    let sb = start_default().await;
    let order_id = place(&sb, |b| b["is_auto_pay"] = json!(false)).await;
    let cancellation = json!({"order_id": order_id});
    let (status, _) = cancel(&sb, &cancellation).await;
    assert_eq!(status, 204);
    assert_eq!(order_status(&sb, &order_id).await, 4);

    let (status, body) = cancel(&sb, &cancellation).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "CBC.99005010");

    let payment = pay_request(&order_id);
    let (status, body) = pay(&sb, &payment).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "CBC.99003106");
}

#[tokio::test]
async fn paying_or_cancelling_an_unknown_order_is_refused() {
    let sb = start_default().await;
    let payment = pay_request("CS0000000000NONE0");
    let (status, body) = pay(&sb, &payment).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("CBC.30000010"))
    );
    let cancellation = json!({"order_id": "CS0000000000NONE0"});
    let (status, body) = cancel(&sb, &cancellation).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("CBC.30000010"))
    );
    let (status, body) = pay(&sb, &json!({"id": 1})).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("CBC.0100"))
    );
}

#[tokio::test]
async fn an_unpaid_order_past_its_deadline_is_cancelled() {
    let sb = start(SandboxConfig {
        payment_window: Duration::from_millis(1),
        ..SandboxConfig::default()
    })
    .await;
    let order_id = place(&sb, |b| b["is_auto_pay"] = json!(false)).await;
    wait_for_status(&sb, &order_id, 4).await;
    let payment = pay_request(&order_id);
    let (status, body) = pay(&sb, &payment).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("CBC.99003110"))
    );
}

#[tokio::test]
async fn a_package_without_a_list_price_gets_the_sandbox_figure() {
    use flexus::domain::catalog::Catalog;
    use flexus::domain::order::Draft;
    use flexus::domain::pricing::PriceTable;
    let (catalog, prices) = (Catalog::embedded(), PriceTable::embedded());
    // The example plan in a region where it can be bought but has no price.
    let body = catalog
        .regions
        .iter()
        .map(|r| {
            let mut body = plan();
            body["region"] = json!(r.code);
            body
        })
        .find(|body| {
            let (draft, problems) = Draft::from_plan_value(body);
            problems.is_empty()
                && draft.problems(&catalog).is_empty()
                && prices
                    .monthly_price(&draft.region, &draft.plan_spec)
                    .is_none()
        })
        .expect("some region sells the example package without a known price");
    let sb = start_default().await;
    let (status, created) = answer(create(&sb, &body).await).await;
    assert_eq!(status, 202, "{created}");
    let order_id = created["order_id"].as_str().unwrap();
    let (_, details) = answer(
        get(
            &sb,
            &format!("/v2/orders/customer-orders/details/{order_id}"),
        )
        .await,
    )
    .await;
    let figure = flexus::sandbox::orders::UNLISTED_MONTHLY_PRICE
        .times(2)
        .cents as f64
        / 100.0;
    assert_eq!(details["order_info"]["official_amount"], json!(figure));
}

#[tokio::test]
async fn the_list_filters_and_pages() {
    let sb = start(SandboxConfig {
        complete_after: Duration::from_secs(3600),
        ..SandboxConfig::default()
    })
    .await;
    let first = place(&sb, |_| {}).await;
    let second = place(&sb, |b| b["is_auto_pay"] = json!(false)).await;
    let third = place(&sb, |_| {}).await;

    let ids = |body: &serde_json::Value| -> Vec<String> {
        body["order_infos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["order_id"].as_str().unwrap().to_string())
            .collect()
    };

    let (status, body) =
        answer(get(&sb, "/v2/orders/customer-orders?order_by=-createTime").await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total_count"], 3);
    assert_eq!(
        ids(&body),
        [third.as_str(), second.as_str(), first.as_str()]
    );

    let (_, body) = answer(get(&sb, "/v2/orders/customer-orders?order_by=createTime").await).await;
    assert_eq!(
        ids(&body),
        [first.as_str(), second.as_str(), third.as_str()]
    );

    let (_, body) = answer(get(&sb, "/v2/orders/customer-orders?status=6").await).await;
    assert_eq!(ids(&body), [second.as_str()]);

    let (_, body) =
        answer(get(&sb, &format!("/v2/orders/customer-orders?order_id={first}")).await).await;
    assert_eq!(body["total_count"], 1);
    assert_eq!(ids(&body), [first.as_str()]);

    let (_, body) = answer(
        get(
            &sb,
            "/v2/orders/customer-orders?order_by=-createTime&limit=1&offset=1",
        )
        .await,
    )
    .await;
    assert_eq!(
        body["total_count"], 3,
        "the total counts every match, not the page"
    );
    assert_eq!(ids(&body), [second.as_str()]);

    // Times: everything created from an hour ago to an hour ahead, and
    // nothing from before 2000.
    let hour = time::Duration::hours(1);
    let now = time::OffsetDateTime::now_utc();
    let begin = flexus::api::wire::bss_time(now - hour);
    let end = flexus::api::wire::bss_time(now + hour);
    let (_, body) = answer(
        get(
            &sb,
            &format!("/v2/orders/customer-orders?create_time_begin={begin}&create_time_end={end}"),
        )
        .await,
    )
    .await;
    assert_eq!(body["total_count"], 3);
    let (_, body) = answer(
        get(
            &sb,
            "/v2/orders/customer-orders?create_time_end=2000-01-01T00:00:00Z",
        )
        .await,
    )
    .await;
    assert_eq!(body["total_count"], 0);
    let (_, body) = answer(
        get(
            &sb,
            &format!("/v2/orders/customer-orders?create_time_begin={end}"),
        )
        .await,
    )
    .await;
    assert_eq!(body["total_count"], 0);
}

#[tokio::test]
async fn bad_list_filters_are_refused() {
    let sb = start_default().await;
    for query in [
        "create_time_begin=2024-02-28 11:30:00",
        "create_time_end=yesterday",
        "limit=0",
        "limit=101",
        "offset=-1",
        "status=paid",
        "order_by=name",
    ] {
        let (status, body) =
            answer(get(&sb, &format!("/v2/orders/customer-orders?{query}")).await).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error_code"], "CBC.0100", "{query}");
    }
}
