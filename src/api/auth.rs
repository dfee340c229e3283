//! Which credentials to use, and where they came from. Precedence: tokens
//! (`--token-file`/`FLEXUS_TOKEN` for the purchase, `--bss-token-file`/
//! `FLEXUS_BSS_TOKEN` for billing), then AK/SK (the SDK's environment
//! variables, then its credentials file). IAM password sign-in lives on
//! [`super::client::Client::login_with_password`] because it needs the
//! network.
//!
//! Huawei's services take different credentials (companion-apis.md,
//! section 7): HCSS, the purchase, is a regional service and takes the
//! project of the order's region; BSS, billing (order status, payment,
//! cancellation), is a global service and takes the account's domain. So a
//! token, which has one scope, serves one of the two, and AK/SK are sent
//! with `X-Project-Id` to HCSS and `X-Domain-Id` to BSS, as the SDKs'
//! `BasicCredentials` and `GlobalCredentials` do.

use std::fmt;
use std::path::{Path, PathBuf};

use super::signer::SigningKey;
use crate::secret::Secret;

/// An IAM token for the purchase (scoped to the project of the order's
/// region), for scripts and CI (never a flag: flags show in `ps`).
pub const ENV_TOKEN: &str = "FLEXUS_TOKEN";
/// An IAM token for billing (scoped to the account's domain): order
/// status, payment, cancellation.
pub const ENV_BSS_TOKEN: &str = "FLEXUS_BSS_TOKEN";
/// The official SDKs' variables, so existing setups work unchanged.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// The secret key that goes with [`ENV_AK`].
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// A project ID, as the SDKs' `BasicCredentials` take it. A project belongs
/// to one region, so flexus uses it only where IAM cannot say which project
/// an order's region has (see `Client::project_for`).
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// The account's domain ID, as the SDKs' `GlobalCredentials` take it;
/// without it, flexus asks IAM (`GET /v3/auth/domains`).
pub const ENV_DOMAIN_ID: &str = "HUAWEICLOUD_SDK_DOMAIN_ID";
/// Present with temporary (STS) keys.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Moves the SDKs' `~/.huaweicloud/credentials` elsewhere.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

/// An access key, with the security token temporary keys come with.
#[derive(Clone, Debug)]
pub struct AccessKey {
    pub key: SigningKey,
    pub security_token: Option<Secret>,
}

/// How requests prove who sends them. `Debug` never shows a secret.
#[derive(Clone, Debug)]
pub enum Auth {
    /// IAM tokens the user brought, sent as `X-Auth-Token`: one for the
    /// purchase (scoped to the project of the order's region), one for
    /// billing (scoped to the account's domain). Either may be missing;
    /// what needs the missing one is refused before anything is sent.
    Tokens {
        purchase: Option<Secret>,
        billing: Option<Secret>,
    },
    /// Signed in with an IAM password in this session: a domain-scoped
    /// token, which serves billing and is exchanged with IAM (`"methods":
    /// ["token"]`) for a token of each order region's project when needed.
    SignedIn { domain_token: Secret },
    /// AK/SK request signing. `basic` signs the purchase (with the
    /// `X-Project-Id` of the order's region) and IAM lookups; `global` signs
    /// billing (with `X-Domain-Id`). They are the same keys unless the
    /// credentials file has a `[global]` section with its own.
    AkSk {
        basic: AccessKey,
        /// Configured (`HUAWEICLOUD_SDK_PROJECT_ID`, `[basic] project_id`).
        project_id: Option<String>,
        global: AccessKey,
        /// Configured (`HUAWEICLOUD_SDK_DOMAIN_ID`, `[global] domain_id`);
        /// otherwise looked up through IAM once.
        domain_id: Option<String>,
    },
}

impl Auth {
    /// AK/SK where the same keys serve both services.
    pub fn aksk(key: SigningKey, project_id: Option<String>, domain_id: Option<String>) -> Auth {
        let keys = AccessKey {
            key,
            security_token: None,
        };
        Auth::AkSk {
            basic: keys.clone(),
            project_id,
            global: keys,
            domain_id,
        }
    }

    /// Every secret this value holds, so the client can scrub them from any
    /// text that comes back from the network.
    pub(crate) fn secrets(&self) -> Vec<&Secret> {
        match self {
            Auth::Tokens { purchase, billing } => purchase.iter().chain(billing).collect(),
            Auth::SignedIn { domain_token } => vec![domain_token],
            Auth::AkSk { basic, global, .. } => {
                let mut all = vec![&basic.key.secret_key, &global.key.secret_key];
                all.extend(&basic.security_token);
                all.extend(&global.security_token);
                all
            }
        }
    }
}

/// Where a token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOrigin {
    File(PathBuf),
    Env(&'static str),
}

