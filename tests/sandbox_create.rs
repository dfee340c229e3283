//! The purchase call: the sandbox refuses what the CLI refuses, with the
//! same words, and answers unknown paths and methods like a gateway.

mod sandbox_support;

use flexus::domain::catalog::Catalog;
use flexus::domain::order::Draft;
use sandbox_support::*;
use serde_json::{Value, json};

/// What the CLI says about a body, in the sandbox's error_msg form.
fn cli_verdict(body: &Value) -> String {
    let (_, problems) = Draft::from_plan_value_checked(body, &Catalog::embedded());
    assert!(!problems.is_empty(), "the test body should break a rule");
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    format!("Invalid parameter: {}", text.join("; "))
}

async fn refused(body: Value, field: &str) {
    let sb = start_default().await;
    let (status, answer) = answer(create(&sb, &body).await).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error_code"], "HCSS.14000001");
    let message = answer["error_msg"].as_str().unwrap();
    assert!(message.contains(&format!("{field}: ")), "{message}");
    assert_eq!(message, cli_verdict(&body));
    assert!(
        sb.created_orders().is_empty(),
        "a refused order is not created"
    );
}

fn with(change: impl FnOnce(&mut Value)) -> Value {
    let mut body = plan();
    change(&mut body);
    body
}

#[tokio::test]
async fn a_bad_instance_name_is_refused() {
    refused(
        with(|b| b["instance_name"] = json!("my server")),
        "instance_name",
    )
    .await;
    refused(
        with(|b| b["instance_name"] = json!("1abc")),
        "instance_name",
    )
    .await;
}

#[tokio::test]
async fn a_period_out_of_range_is_refused() {
    refused(with(|b| b["period_num"] = json!(10)), "period_num").await;
    refused(
        with(|b| {
            b["period_type"] = json!("year");
            b["period_num"] = json!(4);
        }),
        "period_num",
    )
    .await;
}

