//! Our wire types (`api::wire`, and the error reading of `api::failure`)
//! against the documents' own JSON samples and the shapes of Huawei's
//! official SDK models, in `tests/fixtures/wire/`: one sample per file, its
//! origin in the sibling `.source`. Nothing here starts the sandbox or uses
//! its types: the sandbox serializes the very structs the client parses, so
//! a field both spell wrong would pass every sandbox test.
//!
//! Answers are read into our types and the values checked; bodies we send
//! are built by our code and compared with the sample as JSON values. And
//! every field name one of our types reads must appear in its sample, so a
//! field we spell differently from Huawei fails here even where no value
//! assertion names it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use flexus::api::engine::ApiFailure;
use flexus::api::failure::{self, Operation};
use flexus::api::wire::{
    self, CancelRequest, CreatedOrder, Domain, DomainList, ErrorBody, Identity, NamedRef,
    NestedError, OrderDetails, OrderInfo, OrderLineItem, OrderList, PasswordIdentity, PasswordUser,
    PayRequest, Project, ProjectList, Scope, TokenAuth, TokenDomain, TokenIdentity, TokenInfo,
    TokenProject, TokenRequest, TokenResponse, TokenUser, TotpIdentity, TotpUser, bss_codes, codes,
    gateway_codes,
};
use flexus::domain::catalog::Catalog;
use flexus::domain::order::{Draft, ImageRefBody, RequestBody};
use serde::de::{self, DeserializeOwned, Visitor};
use serde_json::Value;

/// Every sample, by file name without `.json`.
const SAMPLES: &[&str] = &[
    "purchase_request",
    "purchase_answer",
    "order_details_completed",
    "order_details_pending",
    "order_list",
    "pay_request",
    "cancel_request",
    "iam_password_token_request",
    "iam_password_mfa_token_request",
    "iam_token_exchange_request",
    "iam_token_project",
    "iam_token_domain",
    "iam_projects",
    "iam_domains",
    "error_hcss_invalid_parameter",
    "error_apigw_iam_auth",
    "error_gateway_nested",
    "error_iam_unauthorized",
    "error_bss_access_denied",
    "error_bss_token_expired",
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire")
}