impl fmt::Display for TokenOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenOrigin::File(path) => write!(f, "{}", path.display()),
            TokenOrigin::Env(name) => f.write_str(name),
        }
    }
}

/// Where the credentials came from, to tell the user without showing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthSource {
    /// User tokens: the purchase token's and the billing token's origins.
    Tokens {
        purchase: Option<TokenOrigin>,
        billing: Option<TokenOrigin>,
    },
    /// `HUAWEICLOUD_SDK_AK`/`_SK`.
    SdkEnv,
    /// The SDKs' credentials file.
    CredentialsFile(PathBuf),
    /// A token from IAM password login in this session.
    PasswordLogin,
}

impl fmt::Display for AuthSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthSource::Tokens { purchase, billing } => {
                let purchase = match purchase {
                    Some(origin) => tr!("core.auth.purchase_token_from", origin = origin),
                    None => tr!("core.auth.no_purchase_token"),
                };
                let billing = match billing {
                    Some(origin) => tr!("core.auth.billing_token_from", origin = origin),
                    None => tr!("core.auth.no_billing_token"),
                };
                write!(f, "{purchase}{}{billing}", tr!("core.list.separator"))
            }
            AuthSource::SdkEnv => f.write_str(&tr!(
                "core.auth.keys_from",
                origin = format!("{ENV_AK}/{ENV_SK}")
            )),
            AuthSource::CredentialsFile(path) => {
                f.write_str(&tr!("core.auth.keys_from", origin = path.display()))
            }
            AuthSource::PasswordLogin => f.write_str(&tr!("core.auth.password_login")),
        }
    }
}

/// Credentials and where they came from.
#[derive(Clone, Debug)]
pub struct ResolvedAuth {
    pub auth: Auth,
    pub source: AuthSource,
}

/// Why no credentials could be used, in words with the next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError(pub String);

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AuthError {}

/// The token files given on the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenFiles<'a> {
    /// `--token-file`: the purchase token.
    pub purchase: Option<&'a Path>,
    /// `--bss-token-file`: the billing token.
    pub billing: Option<&'a Path>,
}

fn read_token_file(path: &Path, flag: &str) -> Result<Secret, AuthError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        AuthError(tr!(
            "core.auth.token_file_unreadable",
            path = path.display(),
            why = e,
            flag = flag
        ))
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(AuthError(tr!(
            "core.auth.token_file_empty",
            path = path.display()
        )));
    }
    Ok(Secret::new(token))
}

/// Finds credentials by precedence. `Ok(None)` means none are configured
/// (the wizard then offers password login). `env` reads a variable and
/// `home` is the home directory, so tests need not touch the process.
pub fn resolve(
    files: TokenFiles<'_>,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&Path>,
) -> Result<Option<ResolvedAuth>, AuthError> {
    let var = |name: &str| {
        env(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };

    let token = |file: Option<&Path>, flag: &str, name: &'static str| {
        if let Some(path) = file {
            return read_token_file(path, flag)
                .map(|t| Some((t, TokenOrigin::File(path.to_path_buf()))));
        }
        Ok(var(name).map(|t| (Secret::new(t), TokenOrigin::Env(name))))
    };
    let purchase = token(files.purchase, "--token-file", ENV_TOKEN)?;
    let billing = token(files.billing, "--bss-token-file", ENV_BSS_TOKEN)?;
    if purchase.is_some() || billing.is_some() {
        let (purchase, purchase_origin) = purchase.unzip();
        let (billing, billing_origin) = billing.unzip();
        return Ok(Some(ResolvedAuth {
            auth: Auth::Tokens { purchase, billing },
            source: AuthSource::Tokens {
                purchase: purchase_origin,
                billing: billing_origin,
            },
        }));
    }

    match (var(ENV_AK), var(ENV_SK)) {
        (Some(ak), Some(sk)) => {
            let keys = AccessKey {
                key: SigningKey {
                    access_key: ak,
                    secret_key: Secret::new(sk),
                },
                security_token: var(ENV_SECURITY_TOKEN).map(Secret::new),
            };
            return Ok(Some(ResolvedAuth {
                auth: Auth::AkSk {
                    basic: keys.clone(),
                    project_id: var(ENV_PROJECT_ID),
                    global: keys,
                    domain_id: var(ENV_DOMAIN_ID),
                },
                source: AuthSource::SdkEnv,
            }));
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(AuthError(tr!(
                "core.auth.half_keys",
                ak = ENV_AK,
                sk = ENV_SK
            )));
        }
        (None, None) => {}
    }

    let (file, named) = match var(ENV_CREDENTIALS_FILE) {
        Some(path) => (PathBuf::from(path), true),
        None => match home {
            Some(home) => (home.join(".huaweicloud").join("credentials"), false),
            None => return Ok(None),
        },
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => return Ok(None),
        Err(e) => {
            return Err(AuthError(tr!(
                "core.auth.credentials_unreadable",
                path = file.display(),
                why = e
            )));
        }
    };
    // The SDKs read `[basic]` for regional services (with project_id) and
    // `[global]` for global ones (with domain_id), each with its own ak/sk.
    let section = |name: &str| {
        let pairs = parse_ini_section(&text, name);
        move |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        }
    };
    let keys_of = |get: &dyn Fn(&str) -> Option<String>| match (get("ak"), get("sk")) {
        (Some(ak), Some(sk)) => Some(AccessKey {
            key: SigningKey {
                access_key: ak,
                secret_key: Secret::new(sk),
            },
            security_token: get("security_token").map(Secret::new),
        }),
        _ => None,
    };
    let basic = section("basic");
    let global = section("global");
    let (basic_keys, global_keys) = match (keys_of(&basic), keys_of(&global)) {
        (Some(b), Some(g)) => (b, g),
        // One account's keys serve both kinds of service: a file with only
        // one section signs everything with it.
        (Some(b), None) => (b.clone(), b),
        (None, Some(g)) => (g.clone(), g),
        (None, None) => {
            return Err(AuthError(tr!(
                "core.auth.credentials_no_keys",
                path = file.display()
            )));
        }
    };
    Ok(Some(ResolvedAuth {
        auth: Auth::AkSk {
            basic: basic_keys,
            project_id: basic("project_id"),
            global: global_keys,
            domain_id: global("domain_id"),
        },
        source: AuthSource::CredentialsFile(file),
    }))
}

