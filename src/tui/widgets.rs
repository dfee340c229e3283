//! Building blocks shared by the screens: key hints, a filterable list
//! cursor, text fields, and the few drawing helpers every screen uses.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::text::{clean, truncate, width};
use super::theme::Theme;

/// One key (or key group) and what it does here. Screens return these for
/// the footer and the help, so both always match the keys they handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: &'static str,
    /// A word or two for the footer.
    pub action: Cow<'static, str>,
    /// A longer explanation for the help, when the footer's words are terse.
    pub detail: Option<&'static str>,
}

pub fn hint(keys: &'static str, action: impl Into<Cow<'static, str>>) -> Hint {
    Hint {
        keys,
        action: action.into(),
        detail: None,
    }
}

impl Hint {
    pub fn detail(mut self, detail: &'static str) -> Hint {
        self.detail = Some(detail);
        self
    }
}

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

pub fn is_key(key: &KeyEvent, code: KeyCode) -> bool {
    key.code == code
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// What a list did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKey {
    Moved,
    Filtered,
    Accept,
    Back,
    Unhandled,
}

/// The cursor and filter of a list whose items the screen owns. `cursor`
/// indexes the full list, so filtering never loses the highlighted item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picker {
    pub cursor: usize,
    pub filter: String,
    /// `/` was pressed: every printable key goes to the filter, j and k too.
    pub filtering: bool,
}

impl Picker {
    pub fn at(cursor: usize) -> Picker {
        Picker {
            cursor,
            ..Picker::default()
        }
    }

    /// Shows the whole list again, the cursor where it is.
    pub fn clear_filter(&mut self) {
        self.filter.clear();
        self.filtering = false;
    }

    /// Whether keys currently type into the filter (so `?`, j and k are text).
    pub fn captures_text(&self) -> bool {
        self.filtering || !self.filter.is_empty()
    }

    /// Indexes of the items whose search text contains the filter (case
    /// folded). `search` holds one lower-case text per item.
    pub fn visible(&self, search: &[String]) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        (0..search.len())
            .filter(|&i| needle.is_empty() || search[i].contains(&needle))
            .collect()
    }

    fn step(&mut self, search: &[String], delta: isize) -> PickerKey {
        let visible = self.visible(search);
        if visible.is_empty() {
            return PickerKey::Moved;
        }
        let here = visible.iter().position(|&i| i == self.cursor).unwrap_or(0) as isize;
        let there = (here + delta).clamp(0, visible.len() as isize - 1) as usize;
        self.cursor = visible[there];
        PickerKey::Moved
    }

    fn refilter(&mut self, search: &[String]) -> PickerKey {
        let visible = self.visible(search);
        if !visible.contains(&self.cursor)
            && let Some(&first) = visible.first()
        {
            self.cursor = first;
        }
        PickerKey::Filtered
    }

    pub fn handle(&mut self, key: &KeyEvent, search: &[String]) -> PickerKey {
        let typing = self.captures_text();
        match key.code {
            KeyCode::Up => return self.step(search, -1),
            KeyCode::Down => return self.step(search, 1),
            KeyCode::PageUp => return self.step(search, -10),
            KeyCode::PageDown => return self.step(search, 10),
            KeyCode::Home => return self.step(search, -(search.len() as isize)),
            KeyCode::End => return self.step(search, search.len() as isize),
            KeyCode::Enter => {
                return if self.visible(search).contains(&self.cursor) {
                    PickerKey::Accept
                } else {
                    PickerKey::Unhandled
                };
            }
            KeyCode::Esc if typing => {
                self.clear_filter();
                return self.refilter(search);
            }
            KeyCode::Esc => return PickerKey::Back,
            KeyCode::Backspace if typing => {
                self.filter.pop();
                if self.filter.is_empty() {
                    self.filtering = false;
                }
                return self.refilter(search);
            }
            _ => {}
        }
        match typed_char(key) {
            Some('j') if !typing => self.step(search, 1),
            Some('k') if !typing => self.step(search, -1),
            Some('/') if !typing => {
                self.filtering = true;
                PickerKey::Filtered
            }
            Some('?') if !typing => PickerKey::Unhandled,
            Some(c) if !c.is_control() => {
                self.filter.push(c);
                self.refilter(search)
            }
            _ => PickerKey::Unhandled,
        }
    }

    /// The filter line under a list, when there is one.
    pub fn filter_line(&self, theme: &Theme, shown: usize, total: usize) -> Option<Line<'static>> {
        if !self.captures_text() {
            return None;
        }
        let mut spans = vec![
            Span::styled("Filter: ", theme.title()),
            Span::raw(clean(&self.filter).into_owned()),
            Span::styled("_", theme.accent()),
        ];
        let count = if shown == 0 {
            Span::styled(
                "  nothing matches; Backspace or Esc".to_string(),
                theme.warning(),
            )
        } else {
            Span::styled(format!("  {shown} of {total}"), theme.muted())
        };
        spans.push(count);
        Some(Line::from(spans))
    }
}

