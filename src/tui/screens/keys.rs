//! Keys and what they do. Every screen (and every question over it) lists
//! its bindings once, with their words and whether they work right now:
//! key handling takes the first enabled binding that matches, and the
//! footer and the help draw the same list, so the three cannot drift apart.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key, or a class of keys, a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A key by its code, with or without modifiers (Enter, Esc, arrows).
    /// Characters are [`Key::Char`], so Ctrl-U is never taken for `u`.
    Code(KeyCode),
    /// A typed character: without Ctrl or Alt (Shift gives capitals).
    Char(char),
    /// A character with Ctrl held.
    Ctrl(char),
    /// Any typed character from the first to the second, inclusive.
    Range(char, char),
    /// Every printable character: the page takes text, so `?` is typed too
    /// and the help is on F1.
    Text,
    /// A printable character other than `?`, which stays the help key.
    TextButHelp,
    /// Any key at all (the help closes on it; "any other key: no").
    Any,
}

pub const ENTER: Key = Key::Code(KeyCode::Enter);
pub const ESC: Key = Key::Code(KeyCode::Esc);
pub const TAB: Key = Key::Code(KeyCode::Tab);
pub const BACK_TAB: Key = Key::Code(KeyCode::BackTab);
pub const UP: Key = Key::Code(KeyCode::Up);
pub const DOWN: Key = Key::Code(KeyCode::Down);
pub const LEFT: Key = Key::Code(KeyCode::Left);
pub const RIGHT: Key = Key::Code(KeyCode::Right);
pub const PAGE_UP: Key = Key::Code(KeyCode::PageUp);
pub const PAGE_DOWN: Key = Key::Code(KeyCode::PageDown);
pub const HOME: Key = Key::Code(KeyCode::Home);
pub const END: Key = Key::Code(KeyCode::End);
pub const BACKSPACE: Key = Key::Code(KeyCode::Backspace);
pub const DELETE: Key = Key::Code(KeyCode::Delete);
pub const F1: Key = Key::Code(KeyCode::F(1));
pub const SPACE: Key = Key::Char(' ');

/// A key that types text: a printable character without Ctrl or Alt.
pub fn typed_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// Whether a move key goes up (↑ or k) rather than down.
pub fn is_up(key: &KeyEvent) -> bool {
    key.code == KeyCode::Up || typed_char(key) == Some('k')
}

impl Key {
    pub fn matches(self, key: &KeyEvent) -> bool {
        let typed = typed_char(key);
        match self {
            Key::Code(code) => key.code == code,
            Key::Char(c) => typed == Some(c),
            Key::Ctrl(c) => {
                key.code == KeyCode::Char(c) && key.modifiers.contains(KeyModifiers::CONTROL)
            }
            Key::Range(first, last) => typed.is_some_and(|c| (first..=last).contains(&c)),
            Key::Text => typed.is_some_and(|c| !c.is_control()),
            Key::TextButHelp => typed.is_some_and(|c| !c.is_control() && c != '?'),
            Key::Any => true,
        }
    }

    fn is_arrow(self) -> bool {
        matches!(self, UP | DOWN | LEFT | RIGHT)
    }

    /// The key as the footer and the help name it.
    pub fn name(self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Key::Code(code) => match code {
                KeyCode::Enter => "Enter",
                KeyCode::Esc => "Esc",
                KeyCode::Tab => "Tab",
                KeyCode::BackTab => "Shift-Tab",
                KeyCode::Up => "↑",
                KeyCode::Down => "↓",
                KeyCode::Left => "←",
                KeyCode::Right => "→",
                KeyCode::PageUp => "PgUp",
                KeyCode::PageDown => "PgDn",
                KeyCode::Home => "Home",
                KeyCode::End => "End",
                KeyCode::Backspace => "Backspace",
                KeyCode::Delete => "Del",
                KeyCode::F(n) => return Cow::Owned(format!("F{n}")),
                other => return Cow::Owned(other.to_string()),
            },
            Key::Char(' ') => "Space",
            Key::Char(c) => return Cow::Owned(c.to_string()),
            Key::Ctrl(c) => return Cow::Owned(format!("Ctrl-{}", c.to_ascii_uppercase())),
            Key::Range(first, last) => return Cow::Owned(format!("{first}-{last}")),
            Key::Text | Key::TextButHelp => return Cow::Owned(tr!("steps.key.type")),
            Key::Any => return Cow::Owned(tr!("steps.key.any")),
        })
    }
}

/// Where a binding is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// In the footer (as far as it fits) and in the help.
    Footer,
    /// Only in the help: the footer has room for the main keys only.
    Help,
    /// Nowhere: a catch-all that only says what works instead.
    Nowhere,
}

/// Keys, their words, whether they work now, and what they do.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding<A> {
    pub keys: &'static [Key],
    /// How the keys are named, when not simply by their names (a word to
    /// type, then Enter).
    label: Option<Cow<'static, str>>,
    /// A word or two for the footer.
    pub words: Cow<'static, str>,
    /// A longer explanation for the help, where the footer's words are terse.
    pub detail: Option<Cow<'static, str>>,
    pub enabled: bool,
    /// Why it does not work now, for the help (which then lists it, marked).
    pub off_because: Option<Cow<'static, str>>,
    pub shown: Shown,
    pub action: A,
}

