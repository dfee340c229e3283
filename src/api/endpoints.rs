//! Where the three services live, and the rule that keeps credentials off
//! plain HTTP except on this machine.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

/// The international site's purchase gateway: one host for every region (the
/// target region travels in the body), see companion-apis.md section 1.
pub const DEFAULT_HCSS: &str = "https://hcss.ap-southeast-3.myhuaweicloud.com";
/// The international site's billing service (order status, list, pay).
pub const DEFAULT_BSS: &str = "https://bss-intl.myhuaweicloud.com";
/// The region whose IAM endpoint is the default (the gateway's own). IAM
/// is global within a site: it hands out tokens and project IDs for every
/// region, so credentials are scoped per order region, not by this.
pub const DEFAULT_AUTH_REGION: &str = "ap-southeast-3";

/// Environment overrides, below the flags and above the defaults.
pub const ENV_HCSS: &str = "FLEXUS_HCSS_ENDPOINT";
/// See [`ENV_HCSS`].
pub const ENV_BSS: &str = "FLEXUS_BSS_ENDPOINT";
/// See [`ENV_HCSS`].
pub const ENV_IAM: &str = "FLEXUS_IAM_ENDPOINT";
/// The official SDKs' name for the IAM endpoint, honoured after ours.
pub const ENV_SDK_IAM: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";

/// The IAM endpoint of a region, as Huawei names its hosts.
pub fn default_iam(region: &str) -> String {
    format!("https://iam.{region}.myhuaweicloud.com")
}

/// The base URLs of HCSS (purchase), BSS (orders, payment) and IAM (tokens,
/// projects); one value so the wizard and the CLI resolve them the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub hcss: Url,
    pub bss: Url,
    pub iam: Url,
}

/// Endpoint overrides from the command line; `None` falls back to the
/// environment, then to the defaults.
#[derive(Debug, Clone, Default)]
pub struct EndpointOverrides {
    pub hcss: Option<String>,
    pub bss: Option<String>,
    pub iam: Option<String>,
}

/// An endpoint that cannot be used, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    /// Which setting held it (`--hcss-endpoint`, `FLEXUS_BSS_ENDPOINT`...).
    pub setting: String,
    pub message: String,
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.setting, self.message)
    }
}

impl std::error::Error for EndpointError {}

impl Endpoints {
    /// Huawei's international site, with IAM in `auth_region`.
    pub fn international(auth_region: &str) -> Endpoints {
        Endpoints {
            hcss: Url::parse(DEFAULT_HCSS).expect("the default HCSS endpoint is a URL"),
            bss: Url::parse(DEFAULT_BSS).expect("the default BSS endpoint is a URL"),
            iam: Url::parse(&default_iam(auth_region)).expect("a region name makes a URL"),
        }
    }

    /// Every service at one base URL: the sandbox serves all three.
    pub fn all_at(base: &str) -> Result<Endpoints, EndpointError> {
        let url = parse_endpoint("endpoint", base)?;
        Ok(Endpoints {
            hcss: url.clone(),
            bss: url.clone(),
            iam: url,
        })
    }

    /// Flags first, then `FLEXUS_*_ENDPOINT` (and the SDK's IAM variable),
    /// then the international defaults. `env` reads a variable, so tests need
    /// not touch the process environment.
    pub fn resolve(
        overrides: &EndpointOverrides,
        env: &dyn Fn(&str) -> Option<String>,
        auth_region: &str,
    ) -> Result<Endpoints, EndpointError> {
        let defaults = Endpoints::international(auth_region);
        let pick = |flag: &Option<String>,
                    flag_name: &str,
                    vars: &[&str],
                    default: Url|
         -> Result<Url, EndpointError> {
            if let Some(text) = flag {
                return parse_endpoint(flag_name, text);
            }
            for var in vars {
                if let Some(text) = env(var).filter(|t| !t.trim().is_empty()) {
                    return parse_endpoint(var, &text);
                }
            }
            Ok(default)
        };
        Ok(Endpoints {
            hcss: pick(
                &overrides.hcss,
                "--hcss-endpoint",
                &[ENV_HCSS],
                defaults.hcss,
            )?,
            bss: pick(&overrides.bss, "--bss-endpoint", &[ENV_BSS], defaults.bss)?,
            iam: pick(
                &overrides.iam,
                "--iam-endpoint",
                &[ENV_IAM, ENV_SDK_IAM],
                defaults.iam,
            )?,
        })
    }
}