/// [`resolve`] over the real environment and home directory.
pub fn resolve_from_process(files: TokenFiles<'_>) -> Result<Option<ResolvedAuth>, AuthError> {
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    resolve(files, &|name| std::env::var(name).ok(), home.as_deref())
}

/// What to tell someone who has no credentials configured.
pub fn missing_credentials_help() -> String {
    tr!(
        "core.auth.no_credentials",
        ak = ENV_AK,
        sk = ENV_SK,
        token = ENV_TOKEN,
        bss_token = ENV_BSS_TOKEN
    )
}

/// The `key = value` pairs of one `[section]` of an INI file, as the SDKs'
/// `configparser` reads them: `#` and `;` start comment lines, keys are
/// case-insensitive, `:` may stand for `=`.
fn parse_ini_section(text: &str, wanted: &str) -> Vec<(String, String)> {
    let mut in_section = false;
    let mut pairs = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_section = name.trim().eq_ignore_ascii_case(wanted);
            continue;
        }
        if !in_section {
            continue;
        }
        if let Some(at) = line.find(['=', ':']) {
            let (key, value) = line.split_at(at);
            pairs.push((key.trim().to_lowercase(), value[1..].trim().to_string()));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn no_files() -> TokenFiles<'static> {
        TokenFiles::default()
    }

    #[test]
    fn token_file_beats_token_env_beats_aksk() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "  file-token-value\n").unwrap();
        let env = env_of(&[
            (ENV_TOKEN, "env-token-value"),
            (ENV_BSS_TOKEN, "env-bss-token"),
            (ENV_AK, "AKEXAMPLE"),
            (ENV_SK, "sk-value"),
        ]);
        let files = TokenFiles {
            purchase: Some(&file),
            billing: None,
        };
        let r = resolve(files, &env, None).unwrap().unwrap();
        assert_eq!(
            r.source,
            AuthSource::Tokens {
                purchase: Some(TokenOrigin::File(file.clone())),
                billing: Some(TokenOrigin::Env(ENV_BSS_TOKEN)),
            }
        );
        match &r.auth {
            Auth::Tokens { purchase, billing } => {
                assert_eq!(purchase.as_ref().unwrap().expose(), "file-token-value");
                assert_eq!(billing.as_ref().unwrap().expose(), "env-bss-token");
            }
            other => panic!("expected tokens, got {other:?}"),
        }
        let r = resolve(no_files(), &env, None).unwrap().unwrap();
        assert_eq!(
            r.source.to_string(),
            "purchase token from FLEXUS_TOKEN, billing token from FLEXUS_BSS_TOKEN"
        );
        // A billing token alone is still tokens (for `flexus status`).
        let env_bss = env_of(&[(ENV_BSS_TOKEN, "bss"), (ENV_AK, "AK"), (ENV_SK, "sk")]);
        let r = resolve(no_files(), &env_bss, None).unwrap().unwrap();
        assert!(matches!(
            r.auth,
            Auth::Tokens {
                purchase: None,
                billing: Some(_)
            }
        ));
        let env = env_of(&[
            (ENV_AK, "AKEXAMPLE"),
            (ENV_SK, "sk-value"),
            (ENV_DOMAIN_ID, "dom-1"),
            (ENV_PROJECT_ID, "proj-1"),
        ]);
        let r = resolve(no_files(), &env, None).unwrap().unwrap();
        assert_eq!(r.source, AuthSource::SdkEnv);
        match &r.auth {
            Auth::AkSk {
                project_id,
                domain_id,
                basic,
                global,
            } => {
                assert_eq!(project_id.as_deref(), Some("proj-1"));
                assert_eq!(domain_id.as_deref(), Some("dom-1"));
                assert_eq!(basic.key.access_key, "AKEXAMPLE");
                assert_eq!(global.key.access_key, "AKEXAMPLE");
            }
            other => panic!("expected AK/SK, got {other:?}"),
        }
        // The source and the Debug form never carry the secret.
        let shown = format!("{} {:?}", r.source, r);
        assert!(!shown.contains("sk-value"), "{shown}");
    }

    fn write_credentials(text: &str) -> (tempfile::TempDir, PathBuf) {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".huaweicloud");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("credentials"), text).unwrap();
        (home, dir.join("credentials"))
    }

    #[test]
    fn credentials_file_basic_and_global_sections() {
        let (home, path) = write_credentials(
            "[other]\nak = WRONG\n\n[basic]\n# comment\nAK = AKFROMFILE\nsk=sk-from-file\n\
             project_id = 0123456789abcdef\nsecurity_token = sts-token\ndomain_id = not-here\n\
             [global]\nak = AKGLOBAL\nsk = sk-global\ndomain_id = dom-from-file\n\
             project_id = not-here-either\n",
        );
        let r = resolve(no_files(), &env_of(&[]), Some(home.path()))
            .unwrap()
            .unwrap();
        assert_eq!(r.source, AuthSource::CredentialsFile(path));
        match r.auth {
            Auth::AkSk {
                basic,
                project_id,
                global,
                domain_id,
            } => {
                assert_eq!(basic.key.access_key, "AKFROMFILE");
                assert_eq!(basic.key.secret_key.expose(), "sk-from-file");
                assert_eq!(basic.security_token.unwrap().expose(), "sts-token");
                // Each section's own: project_id from [basic], domain_id
                // from [global], as the SDKs read them.
                assert_eq!(project_id.as_deref(), Some("0123456789abcdef"));
                assert_eq!(domain_id.as_deref(), Some("dom-from-file"));
                assert_eq!(global.key.access_key, "AKGLOBAL");
                assert_eq!(global.key.secret_key.expose(), "sk-global");
                assert!(global.security_token.is_none());
            }
            other => panic!("expected AK/SK, got {other:?}"),
        }
    }

    #[test]
    fn one_section_signs_for_both_services() {
        for (text, ak) in [
            ("[basic]\nak = AKB\nsk = skb\n", "AKB"),
            ("[global]\nak = AKG\nsk = skg\ndomain_id = d\n", "AKG"),
        ] {
            let (home, _) = write_credentials(text);
            let r = resolve(no_files(), &env_of(&[]), Some(home.path()))
                .unwrap()
                .unwrap();
            let Auth::AkSk { basic, global, .. } = r.auth else {
                panic!("expected AK/SK");
            };
            assert_eq!(basic.key.access_key, ak);
            assert_eq!(global.key.access_key, ak);
        }
        let (home, _) = write_credentials("[basic]\nak = only\n");
        let err = resolve(no_files(), &env_of(&[]), Some(home.path())).unwrap_err();
        assert!(err.0.contains("[basic] or [global]"), "{err}");
    }

    #[test]
    fn nothing_configured_is_none_and_half_configured_is_an_error() {
        let home = tempfile::tempdir().unwrap();
        assert!(
            resolve(no_files(), &env_of(&[]), Some(home.path()))
                .unwrap()
                .is_none()
        );
        let err = resolve(no_files(), &env_of(&[(ENV_AK, "AK")]), None).unwrap_err();
        assert!(err.0.contains(ENV_SK), "{err}");
        let named = home.path().join("missing");
        let err = resolve(
            no_files(),
            &env_of(&[(ENV_CREDENTIALS_FILE, named.to_str().unwrap())]),
            None,
        )
        .unwrap_err();
        assert!(err.0.contains("cannot read the credentials file"), "{err}");
    }

    #[test]
    fn empty_token_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "\n").unwrap();
        let files = TokenFiles {
            purchase: None,
            billing: Some(&file),
        };
        let err = resolve(files, &env_of(&[]), None).unwrap_err();
        assert!(err.0.contains("is empty"), "{err}");
    }
}
