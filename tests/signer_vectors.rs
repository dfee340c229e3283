//! Our signer against vectors produced by Huawei's official Python SDK
//! (`tools/signer-vectors/make_vectors.py`). Each intermediate value is
//! compared, so a failure points at the step that differs.

use flexus::api::signer::{self, RequestToSign, SigningKey};
use flexus::secret::Secret;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    sdk: String,
    sdk_version: String,
    algorithm: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    method: String,
    host: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
    ak: String,
    sk: String,
    now: String,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    authorization: String,
    added_headers: Vec<(String, String)>,
    uri: String,
}

fn fixture() -> Fixture {
    let text = include_str!("fixtures/signer_vectors.json");
    serde_json::from_str(text).expect("signer_vectors.json parses")
}

fn request(v: &Vector) -> RequestToSign<'_> {
    RequestToSign {
        method: &v.method,
        host: &v.host,
        path: &v.path,
        query: &v.query,
        headers: &v.headers,
        body: v.body.as_bytes(),
    }
}

fn key(v: &Vector) -> SigningKey {
    SigningKey {
        access_key: v.ak.clone(),
        secret_key: Secret::new(v.sk.clone()),
    }
}

#[test]
fn fixture_is_from_the_official_sdk() {
    let f = fixture();
    assert_eq!(f.sdk, "huaweicloudsdkcore");
    assert!(f.sdk_version.starts_with("3.1."), "{}", f.sdk_version);
    assert_eq!(f.algorithm, signer::ALGORITHM);
    assert!(f.vectors.len() >= 10, "only {} vectors", f.vectors.len());
}

#[test]
fn canonical_request_matches_sdk() {
    for v in fixture().vectors {
        assert_eq!(
            signer::canonical_request(&request(&v), &v.now),
            v.expected.canonical_request,
            "vector {}",
            v.name
        );
    }
}

#[test]
fn string_to_sign_matches_sdk() {
    for v in fixture().vectors {
        let req = request(&v);
        let sig = signer::signature(&key(&v), &req, &v.now);
        assert_eq!(
            sig.string_to_sign, v.expected.string_to_sign,
            "vector {}",
            v.name
        );

        let canonical = signer::canonical_request(&req, &v.now);
        assert_eq!(
            signer::string_to_sign(&sig.sdk_date, &canonical),
            v.expected.string_to_sign,
            "vector {}",
            v.name
        );
    }
}

#[test]
fn authorization_matches_sdk() {
    for v in fixture().vectors {
        let signed = signer::sign(&key(&v), &request(&v), &v.now);
        assert_eq!(
            signed.authorization(),
            v.expected.authorization,
            "vector {}",
            v.name
        );
        assert!(
            v.expected
                .authorization
                .contains(&format!("SignedHeaders={},", v.expected.signed_headers)),
            "vector {}",
            v.name
        );
    }
}

#[test]
fn added_headers_match_sdk() {
    for v in fixture().vectors {
        let signed = signer::sign(&key(&v), &request(&v), &v.now);
        let ours: Vec<(String, String)> = signed
            .headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        assert_eq!(ours, v.expected.added_headers, "vector {}", v.name);
    }
}

#[test]
fn sent_query_matches_sdk() {
    for v in fixture().vectors {
        let query = signer::canonical_query_string(&v.query);
        let expected_query = v.expected.uri.split_once('?').map_or("", |(_, q)| q);
        assert_eq!(query, expected_query, "vector {}", v.name);
    }
}

fn vector(name: &str) -> Vector {
    fixture()
        .vectors
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
}

fn header<'a>(v: &'a Vector, name: &str) -> Option<&'a str> {
    v.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The production vectors are what flexus sends: the same paths, bodies and
/// header names, so the SDK's signatures of them are signatures of ours.
#[test]
fn production_vectors_are_the_shapes_flexus_sends() {
    use flexus::api::client::ORDER_DETAILS_LIMIT;
    use flexus::api::wire::{PayRequest, headers, paths};
    use flexus::domain::catalog::Catalog;
    use flexus::domain::order::Draft;

    let create = vector("hcss_create_in_tr_west_1");
    assert_eq!(create.path, paths::CREATE_ORDER);
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
        .unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    plan["region"] = "tr-west-1".into();
    plan["image_ref"] = serde_json::json!({"image_name": "Ubuntu", "image_version": "22.04"});
    plan["plan_spec"] = "hf.large.1.30m.linux".into();
    let (draft, problems) = Draft::from_plan_value(&plan);
    assert!(problems.is_empty(), "{problems:?}");
    let body = draft.request_body(&Catalog::embedded()).unwrap();
    assert_eq!(serde_json::to_string(&body).unwrap(), create.body);
    assert!(header(&create, headers::CLIENT_REQUEST_ID).is_some());
    assert!(header(&create, headers::PROJECT_ID).is_some());
    assert!(header(&create, headers::DOMAIN_ID).is_none());
    for signed in ["client-request-id", "x-project-id"] {
        assert!(
            create
                .expected
                .signed_headers
                .split(';')
                .any(|h| h == signed),
            "{signed}"
        );
    }

    let details = vector("bss_order_details");
    let order_id = details
        .path
        .strip_prefix(&format!("{}/", paths::ORDER_DETAILS))
        .unwrap();
    assert_eq!(
        details.query,
        [("limit".to_string(), ORDER_DETAILS_LIMIT.to_string())]
    );
    let pay = vector("bss_pay_order");
    assert_eq!(pay.path, paths::PAY_ORDER);
    assert_eq!(
        serde_json::to_string(&PayRequest::new(order_id)).unwrap(),
        pay.body
    );
    for v in [&details, &pay, &vector("bss_order_list")] {
        assert!(header(v, headers::DOMAIN_ID).is_some(), "{}", v.name);
        assert!(header(v, headers::PROJECT_ID).is_none(), "{}", v.name);
        assert!(
            v.expected
                .signed_headers
                .split(';')
                .any(|h| h == "x-domain-id"),
            "{}",
            v.name
        );
    }
    assert_eq!(vector("iam_project_lookup").path, paths::IAM_PROJECTS);
    assert_eq!(vector("iam_domain_lookup").path, paths::IAM_DOMAINS);
}
