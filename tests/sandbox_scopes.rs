//! The scope rules, as Huawei's services apply them: HCSS (regional) takes
//! only the project of the body's region, BSS (global) only the account's
//! domain; IAM hands out tokens of the scope asked for. Each rule: the
//! right scope accepted, every wrong one refused, nothing created.

mod sandbox_support;

use flexus::sandbox::SandboxHandle;
use sandbox_support::*;
use serde_json::{Value, json};

const LIST: &str = "/v2/orders/customer-orders";

fn plan_in(region: &str) -> Value {
    let mut body = plan();
    body["region"] = json!(region);
    // BT is not sold everywhere; Ubuntu 22.04 on this package is.
    body["image_ref"] = json!({"image_name": "Ubuntu", "image_version": "22.04"});
    body["plan_spec"] = json!("hf.large.1.30m.linux");
    body.as_object_mut().unwrap().remove("extra_resources");
    body
}

async fn create_with_token(sb: &SandboxHandle, token: &str, body: &Value) -> (u16, Value) {
    answer(
        http()
            .post(format!("{}/v1/light-instances", sb.url()))
            .header("X-Auth-Token", token)
            .header("Client-Request-Id", request_id())
            .json(body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn bss_with_token(sb: &SandboxHandle, token: &str) -> (u16, Value) {
    answer(
        http()
            .get(format!("{}{LIST}?limit=1", sb.url()))
            .header("X-Auth-Token", token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn project_token(sb: &SandboxHandle, region: &str) -> String {
    sb.credentials()
        .project_token(region)
        .unwrap()
        .expose()
        .to_string()
}

#[tokio::test]
async fn hcss_takes_a_token_only_for_the_project_of_the_bodys_region() {
    let sb = start_default().await;
    for region in ["tr-west-1", "sa-brazil-1", "ap-southeast-3"] {
        let body = plan_in(region);
        let (status, answer) = create_with_token(&sb, &project_token(&sb, region), &body).await;
        assert_eq!(status, 202, "{region}: {answer}");
    }
    let placed = sb.created_orders().len();

    // Another region's project, and the domain: the gateway's 401.
    let body = plan_in("tr-west-1");
    let wrong = [
        project_token(&sb, "ap-southeast-3"),
        project_token(&sb, "sa-brazil-1"),
        billing_token(&sb),
    ];
    for token in wrong {
        let (status, answer) = create_with_token(&sb, &token, &body).await;
        assert_eq!(status, 401, "{answer}");
        assert_eq!(answer["error_code"], "APIGW.0301", "{answer}");
        let message = answer["error_msg"].as_str().unwrap();
        assert!(message.contains("tr-west-1"), "{message}");
        assert!(!message.contains(&token), "{message}");
    }
    assert_eq!(
        sb.created_orders().len(),
        placed,
        "nothing more was created"
    );
}

#[tokio::test]
async fn hcss_with_ak_sk_takes_only_the_project_id_of_the_bodys_region() {
    let sb = start_default().await;
    let key = sandbox_key(&sb);
    let date = now_sdk_date();
    let creds = sb.credentials();
    let send = |project: Option<String>, domain: Option<String>, body: Value| {
        let mut signed = Signed::new("POST", "/v1/light-instances")
            .header("Client-Request-Id", &request_id())
            .json(&body);
        if let Some(p) = project {
            signed = signed.header("X-Project-Id", &p);
        }
        if let Some(d) = domain {
            signed = signed.header("X-Domain-Id", &d);
        }
        signed.send(&sb, &key, &date, |_| {})
    };
    let tr = creds.project_id("tr-west-1").unwrap().to_string();
    let sg = creds.project_id("ap-southeast-3").unwrap().to_string();
    let (status, body) = answer(send(Some(tr.clone()), None, plan_in("tr-west-1")).await).await;
    assert_eq!(status, 202, "{body}");

    for (project, domain, words) in [
        (Some(sg.clone()), None, "is the project of ap-southeast-3"),
        (
            None,
            Some(creds.account_id.clone()),
            "X-Project-Id is required",
        ),
        (None, None, "X-Project-Id is required"),
        (
            Some("0123456789abcdef0123456789abcdef".to_string()),
            None,
            "not a project of this account",
        ),
    ] {
        let (status, body) = answer(send(project, domain, plan_in("tr-west-1")).await).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error_code"], "APIGW.0301", "{body}");
        let message = body["error_msg"].as_str().unwrap();
        assert!(message.contains(words), "{words} not in {message}");
    }
    assert_eq!(sb.created_orders().len(), 1);
}

#[tokio::test]
async fn a_scope_header_must_be_signed() {
    let sb = start_default().await;
    let creds = sb.credentials();
    let tr = creds.project_id("tr-west-1").unwrap().to_string();
    let response = Signed::new("POST", "/v1/light-instances")
        .header("Client-Request-Id", &request_id())
        .json(&plan_in("tr-west-1"))
        .send(&sb, &sandbox_key(&sb), &now_sdk_date(), |r| {
            r.headers.push(("X-Project-Id".into(), tr.clone()));
        })
        .await;
    let (status, body) = answer(response).await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body["error_msg"]
            .as_str()
            .unwrap()
            .contains("not among the signed headers"),
        "{body}"
    );
    assert!(sb.created_orders().is_empty());
}

#[tokio::test]
async fn bss_takes_only_a_domain_token() {
    let sb = start_default().await;
    let (status, body) = bss_with_token(&sb, &billing_token(&sb)).await;
    assert_eq!(status, 200, "{body}");
    for region in ["ap-southeast-3", "tr-west-1"] {
        let (status, body) = bss_with_token(&sb, &project_token(&sb, region)).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["error_code"], "CBC.0151", "{body}");
        assert!(
            body["error_msg"].as_str().unwrap().contains("domain"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn bss_with_ak_sk_takes_only_the_accounts_domain_id() {
    let sb = start_default().await;
    let key = sandbox_key(&sb);
    let date = now_sdk_date();
    let creds = sb.credentials();
    let list = |headers: Vec<(&'static str, String)>| {
        let mut signed = Signed::new("GET", LIST).query("limit", "1");
        for (k, v) in headers {
            signed = signed.header(k, &v);
        }
        signed.send(&sb, &key, &date, |_| {})
    };
    let (status, body) = answer(list(vec![("X-Domain-Id", creds.account_id.clone())]).await).await;
    assert_eq!(status, 200, "{body}");

    // What flexus used to send: the project of ap-southeast-3.
    let sg = creds.project_id("ap-southeast-3").unwrap().to_string();
    for headers in [vec![("X-Project-Id", sg)], vec![]] {
        let (status, body) = answer(list(headers).await).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["error_code"], "CBC.0151", "{body}");
        assert!(
            body["error_msg"].as_str().unwrap().contains("X-Domain-Id"),
            "{body}"
        );
    }
    let (status, body) = answer(
        list(vec![(
            "X-Domain-Id",
            "ffffffffffffffffffffffffffffffff".to_string(),
        )])
        .await,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error_code"], "APIGW.0301", "{body}");
}

async fn ask_token(sb: &SandboxHandle, body: Value) -> (u16, Option<String>, Value) {
    let response = http()
        .post(format!("{}/v3/auth/tokens", sb.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let token = response
        .headers()
        .get("x-subject-token")
        .map(|v| v.to_str().unwrap().to_string());
    let (status, body) = answer(response).await;
    (status, token, body)
}

fn password_identity(sb: &SandboxHandle) -> Value {
    let c = sb.credentials();
    json!({"methods": ["password"], "password": {"user": {
        "name": c.user, "password": c.password.expose(), "domain": {"name": c.account}
    }}})
}

#[tokio::test]
async fn iam_issues_tokens_of_the_scope_asked_for_by_name_or_id() {
    let sb = start_default().await;
    let c = sb.credentials();
    let tr_id = c.project_id("tr-west-1").unwrap().to_string();
    let body = plan_in("tr-west-1");
    for scope in [
        json!({"project": {"name": "tr-west-1"}}),
        json!({"project": {"id": tr_id}}),
    ] {
        let auth = json!({"auth": {"identity": password_identity(&sb), "scope": scope}});
        let (status, token, answer) = ask_token(&sb, auth).await;
        assert_eq!(status, 201, "{answer}");
        assert_eq!(answer["token"]["project"]["name"], "tr-west-1");
        assert_eq!(answer["token"]["project"]["id"], tr_id.as_str());
        let token = token.unwrap();
        assert_eq!(create_with_token(&sb, &token, &body).await.0, 202);
        assert_eq!(bss_with_token(&sb, &token).await.0, 403);
    }
    for scope in [
        json!({"domain": {"name": c.account}}),
        json!({"domain": {"id": c.account_id}}),
    ] {
        let auth = json!({"auth": {"identity": password_identity(&sb), "scope": scope}});
        let (status, token, answer) = ask_token(&sb, auth).await;
        assert_eq!(status, 201, "{answer}");
        assert_eq!(answer["token"]["domain"]["id"], c.account_id.as_str());
        let token = token.unwrap();
        assert_eq!(bss_with_token(&sb, &token).await.0, 200);
        assert_eq!(create_with_token(&sb, &token, &body).await.0, 401);
    }
    // Another account's domain, an unknown project, no scope at all.
    for (scope, want) in [
        (json!({"domain": {"name": "someone-else"}}), 401),
        (json!({"project": {"name": "mars-north-1"}}), 400),
        (json!({}), 400),
    ] {
        let auth = json!({"auth": {"identity": password_identity(&sb), "scope": scope}});
        let (status, token, answer) = ask_token(&sb, auth).await;
        assert_eq!(status, want, "{answer}");
        assert!(token.is_none());
    }
}

#[tokio::test]
async fn a_token_is_exchanged_for_one_of_another_scope_and_checked() {
    let sb = start_default().await;
    let domain = billing_token(&sb);
    let exchange = |token: String, region: &str| {
        json!({"auth": {
            "identity": {"methods": ["token"], "token": {"id": token}},
            "scope": {"project": {"name": region}}
        }})
    };
    let (status, token, issued) = ask_token(&sb, exchange(domain.clone(), "sa-brazil-1")).await;
    assert_eq!(status, 201, "{issued}");
    let token = token.unwrap();
    let body = plan_in("sa-brazil-1");
    assert_eq!(create_with_token(&sb, &token, &body).await.0, 202);

    // GET /v3/auth/tokens says what a token is scoped to.
    let check = |auth: String, subject: String| {
        http()
            .get(format!("{}/v3/auth/tokens?nocatalog=true", sb.url()))
            .header("X-Auth-Token", auth)
            .header("X-Subject-Token", subject)
            .send()
    };
    let (status, said) = answer(check(token.clone(), token.clone()).await.unwrap()).await;
    assert_eq!(status, 200, "{said}");
    assert_eq!(said["token"]["project"]["name"], "sa-brazil-1");
    let (_, said) = answer(check(domain.clone(), domain.clone()).await.unwrap()).await;
    assert_eq!(said["token"]["domain"]["name"], "sandbox-account");
    let (status, _) = answer(check(domain.clone(), "MIIforged".into()).await.unwrap()).await;
    assert_eq!(status, 404);

    // A forged or expired token gets nothing.
    let (status, token, _) = ask_token(&sb, exchange("MIIforged".into(), "tr-west-1")).await;
    assert_eq!((status, token), (401, None));
    sb.expire_tokens();
    let (status, token, _) = ask_token(&sb, exchange(domain, "tr-west-1")).await;
    assert_eq!((status, token), (401, None));
}

#[tokio::test]
async fn expired_tokens_are_refused_as_huawei_does() {
    let sb = start_default().await;
    sb.expire_tokens();
    let (status, body) = create_with_token(
        &sb,
        &project_token(&sb, "ap-southeast-3"),
        &plan_in("ap-southeast-3"),
    )
    .await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (401, Some("APIGW.0307"))
    );
    let (status, body) = bss_with_token(&sb, &billing_token(&sb)).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (403, Some("CBC.0154"))
    );
    assert!(sb.created_orders().is_empty());
}

#[tokio::test]
async fn projects_and_the_domain_are_listed_per_region() {
    let sb = start_default().await;
    let c = sb.credentials();
    let (status, body) = answer(get(&sb, "/v3/projects?name=tr-west-1").await).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["projects"],
        json!([{"id": c.project_id("tr-west-1").unwrap(), "name": "tr-west-1"}])
    );
    assert_ne!(c.project_id("tr-west-1"), c.project_id("sa-brazil-1"));
    let (_, body) = answer(get(&sb, "/v3/projects").await).await;
    assert_eq!(body["projects"].as_array().unwrap().len(), c.projects.len());
    let (status, body) = answer(get(&sb, "/v3/auth/domains").await).await;
    assert_eq!(status, 200);
    assert_eq!(body["domains"][0]["id"], c.account_id.as_str());
    let response = http()
        .get(format!("{}/v3/auth/domains", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401, "needs authentication");
}
