//! Building blocks shared by the screens: a filterable list cursor, text
//! fields (each declaring its keys), and the few drawing helpers every
//! screen uses.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::screens::keys::{
    BACKSPACE, Binding, DELETE, DOWN, END, ENTER, ESC, HOME, Key, LEFT, PAGE_DOWN, PAGE_UP, RIGHT,
    SPACE, UP, typed_char,
};
use super::text::{clean, pad, truncate, width};
use super::theme::Theme;

/// What a list's keys do; the screen acts on `Choose` and `Back`, the
/// picker on the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKey {
    Choose,
    /// ↑↓, PgUp PgDn, Home End: by how far the key says.
    Move,
    ClearFilter,
    Back,
    DeleteFilterChar,
    StartFilter,
    Type,
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

    fn step(&mut self, search: &[String], delta: isize) {
        let visible = self.visible(search);
        if visible.is_empty() {
            return;
        }
        let here = visible.iter().position(|&i| i == self.cursor).unwrap_or(0) as isize;
        let there = (here + delta).clamp(0, visible.len() as isize - 1) as usize;
        self.cursor = visible[there];
    }

    fn refilter(&mut self, search: &[String]) {
        let visible = self.visible(search);
        if !visible.contains(&self.cursor)
            && let Some(&first) = visible.first()
        {
            self.cursor = first;
        }
    }

    /// The list's keys. While a filter is typed, every printable key is
    /// text (a leading j or k too); `back` is what Esc says when there is
    /// no filter to clear (None: Esc does nothing then).
    pub fn bindings(
        &self,
        search: &[String],
        back: Option<Cow<'static, str>>,
    ) -> Vec<Binding<ListKey>> {
        let typing = self.captures_text();
        let can_go_back = back.is_some();
        vec![
            Binding::new(&[ENTER], tr!("steps.list.choose"), ListKey::Choose)
                .when(self.visible(search).contains(&self.cursor)),
            Binding::new(&[UP, DOWN], tr!("steps.list.move"), ListKey::Move),
            Binding::new(&[PAGE_UP, PAGE_DOWN], tr!("steps.list.page"), ListKey::Move).help_only(),
            Binding::new(&[HOME, END], tr!("steps.list.ends"), ListKey::Move).help_only(),
            Binding::new(&[ESC], tr!("steps.list.clear_filter"), ListKey::ClearFilter).when(typing),
            Binding::new(&[ESC], back.unwrap_or_default(), ListKey::Back)
                .when(!typing && can_go_back),
            Binding::new(
                &[BACKSPACE],
                "delete the filter's last character",
                ListKey::DeleteFilterChar,
            )
            .help_only()
            .when(typing),
            Binding::new(
                &[Key::Char('/')],
                tr!("steps.list.start_filter"),
                ListKey::StartFilter,
            )
            .help_only()
            .when(!typing),
            Binding::new(
                &[Key::Text],
                tr!("steps.list.filter_the_list"),
                ListKey::Type,
            )
            .help_only()
            .when(typing),
            Binding::new(&[Key::TextButHelp], tr!("steps.list.filter"), ListKey::Type)
                .detail(tr!("steps.list.filter_detail"))
                .when(!typing),
        ]
    }

    /// Moves or filters; `Choose` and `Back` are the screen's to act on.
    pub fn apply(&mut self, action: ListKey, key: &KeyEvent, search: &[String]) {
        match action {
            ListKey::Choose | ListKey::Back => {}
            ListKey::Move => {
                let all = search.len() as isize;
                let delta = match key.code {
                    KeyCode::Up => -1,
                    KeyCode::Down => 1,
                    KeyCode::PageUp => -10,
                    KeyCode::PageDown => 10,
                    KeyCode::Home => -all,
                    KeyCode::End => all,
                    _ => 0,
                };
                self.step(search, delta);
            }
            ListKey::ClearFilter => {
                self.clear_filter();
                self.refilter(search);
            }
            ListKey::DeleteFilterChar => {
                self.filter.pop();
                if self.filter.is_empty() {
                    self.filtering = false;
                }
                self.refilter(search);
            }
            ListKey::StartFilter => self.filtering = true,
            ListKey::Type => {
                if let Some(c) = typed_char(key) {
                    self.filter.push(c);
                    self.refilter(search);
                }
            }
        }
    }

    /// The filter line under a list, when there is one.
    pub fn filter_line(&self, theme: &Theme, shown: usize, total: usize) -> Option<Line<'static>> {
        if !self.captures_text() {
            return None;
        }
        let mut spans = vec![
            Span::styled(tr!("steps.list.filter_label"), theme.title()),
            Span::raw(clean(&self.filter).into_owned()),
            Span::styled("_", theme.accent()),
        ];
        let count = if shown == 0 {
            Span::styled(tr!("steps.list.nothing_matches"), theme.warning())
        } else {
            Span::styled(
                tr!("steps.list.shown_of", shown = shown, total = total),
                theme.muted(),
            )
        };
        spans.push(count);
        Some(Line::from(spans))
    }
}