#[tokio::test]
async fn a_quantity_out_of_range_is_refused() {
    refused(
        with(|b| b["purchase_quantity"] = json!(0)),
        "purchase_quantity",
    )
    .await;
    refused(
        with(|b| b["purchase_quantity"] = json!(201)),
        "purchase_quantity",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_region_or_image_version_is_refused() {
    refused(with(|b| b["region"] = json!("mars-north-1")), "region").await;
    refused(
        with(|b| b["image_ref"]["image_version"] = json!("0.0.1")),
        "image_ref.image_version",
    )
    .await;
}

#[tokio::test]
async fn a_spec_that_does_not_fit_the_image_is_refused() {
    refused(
        with(|b| b["plan_spec"] = json!("no.such.spec")),
        "plan_spec",
    )
    .await;
}

#[tokio::test]
async fn bad_add_ons_and_tags_are_refused() {
    refused(
        with(|b| b["extra_resources"] = json!([{"type": "evs", "size": 5}])),
        "extra_resources[0].size",
    )
    .await;
    refused(
        with(|b| b["extra_resources"] = json!([{"type": "hss", "size": 20}])),
        "extra_resources[0].size",
    )
    .await;
    refused(
        with(|b| b["tags"] = json!([{"key": "a", "value": "1"}, {"key": "a", "value": "2"}])),
        "tags[1].key",
    )
    .await;
}

#[tokio::test]
async fn every_problem_is_named_at_once() {
    let body = with(|b| {
        b["instance_name"] = json!("");
        b["purchase_quantity"] = json!(0);
        b["charging_mode"] = json!("postPaid");
        b["colour"] = json!("blue");
    });
    let sb = start_default().await;
    let (status, answer) = answer(create(&sb, &body).await).await;
    assert_eq!(status, 400);
    let message = answer["error_msg"].as_str().unwrap();
    for field in [
        "instance_name: ",
        "purchase_quantity: ",
        "charging_mode: ",
        "colour: ",
    ] {
        assert!(message.contains(field), "{field} missing from {message}");
    }
    assert_eq!(message, cli_verdict(&body));
}

#[tokio::test]
async fn a_field_that_cannot_be_read_is_named_once() {
    let body = with(|b| b["instance_name"] = json!(5));
    refused(body.clone(), "instance_name").await;
    let sb = start_default().await;
    let (_, answer) = answer(create(&sb, &body).await).await;
    let message = answer["error_msg"].as_str().unwrap();
    assert_eq!(message.matches("instance_name: ").count(), 1, "{message}");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused() {
    let sb = start_default().await;
    let response = http()
        .post(format!("{}/v1/light-instances", sb.url()))
        .header("X-Auth-Token", purchase_token(&sb, &plan()))
        .header("Client-Request-Id", request_id())
        .body("{\"instance_name\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "HCSS.14000001");
    assert!(
        body["error_msg"]
            .as_str()
            .unwrap()
            .contains("not valid JSON"),
        "{body}"
    );
}

#[tokio::test]
async fn the_client_request_id_is_checked() {
    let sb = start_default().await;
    let ok_128 = format!("a{}", "0".repeat(127));
    let (status, body) = answer(create_with_id(&sb, &plan(), &ok_128).await).await;
    assert_eq!(status, 202, "{body}");

    for (id, words) in [
        ("0123456789abcdef0123456789abcdef012", "35 characters"),
        (&*format!("a{}", "0".repeat(128)), "129 characters"),
        (
            "-23e4567-e89b-12d3-a456-426614174000",
            "start with a letter or digit",
        ),
        (
            "123e4567_e89b_12d3_a456_426614174000",
            "\"_\" is not allowed",
        ),
    ] {
        let (status, body) = answer(create_with_id(&sb, &plan(), id).await).await;
        assert_eq!(status, 400, "{id}: {body}");
        assert_eq!(body["error_code"], "HCSS.14000001");
        let message = body["error_msg"].as_str().unwrap();
        assert!(
            message.starts_with("Invalid parameter: Client-Request-Id: "),
            "{message}"
        );
        assert!(message.contains(words), "{id}: {message}");
    }

    let response = http()
        .post(format!("{}/v1/light-instances", sb.url()))
        .header("X-Auth-Token", purchase_token(&sb, &plan()))
        .json(&plan())
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(status, 400);
    assert!(
        body["error_msg"]
            .as_str()
            .unwrap()
            .contains("Client-Request-Id: the header is required")
    );
    assert_eq!(sb.created_orders().len(), 1);
}

#[tokio::test]
async fn answers_are_json() {
    let sb = start_default().await;
    let response = create(&sb, &plan()).await;
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_answer_like_a_gateway() {
    let sb = start_default().await;
    let (status, body) = answer(get(&sb, "/v1/no-such-thing").await).await;
    assert_eq!(status, 404);
    assert_eq!(body["error_code"], "APIGW.0101");

    let response = get(&sb, "/v1/light-instances").await;
    assert_eq!(response.status().as_u16(), 405);
    let allow = response
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_string());
    assert_eq!(allow.as_deref(), Some("POST"));
    let (_, body) = answer(response).await;
    assert!(body["error_msg"].is_string(), "{body}");
}

#[tokio::test]
async fn head_requests_and_huge_bodies_are_checked_too() {
    let sb = start_default().await;
    let head = http()
        .head(format!("{}/v2/orders/customer-orders", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.status().as_u16(),
        401,
        "HEAD needs authentication like GET"
    );

    let huge = serde_json::json!({"description": "x".repeat((1 << 20) + 1024)});
    let (status, body) = answer(create(&sb, &huge).await).await;
    assert_eq!(status, 413);
    assert_eq!(body["error_code"], "HCSS.14000001");
}

#[tokio::test]
async fn the_request_log_has_method_path_and_status_only() {
    let sb = start_default().await;
    place(&sb, |_| {}).await;
    let _ = get(&sb, "/v2/orders/customer-orders?limit=5").await;
    let log = sb.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str(), log[0].status),
        ("POST", "/v1/light-instances", Some(202))
    );
    assert_eq!(
        (log[1].method.as_str(), log[1].path.as_str(), log[1].status),
        ("GET", "/v2/orders/customer-orders", Some(200))
    );
    let shown = format!("{log:?} {}", log[0].log_line());
    assert!(!shown.contains(&billing_token(&sb)));
    assert!(!shown.contains(&purchase_token(&sb, &plan())));
    assert!(
        log[0]
            .log_line()
            .contains("POST   /v1/light-instances  202"),
        "{}",
        log[0].log_line()
    );
}
