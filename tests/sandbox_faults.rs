//! Every fault the sandbox injects, observed over a real socket.

mod sandbox_support;

use std::time::Duration;

use flexus::sandbox::{Fault, SandboxConfig, SandboxHandle};
use sandbox_support::*;

async fn with_faults(faults: &[&str]) -> SandboxHandle {
    start(SandboxConfig {
        faults: faults.iter().map(|f| f.parse::<Fault>().unwrap()).collect(),
        ..SandboxConfig::default()
    })
    .await
}

#[tokio::test]
async fn a_burst_of_429s_then_service() {
    let sb = with_faults(&["429=7:3@create"]).await;
    for _ in 0..3 {
        let response = create(&sb, &plan()).await;
        assert_eq!(response.status().as_u16(), 429);
        assert_eq!(response.headers()["retry-after"], "7");
        let (_, body) = answer(response).await;
        assert_eq!(body["error_code"], "HCSS.14290001");
    }
    assert!(
        sb.created_orders().is_empty(),
        "a throttled request creates nothing"
    );
    let (status, _) = answer(create(&sb, &plan()).await).await;
    assert_eq!(status, 202);
    assert_eq!(sb.created_orders().len(), 1);
}

#[tokio::test]
async fn a_fault_hits_only_its_endpoint() {
    let sb = with_faults(&["500:2@details"]).await;
    let order_id = place(&sb, |_| {}).await;
    let path = format!("/v2/orders/customer-orders/details/{order_id}");
    let (_, list) = answer(get(&sb, "/v2/orders/customer-orders").await).await;
    assert_eq!(list["total_count"], 1, "the list is not faulted");
    for _ in 0..2 {
        let (status, body) = answer(get(&sb, &path).await).await;
        assert_eq!(status, 500);
        assert_eq!(body["error_code"], "CBC.0999");
    }
    let (status, _) = answer(get(&sb, &path).await).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn server_errors_on_create_use_the_hcss_code() {
    let sb = with_faults(&["500@create"]).await;
    let (status, body) = answer(create(&sb, &plan()).await).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (500, Some("HCSS.15000001"))
    );
    assert!(sb.created_orders().is_empty());
}

#[tokio::test]
async fn any_table_8_code_can_be_forced() {
    let sb = with_faults(&[
        "error=HCSS.14000011@create",
        "error=HCSS.14000010@create",
        "error=HCSS.15000001@create",
    ])
    .await;
    let (status, body) = answer(create(&sb, &plan()).await).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("HCSS.14000011"))
    );
    assert_eq!(body["error_msg"], "Insufficient quota.");
    let (status, body) = answer(create(&sb, &plan()).await).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("HCSS.14000010"))
    );
    let (status, body) = answer(create(&sb, &plan()).await).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (500, Some("HCSS.15000001"))
    );
    assert!(sb.created_orders().is_empty());
    let (status, _) = answer(create(&sb, &plan()).await).await;
    assert_eq!(status, 202);
}

#[tokio::test]
async fn a_dropped_answer_still_creates_the_order() {
    let sb = with_faults(&["drop@create"]).await;
    let id = request_id();
    let outcome = http()
        .post(format!("{}/v1/light-instances", sb.url()))
        .header("X-Auth-Token", purchase_token(&sb, &plan()))
        .header("Client-Request-Id", &id)
        .json(&plan())
        .send()
        .await;
    let error = outcome.expect_err("the connection is cut without an answer");
    assert!(error.status().is_none(), "no HTTP status arrived: {error}");
    assert!(
        !error.is_timeout(),
        "the connection was cut, not left hanging: {error}"
    );

    let orders = sb.created_orders();
    assert_eq!(
        orders.len(),
        1,
        "the order exists although its answer was lost"
    );
    assert_eq!(orders[0].client_request_id, id);
    let log = sb.requests();
    assert_eq!(log.len(), 1);
    assert!(log[0].dropped && log[0].status.is_none(), "{log:?}");
    assert!(log[0].log_line().contains("dropped"));

    // The order can be found, and the next request is answered normally.
    let (_, list) = answer(get(&sb, "/v2/orders/customer-orders").await).await;
    assert_eq!(
        list["order_infos"][0]["order_id"],
        orders[0].order_id.as_str()
    );
    let (status, _) = answer(create_with_id(&sb, &plan(), &id).await).await;
    assert_eq!(status, 202);
    assert_eq!(sb.created_orders().len(), 2);
}

#[tokio::test]
async fn a_dropped_answer_on_a_kept_alive_connection() {
    // One client, so the faulted request reuses the connection of the
    // first: the cut must still reach it.
    let sb = with_faults(&["drop@details"]).await;
    let client = http();
    let send = |path: String| {
        client
            .get(format!("{}{path}", sb.url()))
            .header("X-Auth-Token", billing_token(&sb))
            .send()
    };
    let first = send("/v2/orders/customer-orders".into()).await.unwrap();
    assert_eq!(first.status().as_u16(), 200);
    let _ = first.text().await;
    let cut = send("/v2/orders/customer-orders/details/CS2402281130ABCDE".into()).await;
    assert!(cut.is_err(), "{cut:?}");
    let again = send("/v2/orders/customer-orders".into()).await.unwrap();
    assert_eq!(again.status().as_u16(), 200);
}

