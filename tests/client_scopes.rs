//! Each way of signing in, against the strict sandbox over a real socket:
//! orders outside AP-Singapore placed and followed to completion, and
//! credentials that could place an order but not follow it (or the
//! reverse) refused before anything is sent.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use flexus::api::auth::{self, Auth, TokenFiles};
use flexus::api::client::{Client, ClientConfig, MfaCode, PasswordLogin, RetryPolicy};
use flexus::api::endpoints::Endpoints;
use flexus::api::engine::{SubmitOutcome, TrackEvent};
use flexus::api::failure::needs_sign_in;
use flexus::api::journal::Journal;
use flexus::api::purchase::{self, ClientRequestId};
use flexus::api::tracking::{self, TrackOptions};
use flexus::api::wire::status;
use flexus::domain::catalog::Catalog;
use flexus::domain::order::{Draft, RequestBody};
use flexus::domain::pricing::PriceTable;
use flexus::sandbox::{self, SANDBOX_MFA_PASSCODE, SandboxConfig, SandboxHandle};
use flexus::secret::Secret;
use flexus::tui::live::LiveConnector;
use flexus::tui::service::{Connector, OrderService, SignIn};
use tokio::sync::mpsc;

async fn sandbox(require_mfa: bool) -> SandboxHandle {
    sandbox::start(
        "127.0.0.1:0".parse().unwrap(),
        SandboxConfig {
            complete_after: Duration::from_millis(200),
            require_mfa,
            ..SandboxConfig::default()
        },
    )
    .await
    .unwrap()
}

fn config() -> ClientConfig {
    ClientConfig {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        },
        ..ClientConfig::default()
    }
}

fn endpoints(h: &SandboxHandle) -> Endpoints {
    Endpoints::all_at(&h.url()).unwrap()
}

/// The example plan, moved to `region` with an image sold there.
fn body_in(region: &str) -> RequestBody {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
        .unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["region"] = region.into();
    value["image_ref"] = serde_json::json!({"image_name": "Ubuntu", "image_version": "22.04"});
    value["plan_spec"] = "hf.large.1.30m.linux".into();
    value.as_object_mut().unwrap().remove("extra_resources");
    let (draft, problems) = Draft::from_plan_value(&value);
    assert!(problems.is_empty(), "{problems:?}");
    draft.request_body(&Catalog::embedded()).unwrap()
}

fn fast_tracking() -> TrackOptions {
    TrackOptions {
        first_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(100),
        ..TrackOptions::default()
    }
}

/// Places the order and follows it to its final status.
async fn place_and_follow(client: &Client, region: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    let outcome = purchase::submit(
        client,
        &journal,
        &body_in(region),
        &ClientRequestId::new(),
        &[],
    )
    .await;
    let SubmitOutcome::Placed { order_id, .. } = outcome else {
        panic!("{region}: not placed: {outcome:?}");
    };
    let (tx, mut rx) = mpsc::channel(8);
    tokio::spawn(tracking::track(
        client.clone(),
        order_id.clone(),
        fast_tracking(),
        tx,
    ));
    let mut last = None;
    while let Some(event) = rx.recv().await {
        if let TrackEvent::Finished { status, failure } = event {
            assert!(failure.is_none(), "{region}: {failure:?}");
            last = status;
        }
    }
    assert_eq!(last, Some(status::COMPLETED), "{region}");
    order_id
}

fn count(h: &SandboxHandle, method: &str, path: &str) -> usize {
    h.requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

fn env_of(pairs: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }
}

fn resolved(h: &SandboxHandle, env: &dyn Fn(&str) -> Option<String>, home: &Path) -> Client {
    let found = auth::resolve(TokenFiles::default(), env, Some(home))
        .unwrap()
        .expect("credentials are found");
    Client::new(endpoints(h), found.auth, config()).unwrap()
}

