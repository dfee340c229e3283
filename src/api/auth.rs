//! Which credentials to use, and where they came from. Precedence: a token
//! (`--token-file`, then `FLEXUS_TOKEN`), then AK/SK (the SDK's environment
//! variables, then its credentials file). IAM password login lives on
//! [`super::client::Client::login_with_password`] because it needs the network.

use std::fmt;
use std::path::{Path, PathBuf};

use super::signer::SigningKey;
use crate::secret::Secret;

/// An IAM token, for scripts and CI (never a flag: flags show in `ps`).
pub const ENV_TOKEN: &str = "FLEXUS_TOKEN";
/// The official SDKs' variables, so existing setups work unchanged.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// The secret key that goes with [`ENV_AK`].
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Skips the IAM project lookup when set.
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// Present with temporary (STS) keys.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Moves the SDKs' `~/.huaweicloud/credentials` elsewhere.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

/// How requests prove who sends them. `Debug` never shows a secret.
#[derive(Clone, Debug)]
pub enum Auth {
    /// An IAM token, sent as `X-Auth-Token`.
    Token(Secret),
    /// AK/SK request signing; the project ID is looked up through IAM when
    /// absent, and temporary keys carry a security token.
    AkSk {
        key: SigningKey,
        project_id: Option<String>,
        security_token: Option<Secret>,
    },
}

impl Auth {
    /// Every secret this value holds, so the client can scrub them from any
    /// text that comes back from the network.
    pub(crate) fn secrets(&self) -> Vec<&Secret> {
        match self {
            Auth::Token(token) => vec![token],
            Auth::AkSk {
                key,
                security_token,
                ..
            } => {
                let mut all = vec![&key.secret_key];
                all.extend(security_token);
                all
            }
        }
    }
}

/// Where the credentials came from, to tell the user without showing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthSource {
    /// `--token-file`.
    TokenFile(PathBuf),
    /// `FLEXUS_TOKEN`.
    TokenEnv,
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
            AuthSource::TokenFile(path) => write!(f, "token from {}", path.display()),
            AuthSource::TokenEnv => write!(f, "token from {ENV_TOKEN}"),
            AuthSource::SdkEnv => write!(f, "access key from {ENV_AK}/{ENV_SK}"),
            AuthSource::CredentialsFile(path) => {
                write!(f, "access key from {}", path.display())
            }
            AuthSource::PasswordLogin => write!(f, "token from IAM password login"),
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

