//! The naming step: the instance name (checked as it is typed, with the rule in
//! view), an optional description, and tags.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::keys::{BACK_TAB, Binding, DELETE, DOWN, ENTER, ESC, Key, TAB, UP};
use super::{Reply, Screen, back, cycle, form_bindings, take_all_but, take_rows};
use crate::domain::field::{Field, TagField};
use crate::domain::order::{
    DESCRIPTION_MAX_CHARS, Draft, NAME_MAX_CHARS, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS, Tag,
    check_description, check_instance_name,
};
use crate::tui::app::{App, Step};
use crate::tui::widgets::{self, FieldLook, ListRow, TextField, field_note};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Name,
    Description,
    Tags,
}

const FOCUS_ORDER: [Focus; 3] = [Focus::Name, Focus::Description, Focus::Tags];

#[derive(Clone, Default)]
pub struct TagEditor {
    /// The tag being edited, or None for a new one.
    pub index: Option<usize>,
    pub key: TextField,
    pub value: TextField,
    pub on_value: bool,
    pub error: Option<String>,
}

#[derive(Clone, Default)]
pub struct State {
    pub focus: Focus,
    pub name: TextField,
    pub description: TextField,
    pub tags: Vec<Tag>,
    pub tag_cursor: usize,
    pub editor: Option<TagEditor>,
    pub tried: bool,
}

pub fn name_rule() -> String {
    tr!("steps.naming.name_rule", max = NAME_MAX_CHARS)
}

/// The document's tag rules (lengths, unique keys) for a list of tags, as
/// the domain states them: (index, key or value, message) per problem.
pub fn tag_problems(
    catalog: &crate::domain::catalog::Catalog,
    tags: &[Tag],
) -> Vec<(usize, TagField, String)> {
    let draft = Draft {
        tags: tags.to_vec(),
        ..Draft::default()
    };
    draft
        .problems(catalog)
        .into_iter()
        .filter_map(|p| {
            let Field::Tag(index, Some(part)) = p.field else {
                return None;
            };
            let message = if p.message.starts_with("is ") {
                format!("the {} {}", part.name(), p.message)
            } else {
                p.message
            };
            Some((index, part, message))
        })
        .collect()
}

impl State {
    pub fn name_error(&self) -> Option<String> {
        check_instance_name(self.name.value()).err()
    }