#[tokio::test]
async fn aksk_from_the_environment_orders_in_istanbul_and_sao_paulo() {
    let h = sandbox(false).await;
    let home = tempfile::tempdir().unwrap();
    let c = h.credentials();
    let env = env_of(vec![
        ("HUAWEICLOUD_SDK_AK", c.access_key.clone()),
        ("HUAWEICLOUD_SDK_SK", c.secret_key.expose().to_string()),
        // The SDKs' project ID names one region's project: here not the
        // order's, so the order region's own is looked up.
        (
            "HUAWEICLOUD_SDK_PROJECT_ID",
            c.project_id("ap-southeast-3").unwrap().to_string(),
        ),
    ]);
    let client = resolved(&h, &env, home.path());
    client.check_sign_in().await.unwrap();
    for region in ["tr-west-1", "sa-brazil-1"] {
        place_and_follow(&client, region).await;
        assert_eq!(
            client.project_for(region).await.unwrap(),
            c.project_id(region).unwrap()
        );
    }
    assert_eq!(h.created_orders().len(), 2);
    // Looked up once per region, the domain once.
    assert_eq!(count(&h, "GET", "/v3/projects"), 2);
    assert_eq!(count(&h, "GET", "/v3/auth/domains"), 1);
    // Order details ask for every line item BSS gives.
    let details = h
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v2/orders/customer-orders/details/"))
        .collect::<Vec<_>>();
    assert!(!details.is_empty());
    assert!(
        details.iter().all(|r| r.query == "limit=100"),
        "{details:?}"
    );
}

#[tokio::test]
async fn aksk_from_the_credentials_file_reads_basic_and_global() {
    let h = sandbox(false).await;
    let home = tempfile::tempdir().unwrap();
    let c = h.credentials();
    std::fs::create_dir(home.path().join(".huaweicloud")).unwrap();
    std::fs::write(
        home.path().join(".huaweicloud/credentials"),
        format!(
            "[basic]\nak = {ak}\nsk = {sk}\n\n[global]\nak = {ak}\nsk = {sk}\ndomain_id = {domain}\n",
            ak = c.access_key,
            sk = c.secret_key.expose(),
            domain = c.account_id
        ),
    )
    .unwrap();
    let client = resolved(&h, &env_of(vec![]), home.path());
    client.check_sign_in().await.unwrap();
    for region in ["sa-brazil-1", "tr-west-1"] {
        place_and_follow(&client, region).await;
    }
    // The domain ID came from [global]: IAM was not asked.
    assert_eq!(count(&h, "GET", "/v3/auth/domains"), 0);

    // A wrong domain_id is found at sign-in, before any order.
    let wrong = tempfile::tempdir().unwrap();
    std::fs::create_dir(wrong.path().join(".huaweicloud")).unwrap();
    std::fs::write(
        wrong.path().join(".huaweicloud/credentials"),
        format!(
            "[global]\nak = {}\nsk = {}\ndomain_id = ffffffffffffffffffffffffffffffff\n",
            c.access_key,
            c.secret_key.expose()
        ),
    )
    .unwrap();
    let client = resolved(&h, &env_of(vec![]), wrong.path());
    let refused = client.check_sign_in().await.unwrap_err();
    assert_eq!(refused.status, Some(401), "{refused}");
    assert!(!refused.to_string().contains(c.secret_key.expose()));
}

async fn signed_in(h: &SandboxHandle, mfa: bool) -> Client {
    let c = h.credentials();
    let anonymous = Client::unauthenticated(endpoints(h), config()).unwrap();
    let domain_token = anonymous
        .login_with_password(&PasswordLogin {
            user: c.user.clone(),
            password: c.password.clone(),
            account: c.account.clone(),
            mfa: mfa.then(|| MfaCode {
                user_id: c.user_id.clone(),
                passcode: Secret::new(SANDBOX_MFA_PASSCODE),
            }),
        })
        .await
        .unwrap();
    let client = anonymous.with_auth(Auth::SignedIn { domain_token });
    client.check_sign_in().await.unwrap();
    client
}

