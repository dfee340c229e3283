//! The image step: application images, OS images (then their version),
//! or a private image given by ID with its operating system.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::keys::{BACK_TAB, Binding, DOWN, ENTER, ESC, Key, LEFT, RIGHT, SPACE, TAB, UP};
use super::{Reply, Screen, back_words, draw_intro, take_rows};
use crate::domain::catalog::Platform;
use crate::domain::field::{Field, ImageField};
use crate::domain::order::{Draft, ImageRef};
use crate::tui::app::{App, Step};
use crate::tui::text::pad;
use crate::tui::widgets::{self, FieldLook, ListKey, ListRow, Picker, TextField, field_note};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Application { name: String, version: String },
    Os { name: String },
    Private,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub entry: Entry,
    pub label: String,
    pub detail: String,
    pub unavailable: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    List,
    Versions,
    Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrivateFocus {
    #[default]
    Id,
    Platform,
}

#[derive(Clone, Default)]
pub struct State {
    pub pane: Pane,
    pub picker: Picker,
    pub items: Vec<Item>,
    search: Vec<String>,
    /// The OS family whose versions are listed.
    pub os: String,
    pub versions: Picker,
    /// Each version of `os`, with why it cannot be bought here.
    pub version_rows: Vec<(String, Option<String>)>,
    version_search: Vec<String>,
    pub private_id: TextField,
    pub private_platform: Option<Platform>,
    pub private_focus: PrivateFocus,
    pub error: Option<String>,
}

/// Recomputes what is sold in the chosen region.
pub fn refresh(app: &mut App) {
    let catalog = &app.catalog;
    let region = app.draft.region.as_str();
    let region_known = catalog.check_region(region).is_ok();
    let why_not = |name: &str, version: &str| {
        if region_known {
            catalog
                .check_version(region, name, version)
                .err()
                .map(|r| r.to_string())
        } else {
            None
        }
    };
    let mut items = Vec::new();
    for image in &catalog.application_images {
        items.push(Item {
            entry: Entry::Application {
                name: image.name.clone(),
                version: image.version.clone(),
            },
            label: image.name.clone(),
            detail: image.version.clone(),
            unavailable: why_not(&image.name, &image.version),
        });
    }
    for os in &catalog.os_images {
        let reasons: Vec<Option<String>> =
            os.versions.iter().map(|v| why_not(&os.name, v)).collect();
        let barred = reasons.iter().filter(|r| r.is_some()).count();
        let detail = if barred == 0 {
            os.versions.join(", ")
        } else {
            tr!(
                "steps.image.versions_sold",
                sold = os.versions.len() - barred,
                all = os.versions.len(),
                region = catalog.region_name(region)
            )
        };
        let unavailable = if barred == os.versions.len() {
            reasons.into_iter().flatten().next()
        } else {
            None
        };
        items.push(Item {
            entry: Entry::Os {
                name: os.name.clone(),
            },
            label: os.name.clone(),
            detail,
            unavailable,
        });
    }
    items.push(Item {
        entry: Entry::Private,
        label: tr!("steps.image.private"),
        detail: tr!("steps.image.private_detail"),
        unavailable: None,
    });
    let state = &mut app.image;
    state.search = items
        .iter()
        .map(|i| format!("{} {}", i.label, i.detail).to_lowercase())
        .collect();
    state.items = items;
    if state.picker.cursor >= state.items.len() {
        state.picker.cursor = 0;
    }
    let os = state.os.clone();
    refresh_versions(app, &os);
}

