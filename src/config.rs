//! The config file (`config.toml`) and its named profiles: which endpoints,
//! region, token files and spending limit a run uses unless a flag or the
//! environment says otherwise. Everything here is pure: text in, profile or
//! error out; the commands find and read the file and apply what it says.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::api::endpoints::{DEFAULT_AUTH_REGION, DEFAULT_BSS, DEFAULT_HCSS, default_iam};
use crate::domain::pricing::{Money, SpendingLimit};

/// Names another config file instead of the one in the user's config
/// directory (tests, or a shared file).
pub const ENV_CONFIG: &str = "FLEXUS_CONFIG";
/// Selects a profile, as `--profile` does (the flag wins).
pub const ENV_PROFILE: &str = "FLEXUS_PROFILE";
/// The profile used when none is asked for, if the file has it.
pub const DEFAULT_PROFILE: &str = "default";

/// A Huawei Cloud site: one name for its three endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Site {
    /// The international site (companion-apis.md section 1 and 2).
    #[serde(rename = "intl")]
    International,
    /// The Chinese mainland site, whose gateway is in cn-north-4.
    #[serde(rename = "cn")]
    ChineseMainland,
}

impl Site {
    fn hcss(self) -> String {
        match self {
            Site::International => DEFAULT_HCSS.to_string(),
            Site::ChineseMainland => "https://hcss.cn-north-4.myhuaweicloud.com".to_string(),
        }
    }

    fn bss(self) -> String {
        match self {
            Site::International => DEFAULT_BSS.to_string(),
            Site::ChineseMainland => "https://bss.myhuaweicloud.com".to_string(),
        }
    }

    fn iam(self) -> String {
        match self {
            Site::International => default_iam(DEFAULT_AUTH_REGION),
            Site::ChineseMainland => default_iam("cn-north-4"),
        }
    }
}

/// Where a profile's credentials come from, when it pins one place: the
/// others are then not looked at, so a stray variable in the shell cannot
/// sign a profile's run in as someone else. Unset, the usual order holds
/// (tokens, then the SDK's AK/SK variables, then its credentials file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum CredentialsSource {
    /// Variables only: `FLEXUS_TOKEN`/`FLEXUS_BSS_TOKEN`, or the SDK's
    /// `HUAWEICLOUD_SDK_AK`/`_SK` (with their project and domain IDs).
    #[serde(rename = "env")]
    Env,
    /// The Huawei Cloud SDKs' credentials file only (`[basic]`, `[global]`):
    /// `sdk_credentials_file`, else `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else
    /// `~/.huaweicloud/credentials`.
    #[serde(rename = "sdk_file")]
    SdkFile,
    /// The profile's `token_file` and `bss_token_file` only.
    #[serde(rename = "token_file")]
    TokenFile,
}

/// One `[profiles.NAME]` table. Every key is optional; an unknown key is
/// an error, so a misspelt one never goes silently unused.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub site: Option<Site>,
    pub hcss_endpoint: Option<Spanned<String>>,
    pub bss_endpoint: Option<Spanned<String>>,
    pub iam_endpoint: Option<Spanned<String>>,
    /// The region the wizard's list starts on and `catalog` shows.
    pub region: Option<Spanned<String>>,
    pub token_file: Option<PathBuf>,
    pub bss_token_file: Option<PathBuf>,
    pub credentials: Option<Spanned<CredentialsSource>>,
    pub sdk_credentials_file: Option<Spanned<PathBuf>>,
    /// Refused with its reason: the SDKs' file has no named sections to
    /// pick from (KooCLI's profiles live in its own file).
    pub sdk_profile: Option<Spanned<toml::Value>>,
    pub max_order_total: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub allow_unpriced: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The three services a profile may point elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Hcss,
    Bss,
    Iam,
}

/// The profile a run uses, with where it came from for messages.
#[derive(Debug, Clone)]
pub struct ChosenProfile {
    pub name: String,
    pub file: PathBuf,
    pub settings: Profile,
    /// `max_order_total` checked, with `allow_unpriced`.
    pub limit: SpendingLimit,
    /// The file's text, to turn a key's byte span into a line.
    text: String,
}