/// A single-line text field.
#[derive(Clone, Default)]
pub struct TextField {
    pub input: Input,
    /// Set once the user typed here or tried to go on: errors show from then.
    pub touched: bool,
}

impl TextField {
    pub fn new(value: impl Into<String>) -> TextField {
        TextField {
            input: Input::new(value.into()),
            touched: false,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn set(&mut self, value: impl Into<String>) {
        self.input = Input::new(value.into());
    }

    /// Forgets the value and anything cut from it (the field may have held a
    /// secret).
    pub fn wipe(&mut self) {
        self.input = Input::default();
        self.touched = false;
    }

    /// Edits the field with a key press; false when the key is not an edit.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let event = crossterm::event::Event::Key(*key);
        match to_input_request(&event) {
            // Control characters never go into a value (they would end up
            // in the request body).
            Some(InputRequest::InsertChar(c)) if c.is_control() => false,
            Some(request) => {
                self.input.handle(request);
                if matches!(
                    request,
                    InputRequest::InsertChar(_)
                        | InputRequest::DeletePrevChar
                        | InputRequest::DeleteNextChar
                        | InputRequest::DeletePrevWord
                        | InputRequest::DeleteNextWord
                        | InputRequest::DeleteLine
                        | InputRequest::DeleteTillEnd
                        | InputRequest::DeleteFromStart
                        | InputRequest::Yank
                ) {
                    self.touched = true;
                }
                true
            }
            None => false,
        }
    }

    /// Pasted text, on one line and without control characters.
    pub fn paste(&mut self, text: &str) {
        for c in clean(text).chars() {
            self.input.handle(InputRequest::InsertChar(c));
        }
        self.touched = true;
    }
}

/// How a text field is drawn.
pub struct FieldLook<'a> {
    pub label: &'a str,
    pub label_width: u16,
    pub focused: bool,
    pub masked: bool,
    pub placeholder: &'a str,
}

/// Draws `label  [value]` on one row and returns where the cursor goes
/// when the field has focus.
pub fn draw_field(
    field: &TextField,
    look: &FieldLook<'_>,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    if area.height == 0 || area.width <= look.label_width + 2 {
        return None;
    }
    let label_style = if look.focused {
        theme.key()
    } else {
        theme.title()
    };
    let marker = if look.focused {
        theme.symbols.pointer
    } else {
        " "
    };
    let label = format!("{marker} {}", look.label);
    buf.set_stringn(
        area.x,
        area.y,
        &label,
        look.label_width as usize,
        label_style,
    );
    let x = area.x + look.label_width;
    let room = (area.width - look.label_width).saturating_sub(1) as usize;
    let value: String = if look.masked {
        std::iter::repeat_n(theme.symbols.mask, field.value().chars().count()).collect()
    } else {
        clean(field.value()).into_owned()
    };
    let scroll = if look.masked {
        field.input.cursor().saturating_sub(room)
    } else {
        field.input.visual_scroll(room)
    };
    let style = if look.focused {
        Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED)
    } else {
        Style::new()
    };
    let field_area = Rect::new(x, area.y, room as u16 + 1, 1);
    buf.set_style(field_area, style);
    if value.is_empty() && !look.placeholder.is_empty() {
        buf.set_stringn(
            x,
            area.y,
            look.placeholder,
            room,
            theme.muted().patch(style),
        );
    } else {
        let shown = skip_cells(&value, scroll);
        buf.set_stringn(x, area.y, shown, room, style);
    }
    look.focused.then(|| {
        let cursor = if look.masked {
            field.input.cursor()
        } else {
            field.input.visual_cursor()
        };
        Position::new(x + (cursor - scroll).min(room) as u16, area.y)
    })
}

