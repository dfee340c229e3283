//! Shared by the sandbox tests: a sandbox on a free loopback port and a
//! client that talks to it over a real socket.
#![allow(dead_code)]

use std::time::Duration;

use flexus::api::signer::{self, RequestToSign, SigningKey};
use flexus::sandbox::{self, SandboxConfig, SandboxHandle};
use serde_json::Value;

pub async fn start(config: SandboxConfig) -> SandboxHandle {
    sandbox::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .expect("the sandbox starts on a free loopback port")
}

pub async fn start_default() -> SandboxHandle {
    start(SandboxConfig::default()).await
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// The example plan of the repository (the document's example request).
pub fn plan() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
        .expect("examples/plan.json exists");
    serde_json::from_str(&text).unwrap()
}

pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The sandbox's token for the project of a plan's region (what HCSS takes).
pub fn purchase_token(sb: &SandboxHandle, body: &Value) -> String {
    let region = body["region"].as_str().unwrap_or("ap-southeast-3");
    sb.credentials()
        .project_token(region)
        .unwrap_or_else(|| sb.credentials().project_token("ap-southeast-3").unwrap())
        .expose()
        .to_string()
}

/// The sandbox's domain-scoped token (what BSS takes).
pub fn billing_token(sb: &SandboxHandle) -> String {
    sb.credentials().domain_token.expose().to_string()
}

/// POST /v1/light-instances with the token of the plan region's project.
pub async fn create(sb: &SandboxHandle, body: &Value) -> reqwest::Response {
    create_with_id(sb, body, &request_id()).await
}

pub async fn create_with_id(sb: &SandboxHandle, body: &Value, id: &str) -> reqwest::Response {
    http()
        .post(format!("{}/v1/light-instances", sb.url()))
        .header("X-Auth-Token", purchase_token(sb, body))
        .header("Client-Request-Id", id)
        .json(body)
        .send()
        .await
        .expect("the sandbox answers")
}

/// GET a path (with query) with the sandbox's domain token (BSS, IAM).
pub async fn get(sb: &SandboxHandle, path_and_query: &str) -> reqwest::Response {
    http()
        .get(format!("{}{path_and_query}", sb.url()))
        .header("X-Auth-Token", billing_token(sb))
        .send()
        .await
        .expect("the sandbox answers")
}

pub async fn send_json(
    sb: &SandboxHandle,
    method: reqwest::Method,
    path: &str,
    body: &Value,
) -> reqwest::Response {
    http()
        .request(method, format!("{}{path}", sb.url()))
        .header("X-Auth-Token", billing_token(sb))
        .json(body)
        .send()
        .await
        .expect("the sandbox answers")
}

/// Status and JSON body of an answer.
pub async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, body)
}

/// Places the example plan (with changes) and returns the order id.
pub async fn place(sb: &SandboxHandle, change: impl FnOnce(&mut Value)) -> String {
    let mut body = plan();
    change(&mut body);
    let (status, answer) = answer(create(sb, &body).await).await;
    assert_eq!(status, 202, "{answer}");
    answer["order_id"].as_str().unwrap().to_string()
}

pub async fn order_status(sb: &SandboxHandle, order_id: &str) -> i64 {
    let (status, body) = answer(
        get(
            sb,
            &format!("/v2/orders/customer-orders/details/{order_id}"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["order_info"]["status"].as_i64().unwrap()
}

/// Polls until the order has `want` status, failing after a generous deadline.
pub async fn wait_for_status(sb: &SandboxHandle, order_id: &str, want: i64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let status = order_status(sb, order_id).await;
        if status == want {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "order {order_id} stayed in status {status}, expected {want}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A request signed with AK/SK by the crate's signer, as a client would.
pub struct Signed {
    pub method: &'static str,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Signed {
    pub fn new(method: &'static str, path: &str) -> Signed {
        Signed {
            method,
            path: path.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn query(mut self, k: &str, v: &str) -> Signed {
        self.query.push((k.to_string(), v.to_string()));
        self
    }

    pub fn header(mut self, k: &str, v: &str) -> Signed {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    pub fn json(mut self, body: &Value) -> Signed {
        self.body = serde_json::to_vec(body).unwrap();
        self.header("Content-Type", "application/json")
    }

    /// Signs with `key` at `date` and sends; `tamper` may change the
    /// request after signing.
    pub async fn send(
        self,
        sb: &SandboxHandle,
        key: &SigningKey,
        date: &str,
        tamper: impl FnOnce(&mut Signed),
    ) -> reqwest::Response {
        let host = sb.addr().to_string();
        let signed = signer::sign(
            key,
            &RequestToSign {
                method: self.method,
                host: &host,
                path: &self.path,
                query: &self.query,
                headers: &self.headers,
                body: &self.body,
            },
            date,
        );
        let mut this = self;
        for (k, v) in &signed.headers {
            // reqwest sets Host from the URL; the signer's value is the same.
            if !k.eq_ignore_ascii_case("host") {
                this.headers.push(((*k).to_string(), v.clone()));
            }
        }
        tamper(&mut this);
        let query = signer::canonical_query_string(&this.query);
        let url = if query.is_empty() {
            format!("{}{}", sb.url(), this.path)
        } else {
            format!("{}{}?{query}", sb.url(), this.path)
        };
        let mut request = http().request(this.method.parse().unwrap(), url);
        for (k, v) in &this.headers {
            request = request.header(k, v);
        }
        request
            .body(this.body)
            .send()
            .await
            .expect("the sandbox answers")
    }
}

pub fn sandbox_key(sb: &SandboxHandle) -> SigningKey {
    SigningKey {
        access_key: sb.credentials().access_key.clone(),
        secret_key: sb.credentials().secret_key.clone(),
    }
}

pub fn now_sdk_date() -> String {
    signer::sdk_date(time::OffsetDateTime::now_utc())
}
