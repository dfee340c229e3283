//! Colours and symbols, chosen once from the environment: `NO_COLOR` turns
//! colour off (meaning is then carried by text and bold/reverse), and a
//! locale that is not UTF-8 gets ASCII borders and symbols.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub unicode: bool,
    pub symbols: Symbols,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbols {
    pub border: border::Set<'static>,
    pub done: &'static str,
    pub current: &'static str,
    pub pointer: &'static str,
    pub unavailable: &'static str,
    pub ellipsis: &'static str,
    pub separator: &'static str,
    /// The arrows of "▲ more", which [`Theme::more_above`] words in the
    /// reader's language.
    pub up_mark: &'static str,
    pub down_mark: &'static str,
    pub spinner: &'static [&'static str],
    pub mask: char,
    pub arrow: &'static str,
}

const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

const UNICODE_SYMBOLS: Symbols = Symbols {
    border: border::ROUNDED,
    done: "✓",
    current: "▸",
    pointer: "›",
    unavailable: "✗",
    ellipsis: "…",
    separator: " · ",
    up_mark: "▲",
    down_mark: "▼",
    spinner: &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
    mask: '•',
    arrow: "→",
};

const ASCII_SYMBOLS: Symbols = Symbols {
    border: ASCII_BORDER,
    done: "*",
    current: ">",
    pointer: ">",
    unavailable: "x",
    ellipsis: "...",
    separator: " | ",
    up_mark: "^",
    down_mark: "v",
    spinner: &["|", "/", "-", "\\"],
    mask: '*',
    arrow: "->",
};

impl Default for Theme {
    fn default() -> Self {
        Theme::new(true, true)
    }
}

impl Theme {
    /// "▲ more": rows are cut off above, in the reader's language.
    pub fn more_above(&self) -> String {
        tr!("steps.list.more", mark = self.symbols.up_mark)
    }

    /// "▼ more": rows are cut off below.
    pub fn more_below(&self) -> String {
        tr!("steps.list.more", mark = self.symbols.down_mark)
    }

    pub fn new(color: bool, unicode: bool) -> Theme {
        Theme {
            color,
            unicode,
            symbols: if unicode {
                UNICODE_SYMBOLS
            } else {
                ASCII_SYMBOLS
            },
        }
    }

    /// Reads `NO_COLOR` and the locale (`LC_ALL`, then `LC_CTYPE`, then
    /// `LANG`, the first that is set wins, as in POSIX) through `var`.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Theme {
        let color = var("NO_COLOR").is_none_or(|v| v.is_empty());
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let unicode = locale.contains("utf-8") || locale.contains("utf8");
        Theme::new(color, unicode)
    }

    pub fn from_process_env() -> Theme {
        Theme::from_env(|name| std::env::var(name).ok())
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Options that cannot be taken. Without colour, the ✗ marker and the
    /// reason text carry the meaning.
    pub fn unavailable(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn muted(&self) -> Style {
        self.unavailable()
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn border(&self) -> Style {
        self.fg(Color::Gray)
    }

    pub fn focused_border(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// Key names as a hint shows them: arrows become words without UTF-8.
    pub fn keys(&self, keys: &str) -> String {
        if self.unicode {
            keys.to_string()
        } else {
            keys.replace("↑↓", "Up/Dn")
                .replace("←→", "Lt/Rt")
                .replace('↑', "Up")
                .replace('↓', "Dn")
                .replace('←', "Lt")
                .replace('→', "Rt")
        }
    }

    pub fn spinner(&self, frame: usize) -> &'static str {
        let frames = self.symbols.spinner;
        frames[frame % frames.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn no_color_turns_colour_off_whatever_its_value() {
        assert!(!Theme::from_env(env(&[("NO_COLOR", "1"), ("LANG", "C.UTF-8")])).color);
        assert!(Theme::from_env(env(&[("NO_COLOR", ""), ("LANG", "C.UTF-8")])).color);
        assert!(Theme::from_env(env(&[("LANG", "en_US.UTF-8")])).color);
    }

    #[test]
    fn locale_precedence_decides_the_border_set() {
        assert!(Theme::from_env(env(&[("LANG", "en_US.UTF-8")])).unicode);
        assert!(Theme::from_env(env(&[("LANG", "de_DE.utf8")])).unicode);
        assert!(!Theme::from_env(env(&[])).unicode);
        assert!(!Theme::from_env(env(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")])).unicode);
        assert!(Theme::from_env(env(&[("LC_CTYPE", "C.UTF-8"), ("LANG", "C")])).unicode);
        let ascii = Theme::new(true, false);
        assert_eq!(ascii.symbols.border.top_left, "+");
        assert_eq!(ascii.keys("↑↓ move"), "Up/Dn move");
    }
}
