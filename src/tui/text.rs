//! Text that reaches the screen from outside the program (service messages,
//! order fields, pasted input) is cleaned here before it is drawn: a control
//! character could move the cursor, change colours or retitle the terminal.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// Characters that must never be written to the terminal as they are: C0 and
/// C1 controls (ESC starts escape sequences, C1 has CSI/OSC of its own) and
/// the bidirectional overrides that can make text read differently from
/// what it is.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with line breaks and tabs turned into spaces and every other
/// unsafe character dropped.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if is_unsafe(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Display width in terminal cells.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` followed by spaces up to `cells` cells (display width, so a
/// column of Chinese labels lines up); longer text is kept whole.
pub fn pad(text: &str, cells: usize) -> String {
    let room = cells.saturating_sub(width(text));
    format!("{text}{}", " ".repeat(room))
}

/// `text` cut to at most `max` cells, ending in `ellipsis` when cut.
pub fn truncate(text: &str, max: usize, ellipsis: &str) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let room = max.saturating_sub(width(ellipsis));
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if max >= width(ellipsis) {
        out.push_str(ellipsis);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_cannot_reach_the_terminal() {
        let hostile = "quota\x1b]0;owned\x07 exceeded\x1b[2J\r\nnext\u{9b}31m \u{202E}gnp.exe";
        let cleaned = clean(hostile);
        assert_eq!(cleaned, "quota]0;owned exceeded[2J  next31m gnp.exe");
        assert!(!cleaned.chars().any(|c| c.is_control()));
    }

    #[test]
    fn clean_text_is_not_copied() {
        assert!(matches!(clean("plain words"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncation_counts_cells_not_bytes() {
        assert_eq!(truncate("AP-Singapore", 8, "..."), "AP-Si...");
        assert_eq!(truncate("短い名前です", 7, "…"), "短い名…");
        assert_eq!(truncate("short", 8, "..."), "short");
    }

    #[test]
    fn padding_counts_cells_so_chinese_columns_line_up() {
        assert_eq!(pad("区域", 6), "区域  ");
        assert_eq!(pad("Region", 8), "Region  ");
        assert_eq!(pad("too long", 3), "too long");
        assert_eq!(width(&pad("购买时长", 15)), 15);
    }
}

/// `text` broken into lines of at most `width` cells at spaces; a word
/// longer than a line is cut.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let mut word = word.to_string();
        loop {
            let w = self::width(&word);
            let gap = usize::from(used > 0);
            if used + gap + w <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                used += gap + w;
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
                continue;
            }
            // A word wider than the line: cut it.
            let head = truncate(&word, width, "");
            let rest = word[head.len()..].to_string();
            lines.push(head);
            word = rest;
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_long_words_are_cut() {
        assert_eq!(wrap_words("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap_words("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap_words("", 4), vec![""]);
    }
}
