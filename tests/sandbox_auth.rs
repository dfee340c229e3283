//! Authentication like the API gateway (token or AK/SK signature made with
//! the crate's signer) and the IAM token and project calls.

mod sandbox_support;

use flexus::api::signer::SigningKey;
use flexus::api::wire::{ProjectList, TokenResponse};
use flexus::sandbox::{SANDBOX_MFA_PASSCODE, SandboxConfig, SandboxHandle};
use flexus::secret::Secret;
use sandbox_support::*;
use serde_json::{Value, json};

const LIST: &str = "/v2/orders/customer-orders";

async fn assert_refused(response: reqwest::Response, words: &str) {
    let (status, body) = answer(response).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error_code"], "APIGW.0301", "{body}");
    let message = body["error_msg"].as_str().unwrap();
    assert!(
        message.starts_with("Incorrect IAM authentication information: "),
        "{message}"
    );
    assert!(message.contains(words), "{words} not in {message}");
}

#[tokio::test]
async fn no_credentials_are_refused() {
    let sb = start_default().await;
    let response = http()
        .get(format!("{}{LIST}", sb.url()))
        .send()
        .await
        .unwrap();
    assert_refused(response, "no X-Auth-Token").await;
    assert!(sb.created_orders().is_empty());
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_not_echoed() {
    let sb = start_default().await;
    let response = http()
        .post(format!("{}/v1/light-instances", sb.url()))
        .header("X-Auth-Token", "MIIforged-token-value")
        .header("Client-Request-Id", request_id())
        .json(&plan())
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(status, 401);
    assert!(!body.to_string().contains("MIIforged"), "{body}");
    assert!(
        sb.created_orders().is_empty(),
        "no order without authentication"
    );
}

#[tokio::test]
async fn a_good_signature_is_accepted_on_every_service() {
    let sb = start_default().await;
    let key = sandbox_key(&sb);
    let project = sb
        .credentials()
        .project_id("ap-southeast-3")
        .unwrap()
        .to_string();
    let domain = sb.credentials().account_id.clone();

    let response = Signed::new("POST", "/v1/light-instances")
        .header("X-Project-Id", &project)
        .header("Client-Request-Id", &request_id())
        .json(&plan())
        .send(&sb, &key, &now_sdk_date(), |_| {})
        .await;
    let (status, body) = answer(response).await;
    assert_eq!(status, 202, "{body}");
    let order_id = body["order_id"].as_str().unwrap().to_string();

    // A query with characters that must be percent-encoded to sign.
    let begin =
        flexus::api::wire::bss_time(time::OffsetDateTime::now_utc() - time::Duration::hours(1));
    let response = Signed::new("GET", LIST)
        .query("create_time_begin", &begin)
        .query("order_by", "-createTime")
        .header("X-Domain-Id", &domain)
        .send(&sb, &key, &now_sdk_date(), |_| {})
        .await;
    let (status, body) = answer(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order_infos"][0]["order_id"], order_id.as_str());

    let response = Signed::new(
        "GET",
        &format!("/v2/orders/customer-orders/details/{order_id}"),
    )
    .header("X-Domain-Id", &domain)
    .send(&sb, &key, &now_sdk_date(), |_| {})
    .await;
    assert_eq!(response.status().as_u16(), 200);

    let response = Signed::new("GET", "/v3/auth/domains")
        .send(&sb, &key, &now_sdk_date(), |_| {})
        .await;
    let (status, body) = answer(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["domains"][0]["id"], domain.as_str());

    let response = Signed::new("GET", "/v3/projects")
        .query("name", "ap-southeast-3")
        .send(&sb, &key, &now_sdk_date(), |_| {})
        .await;
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn a_body_changed_after_signing_fails_verification() {
    let sb = start_default().await;
    let project = sb
        .credentials()
        .project_id("ap-southeast-3")
        .unwrap()
        .to_string();
    let response = Signed::new("POST", "/v1/light-instances")
        .header("X-Project-Id", &project)
        .header("Client-Request-Id", &request_id())
        .json(&plan())
        .send(&sb, &sandbox_key(&sb), &now_sdk_date(), |r| {
            let mut body: Value = serde_json::from_slice(&r.body).unwrap();
            body["purchase_quantity"] = json!(200);
            r.body = serde_json::to_vec(&body).unwrap();
        })
        .await;
    assert_refused(response, "verify aksk signature fail").await;
    assert!(sb.created_orders().is_empty());
}

#[tokio::test]
async fn a_query_changed_after_signing_fails_verification() {
    let sb = start_default().await;
    let response = Signed::new("GET", LIST)
        .query("limit", "1")
        .send(&sb, &sandbox_key(&sb), &now_sdk_date(), |r| {
            r.query[0].1 = "100".to_string();
        })
        .await;
    assert_refused(response, "verify aksk signature fail").await;
}

#[tokio::test]
async fn a_wrong_secret_key_fails_verification() {
    let sb = start_default().await;
    let key = SigningKey {
        access_key: sb.credentials().access_key.clone(),
        secret_key: Secret::new("not-the-sandbox-secret-key-0000000000000"),
    };
    let response = Signed::new("GET", LIST)
        .send(&sb, &key, &now_sdk_date(), |_| {})
        .await;
    assert_refused(response, "verify aksk signature fail").await;
}

#[tokio::test]
async fn an_unknown_access_key_is_named() {
    let sb = start_default().await;
    let key = SigningKey {
        access_key: "UNKNOWNAK00000000000".into(),
        secret_key: sb.credentials().secret_key.clone(),
    };
    let response = Signed::new("GET", LIST)
        .send(&sb, &key, &now_sdk_date(), |_| {})
        .await;
    assert_refused(response, "ak UNKNOWNAK00000000000 not exist").await;
}

#[tokio::test]
async fn a_stale_or_malformed_date_is_refused() {
    let sb = start_default().await;
    let stale = flexus::api::signer::sdk_date(
        time::OffsetDateTime::now_utc() - time::Duration::minutes(20),
    );
    let response = Signed::new("GET", LIST)
        .send(&sb, &sandbox_key(&sb), &stale, |_| {})
        .await;
    assert_refused(response, "more than 15 minutes").await;

    let response = Signed::new("GET", LIST)
        .send(&sb, &sandbox_key(&sb), "2024-02-28T11:30:00Z", |_| {})
        .await;
    assert_refused(response, "YYYYMMDDTHHMMSSZ").await;
}

#[tokio::test]
async fn hcss_with_ak_sk_needs_the_right_project() {
    let sb = start_default().await;
    let response = Signed::new("POST", "/v1/light-instances")
        .header("Client-Request-Id", &request_id())
        .json(&plan())
        .send(&sb, &sandbox_key(&sb), &now_sdk_date(), |_| {})
        .await;
    assert_refused(response, "X-Project-Id is required").await;

    let response = Signed::new("POST", "/v1/light-instances")
        .header("X-Project-Id", "0123456789abcdef0123456789abcdef")
        .header("Client-Request-Id", &request_id())
        .json(&plan())
        .send(&sb, &sandbox_key(&sb), &now_sdk_date(), |_| {})
        .await;
    assert_refused(response, "is not a project of this account").await;
    assert!(sb.created_orders().is_empty());
}

#[tokio::test]
async fn a_malformed_authorization_is_refused() {
    let sb = start_default().await;
    for value in ["Basic dXNlcjpwYXNz", "SDK-HMAC-SHA256 Access=AK"] {
        let response = http()
            .get(format!("{}{LIST}", sb.url()))
            .header("Authorization", value)
            .send()
            .await
            .unwrap();
        let (status, body) = answer(response).await;
        assert_eq!(
            (status, body["error_code"].as_str()),
            (401, Some("APIGW.0301")),
            "{value}"
        );
    }
}

fn token_body(sb: &SandboxHandle, password: &str, totp: Option<(&str, &str)>) -> Value {
    let creds = sb.credentials();
    let mut methods = vec!["password"];
    if totp.is_some() {
        methods.push("totp");
    }
    let mut identity = json!({
        "methods": methods,
        "password": {"user": {
            "name": creds.user,
            "password": password,
            "domain": {"name": creds.account}
        }}
    });
    if let Some((id, passcode)) = totp {
        identity["totp"] = json!({"user": {"id": id, "passcode": passcode}});
    }
    json!({"auth": {"identity": identity, "scope": {"domain": {"name": creds.account}}}})
}

async fn ask_token(sb: &SandboxHandle, body: &Value) -> reqwest::Response {
    http()
        .post(format!("{}/v3/auth/tokens", sb.url()))
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn iam_issues_the_token_for_the_right_password() {
    let sb = start_default().await;
    let password = sb.credentials().password.expose().to_string();
    let response = ask_token(&sb, &token_body(&sb, &password, None)).await;
    assert_eq!(response.status().as_u16(), 201);
    let token = response.headers()["x-subject-token"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(
        token,
        sb.credentials().domain_token.expose(),
        "a fresh token"
    );
    let body: TokenResponse = response.json().await.unwrap();
    assert!(body.token.project.is_none());
    let domain = body.token.domain.unwrap();
    assert_eq!(domain.id, sb.credentials().account_id);
    assert_eq!(domain.name.as_deref(), Some("sandbox-account"));
    assert_eq!(
        body.token.user.unwrap().id.as_deref(),
        Some(sb.credentials().user_id.as_str())
    );

    // About 24 hours from now, in IAM's own form.
    let format = time::format_description::well_known::Rfc3339;
    let expires = time::OffsetDateTime::parse(&body.token.expires_at, &format).unwrap();
    let left = expires - time::OffsetDateTime::now_utc();
    assert!(
        left > time::Duration::hours(23) && left <= time::Duration::hours(24),
        "{left}"
    );

    let response = http()
        .get(format!("{}{LIST}", sb.url()))
        .header("X-Auth-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn iam_refuses_a_wrong_password_user_or_account() {
    let sb = start_default().await;
    let password = sb.credentials().password.expose().to_string();
    let mut wrong_user = token_body(&sb, &password, None);
    wrong_user["auth"]["identity"]["password"]["user"]["name"] = json!("someone-else");
    let mut wrong_account = token_body(&sb, &password, None);
    wrong_account["auth"]["identity"]["password"]["user"]["domain"]["name"] = json!("other");
    for body in [
        token_body(&sb, "wrong-password", None),
        wrong_user,
        wrong_account,
    ] {
        let response = ask_token(&sb, &body).await;
        assert!(response.headers().get("x-subject-token").is_none());
        let (status, answer) = answer(response).await;
        assert_eq!(status, 401);
        assert_eq!(answer["error"]["code"], 401, "a number, as IAM sends it");
        assert_eq!(
            answer["error"]["message"],
            "The username or password is wrong."
        );
        assert_eq!(answer["error"]["title"], "Unauthorized");
    }
}

#[tokio::test]
async fn iam_refuses_a_malformed_body_or_unknown_project() {
    let sb = start_default().await;
    let (status, body) = answer(ask_token(&sb, &json!({"auth": {}})).await).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("IAM.0011"))
    );

    let password = sb.credentials().password.expose().to_string();
    let mut body = token_body(&sb, &password, None);
    body["auth"]["scope"] = json!({"project": {"name": "mars-north-1"}});
    let (status, body) = answer(ask_token(&sb, &body).await).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("IAM.0011"))
    );
}

#[tokio::test]
async fn mfa_is_enforced_when_required() {
    let sb = start(SandboxConfig {
        require_mfa: true,
        ..SandboxConfig::default()
    })
    .await;
    let password = sb.credentials().password.expose().to_string();
    let user_id = sb.credentials().user_id.clone();

    let (status, body) = answer(ask_token(&sb, &token_body(&sb, &password, None)).await).await;
    assert_eq!(status, 401);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Login protection"),
        "{body}"
    );

    let (status, body) =
        answer(ask_token(&sb, &token_body(&sb, &password, Some((&user_id, "000000")))).await).await;
    assert_eq!(status, 401);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("verification code"),
        "{body}"
    );

    let (status, _) = answer(
        ask_token(
            &sb,
            &token_body(&sb, &password, Some(("someone", SANDBOX_MFA_PASSCODE))),
        )
        .await,
    )
    .await;
    assert_eq!(status, 401);

    let response = ask_token(
        &sb,
        &token_body(&sb, &password, Some((&user_id, SANDBOX_MFA_PASSCODE))),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert!(response.headers().get("x-subject-token").is_some());
}

#[tokio::test]
async fn without_mfa_required_a_password_is_enough() {
    let sb = start_default().await;
    let password = sb.credentials().password.expose().to_string();
    let (status, _) = answer(ask_token(&sb, &token_body(&sb, &password, None)).await).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn projects_are_found_by_region_name() {
    let sb = start_default().await;
    let (status, body) = answer(get(&sb, "/v3/projects?name=ap-southeast-3").await).await;
    assert_eq!(status, 200);
    let list: ProjectList = serde_json::from_value(body).unwrap();
    assert_eq!(list.projects.len(), 1);
    assert_eq!(
        list.projects[0].id,
        sb.credentials().project_id("ap-southeast-3").unwrap()
    );
    assert_eq!(list.projects[0].name, "ap-southeast-3");

    let (_, body) = answer(get(&sb, "/v3/projects?name=mars-north-1").await).await;
    assert_eq!(body["projects"], json!([]));

    let response = http()
        .get(format!("{}/v3/projects?name=ap-southeast-3", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        401,
        "projects need authentication"
    );
}

#[tokio::test]
async fn credentials_are_random_and_hidden_from_debug() {
    let a = start_default().await;
    let b = start_default().await;
    assert_ne!(
        a.credentials().domain_token.expose(),
        b.credentials().domain_token.expose()
    );
    assert_ne!(
        a.credentials().secret_key.expose(),
        b.credentials().secret_key.expose()
    );
    assert_ne!(a.credentials().access_key, b.credentials().access_key);
    assert_ne!(
        a.credentials().password.expose(),
        b.credentials().password.expose()
    );
    let shown = format!("{:?}", a.credentials());
    for secret in [
        a.credentials().domain_token.expose(),
        a.credentials().project_token("tr-west-1").unwrap().expose(),
        a.credentials().secret_key.expose(),
        a.credentials().password.expose(),
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
}