impl ChosenProfile {
    /// The endpoint this profile names for a service: the explicit
    /// `*_endpoint` key wins over the `site` shorthand.
    pub fn endpoint(&self, service: Service) -> Option<String> {
        let settings = &self.settings;
        let explicit = match service {
            Service::Hcss => &settings.hcss_endpoint,
            Service::Bss => &settings.bss_endpoint,
            Service::Iam => &settings.iam_endpoint,
        };
        explicit.as_ref().map(|e| e.get_ref().clone()).or_else(|| {
            settings.site.map(|site| match service {
                Service::Hcss => site.hcss(),
                Service::Bss => site.bss(),
                Service::Iam => site.iam(),
            })
        })
    }

    /// "profile NAME in FILE", for messages that say how to change it.
    pub fn described(&self) -> String {
        tr!(
            "cmd.config.described",
            name = &self.name,
            file = self.file.display()
        )
    }

    /// "FILE:LINE" of a key's value, for errors about it.
    pub fn place_of<T>(&self, value: &Spanned<T>) -> String {
        format!(
            "{}:{}",
            self.file.display(),
            line_of(&self.text, value.span().start)
        )
    }
}

/// Why the config could not be used, in words with the file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Which profile was asked for, and by what: the flag, the environment,
/// or nobody (then `default`, if the file has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    Flag(String),
    Env(String),
    Nobody,
}

/// Picks the profile from the config file's text (`None`: there is no
/// file). Asking for a profile without a file, or for one the file does
/// not have, is an error; asking for none finds `default` or nothing.
pub fn choose(
    asked: &Asked,
    file: &Path,
    text: Option<&str>,
) -> Result<Option<ChosenProfile>, ConfigError> {
    let (name, by) = match asked {
        Asked::Flag(name) => (name.as_str(), "--profile"),
        Asked::Env(name) => (name.as_str(), ENV_PROFILE),
        Asked::Nobody => (DEFAULT_PROFILE, ""),
    };
    if *asked != Asked::Nobody && name.trim().is_empty() {
        return Err(ConfigError(tr!("cmd.config.empty_name", by = by)));
    }
    let Some(text) = text else {
        return match asked {
            Asked::Nobody => Ok(None),
            _ => Err(ConfigError(tr!(
                "cmd.config.no_file",
                by = by,
                name = name,
                file = file.display(),
                env = ENV_CONFIG
            ))),
        };
    };
    let parsed: ConfigFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        let place = match line {
            Some(line) => format!("{}:{line}", file.display()),
            None => file.display().to_string(),
        };
        // The parser's own words (`unknown field `max_order``) stay English.
        ConfigError(tr!(
            "cmd.config.mistake",
            place = place,
            why = without_refused_keys(e.message().trim_end())
        ))
    })?;
    let mut profiles = parsed.profiles;
    let Some(settings) = profiles.remove(name) else {
        if *asked == Asked::Nobody {
            return Ok(None);
        }
        let mut known: Vec<&String> = profiles.keys().collect();
        known.sort();
        let known: Vec<&str> = known.iter().map(|k| k.as_str()).collect();
        let known = if known.is_empty() {
            tr!("cmd.config.has_none")
        } else {
            tr!(
                "cmd.config.has",
                names = known.join(&tr!("core.list.separator"))
            )
        };
        return Err(ConfigError(tr!(
            "cmd.config.unknown_profile",
            by = by,
            name = name,
            file = file.display(),
            known = known
        )));
    };
    let mut chosen = ChosenProfile {
        name: name.to_string(),
        file: file.to_path_buf(),
        settings,
        limit: SpendingLimit::default(),
        text: text.to_string(),
    };
    chosen.limit = SpendingLimit {
        max_total: chosen
            .settings
            .max_order_total
            .as_ref()
            .map(|value| money_of(&chosen, value))
            .transpose()?,
        allow_unpriced: chosen.settings.allow_unpriced,
    };
    check_credentials(&chosen)?;
    for (key, value) in [
        ("hcss_endpoint", &chosen.settings.hcss_endpoint),
        ("bss_endpoint", &chosen.settings.bss_endpoint),
        ("iam_endpoint", &chosen.settings.iam_endpoint),
    ] {
        if let Some(value) = value {
            crate::api::endpoints::parse_endpoint(key, value.get_ref()).map_err(|e| {
                ConfigError(tr!(
                    "cmd.config.bad_endpoint",
                    place = chosen.place_of(value),
                    why = e,
                    profile = chosen.described()
                ))
            })?;
        }
    }
    Ok(Some(chosen))
}