fn skip_cells(text: &str, cells: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        if used >= cells {
            return &text[i..];
        }
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    ""
}

/// A message under a field: the error when there is one, else the rule.
pub fn field_note(error: Option<&str>, rule: &str, theme: &Theme) -> Line<'static> {
    match error {
        Some(error) => Line::from(Span::styled(format!("  ! {}", clean(error)), theme.error())),
        None => Line::from(Span::styled(format!("  {rule}"), theme.muted())),
    }
}

/// Draws a field's note into `area`; an error too long for one row goes on
/// in the rows below, under its own first word, rather than being cut.
pub fn draw_field_note(
    error: Option<&str>,
    rule: &str,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    const MARK: u16 = 4;
    let Some(error) = error else {
        draw_lines(vec![field_note(None, rule, theme)], area, buf);
        return;
    };
    if area.width <= MARK {
        return;
    }
    draw_lines(
        vec![Line::from(Span::styled("  ! ", theme.error()))],
        Rect {
            width: MARK,
            ..area
        },
        buf,
    );
    Paragraph::new(Line::from(Span::styled(
        clean(error).into_owned(),
        theme.error(),
    )))
    .wrap(ratatui::widgets::Wrap { trim: true })
    .render(
        Rect {
            x: area.x + MARK,
            width: area.width - MARK,
            ..area
        },
        buf,
    );
}

/// One row of a list as a screen builds it. Selectable rows leave their
/// first two cells blank: the selected one gets the pointer there, so the
/// selection shows without colour or reverse video too (monochrome
/// terminals, screen readers, `tmux capture-pane`).
pub struct ListRow<'a> {
    pub line: Line<'a>,
    /// Headers are not selectable and stay unhighlighted.
    pub selected: bool,
    pub unavailable: bool,
}

/// Which rows fit in `height`, keeping the selected row near the middle so
/// there is context on both sides; a pure function of the selection.
pub fn window(total: usize, selected: Option<usize>, height: usize) -> (usize, usize) {
    if total <= height {
        return (0, total);
    }
    let selected = selected.unwrap_or(0);
    let start = selected
        .saturating_sub(height / 2)
        .min(total.saturating_sub(height));
    (start, start + height)
}

/// Draws rows with the selection highlighted and markers where rows are cut
/// off above or below.
pub fn draw_list(rows: &[ListRow<'_>], theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let selected = rows.iter().position(|r| r.selected);
    let height = area.height as usize;
    let (mut start, mut end) = window(rows.len(), selected, height);
    let cut_above = start > 0;
    let cut_below = end < rows.len();
    let mut y = area.y;
    if cut_above {
        buf.set_stringn(
            area.x,
            y,
            theme.symbols.more_above,
            area.width as usize,
            theme.muted(),
        );
        y += 1;
        start += 1;
    }
    if cut_below {
        end -= 1;
    }
    for row in &rows[start..end.max(start)] {
        let mut style = if row.unavailable {
            theme.unavailable()
        } else {
            Style::new()
        };
        if row.selected {
            style = style.patch(theme.selected());
        }
        let line_area = Rect::new(area.x, y, area.width, 1);
        buf.set_style(line_area, style);
        buf.set_line(area.x, y, &row.line, area.width);
        if row.selected {
            buf.set_stringn(area.x, y, theme.symbols.pointer, 1, Style::new());
            buf.set_style(line_area, theme.selected());
        }
        y += 1;
    }
    if cut_below {
        buf.set_stringn(
            area.x,
            area.y + area.height - 1,
            theme.symbols.more_below,
            area.width as usize,
            theme.muted(),
        );
    }
}

/// A bordered block in the theme's border set.
pub fn block<'a>(title: impl Into<Line<'a>>, theme: &Theme, focused: bool) -> Block<'a> {
    Block::bordered()
        .border_set(theme.symbols.border)
        .border_style(if focused {
            theme.focused_border()
        } else {
            theme.border()
        })
        .title(title)
}

