//! Faults the sandbox can inject, so that clients can be tested against the
//! failures the real services have: throttling, server errors, slowness, an
//! answer lost after the order was placed, any error code of Table 8, and
//! answers no client should trust (huge, or with malformed IDs).
//!
//! Syntax (one fault per `--fault`): `KIND[=VALUE][:COUNT][@ENDPOINT]`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use axum::http::Method;

use crate::api::wire::{codes, paths};

/// What a fault does to a request it hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer 429 with `Retry-After` in seconds, without handling the request.
    TooManyRequests { retry_after_secs: u64 },
    /// Answer 500 without handling the request.
    ServerError,
    /// Handle the request at once, but answer this much later.
    Slow { delay: Duration },
    /// Handle the request (an order IS created), then cut the connection
    /// without answering.
    Drop,
    /// Answer with this Table 8 error code and its HTTP status, without
    /// handling the request.
    Error { code: &'static str },
    /// Handle the request (an order IS created), then answer with this many
    /// MiB of whitespace before the real (valid JSON) answer, streamed so the
    /// sandbox never holds it.
    Huge { megabytes: u32 },
    /// Handle the request (an order IS created), then answer with every
    /// `order_id` in the answer replaced by `..`.
    BadId,
}

/// The endpoints a fault can be scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Create,
    Details,
    List,
    Pay,
    Cancel,
    /// The IAM token and project calls.
    Iam,
    All,
}

impl Scope {
    const NAMES: [(&'static str, Scope); 7] = [
        ("create", Scope::Create),
        ("details", Scope::Details),
        ("list", Scope::List),
        ("pay", Scope::Pay),
        ("cancel", Scope::Cancel),
        ("iam", Scope::Iam),
        ("all", Scope::All),
    ];

    pub fn name(self) -> &'static str {
        Scope::NAMES
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| *n)
            .unwrap_or("all")
    }

    pub fn covers(self, endpoint: Endpoint) -> bool {
        match self {
            Scope::All => true,
            Scope::Create => endpoint == Endpoint::Create,
            Scope::Details => endpoint == Endpoint::Details,
            Scope::List => endpoint == Endpoint::List,
            Scope::Pay => endpoint == Endpoint::Pay,
            Scope::Cancel => endpoint == Endpoint::Cancel,
            Scope::Iam => endpoint.service() == Service::Iam,
        }
    }
}

/// How many matching requests a fault hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Times(u32),
    Always,
}

/// One fault: what it does, where, and how many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub kind: FaultKind,
    pub count: Count,
    pub scope: Scope,
}

/// The service an endpoint belongs to; it decides the shape of error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Hcss,
    Bss,
    Iam,
}

/// Every endpoint the sandbox serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Create,
    Details,
    List,
    Pay,
    Cancel,
    IamToken,
    /// `GET /v3/auth/tokens`: what a token is scoped to.
    IamTokenCheck,
    IamProjects,
    IamDomains,
}

impl Endpoint {
    /// The endpoint a request is for, if it is one the sandbox serves.
    pub fn classify(method: &Method, path: &str) -> Option<Endpoint> {
        let path = path.strip_suffix('/').unwrap_or(path);
        let endpoint = if path == paths::CREATE_ORDER {
            Endpoint::Create
        } else if path
            .strip_prefix(paths::ORDER_DETAILS)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
        {
            Endpoint::Details
        } else if path == paths::LIST_ORDERS {
            Endpoint::List
        } else if path == paths::PAY_ORDER {
            Endpoint::Pay
        } else if path == paths::CANCEL_ORDER {
            Endpoint::Cancel
        } else if path == paths::IAM_TOKENS && *method == Method::GET {
            Endpoint::IamTokenCheck
        } else if path == paths::IAM_TOKENS {
            Endpoint::IamToken
        } else if path == paths::IAM_PROJECTS {
            Endpoint::IamProjects
        } else if path == paths::IAM_DOMAINS {
            Endpoint::IamDomains
        } else {
            return None;
        };
        (*method == endpoint.method()).then_some(endpoint)
    }

    pub fn method(self) -> Method {
        match self {
            Endpoint::Create | Endpoint::Pay | Endpoint::IamToken => Method::POST,
            Endpoint::Details
            | Endpoint::List
            | Endpoint::IamTokenCheck
            | Endpoint::IamProjects
            | Endpoint::IamDomains => Method::GET,
            Endpoint::Cancel => Method::PUT,
        }
    }

    pub fn service(self) -> Service {
        match self {
            Endpoint::Create => Service::Hcss,
            Endpoint::Details | Endpoint::List | Endpoint::Pay | Endpoint::Cancel => Service::Bss,
            Endpoint::IamToken
            | Endpoint::IamTokenCheck
            | Endpoint::IamProjects
            | Endpoint::IamDomains => Service::Iam,
        }
    }
}

/// The syntax, for error messages (`flexus sandbox --help` explains it).
pub const SYNTAX: &str = "KIND[=VALUE][:COUNT][@ENDPOINT]";

impl FromStr for Fault {
    type Err = String;