    pub fn description_error(&self) -> Option<String> {
        check_description(self.description.value()).err()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Back,
    Next,
    Previous,
    Edit,
    TagUp,
    TagDown,
    AddTag,
    EditTag,
    DeleteTag,
    SaveTag,
    CancelTag,
    KeyOrValue,
}

pub struct NamingScreen;

impl Screen for NamingScreen {
    type Action = Action;
    const NAME: &'static str = "Name and tags";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        let state = &app.naming;
        if state.editor.is_some() {
            let mut list = vec![
                Binding::new(&[ENTER], tr!("steps.naming.save_tag"), Action::SaveTag),
                Binding::new(&[TAB], tr!("steps.naming.key_or_value"), Action::KeyOrValue),
                Binding::new(
                    &[BACK_TAB, UP, DOWN],
                    tr!("steps.naming.key_or_value"),
                    Action::KeyOrValue,
                )
                .help_only(),
                Binding::new(&[ESC], tr!("steps.naming.cancel_tag"), Action::CancelTag),
            ];
            list.extend(TextField::bindings(Action::Edit));
            return list;
        }
        let on_tags = state.focus == Focus::Tags;
        let any = !state.tags.is_empty();
        let mut list = form_bindings(Action::Accept, Action::Next, Action::Previous, !on_tags);
        if on_tags {
            list.extend([
                Binding::new(
                    &[Key::Char('a'), Key::Char('+')],
                    tr!("steps.naming.add_tag"),
                    Action::AddTag,
                )
                .shown_as("a"),
                Binding::new(&[Key::Char('e')], tr!("steps.naming.edit"), Action::EditTag)
                    .detail(tr!("steps.naming.edit_detail"))
                    .when(any),
                Binding::new(
                    &[Key::Char('d'), DELETE],
                    tr!("steps.naming.delete"),
                    Action::DeleteTag,
                )
                .shown_as("d")
                .detail(tr!("steps.naming.delete_detail"))
                .when(any),
                Binding::new(
                    &[UP, Key::Char('k')],
                    tr!("steps.naming.previous_tag"),
                    Action::TagUp,
                )
                .detail(tr!("steps.naming.previous_tag_detail"))
                .help_only(),
                Binding::new(
                    &[DOWN, Key::Char('j')],
                    tr!("steps.naming.next_tag"),
                    Action::TagDown,
                )
                .help_only(),
            ]);
        }
        list.push(back(app, Action::Back));
        if !on_tags {
            list.extend(TextField::bindings(Action::Edit));
        }
        list
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        let state = &mut app.naming;
        let count = state.tags.len();
        match action {
            Action::Accept => submit(app),
            Action::Back => app.back(),
            Action::Next => state.focus = cycle(&FOCUS_ORDER, state.focus, 1),
            Action::Previous => state.focus = cycle(&FOCUS_ORDER, state.focus, -1),
            Action::Edit => match &mut state.editor {
                Some(editor) => {
                    let field = if editor.on_value {
                        &mut editor.value
                    } else {
                        &mut editor.key
                    };
                    if field.handle(key) {
                        editor.error = None;
                    }
                }
                None if state.focus == Focus::Name => {
                    state.name.handle(key);
                }
                None => {
                    state.description.handle(key);
                }
            },
            Action::TagUp if state.tag_cursor == 0 => state.focus = Focus::Description,
            Action::TagUp => state.tag_cursor -= 1,
            Action::TagDown => {
                state.tag_cursor = (state.tag_cursor + 1).min(count.saturating_sub(1))
            }
            Action::AddTag => state.editor = Some(TagEditor::default()),
            Action::EditTag => {
                let tag = &state.tags[state.tag_cursor];
                state.editor = Some(TagEditor {
                    index: Some(state.tag_cursor),
                    key: TextField::new(tag.key.clone()),
                    value: TextField::new(tag.value.clone()),
                    on_value: false,
                    error: None,
                });
            }
            Action::DeleteTag => {
                state.tags.remove(state.tag_cursor);
                state.tag_cursor = state.tag_cursor.min(state.tags.len().saturating_sub(1));
            }
            Action::SaveTag => save_tag(app),
            Action::CancelTag => state.editor = None,
            Action::KeyOrValue => {
                if let Some(editor) = &mut state.editor {
                    editor.on_value = !editor.on_value;
                }
            }
        }
        Reply::Done
    }

    fn paste(app: &mut App, text: &str) {
        let state = &mut app.naming;
        match &mut state.editor {
            Some(editor) if editor.on_value => editor.value.paste(text),
            Some(editor) => editor.key.paste(text),
            None => match state.focus {
                Focus::Name => state.name.paste(text),
                Focus::Description => state.description.paste(text),
                Focus::Tags => {}
            },
        }
    }