/// Finds credentials by precedence. `Ok(None)` means none are configured
/// (the wizard then offers password login). `env` reads a variable and
/// `home` is the home directory, so tests need not touch the process.
pub fn resolve(
    token_file: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&Path>,
) -> Result<Option<ResolvedAuth>, AuthError> {
    let var = |name: &str| {
        env(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };

    if let Some(path) = token_file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            AuthError(format!(
                "cannot read the token file {}: {e}. Check the path given to --token-file",
                path.display()
            ))
        })?;
        let token = text.trim();
        if token.is_empty() {
            return Err(AuthError(format!(
                "the token file {} is empty. Put an IAM token (the X-Subject-Token of a token \
                 request) in it",
                path.display()
            )));
        }
        return Ok(Some(ResolvedAuth {
            auth: Auth::Token(Secret::new(token)),
            source: AuthSource::TokenFile(path.to_path_buf()),
        }));
    }
    if let Some(token) = var(ENV_TOKEN) {
        return Ok(Some(ResolvedAuth {
            auth: Auth::Token(Secret::new(token)),
            source: AuthSource::TokenEnv,
        }));
    }

    match (var(ENV_AK), var(ENV_SK)) {
        (Some(ak), Some(sk)) => {
            return Ok(Some(ResolvedAuth {
                auth: Auth::AkSk {
                    key: SigningKey {
                        access_key: ak,
                        secret_key: Secret::new(sk),
                    },
                    project_id: var(ENV_PROJECT_ID),
                    security_token: var(ENV_SECURITY_TOKEN).map(Secret::new),
                },
                source: AuthSource::SdkEnv,
            }));
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(AuthError(format!(
                "only one of {ENV_AK} and {ENV_SK} is set; set both (or neither)"
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
            return Err(AuthError(format!(
                "cannot read the credentials file {}: {e}",
                file.display()
            )));
        }
    };
    let basic = parse_ini_section(&text, "basic");
    let get = |key: &str| {
        basic
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    match (get("ak"), get("sk")) {
        (Some(ak), Some(sk)) => Ok(Some(ResolvedAuth {
            auth: Auth::AkSk {
                key: SigningKey {
                    access_key: ak,
                    secret_key: Secret::new(sk),
                },
                project_id: get("project_id"),
                security_token: get("security_token").map(Secret::new),
            },
            source: AuthSource::CredentialsFile(file),
        })),
        _ => Err(AuthError(format!(
            "the credentials file {} has no [basic] section with both ak and sk",
            file.display()
        ))),
    }
}

/// [`resolve`] over the real environment and home directory.
pub fn resolve_from_process(token_file: Option<&Path>) -> Result<Option<ResolvedAuth>, AuthError> {
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    resolve(
        token_file,
        &|name| std::env::var(name).ok(),
        home.as_deref(),
    )
}

/// What to tell someone who has no credentials configured.
pub fn missing_credentials_help() -> String {
    format!(
        "no credentials found. Set {ENV_TOKEN} to an IAM token (or pass --token-file FILE), \
         or set {ENV_AK} and {ENV_SK} (or put ak and sk under [basic] in \
         ~/.huaweicloud/credentials)"
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

    #[test]
    fn token_file_beats_token_env_beats_aksk() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "  file-token-value\n").unwrap();
        let env = env_of(&[
            (ENV_TOKEN, "env-token-value"),
            (ENV_AK, "AKEXAMPLE"),
            (ENV_SK, "sk-value"),
        ]);
        let r = resolve(Some(&file), &env, None).unwrap().unwrap();
        assert_eq!(r.source, AuthSource::TokenFile(file.clone()));
        match &r.auth {
            Auth::Token(t) => assert_eq!(t.expose(), "file-token-value"),
            other => panic!("expected a token, got {other:?}"),
        }
        let r = resolve(None, &env, None).unwrap().unwrap();
        assert_eq!(r.source, AuthSource::TokenEnv);
        let env = env_of(&[(ENV_AK, "AKEXAMPLE"), (ENV_SK, "sk-value")]);
        let r = resolve(None, &env, None).unwrap().unwrap();
        assert_eq!(r.source, AuthSource::SdkEnv);
        // The source and the Debug form never carry the secret.
        let shown = format!("{} {:?}", r.source, r);
        assert!(!shown.contains("sk-value"), "{shown}");
    }

    #[test]
    fn credentials_file_basic_section() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".huaweicloud");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(
            dir.join("credentials"),
            "[other]\nak = WRONG\n\n[basic]\n# comment\nAK = AKFROMFILE\nsk=sk-from-file\n\
             project_id = 0123456789abcdef\nsecurity_token = sts-token\n",
        )
        .unwrap();
        let r = resolve(None, &env_of(&[]), Some(home.path()))
            .unwrap()
            .unwrap();
        assert_eq!(
            r.source,
            AuthSource::CredentialsFile(dir.join("credentials"))
        );
        match r.auth {
            Auth::AkSk {
                key,
                project_id,
                security_token,
            } => {
                assert_eq!(key.access_key, "AKFROMFILE");
                assert_eq!(key.secret_key.expose(), "sk-from-file");
                assert_eq!(project_id.as_deref(), Some("0123456789abcdef"));
                assert_eq!(security_token.unwrap().expose(), "sts-token");
            }
            other => panic!("expected AK/SK, got {other:?}"),
        }
    }

    #[test]
    fn nothing_configured_is_none_and_half_configured_is_an_error() {
        let home = tempfile::tempdir().unwrap();
        assert!(
            resolve(None, &env_of(&[]), Some(home.path()))
                .unwrap()
                .is_none()
        );
        let err = resolve(None, &env_of(&[(ENV_AK, "AK")]), None).unwrap_err();
        assert!(err.0.contains(ENV_SK), "{err}");
        let named = home.path().join("missing");
        let err = resolve(
            None,
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
        let err = resolve(Some(&file), &env_of(&[]), None).unwrap_err();
        assert!(err.0.contains("is empty"), "{err}");
    }
}