/// The keys of an on/off switch: Space flips it, `y` and `n` set it.
pub fn switch_bindings<A>(toggle: A, on: A, off: A) -> Vec<Binding<A>> {
    vec![
        Binding::new(&[SPACE], tr!("steps.switch.on_off"), toggle),
        Binding::new(&[Key::Char('y')], tr!("steps.switch.on"), on).help_only(),
        Binding::new(&[Key::Char('n')], tr!("steps.switch.off"), off).help_only(),
    ]
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

    /// The keys that edit a text field, as tui-input takes them; a screen
    /// lists them after its own, for whichever field has focus.
    pub fn bindings<A: Clone>(action: A) -> Vec<Binding<A>> {
        let edit = |keys: &'static [Key], words: String| {
            Binding::new(keys, words, action.clone()).help_only()
        };
        vec![
            edit(&[Key::Text], tr!("steps.edit.write")),
            edit(
                &[BACKSPACE, DELETE, Key::Ctrl('h')],
                tr!("steps.edit.delete_char"),
            )
            .shown_as("Backspace Del"),
            edit(
                &[
                    LEFT,
                    RIGHT,
                    HOME,
                    END,
                    Key::Ctrl('a'),
                    Key::Ctrl('e'),
                    Key::Ctrl('b'),
                    Key::Ctrl('f'),
                ],
                tr!("steps.edit.move"),
            )
            .shown_as("←→ Home End")
            .detail(tr!("steps.edit.move_detail")),
            edit(&[Key::Ctrl('w')], tr!("steps.edit.delete_word")),
            edit(&[Key::Ctrl('u')], tr!("steps.edit.clear")),
            edit(&[Key::Ctrl('k')], tr!("steps.edit.delete_to_end")),
            edit(&[Key::Ctrl('y')], tr!("steps.edit.yank")),
        ]
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
            theme.more_above(),
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
            theme.more_below(),
            area.width as usize,
            theme.muted(),
        );
    }
}

/// A list with lines under it (an error, the filter being typed) at the
/// bottom of `area`, `gap` blank rows between them when there are any.
pub fn draw_list_with_lines(
    rows: &[ListRow<'_>],
    lines: Vec<Line<'_>>,
    gap: u16,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let below = if lines.is_empty() {
        0
    } else {
        lines.len() as u16 + gap
    };
    let list_height = area.height.saturating_sub(below);
    draw_list(
        rows,
        theme,
        Rect {
            height: list_height,
            ..area
        },
        buf,
    );
    let used = (list_height + gap).min(area.height);
    let under = Rect {
        y: area.y + used,
        height: area.height - used,
        ..area
    };
    draw_lines(lines, under, buf);
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
                Span::styled(pad(label, label_width), theme.title()),
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
                Span::styled(pad(label, label_width), label_style),
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
    use crate::tui::screens::keys::find;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn search() -> Vec<String> {
        ["cn-hong kong", "ap-singapore", "ap-bangkok", "tr-istanbul"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// A key through the list's bindings, as a screen does it; the action
    /// taken, if any.
    fn press(p: &mut Picker, code: KeyCode, s: &[String]) -> Option<ListKey> {
        let key = key(code);
        let action = find(&p.bindings(s, Some("back".into())), &key)?;
        p.apply(action, &key, s);
        Some(action)
    }

    #[test]
    fn typing_filters_and_keeps_a_visible_cursor() {
        let s = search();
        let mut p = Picker::default();
        assert_eq!(press(&mut p, KeyCode::Char('a'), &s), Some(ListKey::Type));
        press(&mut p, KeyCode::Char('p'), &s);
        assert_eq!(p.visible(&s), vec![1, 2]);
        assert_eq!(p.cursor, 1);
        // j is text once a filter is being typed
        press(&mut p, KeyCode::Char('j'), &s);
        assert_eq!(p.filter, "apj");
        assert!(p.visible(&s).is_empty());
        assert_eq!(press(&mut p, KeyCode::Enter, &s), None, "nothing to choose");
        press(&mut p, KeyCode::Backspace, &s);
        press(&mut p, KeyCode::Down, &s);
        assert_eq!(p.cursor, 2);
        assert_eq!(press(&mut p, KeyCode::Esc, &s), Some(ListKey::ClearFilter));
        assert_eq!(p.filter, "");
        assert_eq!(press(&mut p, KeyCode::Esc, &s), Some(ListKey::Back));
    }

    #[test]
    fn a_leading_j_or_k_is_the_start_of_a_filter_and_arrows_move() {
        let s = search();
        let mut p = Picker::default();
        press(&mut p, KeyCode::Char('k'), &s);
        assert_eq!(p.filter, "k", "k is typed, not a move");
        assert_eq!(p.visible(&s), vec![0, 2], "hong kong and bangkok");
        press(&mut p, KeyCode::Esc, &s);
        press(&mut p, KeyCode::Down, &s);
        press(&mut p, KeyCode::Down, &s);
        press(&mut p, KeyCode::Up, &s);
        assert_eq!(p.cursor, 1);
        press(&mut p, KeyCode::End, &s);
        assert_eq!(p.cursor, 3);
        assert_eq!(
            press(&mut p, KeyCode::Char('?'), &s),
            None,
            "? stays the help key"
        );
        assert_eq!(
            press(&mut p, KeyCode::Char('/'), &s),
            Some(ListKey::StartFilter)
        );
        press(&mut p, KeyCode::Char('?'), &s);
        assert_eq!(p.filter, "?", "once a filter is started, ? is text too");
    }

    #[test]
    fn every_editing_key_listed_for_a_text_field_is_one_tui_input_takes() {
        for binding in TextField::bindings(()) {
            for key in binding.keys {
                let event = match *key {
                    Key::Code(code) => KeyEvent::new(code, KeyModifiers::NONE),
                    Key::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
                    Key::Text => KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE),
                    other => panic!("{other:?} is not an editing key"),
                };
                let mut field = TextField::new("some text");
                assert!(field.handle(&event), "{key:?} does nothing to a field");
            }
        }
    }

    #[test]
    fn window_keeps_the_selection_in_view() {
        assert_eq!(window(5, Some(4), 10), (0, 5));
        assert_eq!(window(30, Some(0), 10), (0, 10));
        assert_eq!(window(30, Some(15), 10), (10, 20));
        assert_eq!(window(30, Some(29), 10), (20, 30));
    }
}