    fn sync(app: &mut App) {
        let d = &app.draft;
        app.naming = State {
            focus: app.naming.focus,
            name: TextField::new(d.instance_name.clone()),
            description: TextField::new(d.description.clone()),
            tags: d.tags.clone(),
            tag_cursor: 0,
            editor: None,
            tried: false,
        };
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

/// Enter in the tag editor: the tag goes in when it keeps every tag
/// rule, else the editor says which it breaks.
fn save_tag(app: &mut App) {
    let catalog = app.catalog.clone();
    let state = &mut app.naming;
    let Some(editor) = state.editor.as_mut() else {
        return;
    };
    let tag = Tag {
        key: editor.key.value().to_string(),
        value: editor.value.value().to_string(),
    };
    let mut tags = state.tags.clone();
    let index = match editor.index {
        Some(i) => {
            tags[i] = tag;
            i
        }
        None => {
            tags.push(tag);
            tags.len() - 1
        }
    };
    let problems: Vec<(TagField, String)> = tag_problems(&catalog, &tags)
        .into_iter()
        .filter(|(i, _, _)| *i == index)
        .map(|(_, part, m)| (part, m))
        .collect();
    if problems.is_empty() {
        state.tags = tags;
        state.tag_cursor = index;
        state.editor = None;
    } else {
        editor.on_value = problems[0].0 == TagField::Value;
        let messages: Vec<String> = problems.into_iter().map(|(_, m)| m).collect();
        editor.error = Some(messages.join("; "));
    }
}

fn submit(app: &mut App) {
    let problems = tag_problems(&app.catalog, &app.naming.tags);
    let state = &mut app.naming;
    state.tried = true;
    if state.name_error().is_some() {
        state.focus = Focus::Name;
        return;
    }
    if state.description_error().is_some() {
        state.focus = Focus::Description;
        return;
    }
    if let Some((index, _, _)) = problems.first() {
        state.focus = Focus::Tags;
        state.tag_cursor = *index;
        return;
    }
    state.write_into(&app.catalog, &mut app.draft);
    state.tried = false;
    app.accept(Step::Naming);
}

impl State {
    /// Puts the name, description and tags into `draft` when the order can
    /// take them (Enter checks first, to say what is wrong; a quit keeps
    /// edits not yet confirmed).
    pub fn write_into(&self, catalog: &crate::domain::catalog::Catalog, draft: &mut Draft) {
        if self.name_error().is_some()
            || self.description_error().is_some()
            || !tag_problems(catalog, &self.tags).is_empty()
        {
            return;
        }
        draft.instance_name = self.name.value().to_string();
        draft.description = self.description.value().to_string();
        draft.tags = self.tags.clone();
    }
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let state = &app.naming;
    let mut cursor = None;
    let editing = state.editor.is_some();

    let row = take_rows(&mut area, 1);
    cursor = cursor.or(widgets::draw_field(
        &state.name,
        &FieldLook {
            label: &tr!("steps.naming.name"),
            label_width: 15,
            focused: state.focus == Focus::Name && !editing,
            masked: false,
            placeholder: &tr!("steps.naming.name_placeholder"),
        },
        theme,
        row,
        buf,
    ));
    // The note may take the blank row under it: the empty name's error
    // states the whole rule and is longer than an 80-column row.
    let note = take_rows(&mut area, 2);
    let name_error = state
        .name_error()
        .filter(|_| state.tried || state.name.touched);
    match (&name_error, state.name.value().is_empty()) {
        (None, false) => widgets::draw_lines(
            vec![Line::from(vec![
                Span::styled(format!("  {} ", theme.symbols.done), theme.good()),
                Span::styled(name_rule(), theme.muted()),
            ])],
            note,
            buf,
        ),
        _ => widgets::draw_field_note(name_error.as_deref(), &name_rule(), theme, note, buf),
    }

    let row = take_rows(&mut area, 1);
    let describing = state.focus == Focus::Description && !editing;
    let row = if describing {
        draw_counter(&state.description, DESCRIPTION_MAX_CHARS, theme, row, buf)
    } else {
        row
    };
    cursor = cursor.or(widgets::draw_field(
        &state.description,
        &FieldLook {
            label: &tr!("steps.naming.description"),
            label_width: 15,
            focused: describing,
            masked: false,
            placeholder: &tr!("steps.naming.optional"),
        },
        theme,
        row,
        buf,
    ));
    let note = take_rows(&mut area, 2);
    let description_error = state
        .description_error()
        .filter(|_| state.tried || state.description.touched);
    widgets::draw_lines(
        vec![field_note(
            description_error.as_deref(),
            &tr!("steps.naming.description_rule", max = DESCRIPTION_MAX_CHARS),
            theme,
        )],
        note,
        buf,
    );

    let heading = take_rows(&mut area, 1);
    let tags_focused = state.focus == Focus::Tags && !editing;
    // One pointer on the screen: the chosen tag's row carries it once
    // there are tags, so the heading points only at an empty list.
    let heading_points = tags_focused && state.tags.is_empty();
    widgets::draw_lines(
        vec![Line::from(vec![
            Span::styled(
                format!(
                    "{} {}",
                    if heading_points {
                        theme.symbols.pointer
                    } else {
                        " "
                    },
                    tr!("steps.naming.tags")
                ),
                if tags_focused {
                    theme.key()
                } else {
                    theme.title()
                },
            ),
            Span::styled(
                tr!(
                    "steps.naming.tags_rule",
                    key_max = TAG_KEY_MAX_CHARS,
                    value_max = TAG_VALUE_MAX_CHARS
                ),
                theme.muted(),
            ),
        ])],
        heading,
        buf,
    );

    let editor_height = if editing { 4 } else { 0 };
    let list_area = take_all_but(&mut area, editor_height);
    let problems = tag_problems(&app.catalog, &state.tags);
    if state.tags.is_empty() {
        widgets::draw_lines(
            vec![Line::from(Span::styled(
                tr!("steps.naming.no_tags"),
                theme.muted(),
            ))],
            list_area,
            buf,
        );
    } else {
        let rows: Vec<ListRow> = state
            .tags
            .iter()
            .enumerate()
            .map(|(i, tag)| {
                let problem = problems
                    .iter()
                    .find(|(p, _, _)| *p == i)
                    .map(|(_, _, m)| m.clone());
                let mut spans = vec![Span::raw(format!(
                    "    {} = {}",
                    widgets::fit(&tag.key, 32, theme),
                    widgets::fit(&tag.value, 30, theme)
                ))];
                if let Some(problem) = problem {
                    spans.push(Span::styled(format!("  ! {problem}"), theme.error()));
                }
                ListRow {
                    line: Line::from(spans),
                    selected: tags_focused && i == state.tag_cursor,
                    unavailable: false,
                }
            })
            .collect();
        widgets::draw_list(&rows, theme, list_area, buf);
    }

    if let Some(editor) = &state.editor {
        let title = take_rows(&mut area, 1);
        widgets::draw_lines(
            vec![Line::from(Span::styled(
                if editor.index.is_some() {
                    tr!("steps.naming.edit_tag")
                } else {
                    tr!("steps.naming.new_tag")
                },
                theme.accent(),
            ))],
            title,
            buf,
        );
        for (field, label, limit, on) in [
            (
                &editor.key,
                tr!("steps.naming.key"),
                TAG_KEY_MAX_CHARS,
                !editor.on_value,
            ),
            (
                &editor.value,
                tr!("steps.naming.value"),
                TAG_VALUE_MAX_CHARS,
                editor.on_value,
            ),
        ] {
            let row = take_rows(&mut area, 1);
            let row = Rect::new(row.x + 2, row.y, row.width.saturating_sub(2), 1);
            let row = if on {
                draw_counter(field, limit, theme, row, buf)
            } else {
                row
            };
            cursor = cursor.or(widgets::draw_field(
                field,
                &FieldLook {
                    label: &label,
                    label_width: 11,
                    focused: on,
                    masked: false,
                    placeholder: "",
                },
                theme,
                row,
                buf,
            ));
        }
        let note = take_rows(&mut area, 1);
        if let Some(error) = &editor.error {
            widgets::draw_lines(vec![field_note(Some(error), "", theme)], note, buf);
        }
    }
    cursor
}

/// A field's length against its limit ("37/1024") at the right of `row`,
/// a warning near the limit and an error past it; the row left for the
/// field itself.
fn draw_counter(
    field: &TextField,
    limit: usize,
    theme: &crate::tui::theme::Theme,
    row: Rect,
    buf: &mut Buffer,
) -> Rect {
    let count = field.value().chars().count();
    let text = format!(" {count}/{limit}");
    let style = if count > limit {
        theme.error()
    } else if count * 10 >= limit * 9 {
        theme.warning()
    } else {
        theme.muted()
    };
    let width = (widgets::cells(&text) as u16).min(row.width);
    let x = row.right() - width;
    buf.set_string(x, row.y, &text, style);
    Rect {
        width: row.width - width,
        ..row
    }
}