/// A sample's text, exactly as stored.
#[track_caller]
fn text(name: &str) -> String {
    assert!(SAMPLES.contains(&name), "{name} is not listed in SAMPLES");
    let path = fixtures().join(format!("{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[track_caller]
fn sample(name: &str) -> Value {
    serde_json::from_str(&text(name)).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

/// A sample read into one of our types, from its text as a service sends it.
#[track_caller]
fn read<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&text(name)).unwrap_or_else(|e| {
        panic!(
            "{name} does not read as {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

/// The field names `T` reads, as serde's derive declares them to the
/// deserializer (fields marked `skip` are not among them).
fn fields_read<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Recorder(Option<&'static [&'static str]>);

    impl<'de> de::Deserializer<'de> for &mut Recorder {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(de::Error::custom("fields recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    let mut recorder = Recorder(None);
    let _ = T::deserialize(&mut recorder);
    recorder
        .0
        .unwrap_or_else(|| panic!("{} is not a struct", std::any::type_name::<T>()))
}

/// Every field `T` reads is a key of at least one of `objects` (the same
/// object as several samples show it), but for `absent`, each with the
/// reason the samples lack it.
#[track_caller]
fn assert_fields_in_samples<T: DeserializeOwned>(objects: &[&Value], absent: &[(&str, &str)]) {
    let keys: BTreeSet<&str> = objects
        .iter()
        .flat_map(|o| {
            o.as_object()
                .unwrap_or_else(|| panic!("not a JSON object: {o}"))
                .keys()
                .map(String::as_str)
        })
        .collect();
    let name = std::any::type_name::<T>();
    let fields = fields_read::<T>();
    for (field, _) in absent {
        assert!(
            fields.contains(field),
            "{name} does not read `{field}`, listed as absent from the samples"
        );
    }
    for field in fields {
        if absent.iter().any(|(f, _)| f == field) {
            assert!(
                !keys.contains(field),
                "{name}: `{field}` is listed as absent but a sample has it"
            );
            continue;
        }
        assert!(
            keys.contains(field),
            "{name} reads `{field}`, which no sample has (samples have {keys:?}): is it spelled \
             differently by Huawei?"
        );
    }
}

fn keep(text: String) -> String {
    text
}

/// An error sample as flexus reports it, for `operation` answered `status`.
#[track_caller]
fn failure_of(name: &str, operation: Operation, status: u16) -> ApiFailure {
    failure::from_response(operation, status, text(name).as_bytes(), &keep)
}

// ---- the samples themselves ----

#[test]
fn every_sample_is_listed_and_names_its_source() {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                found.insert(stem.to_string());
                let source = std::fs::read_to_string(path.with_extension("source"))
                    .unwrap_or_else(|_| panic!("{stem}.json has no {stem}.source"));
                assert!(
                    source.trim().len() > 40,
                    "{stem}.source must say where the sample comes from"
                );
            }
            Some("source") => assert!(
                path.with_extension("json").exists(),
                "{stem}.source has no {stem}.json"
            ),
            _ => panic!("unexpected file {}", path.display()),
        }
    }
    let listed: BTreeSet<String> = SAMPLES.iter().map(|s| s.to_string()).collect();
    assert_eq!(found, listed, "the samples on disk and SAMPLES differ");
}

// ---- HCSS: the purchase ----

#[test]
fn the_request_body_we_build_from_the_documents_example_is_that_example() {
    let (draft, problems) = Draft::from_plan_json(&text("purchase_request"));
    assert!(problems.is_empty(), "{problems:#?}");
    let body = draft
        .request_body(&Catalog::embedded())
        .unwrap_or_else(|problems| panic!("{problems:#?}"));
    // Field for field, value for value, and each of the same JSON type:
    // `period_num` an integer, the flags booleans, the sizes integers.
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        sample("purchase_request")
    );
}

#[test]
fn the_request_body_names_its_fields_as_the_document_does() {
    let example = sample("purchase_request");
    assert_fields_in_samples::<RequestBody>(
        &[&example],
        &[("tags", "in Table 2; the example orders no tags")],
    );
    assert_fields_in_samples::<ImageRefBody>(
        &[&example["image_ref"]],
        &[(
            "image_id",
            "in Table 3, for private images; the example uses a public one",
        )],
    );
}

#[test]
fn the_purchase_answer_is_read() {
    let created: CreatedOrder = read("purchase_answer");
    assert_eq!(created.order_id, "CS24022811305H1EW");
    assert_eq!(created.instance_ids, ["65dea8d23005da564c78d9d2"]);
    assert_fields_in_samples::<CreatedOrder>(&[&sample("purchase_answer")], &[]);
}

// ---- BSS: orders ----

#[test]
fn a_completed_orders_details_are_read() {
    let details: OrderDetails = read("order_details_completed");
    assert_eq!(details.total_count, 2);
    let info = &details.order_info;
    assert_eq!(info.order_id, "CS24022811305H1EW");
    assert_eq!(info.status, wire::status::COMPLETED);
    assert!(wire::status::is_final(info.status));
    assert_eq!(
        info.service_type_code.as_deref(),
        Some(wire::FLEXUSL_SERVICE_TYPE_CODE)
    );
    assert_eq!(info.service_type_name.as_deref(), Some("FlexusL"));
    assert_eq!(
        info.customer_id.as_deref(),
        Some("0b5d8f3c2a7e4e1c9f6d2b8a4c1e7f30")
    );
    assert_eq!((info.source_type, info.order_type), (Some(1), Some(1)));
    assert_eq!(info.amount_after_discount, Some(19.08));
    assert_eq!(info.official_amount, Some(21.20));
    assert_eq!(info.measure_id, Some(1));
    assert_eq!(info.currency.as_deref(), Some("USD"));
    assert_eq!(
        info.amount_text().as_deref(),
        Some("USD 19.08 (list price USD 21.20)")
    );
    assert_eq!(info.create_time.as_deref(), Some("2024-02-28T11:30:52Z"));
    assert_eq!(info.payment_time.as_deref(), Some("2024-02-28T11:30:55Z"));
    for time in [&info.create_time, &info.payment_time] {
        let time = time.as_deref().unwrap();
        assert!(wire::parse_bss_time(time).is_some(), "{time}");
    }
    assert_eq!(info.user_name.as_deref(), Some("flexus-buyer"));
    assert_eq!(info.pending_payment_end_time, None);
    assert_eq!(info.contract_id, None);

    let [package, disk] = details.order_line_items.as_slice() else {
        panic!("two line items: {:#?}", details.order_line_items);
    };
    assert_eq!(
        package.order_line_item_id.as_deref(),
        Some("CS24022811305H1EW-000001")
    );
    assert_eq!(
        package.product_spec_desc.as_deref(),
        Some("hf.large.1.30m.linux | 2 vCPUs | 2 GiB | 60 GiB | 3072 GB")
    );
    // Month (2), one of them, two instances.
    assert_eq!(
        (
            package.period_type,
            package.period_num,
            package.subscription_num
        ),
        (Some(2), Some(1), Some(2))
    );
    assert_eq!(
        package.effective_time.as_deref(),
        Some("2024-02-28T11:31:05Z")
    );
    assert_eq!(package.expire_time.as_deref(), Some("2024-03-28T15:59:59Z"));
    assert_eq!(
        (package.official_amount, package.amount_after_discount),
        (Some(18.00), Some(16.20))
    );
    assert_eq!(package.currency.as_deref(), Some("USD"));
    assert_eq!(
        disk.service_type_code.as_deref(),
        Some("hws.service.type.ebs")
    );
    assert_eq!(
        (disk.official_amount, disk.amount_after_discount),
        (Some(3.20), Some(2.88))
    );
}

#[test]
fn an_order_waiting_for_payment_is_read_with_its_deadline() {
    let details: OrderDetails = read("order_details_pending");
    let info = &details.order_info;
    assert_eq!(info.order_id, "CS2403041015K7QZP");
    assert_eq!(info.status, wire::status::PENDING_PAYMENT);
    assert_eq!(wire::status::describe(info.status), "pending payment");
    assert!(!wire::status::is_final(info.status));
    assert_eq!(info.payment_time, None);
    let deadline = info.pending_payment_end_time.as_deref();
    assert_eq!(deadline, Some("2024-03-19T10:15:33Z"));
    assert!(wire::parse_bss_time(deadline.unwrap()).is_some());
    assert_eq!(info.amount_text().as_deref(), Some("USD 57.00"));
    let [item] = details.order_line_items.as_slice() else {
        panic!("one line item: {:#?}", details.order_line_items);
    };
    assert_eq!(
        (item.period_type, item.period_num, item.subscription_num),
        (Some(2), Some(3), Some(1))
    );
    assert_eq!(
        (item.effective_time.as_deref(), item.expire_time.as_deref()),
        (None, None)
    );
}

#[test]
fn order_details_name_their_fields_as_the_sdk_does() {
    let (completed, pending) = (
        sample("order_details_completed"),
        sample("order_details_pending"),
    );
    assert_fields_in_samples::<OrderDetails>(&[&completed, &pending], &[]);
    assert_fields_in_samples::<OrderInfo>(
        &[&completed["order_info"], &pending["order_info"]],
        &[(
            "contract_id",
            "in CustomerOrderV3; only orders placed under a contract carry one",
        )],
    );
    let items: Vec<&Value> = [&completed, &pending]
        .iter()
        .flat_map(|d| d["order_line_items"].as_array().unwrap())
        .collect();
    assert_fields_in_samples::<OrderLineItem>(&items, &[]);
}

#[test]
fn the_order_list_is_read_newest_first() {
    let list: OrderList = read("order_list");
    assert_eq!(list.total_count, 3);
    assert_eq!(list.left_out, 0);
    let seen: Vec<(&str, i32)> = list
        .order_infos
        .iter()
        .map(|o| (o.order_id.as_str(), o.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("CS2403041015K7QZP", wire::status::PENDING_PAYMENT),
            ("CS2403011422M3XWD", wire::status::CANCELLED),
            ("CS24022811305H1EW", wire::status::COMPLETED),
        ]
    );
    let times: Vec<_> = list
        .order_infos
        .iter()
        .map(|o| wire::parse_bss_time(o.create_time.as_deref().unwrap()).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] > w[1]), "{times:?}");
    let cancelled = &list.order_infos[1];
    assert_eq!(cancelled.amount_text().as_deref(), Some("USD 9.00"));
    assert_eq!(cancelled.payment_time, None);
    for info in &list.order_infos {
        assert_eq!(info.order_type, Some(1));
        assert_eq!(
            info.service_type_code.as_deref(),
            Some(wire::FLEXUSL_SERVICE_TYPE_CODE)
        );
        // The list (CustomerOrderV2) never says these: only the details do.
        assert_eq!(info.user_name, None);
        assert_eq!(info.pending_payment_end_time, None);
    }
}

#[test]
fn the_order_list_names_its_fields_as_the_sdk_does() {
    let list = sample("order_list");
    assert_fields_in_samples::<OrderList>(&[&list], &[]);
    let entries: Vec<&Value> = list["order_infos"].as_array().unwrap().iter().collect();
    assert_fields_in_samples::<OrderInfo>(
        &entries,
        &[
            ("user_name", "CustomerOrderV3 (details) only"),
            ("pending_payment_end_time", "CustomerOrderV3 (details) only"),
            (
                "contract_id",
                "in CustomerOrderV2; only orders placed under a contract carry one",
            ),
        ],
    );
}

#[test]
fn the_pay_and_cancel_bodies_are_the_documents() {
    assert_eq!(
        serde_json::to_value(PayRequest::new("CS24022811305H1EW")).unwrap(),
        sample("pay_request")
    );
    let cancel = CancelRequest {
        order_id: "CS24022811305H1EW".to_string(),
    };
    assert_eq!(
        serde_json::to_value(cancel).unwrap(),
        sample("cancel_request")
    );
}

// ---- IAM ----

fn password_identity(with_mfa: bool) -> Identity {
    let mut methods = vec!["password".to_string()];
    if with_mfa {
        methods.push("totp".to_string());
    }
    Identity {
        methods,
        password: Some(PasswordIdentity {
            user: PasswordUser {
                name: "flexus-buyer".to_string(),
                password: "not-a-real-password".to_string(),
                domain: NamedRef {
                    name: "acme-cloud".to_string(),
                },
            },
        }),
        totp: with_mfa.then(|| TotpIdentity {
            user: TotpUser {
                id: "7116d09f88fa41908676fdd4b039e95b".to_string(),
                passcode: "123456".to_string(),
            },
        }),
        token: None,
    }
}

fn token_request(identity: Identity, scope: Scope) -> Value {
    serde_json::to_value(TokenRequest {
        auth: TokenAuth { identity, scope },
    })
    .unwrap()
}

#[test]
fn the_token_requests_we_send_are_the_documented_ones() {
    assert_eq!(
        token_request(password_identity(false), Scope::project("ap-southeast-3")),
        sample("iam_password_token_request")
    );
    assert_eq!(
        token_request(password_identity(true), Scope::domain("acme-cloud")),
        sample("iam_password_mfa_token_request")
    );
    let exchange = Identity {
        methods: vec!["token".to_string()],
        password: None,
        totp: None,
        token: Some(TokenIdentity {
            id: "MIIDsampleTokenNotARealOne".to_string(),
        }),
    };
    assert_eq!(
        token_request(exchange, Scope::project("ap-southeast-3")),
        sample("iam_token_exchange_request")
    );
}

#[test]
fn a_project_scoped_token_is_read() {
    let answer: TokenResponse = read("iam_token_project");
    let token = answer.token;
    assert_eq!(token.expires_at, "2024-02-29T11:28:41.084000Z");
    let project = token.project.expect("project scope");
    assert_eq!(project.id, "05041fffa40025702f6dc009cc6f8f33");
    assert_eq!(project.name.as_deref(), Some("ap-southeast-3"));
    assert!(token.domain.is_none());
    let user = token.user.expect("user");
    assert_eq!(user.id.as_deref(), Some("7116d09f88fa41908676fdd4b039e95b"));
    assert_eq!(user.name.as_deref(), Some("flexus-buyer"));
}

#[test]
fn a_domain_scoped_token_is_read() {
    let answer: TokenResponse = read("iam_token_domain");
    let token = answer.token;
    let domain = token.domain.expect("domain scope");
    assert_eq!(domain.id, "d78cbac186b744899480f25bd022f468");
    assert_eq!(domain.name.as_deref(), Some("acme-cloud"));
    assert!(token.project.is_none());
}

#[test]
fn token_answers_name_their_fields_as_the_sdk_does() {
    let (project, domain) = (sample("iam_token_project"), sample("iam_token_domain"));
    assert_fields_in_samples::<TokenResponse>(&[&project, &domain], &[]);
    let tokens = [&project["token"], &domain["token"]];
    assert_fields_in_samples::<TokenInfo>(&tokens, &[]);
    assert_fields_in_samples::<TokenUser>(
        &[&project["token"]["user"], &domain["token"]["user"]],
        &[],
    );
    assert_fields_in_samples::<TokenProject>(&[&project["token"]["project"]], &[]);
    assert_fields_in_samples::<TokenDomain>(&[&domain["token"]["domain"]], &[]);
}

#[test]
fn the_project_and_domain_lists_are_read() {
    let projects: ProjectList = read("iam_projects");
    let found: Vec<(&str, &str)> = projects
        .projects
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(
        found,
        [("05041fffa40025702f6dc009cc6f8f33", "ap-southeast-3")]
    );
    let domains: DomainList = read("iam_domains");
    let [first] = domains.domains.as_slice() else {
        panic!("one domain: {:#?}", domains.domains);
    };
    assert_eq!(first.id, "d78cbac186b744899480f25bd022f468");
    assert_eq!(first.name.as_deref(), Some("acme-cloud"));

    let (projects, domains) = (sample("iam_projects"), sample("iam_domains"));
    assert_fields_in_samples::<ProjectList>(&[&projects], &[]);
    assert_fields_in_samples::<Project>(&[&projects["projects"][0]], &[]);
    assert_fields_in_samples::<DomainList>(&[&domains], &[]);
    assert_fields_in_samples::<Domain>(&[&domains["domains"][0]], &[]);
}

// ---- error shapes ----

#[test]
fn the_documents_flat_hcss_error_is_read() {
    let f = failure_of("error_hcss_invalid_parameter", Operation::CreateOrder, 400);
    assert_eq!(f.status, Some(400));
    assert_eq!(f.code.as_deref(), Some(codes::INVALID_PARAMETER));
    assert_eq!(f.message, "Invalid parameter");
    assert!(
        f.next_step.starts_with("Nothing was ordered"),
        "{}",
        f.next_step
    );
    assert!(!failure::needs_sign_in(&f));
}

#[test]
fn the_gateways_iam_authentication_error_is_read() {
    let f = failure_of("error_apigw_iam_auth", Operation::OrderDetails, 401);
    assert_eq!(f.code.as_deref(), Some(gateway_codes::IAM_AUTH));
    assert_eq!(
        f.message,
        "Incorrect IAM authentication information: decrypt token fail"
    );
    assert!(failure::needs_sign_in(&f));
    assert!(f.next_step.contains("sign in again"), "{}", f.next_step);
}

#[test]
fn the_nested_gateway_error_is_read() {
    let f = failure_of("error_gateway_nested", Operation::ListOrders, 429);
    assert_eq!(f.code.as_deref(), Some(gateway_codes::THROTTLED));
    assert_eq!(
        f.message,
        "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 \
         minute"
    );
    assert!(f.next_step.contains("wait a minute"), "{}", f.next_step);
    assert!(!failure::needs_sign_in(&f));
}

#[test]
fn iams_numeric_error_code_is_read_as_text() {
    let f = failure_of("error_iam_unauthorized", Operation::Login, 401);
    assert_eq!(f.code.as_deref(), Some("401"));
    assert_eq!(f.message, "Unauthorized");
    assert!(
        f.next_step.contains("user name, password"),
        "{}",
        f.next_step
    );
    let body: ErrorBody = read("error_iam_unauthorized");
    assert_eq!(
        body.error.and_then(|e| e.title).as_deref(),
        Some("Unauthorized")
    );
}

#[test]
fn billing_refusals_tell_permission_from_an_expired_token() {
    let denied = failure_of("error_bss_access_denied", Operation::PayOrder, 403);
    assert_eq!(denied.code.as_deref(), Some(bss_codes::ACCESS_DENIED));
    assert_eq!(denied.message, "Access denied");
    assert!(!failure::needs_sign_in(&denied));
    assert!(
        denied.next_step.contains("BSS permissions"),
        "{}",
        denied.next_step
    );

    let expired = failure_of("error_bss_token_expired", Operation::OrderDetails, 403);
    assert_eq!(expired.code.as_deref(), Some(bss_codes::TOKEN_EXPIRED));
    assert_eq!(expired.message, "Token invalid or expired");
    assert!(failure::needs_sign_in(&expired));
    assert!(
        expired.next_step.contains("sign in again"),
        "{}",
        expired.next_step
    );
}

#[test]
fn error_bodies_name_their_fields_as_the_samples_do() {
    let flat: Vec<Value> = [
        "error_hcss_invalid_parameter",
        "error_apigw_iam_auth",
        "error_bss_access_denied",
        "error_bss_token_expired",
    ]
    .into_iter()
    .map(sample)
    .collect();
    let nested = [
        sample("error_gateway_nested"),
        sample("error_iam_unauthorized"),
    ];
    let bodies: Vec<&Value> = flat.iter().chain(&nested).collect();
    assert_fields_in_samples::<ErrorBody>(&bodies, &[]);
    let inner: Vec<&Value> = nested.iter().map(|b| &b["error"]).collect();
    assert_fields_in_samples::<NestedError>(&inner, &[]);
}

// ---- nullable counts and lists ----

/// `sample` with the named top-level fields set to `null`.
fn with_nulls(name: &str, fields: &[&str]) -> String {
    let mut value = sample(name);
    for field in fields {
        value[*field] = Value::Null;
    }
    value.to_string()
}

/// The SDK models declare these counts and lists nullable (`*int32`,
/// `*[]T`): a `null` one reads as none instead of making the whole answer
/// unreadable (which, for the purchase answer, would leave an order of
/// unknown outcome although its ID is right there).
#[test]
fn null_counts_and_lists_read_as_none() {
    let details: OrderDetails = serde_json::from_str(&with_nulls(
        "order_details_pending",
        &["total_count", "order_line_items"],
    ))
    .unwrap();
    assert_eq!(details.order_info.order_id, "CS2403041015K7QZP");
    assert_eq!(details.total_count, 0);
    assert!(details.order_line_items.is_empty());

    let list: OrderList =
        serde_json::from_str(&with_nulls("order_list", &["total_count", "order_infos"])).unwrap();
    assert_eq!((list.total_count, list.order_infos.len()), (0, 0));

    let created: CreatedOrder =
        serde_json::from_str(&with_nulls("purchase_answer", &["instance_ids"])).unwrap();
    assert_eq!(created.order_id, "CS24022811305H1EW");
    assert!(created.instance_ids.is_empty());

    let projects: ProjectList =
        serde_json::from_str(&with_nulls("iam_projects", &["projects"])).unwrap();
    assert!(projects.projects.is_empty());
    let domains: DomainList =
        serde_json::from_str(&with_nulls("iam_domains", &["domains"])).unwrap();
    assert!(domains.domains.is_empty());
}
