//! The extras step: add-ons. An EVS data disk and CBR backup (each sized), and HSS
//! host security; all off unless chosen.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::keys::{Binding, Key, typed_char};
use super::{Reply, Screen, back, cycle, draw_intro, form_bindings, take_rows};
use crate::domain::order::{Draft, EXTRA_SIZE_GIB_RANGE, Extra, ExtraKind, check_extra_size};
use crate::tui::app::{App, Step};
use crate::tui::text::pad;
use crate::tui::widgets::{self, FieldLook, TextField, field_note, switch_bindings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    #[default]
    Evs,
    EvsSize,
    Cbr,
    CbrSize,
    Hss,
}

#[derive(Clone, Default)]
pub struct State {
    pub focus: Field,
    pub evs: bool,
    pub evs_size: TextField,
    pub cbr: bool,
    pub cbr_size: TextField,
    pub hss: bool,
    pub tried: bool,
    /// Why the last key did nothing, so no key is dropped silently.
    pub note: Option<String>,
}

fn size_rule() -> String {
    tr!(
        "steps.extras.size_rule",
        from = EXTRA_SIZE_GIB_RANGE.start(),
        to = EXTRA_SIZE_GIB_RANGE.end()
    )
}

fn size_error(kind: ExtraKind, field: &TextField) -> Option<String> {
    let text = field.value().trim();
    if text.is_empty() {
        return check_extra_size(kind, None).err();
    }
    match text.parse::<i64>() {
        Ok(n) => check_extra_size(kind, Some(n)).err(),
        Err(_) => Some(tr!(
            "steps.form.not_a_whole_number",
            text = text,
            rule = size_rule()
        )),
    }
}

impl State {
    pub fn evs_error(&self) -> Option<String> {
        self.evs
            .then(|| size_error(ExtraKind::Evs, &self.evs_size))
            .flatten()
    }

    pub fn cbr_error(&self) -> Option<String> {
        self.cbr
            .then(|| size_error(ExtraKind::Cbr, &self.cbr_size))
            .flatten()
    }

    fn fields(&self) -> Vec<Field> {
        let mut fields = vec![Field::Evs];
        if self.evs {
            fields.push(Field::EvsSize);
        }
        fields.push(Field::Cbr);
        if self.cbr {
            fields.push(Field::CbrSize);
        }
        fields.push(Field::Hss);
        fields
    }

    fn move_focus(&mut self, delta: isize) {
        self.focus = cycle(&self.fields(), self.focus, delta);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Back,
    Next,
    Previous,
    Toggle,
    Set(bool),
    /// A digit on a sized add-on's row: the start of its size.
    Size,
    /// Any other key on a switch: says which keys work.
    Other,
    Edit,
}

pub struct ExtrasScreen;

impl Screen for ExtrasScreen {
    type Action = Action;
    const NAME: &'static str = "Extras";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        let on_size = matches!(app.extras.focus, Field::EvsSize | Field::CbrSize);
        let mut list = form_bindings(Action::Accept, Action::Next, Action::Previous, true);
        if on_size {
            list.push(back(app, Action::Back));
            list.extend(TextField::bindings(Action::Edit));
            return list;
        }
        list.extend(switch_bindings(
            Action::Toggle,
            Action::Set(true),
            Action::Set(false),
        ));
        list.extend([
            Binding::new(
                &[Key::Char('j')],
                tr!("steps.form.next_field"),
                Action::Next,
            )
            .help_only(),
            Binding::new(
                &[Key::Char('k')],
                tr!("steps.form.previous_field"),
                Action::Previous,
            )
            .help_only(),
            Binding::new(
                &[Key::Range('0', '9')],
                tr!("steps.extras.start_size"),
                Action::Size,
            )
            .detail(tr!("steps.extras.start_size_detail"))
            .help_only(),
            back(app, Action::Back),
            Binding::new(
                &[Key::TextButHelp],
                tr!("steps.extras.say_keys"),
                Action::Other,
            )
            .unlisted(),
        ]);
        list
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        let state = &mut app.extras;
        match action {
            Action::Accept => {
                submit(app);
                return Reply::Done;
            }
            Action::Back => {
                app.back();
                return Reply::Done;
            }
            _ => state.note = None,
        }
        match action {
            Action::Next => state.move_focus(1),
            Action::Previous => state.move_focus(-1),
            Action::Edit => {
                if state.focus == Field::EvsSize {
                    state.evs_size.handle(key);
                } else {
                    state.cbr_size.handle(key);
                }
            }
            Action::Size => type_size(state, key, typed_char(key).unwrap_or('0')),
            Action::Other => state.note = Some(tr!("steps.extras.keys_here")),
            Action::Toggle | Action::Set(_) => {
                let flag = match state.focus {
                    Field::Evs => &mut state.evs,
                    Field::Cbr => &mut state.cbr,
                    _ => &mut state.hss,
                };
                let before = *flag;
                *flag = match action {
                    Action::Set(on) => on,
                    _ => !before,
                };
                // Switching a sized add-on on leads straight to its size.
                if !before && *flag {
                    match state.focus {
                        Field::Evs => state.focus = Field::EvsSize,
                        Field::Cbr => state.focus = Field::CbrSize,
                        _ => {}
                    }
                }
            }
            Action::Accept | Action::Back => {}
        }
        Reply::Done
    }

