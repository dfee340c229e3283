//! The language a person reads flexus in: English or Chinese (simplified).
//!
//! Every sentence shown to a person is looked up with [`tr!`](crate::tr) in
//! the message files under `locales/`, each message written in both
//! languages side by side. Field names, codes, JSON keys and the journal
//! are never translated: scripts and the API read those.
//!
//! The language is chosen once, at the start of a run, and read from
//! anywhere: passing it through every function that forms a sentence would
//! thread one constant through the whole program. A test that renders in
//! Chinese sets it for its own thread only ([`in_language`]), so tests in
//! the two languages can run side by side.

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// The environment variable that chooses the language over the locale.
pub const ENV_LANG: &str = "FLEXUS_LANG";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The name of the language in the message files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// What `--lang` and `FLEXUS_LANG` accept: `en`, `zh`, and the forms
    /// people also type (`zh-CN`, `zh_CN`, `cn`, `english`, `chinese`).
    pub fn named(text: &str) -> Option<Lang> {
        let text = text.trim().to_ascii_lowercase().replace('_', "-");
        match text.as_str() {
            "en" | "english" => Some(Lang::En),
            "zh" | "cn" | "chinese" => Some(Lang::Zh),
            _ if text.starts_with("en-") => Some(Lang::En),
            _ if text.starts_with("zh-") => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The language a POSIX locale value names (`zh_CN.UTF-8`, `zh_TW`,
    /// `en_US.UTF-8`); `C`, `POSIX` and every other language read English,
    /// the language flexus falls back to.
    pub fn of_locale(locale: &str) -> Lang {
        let language = locale.split(['_', '.', '@', '-']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// Why `FLEXUS_LANG` could not be used. Told in both languages: the
/// language is what could not be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{ENV_LANG}={0:?} is not a language flexus speaks: use en or zh \
     ({ENV_LANG}={0:?} 不是 flexus 支持的语言：请用 en 或 zh)"
)]
pub struct UnknownLanguage(pub String);

/// The language of this run: `--lang`, then `FLEXUS_LANG`, then the locale
/// as POSIX orders it (`LC_ALL`, `LC_MESSAGES`, `LANG`; the first one set
/// and not empty decides), then English. `env` reads one variable, so the
/// choice is tested without touching the process's environment.
pub fn choose(
    flag: Option<Lang>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Lang, UnknownLanguage> {
    if let Some(lang) = flag {
        return Ok(lang);
    }
    if let Some(asked) = env(ENV_LANG).filter(|v| !v.trim().is_empty()) {
        return Lang::named(&asked).ok_or(UnknownLanguage(asked));
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|name| env(name).filter(|v| !v.is_empty()));
    Ok(locale.map_or(Lang::En, |locale| Lang::of_locale(&locale)))
}

static CHOSEN: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static THIS_THREAD: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Sets the language of the whole run; called once, at the start.
pub fn set(lang: Lang) {
    CHOSEN.store(lang as u8, Ordering::Relaxed);
}

/// The language sentences are formed in now.
pub fn current() -> Lang {
    THIS_THREAD
        .with(Cell::get)
        .unwrap_or_else(|| match CHOSEN.load(Ordering::Relaxed) {
            1 => Lang::Zh,
            _ => Lang::En,
        })
}

/// Runs `work` with this thread reading `lang`, whatever the run's
/// language: for tests that render one screen in each language.
pub fn in_language<T>(lang: Lang, work: impl FnOnce() -> T) -> T {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THIS_THREAD.with(|cell| cell.set(self.0));
        }
    }
    let _restore = Restore(THIS_THREAD.with(|cell| cell.replace(Some(lang))));
    work()
}

/// A message in the current language, as a `String`: `tr!("key")` or
/// `tr!("key", name = value, ...)`, where the message writes `%{name}` and
/// `value` is anything `Display`. Keys are literals, so a test can find
/// every one in the sources and check both languages have it.
#[macro_export]
macro_rules! tr {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        ::rust_i18n::t!($key, locale = $crate::lang::current().code() $(, $name = $value)*)
            .into_owned()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    #[test]
    fn the_flag_beats_the_variable_which_beats_the_locale() {
        let env = env_of(&[("FLEXUS_LANG", "en"), ("LANG", "zh_CN.UTF-8")]);
        assert_eq!(choose(Some(Lang::Zh), &env), Ok(Lang::Zh));
        assert_eq!(choose(None, &env), Ok(Lang::En));
        let env = env_of(&[("LANG", "zh_CN.UTF-8")]);
        assert_eq!(choose(None, &env), Ok(Lang::Zh));
    }

    #[test]
    fn the_locale_is_read_in_posix_order() {
        let env = env_of(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")]);
        assert_eq!(choose(None, &env), Ok(Lang::En));
        let env = env_of(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW"), ("LANG", "C")]);
        assert_eq!(choose(None, &env), Ok(Lang::Zh));
        assert_eq!(choose(None, env_of(&[])), Ok(Lang::En));
    }

    #[test]
    fn chinese_locales_of_every_region_read_chinese() {
        for locale in ["zh_CN.UTF-8", "zh_HK", "zh_TW.Big5", "zh", "zh_SG@x"] {
            assert_eq!(Lang::of_locale(locale), Lang::Zh, "{locale}");
        }
        for locale in ["C", "POSIX", "C.UTF-8", "en_GB.UTF-8", "fr_FR", "zhx"] {
            assert_eq!(Lang::of_locale(locale), Lang::En, "{locale}");
        }
    }

    #[test]
    fn an_unknown_language_asked_for_is_an_error_not_english() {
        let env = env_of(&[("FLEXUS_LANG", "fr")]);
        let error = choose(None, env).unwrap_err();
        assert!(error.to_string().contains("use en or zh"), "{error}");
        for typed in ["zh-CN", "zh_cn", "CN", "chinese", "en-GB", "English"] {
            assert!(Lang::named(typed).is_some(), "{typed}");
        }
    }

    #[test]
    fn a_thread_can_read_another_language_for_a_while() {
        assert_eq!(current(), Lang::En);
        let inside = in_language(Lang::Zh, current);
        assert_eq!(inside, Lang::Zh);
        assert_eq!(current(), Lang::En);
        assert_eq!(in_language(Lang::Zh, || tr!("lang.name")), "中文");
        assert_eq!(tr!("lang.name"), "English");
    }
}