/// Checks one endpoint: an `https://` URL, or `http://` on a loopback
/// address (a token sent in clear over a network could be read by anyone on
/// the way). No user name, password, query or fragment: they would end up in
/// logs and the journal.
pub fn parse_endpoint(setting: &str, text: &str) -> Result<Url, EndpointError> {
    let error = |message: String| EndpointError {
        setting: setting.to_string(),
        message,
    };
    let text = text.trim();
    let url = Url::parse(text).map_err(|e| {
        error(tr!(
            "core.endpoint.not_url",
            text = clean_for_display(text),
            why = e
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(error(tr!("core.endpoint.userinfo")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(error(tr!("core.endpoint.query")));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(error(tr!(
                "core.endpoint.http",
                host = url.host_str().unwrap_or("host")
            )));
        }
        other => {
            return Err(error(tr!("core.endpoint.scheme", scheme = other)));
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(error(tr!("core.endpoint.no_host")));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Text typed by a user, made safe to echo in an error.
fn clean_for_display(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// `base` joined with an absolute API path, keeping any path prefix the base
/// has (e.g. a proxy at `https://proxy/huawei`).
pub(crate) fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}{path}"));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_refused_in_chinese_keeps_the_setting_and_the_url_form() {
        let error = crate::lang::in_language(crate::lang::Lang::Zh, || {
            parse_endpoint("--hcss-endpoint", "http://example.com").unwrap_err()
        });
        assert_eq!(
            error.to_string(),
            "--hcss-endpoint: http://只用于本机（127.0.0.1、::1、localhost）；请用https://example.com"
        );
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn defaults_are_the_international_site() {
        let e =
            Endpoints::resolve(&EndpointOverrides::default(), &no_env, "ap-southeast-3").unwrap();
        assert_eq!(
            e.hcss.as_str(),
            "https://hcss.ap-southeast-3.myhuaweicloud.com/"
        );
        assert_eq!(e.bss.as_str(), "https://bss-intl.myhuaweicloud.com/");
        assert_eq!(
            e.iam.as_str(),
            "https://iam.ap-southeast-3.myhuaweicloud.com/"
        );
    }

    #[test]
    fn flag_beats_environment_beats_default() {
        let env = |name: &str| match name {
            ENV_HCSS => Some("https://env-hcss.example".to_string()),
            ENV_SDK_IAM => Some("https://sdk-iam.example".to_string()),
            _ => None,
        };
        let overrides = EndpointOverrides {
            bss: Some("http://127.0.0.1:8080".into()),
            ..Default::default()
        };
        let e = Endpoints::resolve(&overrides, &env, "ap-southeast-3").unwrap();
        assert_eq!(e.hcss.host_str(), Some("env-hcss.example"));
        assert_eq!(e.bss.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(e.iam.host_str(), Some("sdk-iam.example"));

        let overrides = EndpointOverrides {
            hcss: Some("https://flag.example".into()),
            ..Default::default()
        };
        let e = Endpoints::resolve(&overrides, &env, "ap-southeast-3").unwrap();
        assert_eq!(e.hcss.host_str(), Some("flag.example"));
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:1234",
            "http://127.9.9.9",
            "http://[::1]:80",
            "http://localhost:9",
            "https://hcss.example.com",
        ] {
            assert!(parse_endpoint("x", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1",
            "http://example.com",
            "http://127.0.0.1.evil.example",
            "ftp://127.0.0.1",
            "https://user:pw@example.com",
            "https://example.com/?a=b",
            "not a url",
        ] {
            let err = parse_endpoint("--hcss-endpoint", bad).unwrap_err();
            assert_eq!(err.setting, "--hcss-endpoint");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
    }

    #[test]
    fn join_keeps_a_path_prefix() {
        let base = Url::parse("https://proxy.example/huawei/").unwrap();
        assert_eq!(
            join(&base, "/v1/light-instances").as_str(),
            "https://proxy.example/huawei/v1/light-instances"
        );
        let base = Url::parse("http://127.0.0.1:9").unwrap();
        assert_eq!(
            join(&base, "/v3/projects").as_str(),
            "http://127.0.0.1:9/v3/projects"
        );
    }
}