    fn from_str(text: &str) -> Result<Fault, String> {
        let text = text.trim();
        let (rest, scope) = match text.rsplit_once('@') {
            Some((rest, scope)) => (rest, parse_scope(scope)?),
            None => (text, Scope::All),
        };
        let (rest, count) = match rest.rsplit_once(':') {
            Some((rest, count)) => (rest, parse_count(count)?),
            None => (rest, Count::Times(1)),
        };
        let (kind, value) = match rest.split_once('=') {
            Some((kind, value)) => (kind, Some(value)),
            None => (rest, None),
        };
        let kind = parse_kind(kind, value)?;
        Ok(Fault { kind, count, scope })
    }
}

fn parse_scope(name: &str) -> Result<Scope, String> {
    Scope::NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            let names: Vec<&str> = Scope::NAMES.iter().map(|(n, _)| *n).collect();
            tr!("core.fault.endpoint", name = name, names = names.join(", "))
        })
}

fn parse_count(text: &str) -> Result<Count, String> {
    if text == "*" {
        return Ok(Count::Always);
    }
    match text.parse::<u32>() {
        Ok(n) if n > 0 => Ok(Count::Times(n)),
        _ => Err(tr!("core.fault.count", text = text)),
    }
}

fn parse_kind(kind: &str, value: Option<&str>) -> Result<FaultKind, String> {
    let no_value = |example: &str| match value {
        None => Ok(()),
        Some(v) => Err(tr!(
            "core.fault.no_value",
            kind = kind,
            value = v,
            example = example
        )),
    };
    match kind {
        "429" => {
            let retry_after_secs = match value {
                None => 1,
                Some(v) => v
                    .parse::<u64>()
                    .map_err(|_| tr!("core.fault.seconds", value = v))?,
            };
            Ok(FaultKind::TooManyRequests { retry_after_secs })
        }
        "500" => no_value("500:2@details").map(|()| FaultKind::ServerError),
        "drop" => no_value("drop@create").map(|()| FaultKind::Drop),
        "badid" => no_value("badid@create").map(|()| FaultKind::BadId),
        "huge" => match value {
            None => Err(tr!("core.fault.huge_missing")),
            Some(v) => match v.parse::<u32>() {
                Ok(megabytes) if (1..=100_000).contains(&megabytes) => {
                    Ok(FaultKind::Huge { megabytes })
                }
                _ => Err(tr!("core.fault.huge_bad", value = v)),
            },
        },
        "slow" => match value {
            None => Err(tr!("core.fault.slow_missing")),
            Some(v) => v
                .parse::<u64>()
                .map(|ms| FaultKind::Slow {
                    delay: Duration::from_millis(ms),
                })
                .map_err(|_| tr!("core.fault.slow_bad", value = v)),
        },
        "error" => match value {
            None => Err(tr!("core.fault.error_missing")),
            Some(v) => match codes::describe(v) {
                Some((code, _, _)) => Ok(FaultKind::Error { code }),
                None => Err(tr!(
                    "core.fault.error_bad",
                    value = v,
                    codes = codes::TABLE_8
                        .iter()
                        .map(|(c, _, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            },
        },
        "" => Err(tr!("core.fault.empty", syntax = SYNTAX)),
        other => Err(tr!("core.fault.kind", kind = other, syntax = SYNTAX)),
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FaultKind::TooManyRequests { retry_after_secs } => write!(f, "429={retry_after_secs}")?,
            FaultKind::ServerError => f.write_str("500")?,
            FaultKind::Slow { delay } => write!(f, "slow={}", delay.as_millis())?,
            FaultKind::Drop => f.write_str("drop")?,
            FaultKind::Error { code } => write!(f, "error={code}")?,
            FaultKind::Huge { megabytes } => write!(f, "huge={megabytes}")?,
            FaultKind::BadId => f.write_str("badid")?,
        }
        match self.count {
            Count::Times(n) => write!(f, ":{n}")?,
            Count::Always => f.write_str(":*")?,
        }
        write!(f, "@{}", self.scope.name())
    }
}

/// What the faults decided for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Sum of the slow faults that hit.
    pub delay: Duration,
    /// The one non-slow fault that hit, if any.
    pub action: Option<FaultKind>,
}

/// The faults of a running sandbox with what is left of each count.
#[derive(Debug, Default)]
pub struct FaultPlan {
    faults: Vec<(Fault, Count)>,
}

impl FaultPlan {
    pub fn new(faults: &[Fault]) -> FaultPlan {
        FaultPlan {
            faults: faults.iter().map(|f| (f.clone(), f.count)).collect(),
        }
    }

    /// Decides what happens to one request and uses up the faults that hit:
    /// every slow fault in scope adds its delay, and the first other fault in
    /// scope with hits left decides the answer.
    pub fn hit(&mut self, endpoint: Endpoint) -> Verdict {
        let mut verdict = Verdict::default();
        for (fault, left) in &mut self.faults {
            if !fault.scope.covers(endpoint) || *left == Count::Times(0) {
                continue;
            }
            if let Count::Times(n) = left {
                *n -= 1;
            }
            match &fault.kind {
                FaultKind::Slow { delay } => verdict.delay += *delay,
                other => {
                    verdict.action = Some(other.clone());
                    break;
                }
            }
        }
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Fault {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn parses_every_kind_with_defaults() {
        assert_eq!(
            parse("429:3@create"),
            Fault {
                kind: FaultKind::TooManyRequests {
                    retry_after_secs: 1
                },
                count: Count::Times(3),
                scope: Scope::Create
            }
        );
        assert_eq!(
            parse("429=7"),
            Fault {
                kind: FaultKind::TooManyRequests {
                    retry_after_secs: 7
                },
                count: Count::Times(1),
                scope: Scope::All
            }
        );
        assert_eq!(parse("500:2@details").kind, FaultKind::ServerError);
        assert_eq!(
            parse("slow=4000:*@create"),
            Fault {
                kind: FaultKind::Slow {
                    delay: Duration::from_millis(4000)
                },
                count: Count::Always,
                scope: Scope::Create
            }
        );
        assert_eq!(parse("drop@create").kind, FaultKind::Drop);
        assert_eq!(
            parse("error=HCSS.14000011@create").kind,
            FaultKind::Error {
                code: codes::INSUFFICIENT_QUOTA
            }
        );
        assert_eq!(parse("500@iam").scope, Scope::Iam);
        assert_eq!(
            parse("huge=300@create").kind,
            FaultKind::Huge { megabytes: 300 }
        );
        assert_eq!(parse("badid@list").kind, FaultKind::BadId);
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "429=1:3@create",
            "500:2@details",
            "slow=4000:*@all",
            "drop:1@create",
            "error=HCSS.14000010:1@create",
            "huge=2:1@details",
            "badid:*@create",
        ] {
            assert_eq!(parse(text).to_string(), text);
        }
    }

    #[test]
    fn mistakes_are_explained() {
        let err = |t: &str| t.parse::<Fault>().unwrap_err();
        assert!(
            err("slow:4000@create").contains("slow=MS"),
            "{}",
            err("slow:4000@create")
        );
        assert!(err("404").contains("not a kind of fault"));
        assert!(err("429@buy").contains("not an endpoint"));
        assert!(err("500:0").contains("not a count"));
        assert!(err("500:x").contains("not a count"));
        assert!(err("error=HCSS.99").contains("HCSS.14000011"));
        assert!(err("error").contains("error=CODE"));
        assert!(err("drop=3").contains("takes no value"));
        assert!(err("429=soon").contains("seconds"));
        assert!(err("").contains(SYNTAX));
        assert!(err("huge").contains("huge=MB"));
        assert!(err("huge=0").contains("size in MiB"));
        assert!(err("badid=1").contains("takes no value"));
    }

    #[test]
    fn faults_apply_in_order_and_consume_only_their_hits() {
        let mut plan = FaultPlan::new(&[
            parse("429:2@create"),
            parse("slow=100:*@create"),
            parse("drop@create"),
            parse("500@details"),
        ]);
        let throttled = Some(FaultKind::TooManyRequests {
            retry_after_secs: 1,
        });
        assert_eq!(
            plan.hit(Endpoint::Details).action,
            Some(FaultKind::ServerError)
        );
        assert_eq!(plan.hit(Endpoint::Create).action, throttled);
        assert_eq!(plan.hit(Endpoint::Create).action, throttled);
        let third = plan.hit(Endpoint::Create);
        assert_eq!(third.action, Some(FaultKind::Drop));
        assert_eq!(third.delay, Duration::from_millis(100));
        assert_eq!(
            plan.hit(Endpoint::Create),
            Verdict {
                delay: Duration::from_millis(100),
                action: None
            }
        );
        assert_eq!(plan.hit(Endpoint::Details), Verdict::default());
        assert_eq!(plan.hit(Endpoint::List), Verdict::default());
    }

    #[test]
    fn endpoints_are_told_apart_by_method_and_path() {
        let c = |m: Method, p: &str| Endpoint::classify(&m, p);
        assert_eq!(
            c(Method::POST, "/v1/light-instances"),
            Some(Endpoint::Create)
        );
        assert_eq!(c(Method::GET, "/v1/light-instances"), None);
        assert_eq!(
            c(Method::GET, "/v2/orders/customer-orders/details/CS1"),
            Some(Endpoint::Details)
        );
        assert_eq!(c(Method::GET, "/v2/orders/customer-orders/details/"), None);
        assert_eq!(
            c(Method::GET, "/v2/orders/customer-orders"),
            Some(Endpoint::List)
        );
        assert_eq!(
            c(Method::POST, "/v3/orders/customer-orders/pay"),
            Some(Endpoint::Pay)
        );
        assert_eq!(
            c(Method::PUT, "/v2/orders/customer-orders/cancel"),
            Some(Endpoint::Cancel)
        );
        assert_eq!(c(Method::POST, "/v3/auth/tokens"), Some(Endpoint::IamToken));
        assert_eq!(c(Method::GET, "/v3/projects"), Some(Endpoint::IamProjects));
        assert_eq!(c(Method::GET, "/nowhere"), None);
    }
}