#[tokio::test]
async fn password_sign_in_gets_a_project_token_per_order_region() {
    let h = sandbox(false).await;
    let client = signed_in(&h, false).await;
    for region in ["tr-west-1", "sa-brazil-1", "tr-west-1"] {
        place_and_follow(&client, region).await;
    }
    // One password call, then one exchange per region (kept for the run).
    assert_eq!(count(&h, "POST", "/v3/auth/tokens"), 3);
    assert_eq!(h.created_orders().len(), 3);
}

#[tokio::test]
async fn password_sign_in_with_mfa_sends_the_code_once() {
    let h = sandbox(true).await;
    let client = signed_in(&h, true).await;
    for region in ["sa-brazil-1", "tr-west-1"] {
        place_and_follow(&client, region).await;
    }
    // The single-use code went with the first call only; the project tokens
    // came in exchange for the domain token, which the sandbox's IAM
    // (requiring MFA for passwords) accepts without one.
    assert_eq!(count(&h, "POST", "/v3/auth/tokens"), 3);
}

#[tokio::test]
async fn the_wizards_password_sign_in_orders_in_istanbul_to_completion() {
    let h = sandbox(false).await;
    let state = tempfile::tempdir().unwrap();
    let c = h.credentials();
    let connector = LiveConnector {
        endpoints: endpoints(&h),
        config: config(),
        track: fast_tracking(),
        journal_dir: state.path().to_path_buf(),
        token_file: None,
        bss_token_file: None,
        catalog: Catalog::embedded(),
        prices: PriceTable::embedded(),
    };
    let service: Arc<dyn OrderService> = connector
        .connect(SignIn::Password {
            user: c.user.clone(),
            password: c.password.clone(),
            account: c.account.clone(),
            mfa_code: None,
            mfa_user_id: None,
        })
        .await
        .unwrap();
    let SubmitOutcome::Placed { order_id, .. } = service
        .submit(
            body_in("tr-west-1"),
            ClientRequestId::new(),
            Vec::new(),
            mpsc::channel(1).0,
        )
        .await
    else {
        panic!("not placed");
    };
    let (tx, mut rx) = mpsc::channel(8);
    tokio::spawn(service.track(order_id, tx, Default::default()));
    let mut last = None;
    while let Some(event) = rx.recv().await {
        if let TrackEvent::Finished { status, .. } = event {
            last = status;
        }
    }
    assert_eq!(last, Some(status::COMPLETED));

    // A wrong password is reported at sign-in, without the password.
    let refused = connector
        .connect(SignIn::Password {
            user: c.user.clone(),
            password: Secret::new("Not-The-Password-1"),
            account: c.account.clone(),
            mfa_code: None,
            mfa_user_id: None,
        })
        .await
        .err()
        .unwrap();
    assert_eq!(refused.status, Some(401));
    assert!(!refused.to_string().contains("Not-The-Password-1"));
}

fn tokens(h: &SandboxHandle, purchase: Option<&str>, billing: bool) -> Client {
    let c = h.credentials();
    Client::new(
        endpoints(h),
        Auth::Tokens {
            purchase: purchase.map(|r| c.project_token(r).unwrap().clone()),
            billing: billing.then(|| c.domain_token.clone()),
        },
        config(),
    )
    .unwrap()
}

#[tokio::test]
async fn user_tokens_of_both_scopes_order_in_their_region() {
    let h = sandbox(false).await;
    for region in ["tr-west-1", "sa-brazil-1"] {
        let client = tokens(&h, Some(region), true);
        client.check_sign_in().await.unwrap();
        place_and_follow(&client, region).await;
    }
    // A purchase token serves its own region only: refused before sending.
    let client = tokens(&h, Some("tr-west-1"), true);
    let refused = client.ready_to_order("sa-brazil-1").await.unwrap_err();
    assert!(
        refused
            .message
            .contains("scoped to the project of tr-west-1")
            && refused.message.contains("sa-brazil-1"),
        "{refused}"
    );
    assert_eq!(h.created_orders().len(), 2);
}