/// A binding without its action: what the footer and the help draw.
pub type Hint = Binding<()>;

impl<A> Binding<A> {
    pub fn new(keys: &'static [Key], words: impl Into<Cow<'static, str>>, action: A) -> Self {
        Binding {
            keys,
            label: None,
            words: words.into(),
            detail: None,
            enabled: true,
            off_because: None,
            shown: Shown::Footer,
            action,
        }
    }

    pub fn detail(mut self, detail: impl Into<Cow<'static, str>>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn help_only(mut self) -> Self {
        self.shown = Shown::Help;
        self
    }

    /// In the footer only while `shown`, in the help always.
    pub fn shown_in_footer_if(self, shown: bool) -> Self {
        if shown { self } else { self.help_only() }
    }

    pub fn unlisted(mut self) -> Self {
        self.shown = Shown::Nowhere;
        self
    }

    /// Works only while `enabled`.
    pub fn when(mut self, enabled: bool) -> Self {
        self.enabled &= enabled;
        self
    }

    /// Works only while `enabled`; otherwise the help lists it with `why`.
    pub fn when_else(mut self, enabled: bool, why: impl Into<Cow<'static, str>>) -> Self {
        self.enabled &= enabled;
        self.off_because = Some(why.into());
        self
    }

    pub fn shown_as(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn map<B>(self, f: impl FnOnce(A) -> B) -> Binding<B> {
        Binding {
            keys: self.keys,
            label: self.label,
            words: self.words,
            detail: self.detail,
            enabled: self.enabled,
            off_because: self.off_because,
            shown: self.shown,
            action: f(self.action),
        }
    }

    pub fn hint(&self) -> Hint {
        Binding {
            keys: self.keys,
            label: self.label.clone(),
            words: self.words.clone(),
            detail: self.detail.clone(),
            enabled: self.enabled,
            off_because: self.off_because.clone(),
            shown: self.shown,
            action: (),
        }
    }

    pub fn matches(&self, key: &KeyEvent) -> bool {
        self.enabled && self.keys.iter().any(|k| k.matches(key))
    }

    /// The keys as the footer and the help name them: "↑↓ PgUp PgDn".
    pub fn label(&self) -> Cow<'static, str> {
        if let Some(label) = &self.label {
            return label.clone();
        }
        if let [only] = self.keys {
            return only.name();
        }
        let mut text = String::new();
        for (i, key) in self.keys.iter().enumerate() {
            let arrows = i > 0 && key.is_arrow() && self.keys[i - 1].is_arrow();
            if i > 0 && !arrows {
                text.push(' ');
            }
            text.push_str(&key.name());
        }
        Cow::Owned(text)
    }

    pub fn in_footer(&self) -> bool {
        self.enabled && self.shown == Shown::Footer
    }

    pub fn in_help(&self) -> bool {
        self.shown != Shown::Nowhere && (self.enabled || self.off_because.is_some())
    }

    /// Whether this binding types text (so `?` is text, and help is F1).
    pub fn takes_text(&self) -> bool {
        self.enabled && self.keys.contains(&Key::Text)
    }
}

/// The action of the first enabled binding that answers to `key`.
pub fn find<A: Clone>(bindings: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    bindings
        .iter()
        .find(|b| b.matches(key))
        .map(|b| b.action.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_first_enabled_binding_that_matches_wins() {
        let bindings = [
            Binding::new(&[ENTER], "off", 0).when(false),
            Binding::new(&[ENTER, ESC], "either", 1),
            Binding::new(&[ENTER], "shadowed", 2),
        ];
        let enter = key(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(find(&bindings, &enter), Some(1));
        assert_eq!(
            find(&bindings, &key(KeyCode::Tab, KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn characters_need_no_ctrl_and_ctrl_needs_ctrl() {
        let u = key(KeyCode::Char('u'), KeyModifiers::NONE);
        let ctrl_u = key(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert!(Key::Char('u').matches(&u));
        assert!(!Key::Char('u').matches(&ctrl_u));
        assert!(Key::Ctrl('u').matches(&ctrl_u));
        assert!(!Key::Ctrl('u').matches(&u));
        assert!(!Key::Text.matches(&ctrl_u));
        let question = key(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert!(Key::Text.matches(&question));
        assert!(!Key::TextButHelp.matches(&question));
        assert!(Key::Range('1', '6').matches(&key(KeyCode::Char('6'), KeyModifiers::NONE)));
        assert!(!Key::Range('1', '6').matches(&key(KeyCode::Char('7'), KeyModifiers::NONE)));
    }

    #[test]
    fn labels_name_every_key_and_keep_arrows_together() {
        let label = |keys: &'static [Key]| Binding::new(keys, "", ()).label().into_owned();
        assert_eq!(label(&[UP, DOWN, PAGE_UP, PAGE_DOWN]), "↑↓ PgUp PgDn");
        assert_eq!(label(&[Key::Char('e'), ESC]), "e Esc");
        assert_eq!(label(&[Key::Ctrl('u')]), "Ctrl-U");
        assert_eq!(label(&[BACK_TAB, SPACE]), "Shift-Tab Space");
        assert_eq!(
            Binding::new(&[ENTER], "", ()).shown_as("yes Enter").label(),
            "yes Enter"
        );
    }
}