/// The parser's words for an unknown key list the keys a profile may
/// have; `sdk_profile` is a field only so that it is refused with its
/// reason, so it is not offered.
fn without_refused_keys(message: &str) -> String {
    message
        .replace(", `sdk_profile`", "")
        .replace("`sdk_profile`, ", "")
}

/// The credentials keys fit together: a pinned token file is named, the
/// SDK file's path goes with `credentials = "sdk_file"`, and `sdk_profile`
/// (which the SDKs' file cannot honour) is refused rather than ignored.
fn check_credentials(chosen: &ChosenProfile) -> Result<(), ConfigError> {
    let settings = &chosen.settings;
    let described = chosen.described();
    if let Some(key) = &settings.sdk_profile {
        return Err(ConfigError(tr!(
            "cmd.config.sdk_profile",
            place = chosen.place_of(key),
            profile = described
        )));
    }
    let source = settings.credentials.as_ref().map(|s| *s.get_ref());
    if let (Some(file), false) = (
        &settings.sdk_credentials_file,
        source == Some(CredentialsSource::SdkFile),
    ) {
        return Err(ConfigError(tr!(
            "cmd.config.sdk_file_unpinned",
            place = chosen.place_of(file),
            profile = described
        )));
    }
    if let Some(pinned) = &settings.credentials
        && *pinned.get_ref() == CredentialsSource::TokenFile
        && settings.token_file.is_none()
        && settings.bss_token_file.is_none()
    {
        return Err(ConfigError(tr!(
            "cmd.config.token_file_missing",
            place = chosen.place_of(pinned),
            profile = described
        )));
    }
    Ok(())
}