#[tokio::test]
async fn one_token_alone_is_refused_before_anything_is_spent() {
    let h = sandbox(false).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();

    // A purchase token only: the order could be placed but not followed.
    let client = tokens(&h, Some("tr-west-1"), false);
    client.check_sign_in().await.unwrap();
    let refused = client.ready_to_order("tr-west-1").await.unwrap_err();
    assert!(
        refused.message.contains("placed but not followed")
            && refused.message.contains("no billing token"),
        "{refused}"
    );
    assert!(refused.next_step.contains("FLEXUS_BSS_TOKEN"), "{refused}");
    let outcome = purchase::submit(
        &client,
        &journal,
        &body_in("tr-west-1"),
        &ClientRequestId::new(),
        &[],
    )
    .await;
    assert!(matches!(outcome, SubmitOutcome::Rejected(_)), "{outcome:?}");

    // A billing token only: status works, a purchase cannot be placed.
    let client = tokens(&h, None, true);
    client.check_sign_in().await.unwrap();
    let refused = client.ready_to_order("tr-west-1").await.unwrap_err();
    assert!(
        refused.message.contains("cannot be placed")
            && refused.message.contains("no purchase token"),
        "{refused}"
    );
    assert_eq!(count(&h, "POST", "/v1/light-instances"), 0);
    assert!(h.created_orders().is_empty());
}

#[tokio::test]
async fn tokens_in_the_wrong_places_are_found_at_sign_in() {
    let h = sandbox(false).await;
    let c = h.credentials();
    let swapped = Client::new(
        endpoints(&h),
        Auth::Tokens {
            purchase: Some(c.domain_token.clone()),
            billing: Some(c.project_token("tr-west-1").unwrap().clone()),
        },
        config(),
    )
    .unwrap();
    let refused = swapped.check_sign_in().await.unwrap_err();
    assert!(
        refused
            .message
            .contains("purchase token is scoped to the account's domain"),
        "{refused}"
    );
    assert!(refused.next_step.contains("FLEXUS_BSS_TOKEN"), "{refused}");
    let only_billing_wrong = Client::new(
        endpoints(&h),
        Auth::Tokens {
            purchase: None,
            billing: Some(c.project_token("tr-west-1").unwrap().clone()),
        },
        config(),
    )
    .unwrap();
    let refused = only_billing_wrong.check_sign_in().await.unwrap_err();
    assert!(
        refused
            .message
            .contains("billing token is scoped to the project of tr-west-1"),
        "{refused}"
    );
    for shown in [refused.to_string(), format!("{refused:?} {swapped:?}")] {
        assert!(!shown.contains(c.domain_token.expose()), "{shown}");
    }
}

#[tokio::test]
async fn an_expired_sign_in_says_sign_in_again_not_permissions() {
    let h = sandbox(false).await;
    let client = signed_in(&h, false).await;
    let order_id = place_and_follow(&client, "tr-west-1").await;
    // A project token where billing wants the domain: permissions.
    let wrong = tokens(&h, Some("tr-west-1"), false);
    let wrong = wrong.with_auth(Auth::Tokens {
        purchase: None,
        billing: Some(
            h.credentials()
                .project_token("sa-brazil-1")
                .unwrap()
                .clone(),
        ),
    });
    let denied = wrong.order_details(&order_id).await.unwrap_err();
    assert_eq!(denied.code.as_deref(), Some("CBC.0151"));
    assert!(!needs_sign_in(&denied));
    assert!(denied.next_step.contains("permission"), "{denied}");

    h.expire_tokens();
    let expired = client.order_details(&order_id).await.unwrap_err();
    assert_eq!(expired.status, Some(403));
    assert_eq!(expired.code.as_deref(), Some("CBC.0154"));
    assert!(needs_sign_in(&expired));
    assert!(expired.next_step.contains("sign in again"), "{expired}");
    assert!(!expired.next_step.contains("permission"), "{expired}");
}