fn refresh_versions(app: &mut App, os: &str) {
    let rows: Vec<(String, Option<String>)> = if app.catalog.check_region(&app.draft.region).is_ok()
    {
        app.catalog
            .version_choices(&app.draft.region, os)
            .into_iter()
            .map(|c| (c.value, c.unavailable.map(|r| r.to_string())))
            .collect()
    } else {
        app.catalog
            .os_image(os)
            .map(|o| o.versions.iter().map(|v| (v.clone(), None)).collect())
            .unwrap_or_default()
    };
    let state = &mut app.image;
    state.os = os.to_string();
    state.version_search = rows.iter().map(|(v, _)| v.to_lowercase()).collect();
    state.version_rows = rows;
    if state.versions.cursor >= state.version_rows.len() {
        state.versions.cursor = 0;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Images(ListKey),
    Versions(ListKey),
    UsePrivate,
    OtherField,
    BackToImages,
    TogglePlatform,
    Platform(Platform),
    EditId,
}

pub struct ImageScreen;

impl Screen for ImageScreen {
    type Action = Action;
    const NAME: &'static str = "Image";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        let state = &app.image;
        match state.pane {
            Pane::List => state
                .picker
                .bindings(&state.search, Some(back_words(app)))
                .into_iter()
                .map(|b| b.map(Action::Images))
                .collect(),
            Pane::Versions => state
                .versions
                .bindings(
                    &state.version_search,
                    Some(tr!("steps.image.back_to_images").into()),
                )
                .into_iter()
                .map(|b| b.map(Action::Versions))
                .collect(),
            Pane::Private => {
                let on_platform = state.private_focus == PrivateFocus::Platform;
                let mut list = vec![
                    Binding::new(&[ENTER], tr!("steps.image.use_it"), Action::UsePrivate),
                    Binding::new(&[TAB], tr!("steps.form.next_field"), Action::OtherField),
                    Binding::new(
                        &[BACK_TAB, UP, DOWN],
                        tr!("steps.image.other_field"),
                        Action::OtherField,
                    )
                    .help_only(),
                    Binding::new(
                        &[LEFT, RIGHT, SPACE],
                        "Linux/Windows",
                        Action::TogglePlatform,
                    )
                    .when(on_platform),
                    Binding::new(
                        &[Key::Char('h'), Key::Char('l')],
                        "Linux/Windows",
                        Action::TogglePlatform,
                    )
                    .help_only()
                    .when(on_platform),
                    Binding::new(
                        &[Key::Char('L')],
                        "Linux",
                        Action::Platform(Platform::Linux),
                    )
                    .help_only()
                    .when(on_platform),
                    Binding::new(
                        &[Key::Char('W'), Key::Char('w')],
                        "Windows",
                        Action::Platform(Platform::Windows),
                    )
                    .help_only()
                    .when(on_platform),
                    Binding::new(
                        &[ESC],
                        tr!("steps.image.back_to_images"),
                        Action::BackToImages,
                    ),
                ];
                if !on_platform {
                    list.extend(TextField::bindings(Action::EditId));
                }
                list
            }
        }
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        match action {
            Action::Images(list) => images_key(app, list, key),
            Action::Versions(list) => versions_key(app, list, key),
            Action::UsePrivate => use_private(app),
            Action::OtherField => {
                let state = &mut app.image;
                state.private_focus = match state.private_focus {
                    PrivateFocus::Id => PrivateFocus::Platform,
                    PrivateFocus::Platform => PrivateFocus::Id,
                };
            }
            Action::BackToImages => {
                app.image.error = None;
                app.image.pane = Pane::List;
            }
            Action::TogglePlatform => {
                let platform = &mut app.image.private_platform;
                *platform = Some(match platform {
                    Some(Platform::Windows) => Platform::Linux,
                    _ => Platform::Windows,
                });
            }
            Action::Platform(platform) => app.image.private_platform = Some(platform),
            Action::EditId => {
                if app.image.private_id.handle(key) {
                    app.image.error = None;
                }
            }
        }
        Reply::Done
    }

    fn paste(app: &mut App, text: &str) {
        if app.image.pane == Pane::Private && app.image.private_focus == PrivateFocus::Id {
            app.image.private_id.paste(text);
        }
    }

    fn sync(app: &mut App) {
        app.image.pane = Pane::List;
        app.image.error = None;
        let wanted = match &app.draft.image {
            ImageRef::Unset => return,
            ImageRef::Public { name, version } => {
                if app.catalog.os_image(name).is_some() {
                    let (name, version) = (name.clone(), version.clone());
                    refresh_versions(app, &name);
                    if let Some(i) = app
                        .image
                        .version_rows
                        .iter()
                        .position(|(v, _)| *v == version)
                    {
                        app.image.versions.cursor = i;
                    }
                    Entry::Os { name }
                } else {
                    Entry::Application {
                        name: name.clone(),
                        version: version.clone(),
                    }
                }
            }
            ImageRef::Private { image_id } => {
                app.image.private_id.set(image_id.clone());
                app.image.private_platform = app.private_platform;
                Entry::Private
            }
        };
        if let Some(i) = app.image.items.iter().position(|item| item.entry == wanted) {
            app.image.picker.cursor = i;
        }
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

fn choose(app: &mut App, image: ImageRef, platform: Option<Platform>) {
    app.draft.image = image;
    app.private_platform = platform;
    app.image.error = None;
    app.image.pane = Pane::List;
    app.image.picker.clear_filter();
    app.image.versions.clear_filter();
    app.accept(Step::Image);
}

fn images_key(app: &mut App, action: ListKey, key: &KeyEvent) {
    let state = &mut app.image;
    state.error = None;
    match action {
        ListKey::Choose => {
            let item = state.items[state.picker.cursor].clone();
            if let Some(reason) = item.unavailable {
                state.error = Some(reason);
                return;
            }
            match item.entry {
                Entry::Application { name, version } => {
                    choose(app, ImageRef::Public { name, version }, None)
                }
                Entry::Os { name } => {
                    if name != app.image.os {
                        app.image.versions = Picker::default();
                    }
                    refresh_versions(app, &name);
                    let state = &mut app.image;
                    if state.version_rows[state.versions.cursor].1.is_some()
                        && let Some(i) = state.version_rows.iter().position(|(_, r)| r.is_none())
                    {
                        state.versions.cursor = i;
                    }
                    state.pane = Pane::Versions;
                }
                Entry::Private => {
                    if state.private_platform.is_none() {
                        state.private_platform = Some(Platform::Linux);
                    }
                    state.pane = Pane::Private;
                }
            }
        }
        ListKey::Back => app.back(),
        other => state.picker.apply(other, key, &state.search),
    }
}

fn versions_key(app: &mut App, action: ListKey, key: &KeyEvent) {
    let state = &mut app.image;
    state.error = None;
    match action {
        ListKey::Choose => {
            let (version, unavailable) = state.version_rows[state.versions.cursor].clone();
            match unavailable {
                Some(reason) => state.error = Some(reason),
                None => {
                    let name = state.os.clone();
                    choose(app, ImageRef::Public { name, version }, None);
                }
            }
        }
        ListKey::Back => state.pane = Pane::List,
        other => state.versions.apply(other, key, &state.version_search),
    }
}

/// The document's rule for a private image ID, asked of the domain.
fn image_id_problem(catalog: &crate::domain::catalog::Catalog, id: &str) -> Option<String> {
    let draft = Draft {
        image: ImageRef::Private {
            image_id: id.to_string(),
        },
        ..Draft::default()
    };
    draft
        .problems(catalog)
        .into_iter()
        .find(|p| p.field == Field::ImageRef(Some(ImageField::ImageId)))
        .map(|p| p.message)
}

fn use_private(app: &mut App) {
    let id_problem = image_id_problem(&app.catalog, app.image.private_id.value().trim());
    let state = &mut app.image;
    state.private_id.touched = true;
    let id = state.private_id.value().trim().to_string();
    match id_problem {
        Some(problem) => {
            state.error = Some(problem);
            state.private_focus = PrivateFocus::Id;
        }
        None => {
            let platform = state.private_platform.unwrap_or(Platform::Linux);
            choose(app, ImageRef::Private { image_id: id }, Some(platform));
        }
    }
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let state = &app.image;
    let region = app.catalog.region_name(&app.draft.region);
    match state.pane {
        Pane::List => {
            draw_intro(tr!("steps.image.intro", region = region), &mut area, buf);
            draw_items(app, area, buf);
            None
        }
        Pane::Versions => {
            draw_intro(
                vec![
                    Span::styled(state.os.clone(), theme.title()),
                    Span::raw(tr!("steps.image.which_version", region = region)),
                ],
                &mut area,
                buf,
            );
            draw_versions(app, area, buf);
            None
        }
        Pane::Private => draw_private(app, area, buf),
    }
}

fn error_line(app: &App) -> Option<Line<'static>> {
    app.image.error.as_ref().map(|e| {
        Line::from(Span::styled(
            format!(
                "{} {}",
                app.theme.symbols.unavailable,
                widgets::fit(e, 200, &app.theme)
            ),
            app.theme.error(),
        ))
    })
}

fn draw_items(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let state = &app.image;
    let visible = state.picker.visible(&state.search);
    let mut rows: Vec<ListRow> = Vec::new();
    let mut group = String::new();
    for &i in &visible {
        let item = &state.items[i];
        let heading = match item.entry {
            Entry::Application { .. } => tr!("steps.image.heading.application"),
            Entry::Os { .. } => tr!("steps.image.heading.os"),
            Entry::Private => tr!("steps.image.private"),
        };
        if heading != group {
            group = heading.clone();
            rows.push(ListRow {
                line: Line::from(Span::styled(heading, theme.accent())),
                selected: false,
                unavailable: false,
            });
        }
        let chosen = match (&item.entry, &app.draft.image) {
            (Entry::Application { name, .. }, ImageRef::Public { name: n, .. })
            | (Entry::Os { name }, ImageRef::Public { name: n, .. }) => name == n,
            (Entry::Private, ImageRef::Private { .. }) => true,
            _ => false,
        };
        let marker = if item.unavailable.is_some() {
            theme.symbols.unavailable
        } else if chosen {
            theme.symbols.done
        } else {
            " "
        };
        let detail = match &item.unavailable {
            Some(reason) => reason.clone(),
            None => item.detail.clone(),
        };
        let room = (area.width as usize).saturating_sub(27);
        rows.push(ListRow {
            line: Line::from(vec![
                Span::raw(format!("  {marker} ")),
                Span::raw(pad(&widgets::fit(&item.label, 21, theme), 22)),
                Span::styled(widgets::fit(&detail, room, theme), theme.muted()),
            ]),
            selected: i == state.picker.cursor,
            unavailable: item.unavailable.is_some(),
        });
    }
    let filter_line = state
        .picker
        .filter_line(theme, visible.len(), state.items.len());
    let lines = error_line(app)
        .into_iter()
        .chain(filter_line)
        .chain(description_line(app, area.width))
        .collect();
    widgets::draw_list_with_lines(&rows, lines, 0, theme, area, buf);
}

/// What the highlighted application image is, for someone who does not
/// know the name: from the catalog, so a replaced catalog brings its own.
fn description_line(app: &App, width: u16) -> Option<Line<'static>> {
    let state = &app.image;
    let Entry::Application { name, .. } = &state.items.get(state.picker.cursor)?.entry else {
        return None;
    };
    let description = app.catalog.application_image(name)?.shown_description();
    if description.trim().is_empty() {
        return None;
    }
    // One style for the line: it is redrawn whenever the highlight moves,
    // and each change of style costs bytes over SSH.
    let text = tr!(
        "steps.image.description",
        name = name,
        description = description
    );
    Some(Line::from(Span::styled(
        widgets::fit(&text, width as usize, &app.theme),
        app.theme.muted(),
    )))
}