/// Label/value lines with the labels in one column.
pub fn pairs<'a>(items: &[(&str, String)], label_width: usize, theme: &Theme) -> Vec<Line<'a>> {
    items
        .iter()
        .map(|(label, value)| {
            Line::from(vec![
                Span::styled(format!("{label:<label_width$}"), theme.title()),
                Span::raw(clean(value).into_owned()),
            ])
        })
        .collect()
}

/// Rows `lines` take when wrapped at word boundaries into `width` cells.
pub fn wrapped_height(lines: &[Line<'_>], width: u16) -> u16 {
    Paragraph::new(lines.to_vec())
        .wrap(ratatui::widgets::Wrap { trim: false })
        .line_count(width) as u16
}

/// `label value` lines with the value wrapped under itself, so long values
/// stay in their column.
pub fn labelled(
    indent: usize,
    label: &str,
    label_width: usize,
    label_style: Style,
    value: &str,
    value_style: Style,
    width: u16,
) -> Vec<Line<'static>> {
    let room = (width as usize)
        .saturating_sub(indent + label_width)
        .max(10);
    super::text::wrap_words(&clean(value), room)
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let label = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(format!("{label:<label_width$}"), label_style),
                Span::styled(text, value_style),
            ])
        })
        .collect()
}

/// A paragraph of plain text drawn into `area`.
pub fn draw_lines(lines: Vec<Line<'_>>, area: Rect, buf: &mut Buffer) {
    Paragraph::new(lines).render(area, buf);
}

/// `text` fitted into `max` cells.
pub fn fit(text: &str, max: usize, theme: &Theme) -> String {
    truncate(&clean(text), max, theme.symbols.ellipsis)
}

pub fn cells(text: &str) -> usize {
    width(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn search() -> Vec<String> {
        ["cn-hong kong", "ap-singapore", "ap-bangkok", "tr-istanbul"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn typing_filters_and_keeps_a_visible_cursor() {
        let s = search();
        let mut p = Picker::default();
        assert_eq!(p.handle(&key(KeyCode::Char('a')), &s), PickerKey::Filtered);
        assert_eq!(p.handle(&key(KeyCode::Char('p')), &s), PickerKey::Filtered);
        assert_eq!(p.visible(&s), vec![1, 2]);
        assert_eq!(p.cursor, 1);
        // j is text once a filter is being typed
        p.handle(&key(KeyCode::Char('j')), &s);
        assert_eq!(p.filter, "apj");
        assert!(p.visible(&s).is_empty());
        p.handle(&key(KeyCode::Backspace), &s);
        p.handle(&key(KeyCode::Down), &s);
        assert_eq!(p.cursor, 2);
        assert_eq!(p.handle(&key(KeyCode::Esc), &s), PickerKey::Filtered);
        assert_eq!(p.filter, "");
        assert_eq!(p.handle(&key(KeyCode::Esc), &s), PickerKey::Back);
    }

    #[test]
    fn j_and_k_move_when_no_filter_is_typed() {
        let s = search();
        let mut p = Picker::default();
        p.handle(&key(KeyCode::Char('j')), &s);
        p.handle(&key(KeyCode::Char('j')), &s);
        p.handle(&key(KeyCode::Char('k')), &s);
        assert_eq!(p.cursor, 1);
        assert_eq!(p.handle(&key(KeyCode::Char('/')), &s), PickerKey::Filtered);
        p.handle(&key(KeyCode::Char('k')), &s);
        assert_eq!(p.filter, "k");
    }

    #[test]
    fn window_keeps_the_selection_in_view() {
        assert_eq!(window(5, Some(4), 10), (0, 5));
        assert_eq!(window(30, Some(0), 10), (0, 10));
        assert_eq!(window(30, Some(15), 10), (10, 20));
        assert_eq!(window(30, Some(29), 10), (20, 30));
    }
}