#[tokio::test]
async fn a_slow_answer_outlasts_a_short_client_timeout() {
    let sb = with_faults(&["slow=5000@list"]).await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let slow = impatient
        .get(format!("{}/v2/orders/customer-orders", sb.url()))
        .header("X-Auth-Token", billing_token(&sb))
        .send()
        .await;
    assert!(slow.expect_err("the answer is late").is_timeout());
    // Used up: the next one is answered at once.
    let next = impatient
        .get(format!("{}/v2/orders/customer-orders", sb.url()))
        .header("X-Auth-Token", billing_token(&sb))
        .send()
        .await
        .expect("no delay left");
    assert_eq!(next.status().as_u16(), 200);
}

#[tokio::test]
async fn a_client_that_gives_up_on_a_slow_answer_has_still_placed_the_order() {
    let sb = with_faults(&["slow=10000@create"]).await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let id = request_id();
    let gave_up = impatient
        .post(format!("{}/v1/light-instances", sb.url()))
        .header("X-Auth-Token", purchase_token(&sb, &plan()))
        .header("Client-Request-Id", &id)
        .json(&plan())
        .send()
        .await;
    assert!(gave_up.expect_err("the answer is late").is_timeout());
    let orders = sb.created_orders();
    assert_eq!(orders.len(), 1, "the order was created before the answer");
    assert_eq!(orders[0].client_request_id, id);

    // The log shows the client left before the answer.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !sb.requests()[0].abandoned {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            sb.requests()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(sb.requests()[0].log_line().contains("abandoned"));
}

#[tokio::test]
async fn configured_latency_applies_to_every_answer() {
    let sb = start(SandboxConfig {
        latency: Duration::from_secs(5),
        ..SandboxConfig::default()
    })
    .await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    for path in ["/v2/orders/customer-orders", "/v3/projects"] {
        let late = impatient
            .get(format!("{}{path}", sb.url()))
            .header("X-Auth-Token", billing_token(&sb))
            .send()
            .await;
        assert!(
            late.expect_err("latency delays the answer").is_timeout(),
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_always_fault_never_runs_out() {
    let sb = with_faults(&["500:*@list"]).await;
    for _ in 0..5 {
        let (status, _) = answer(get(&sb, "/v2/orders/customer-orders").await).await;
        assert_eq!(status, 500);
    }
}

#[tokio::test]
async fn iam_faults_use_gateway_codes() {
    let sb = with_faults(&["429@iam", "500@iam"]).await;
    let (status, body) = answer(get(&sb, "/v3/projects").await).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (429, Some("APIGW.0308"))
    );
    let (status, body) = answer(get(&sb, "/v3/projects").await).await;
    assert_eq!(status, 500);
    assert_eq!(body["error"]["code"], 500);
    let (status, _) = answer(get(&sb, "/v3/projects").await).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn faults_hit_only_authenticated_requests() {
    let sb = with_faults(&["500@create"]).await;
    let unauthenticated = http()
        .post(format!("{}/v1/light-instances", sb.url()))
        .header("Client-Request-Id", request_id())
        .json(&plan())
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status().as_u16(), 401);
    let (status, _) = answer(create(&sb, &plan()).await).await;
    assert_eq!(status, 500, "the fault was still waiting");
}

#[tokio::test]
async fn faults_follow_each_other_in_order() {
    let sb = with_faults(&["429:2@create", "drop@create"]).await;
    assert_eq!(create(&sb, &plan()).await.status().as_u16(), 429);
    assert_eq!(create(&sb, &plan()).await.status().as_u16(), 429);
    let cut = http()
        .post(format!("{}/v1/light-instances", sb.url()))
        .header("X-Auth-Token", purchase_token(&sb, &plan()))
        .header("Client-Request-Id", request_id())
        .json(&plan())
        .send()
        .await;
    assert!(cut.is_err());
    assert_eq!(create(&sb, &plan()).await.status().as_u16(), 202);
    assert_eq!(sb.created_orders().len(), 2);
}

#[tokio::test]
async fn huge_streams_a_valid_answer_of_the_size_asked_for() {
    let sb = with_faults(&["huge=3@create"]).await;
    let response = create(&sb, &plan()).await;
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(response.content_length(), None, "streamed, not sized");
    let text = response.text().await.unwrap();
    assert!(text.len() > 3 << 20, "{} bytes", text.len());
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(sb.created_orders().len(), 1, "the order was created");
    assert_eq!(body["order_id"], sb.created_orders()[0].order_id.as_str());
}

#[tokio::test]
async fn badid_spoils_every_order_id_of_the_answer() {
    let sb = with_faults(&["badid@create", "badid@list"]).await;
    let (status, body) = answer(create(&sb, &plan()).await).await;
    assert_eq!((status, body["order_id"].as_str()), (202, Some("..")));
    assert_eq!(sb.created_orders().len(), 1, "the order was created");
    let (_, list) = answer(get(&sb, "/v2/orders/customer-orders").await).await;
    assert_eq!(list["order_infos"][0]["order_id"], "..");
    let (_, list) = answer(get(&sb, "/v2/orders/customer-orders").await).await;
    assert_eq!(
        list["order_infos"][0]["order_id"],
        sb.created_orders()[0].order_id.as_str()
    );
}