fn draw_versions(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let state = &app.image;
    let visible = state.versions.visible(&state.version_search);
    let chosen_version = match &app.draft.image {
        ImageRef::Public { name, version } if *name == state.os => Some(version.as_str()),
        _ => None,
    };
    let rows: Vec<ListRow> = visible
        .iter()
        .map(|&i| {
            let (version, unavailable) = &state.version_rows[i];
            let marker = if unavailable.is_some() {
                theme.symbols.unavailable
            } else if chosen_version == Some(version) {
                theme.symbols.done
            } else {
                " "
            };
            let mut spans = vec![Span::raw(format!("  {marker} {}", pad(version, 10)))];
            if let Some(reason) = unavailable {
                spans.push(Span::raw(tr!("steps.image.unavailable", reason = reason)));
            }
            ListRow {
                line: Line::from(spans),
                selected: i == state.versions.cursor,
                unavailable: unavailable.is_some(),
            }
        })
        .collect();
    let filter_line = state
        .versions
        .filter_line(theme, visible.len(), state.version_rows.len());
    let lines = error_line(app).into_iter().chain(filter_line).collect();
    widgets::draw_list_with_lines(&rows, lines, 0, theme, area, buf);
}

fn draw_private(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let state = &app.image;
    let intro = take_rows(&mut area, 3);
    widgets::draw_lines(
        vec![
            Line::from(tr!("steps.image.private_intro_1")),
            Line::from(tr!("steps.image.private_intro_2")),
        ],
        intro,
        buf,
    );
    let id_row = take_rows(&mut area, 1);
    let cursor = widgets::draw_field(
        &state.private_id,
        &FieldLook {
            label: &tr!("steps.image.image_id"),
            label_width: 14,
            focused: state.private_focus == PrivateFocus::Id,
            masked: false,
            placeholder: &tr!("steps.image.image_id_placeholder"),
        },
        theme,
        id_row,
        buf,
    );
    let note = take_rows(&mut area, 2);
    widgets::draw_lines(
        vec![field_note(
            state.error.as_deref(),
            &tr!("steps.image.image_id_rule"),
            theme,
        )],
        note,
        buf,
    );
    let platform_row = take_rows(&mut area, 1);
    let focused = state.private_focus == PrivateFocus::Platform;
    let platform = state.private_platform.unwrap_or(Platform::Linux);
    let radio = |p: Platform| {
        let on = if platform == p { "(*)" } else { "( )" };
        format!("{on} {}   ", p.label())
    };
    let marker = if focused { theme.symbols.pointer } else { " " };
    widgets::draw_lines(
        vec![Line::from(vec![
            Span::styled(
                format!("{marker} {}", pad(&tr!("steps.image.system"), 12)),
                if focused { theme.key() } else { theme.title() },
            ),
            Span::raw(radio(Platform::Linux)),
            Span::raw(radio(Platform::Windows)),
        ])],
        platform_row,
        buf,
    );
    cursor
}