    /// Pasted text goes to the focused size field; elsewhere it is refused
    /// with a word, as a typed key would be.
    fn paste(app: &mut App, text: &str) {
        let state = &mut app.extras;
        state.note = None;
        match state.focus {
            Field::EvsSize => state.evs_size.paste(text.trim()),
            Field::CbrSize => state.cbr_size.paste(text.trim()),
            Field::Evs | Field::Cbr | Field::Hss => {
                state.note = Some(tr!(
                    "steps.extras.paste_did_nothing",
                    keys = tr!("steps.extras.keys_here")
                ));
            }
        }
    }

    fn sync(app: &mut App) {
        let mut state = State {
            focus: app.extras.focus,
            ..State::default()
        };
        for extra in &app.draft.extra_resources {
            let size = extra.size.map(|s| s.to_string()).unwrap_or_default();
            match extra.kind {
                ExtraKind::Evs => {
                    state.evs = true;
                    state.evs_size = TextField::new(size);
                }
                ExtraKind::Cbr => {
                    state.cbr = true;
                    state.cbr_size = TextField::new(size);
                }
                ExtraKind::Hss => state.hss = true,
            }
        }
        if !state.fields().contains(&state.focus) {
            state.focus = Field::Evs;
        }
        app.extras = state;
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

/// A digit on a sized add-on's row is the start of its size: it goes to
/// the size field when the add-on is on, and says what to do when it is not.
fn type_size(state: &mut State, key: &KeyEvent, digit: char) {
    let (on, field, size, name) = match state.focus {
        Field::Evs => (state.evs, Field::EvsSize, &mut state.evs_size, "EVS"),
        Field::Cbr => (state.cbr, Field::CbrSize, &mut state.cbr_size, "CBR"),
        _ => {
            state.note = Some(tr!(
                "steps.extras.hss_has_no_size",
                digit = digit,
                keys = tr!("steps.extras.keys_here")
            ));
            return;
        }
    };
    if on {
        size.handle(key);
        state.focus = field;
    } else {
        state.note = Some(tr!("steps.extras.is_off", name = name, digit = digit));
    }
}

fn submit(app: &mut App) {
    let state = &mut app.extras;
    state.tried = true;
    if let Some(field) = state.first_error() {
        state.focus = field;
        return;
    }
    state.write_into(&mut app.draft);
    state.tried = false;
    app.accept(Step::Extras);
}

impl State {
    fn first_error(&self) -> Option<Field> {
        if self.evs_error().is_some() {
            Some(Field::EvsSize)
        } else if self.cbr_error().is_some() {
            Some(Field::CbrSize)
        } else {
            None
        }
    }

    /// Puts the chosen add-ons into `draft` when the order can take them
    /// (Enter, or a quit keeping edits not yet confirmed).
    pub fn write_into(&self, draft: &mut Draft) {
        if self.first_error().is_some() {
            return;
        }
        let state = self;
        let size = |f: &TextField| f.value().trim().parse::<i64>().ok();
        let mut extras = Vec::new();
        if state.evs {
            extras.push(Extra {
                kind: ExtraKind::Evs,
                size: size(&state.evs_size),
            });
        }
        if state.cbr {
            extras.push(Extra {
                kind: ExtraKind::Cbr,
                size: size(&state.cbr_size),
            });
        }
        if state.hss {
            extras.push(Extra {
                kind: ExtraKind::Hss,
                size: None,
            });
        }
        draft.extra_resources = extras;
    }
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let state = &app.extras;
    draw_intro(tr!("steps.extras.intro"), &mut area, buf);
    let mut cursor = None;
    let placeholder = format!(
        "{}-{}",
        EXTRA_SIZE_GIB_RANGE.start(),
        EXTRA_SIZE_GIB_RANGE.end()
    );
    let rows = [
        (
            Field::Evs,
            Some(Field::EvsSize),
            ExtraKind::Evs,
            state.evs,
            Some((&state.evs_size, state.evs_error())),
        ),
        (
            Field::Cbr,
            Some(Field::CbrSize),
            ExtraKind::Cbr,
            state.cbr,
            Some((&state.cbr_size, state.cbr_error())),
        ),
        (Field::Hss, None, ExtraKind::Hss, state.hss, None),
    ];
    for (toggle, size_field, kind, on, size) in rows {
        let row = take_rows(&mut area, 1);
        let focused = state.focus == toggle;
        widgets::draw_lines(
            vec![Line::from(vec![
                Span::styled(
                    format!("{} ", if focused { theme.symbols.pointer } else { " " }),
                    theme.key(),
                ),
                Span::styled(
                    format!(
                        "[{}] {}",
                        if on { "x" } else { " " },
                        pad(&kind.label(), 20)
                    ),
                    if focused { theme.key() } else { theme.title() },
                ),
            ])],
            row,
            buf,
        );
        if let (true, Some(field), Some((input, error))) = (on, size_field, size) {
            let field_area = Rect::new(row.x + 27, row.y, 22.min(row.width.saturating_sub(27)), 1);
            if let Some(p) = widgets::draw_field(
                input,
                &FieldLook {
                    label: &tr!("steps.extras.size"),
                    label_width: 7,
                    focused: state.focus == field,
                    masked: false,
                    placeholder: &placeholder,
                },
                theme,
                field_area,
                buf,
            ) {
                cursor = Some(p);
            }
            if row.width > 50 {
                buf.set_stringn(row.x + 50, row.y, "GiB", 3, theme.muted());
            }
            let shown = error.filter(|_| state.tried || input.touched);
            let note = take_rows(&mut area, 1);
            let rule = tr!("steps.extras.one_per_instance", rule = size_rule());
            widgets::draw_lines(vec![field_note(shown.as_deref(), &rule, theme)], note, buf);
        }
        take_rows(&mut area, 1);
    }
    if let Some(note) = &state.note {
        let line = Line::from(Span::styled(format!("! {note}"), theme.warning()));
        let height = widgets::wrapped_height(std::slice::from_ref(&line), area.width);
        let rows = take_rows(&mut area, height);
        ratatui::widgets::Widget::render(
            ratatui::widgets::Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: false }),
            rows,
            buf,
        );
        take_rows(&mut area, 1);
    }
    widgets::draw_lines(
        vec![
            Line::from(Span::styled(tr!("steps.extras.unpriced_1"), theme.muted())),
            Line::from(Span::styled(tr!("steps.extras.unpriced_2"), theme.muted())),
        ],
        area,
        buf,
    );
    cursor
}