/// `max_order_total` as money: a whole number or one with at most two
/// decimals, never negative.
fn money_of(chosen: &ChosenProfile, value: &Spanned<toml::Value>) -> Result<Money, ConfigError> {
    let text = match value.get_ref() {
        toml::Value::Integer(i) => Some(i.to_string()),
        // Shortest form that reads back as the same float: "99.95" stays.
        toml::Value::Float(f) => Some(f.to_string()),
        _ => None,
    };
    text.as_deref()
        .and_then(Money::parse)
        .ok_or_else(|| ConfigError(tr!("cmd.config.bad_limit", place = chosen.place_of(value))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(asked: Asked, text: &str) -> Result<Option<ChosenProfile>, ConfigError> {
        choose(&asked, Path::new("/c/config.toml"), Some(text))
    }

    #[test]
    fn an_explicit_endpoint_wins_over_the_site() {
        let chosen = pick(
            Asked::Flag("cn".into()),
            "[profiles.cn]\nsite = \"cn\"\nbss_endpoint = \"https://bss.example.com\"\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            chosen.endpoint(Service::Hcss).as_deref(),
            Some("https://hcss.cn-north-4.myhuaweicloud.com")
        );
        assert_eq!(
            chosen.endpoint(Service::Bss).as_deref(),
            Some("https://bss.example.com")
        );
    }

    #[test]
    fn without_a_request_default_is_used_if_present() {
        let text = "[profiles.default]\nregion = \"tr-west-1\"\n[profiles.other]\n";
        let chosen = pick(Asked::Nobody, text).unwrap().unwrap();
        assert_eq!(chosen.name, "default");
        assert!(pick(Asked::Nobody, "[profiles.other]\n").unwrap().is_none());
        assert!(
            choose(&Asked::Nobody, Path::new("/none"), None)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = pick(
            Asked::Flag("a".into()),
            "[profiles.a]\nregion = \"x\"\nmax_order = 5\n",
        )
        .unwrap_err();
        assert!(
            err.0.starts_with(
                "the config file /c/config.toml:3 has a mistake: unknown field `max_order`"
            ),
            "{err}"
        );

        let err = pick(Asked::Flag("a".into()), "[profiles.a]\nregion = \n").unwrap_err();
        assert!(err.0.contains("/c/config.toml:2"), "{err}");

        let err = pick(Asked::Env("b".into()), "[profiles.a]\n[profiles.c]\n").unwrap_err();
        assert!(
            err.0.contains("FLEXUS_PROFILE asks for profile b") && err.0.contains("it has a, c"),
            "{err}"
        );

        for asked in [Asked::Flag(String::new()), Asked::Flag(" ".into())] {
            let err = pick(asked, "[profiles.a]\n").unwrap_err();
            assert!(
                err.0.contains("--profile names no profile") && !err.0.contains("[profiles.]"),
                "{err}"
            );
        }

        let err = pick(Asked::Nobody, "[profiles.default]\nmax_order = 1\n").unwrap_err();
        assert!(err.0.contains("`max_order_total`"), "{err}");
        assert!(!err.0.contains("sdk_profile"), "{err}");

        let err = choose(&Asked::Flag("a".into()), Path::new("/none.toml"), None).unwrap_err();
        assert!(
            err.0.contains("no config file /none.toml") && err.0.contains("--profile"),
            "{err}"
        );

        let err = pick(
            Asked::Flag("a".into()),
            "[profiles.a]\n\nhcss_endpoint = \"http://example.com\"\n",
        )
        .unwrap_err();
        assert!(
            err.0.starts_with("/c/config.toml:3: hcss_endpoint"),
            "{err}"
        );

        let err = pick(
            Asked::Flag("a".into()),
            "[profiles.a]\nmax_order_total = -5\n",
        )
        .unwrap_err();
        assert!(
            err.0.starts_with("/c/config.toml:2: max_order_total"),
            "{err}"
        );
    }

    #[test]
    fn the_limit_reads_whole_and_decimal_amounts() {
        for (text, cents) in [("150", 15_000), ("99.95", 9_995), ("0.5", 50)] {
            let chosen = pick(
                Asked::Flag("a".into()),
                &format!("[profiles.a]\nmax_order_total = {text}\nallow_unpriced = true\n"),
            )
            .unwrap()
            .unwrap();
            assert_eq!(chosen.limit.max_total, Some(Money { cents }));
            assert!(chosen.limit.allow_unpriced);
        }
    }

    #[test]
    fn the_readmes_example_reads_as_it_says() {
        let readme = include_str!("../README.md");
        let start = readme.find("```toml\n").expect("the README shows a config") + 8;
        let text = &readme[start..start + readme[start..].find("```").unwrap()];
        let default = pick(Asked::Nobody, text).unwrap().unwrap();
        assert_eq!(default.endpoint(Service::Bss).as_deref(), Some(DEFAULT_BSS));
        assert_eq!(default.limit.max_total, Some(Money { cents: 10_000 }));
        let cn = pick(Asked::Flag("cn".into()), text).unwrap().unwrap();
        assert_eq!(
            cn.endpoint(Service::Iam).as_deref(),
            Some("https://iam.cn-north-4.myhuaweicloud.com")
        );
        assert_eq!(
            cn.endpoint(Service::Bss).as_deref(),
            Some("https://bss.example.com")
        );
        assert_eq!(cn.limit.max_total, Some(Money { cents: 50_050 }));
        assert!(cn.limit.allow_unpriced);
    }
}
