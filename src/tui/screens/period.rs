//! The period step: how long, how many, and whether to renew and pay automatically.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::keys::{Binding, Key, LEFT, RIGHT, SPACE, typed_char};
use super::{Reply, Screen, back, cycle, draw_intro, form_bindings, take_rows};
use crate::domain::order::{Draft, PeriodType, QUANTITY_RANGE, check_period, check_quantity};
use crate::tui::app::{App, Step};
use crate::tui::text::pad;
use crate::tui::widgets::{self, FieldLook, TextField, field_note, switch_bindings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    #[default]
    Unit,
    Length,
    Quantity,
    AutoRenew,
    AutoPay,
}

const FIELDS: [Field; 5] = [
    Field::Unit,
    Field::Length,
    Field::Quantity,
    Field::AutoRenew,
    Field::AutoPay,
];

#[derive(Clone)]
pub struct State {
    pub focus: Field,
    pub unit: PeriodType,
    pub length: TextField,
    pub quantity: TextField,
    pub auto_renew: bool,
    pub auto_pay: bool,
    /// Enter was pressed: show every error, touched or not.
    pub tried: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            focus: Field::Unit,
            unit: PeriodType::Month,
            length: TextField::new("1"),
            quantity: TextField::new("1"),
            auto_renew: false,
            auto_pay: false,
            tried: false,
        }
    }
}

fn rule(unit: PeriodType) -> String {
    let range = unit.range();
    let (from, to) = (*range.start(), *range.end());
    match unit {
        PeriodType::Month => tr!("steps.period.rule.months", from = from, to = to),
        PeriodType::Year => tr!("steps.period.rule.years", from = from, to = to),
    }
}

fn quantity_rule() -> String {
    tr!(
        "steps.period.rule.instances",
        from = QUANTITY_RANGE.start(),
        to = QUANTITY_RANGE.end()
    )
}

fn number(text: &str, rule: &str) -> Result<i64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(tr!("steps.form.type_a_number", rule = rule));
    }
    text.parse::<i64>()
        .map_err(|_| tr!("steps.form.not_a_whole_number", text = text, rule = rule))
}

impl State {
    pub fn length_error(&self) -> Option<String> {
        number(self.length.value(), &rule(self.unit))
            .and_then(|n| check_period(self.unit, n).map(|()| n))
            .err()
    }

    pub fn quantity_error(&self) -> Option<String> {
        number(self.quantity.value(), &quantity_rule())
            .and_then(|n| check_quantity(n).map(|()| n))
            .err()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Back,
    Next,
    Previous,
    ToggleUnit,
    Unit(PeriodType),
    /// + or -: one more or one less.
    Nudge,
    Edit,
    ToggleFlag,
    Flag(bool),
}

pub struct PeriodScreen;

impl Screen for PeriodScreen {
    type Action = Action;
    const NAME: &'static str = "Period";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        let focus = app.period.focus;
        let mut list = form_bindings(Action::Accept, Action::Next, Action::Previous, true);
        match focus {
            Field::Unit => list.extend([
                Binding::new(
                    &[LEFT, RIGHT],
                    tr!("steps.period.month_or_year"),
                    Action::ToggleUnit,
                ),
                Binding::new(
                    &[SPACE, Key::Char('h'), Key::Char('l')],
                    tr!("steps.period.month_or_year"),
                    Action::ToggleUnit,
                )
                .help_only(),
                Binding::new(
                    &[Key::Char('m')],
                    tr!("steps.period.by_the_month"),
                    Action::Unit(PeriodType::Month),
                )
                .help_only(),
                Binding::new(
                    &[Key::Char('y')],
                    tr!("steps.period.by_the_year"),
                    Action::Unit(PeriodType::Year),
                )
                .help_only(),
            ]),
            Field::Length | Field::Quantity => list.push(
                Binding::new(
                    &[Key::Char('+'), Key::Char('-')],
                    tr!("steps.period.up_down"),
                    Action::Nudge,
                )
                .shown_as("+/-")
                .detail(tr!("steps.period.up_down_detail")),
            ),
            Field::AutoRenew | Field::AutoPay => list.extend(switch_bindings(
                Action::ToggleFlag,
                Action::Flag(true),
                Action::Flag(false),
            )),
        }
        if !matches!(focus, Field::Length | Field::Quantity) {
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
            ]);
        }
        list.push(back(app, Action::Back));
        if matches!(focus, Field::Length | Field::Quantity) {
            list.extend(TextField::bindings(Action::Edit));
        }
        list
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        let state = &mut app.period;
        match action {
            Action::Accept => submit(app),
            Action::Back => app.back(),
            Action::Next => move_focus(state, 1),
            Action::Previous => move_focus(state, -1),
            Action::ToggleUnit => {
                state.unit = match state.unit {
                    PeriodType::Month => PeriodType::Year,
                    PeriodType::Year => PeriodType::Month,
                }
            }
            Action::Unit(unit) => state.unit = unit,
            Action::Nudge | Action::Edit => {
                let field = if state.focus == Field::Length {
                    &mut state.length
                } else {
                    &mut state.quantity
                };
                match (action, typed_char(key)) {
                    (Action::Nudge, Some('-')) => nudge(field, -1),
                    (Action::Nudge, _) => nudge(field, 1),
                    _ => {
                        field.handle(key);
                    }
                }
            }
            Action::ToggleFlag | Action::Flag(_) => {
                let flag = if state.focus == Field::AutoRenew {
                    &mut state.auto_renew
                } else {
                    &mut state.auto_pay
                };
                *flag = match action {
                    Action::Flag(on) => on,
                    _ => !*flag,
                };
            }
        }
        Reply::Done
    }

    /// Pasted text goes to the focused number field (without the line
    /// break a copied number often ends with); a switch takes no text.
    fn paste(app: &mut App, text: &str) {
        let state = &mut app.period;
        match state.focus {
            Field::Length => state.length.paste(text.trim()),
            Field::Quantity => state.quantity.paste(text.trim()),
            Field::Unit | Field::AutoRenew | Field::AutoPay => {}
        }
    }

    fn sync(app: &mut App) {
        let d = &app.draft;
        app.period = State {
            focus: app.period.focus,
            unit: d.period_type,
            length: TextField::new(d.period_num.to_string()),
            quantity: TextField::new(d.purchase_quantity.to_string()),
            auto_renew: d.is_auto_renew,
            auto_pay: d.is_auto_pay,
            tried: false,
        };
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

fn move_focus(state: &mut State, delta: isize) {
    state.focus = cycle(&FIELDS, state.focus, delta);
}

fn nudge(field: &mut TextField, delta: i64) {
    if let Ok(n) = field.value().trim().parse::<i64>() {
        field.set((n + delta).max(1).to_string());
        field.touched = true;
    }
}

fn submit(app: &mut App) {
    let state = &mut app.period;
    state.tried = true;
    if let Some(field) = state.first_error() {
        state.focus = field;
        return;
    }
    state.write_into(&mut app.draft);
    state.tried = false;
    app.accept(Step::Period);
}

impl State {
    fn first_error(&self) -> Option<Field> {
        if self.length_error().is_some() {
            Some(Field::Length)
        } else if self.quantity_error().is_some() {
            Some(Field::Quantity)
        } else {
            None
        }
    }

    /// Puts what the fields hold into `draft` when the order can take all
    /// of it (Enter, or a quit keeping edits not yet confirmed).
    pub fn write_into(&self, d: &mut Draft) {
        if self.first_error().is_some() {
            return;
        }
        d.period_type = self.unit;
        d.period_num = self.length.value().trim().parse().unwrap_or(1);
        d.purchase_quantity = self.quantity.value().trim().parse().unwrap_or(1);
        d.is_auto_renew = self.auto_renew;
        d.is_auto_pay = self.auto_pay;
    }
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let state = &app.period;
    draw_intro(tr!("steps.period.intro"), &mut area, buf);
    let label = |field: Field, text: &str| {
        let focused = state.focus == field;
        Span::styled(
            format!(
                "{} {}",
                if focused { theme.symbols.pointer } else { " " },
                pad(text, 12)
            ),
            if focused { theme.key() } else { theme.title() },
        )
    };
    let choice = |on: bool, text: &str| {
        Span::styled(
            format!("{} {text}  ", if on { "(*)" } else { "( )" }),
            if on {
                theme.title()
            } else {
                ratatui::style::Style::new()
            },
        )
    };
    let unit_row = take_rows(&mut area, 2);
    widgets::draw_lines(
        vec![Line::from(vec![
            label(Field::Unit, &tr!("steps.period.billed_by")),
            choice(state.unit == PeriodType::Month, &tr!("steps.period.month")),
            choice(state.unit == PeriodType::Year, &tr!("steps.period.year")),
        ])],
        unit_row,
        buf,
    );
    let mut cursor = None;
    for (field, text, input, error, unit_word, rule_text) in [
        (
            Field::Length,
            tr!("steps.period.length"),
            &state.length,
            state.length_error(),
            match state.unit {
                PeriodType::Month => tr!("steps.period.months"),
                PeriodType::Year => tr!("steps.period.years"),
            },
            rule(state.unit),
        ),
        (
            Field::Quantity,
            tr!("steps.period.instances"),
            &state.quantity,
            state.quantity_error(),
            tr!("steps.period.in_this_order"),
            quantity_rule(),
        ),
    ] {
        let row = take_rows(&mut area, 1);
        let field_area = Rect::new(row.x, row.y, 24.min(row.width), 1);
        if let Some(p) = widgets::draw_field(
            input,
            &FieldLook {
                label: &text,
                label_width: 14,
                focused: state.focus == field,
                masked: false,
                placeholder: "",
            },
            theme,
            field_area,
            buf,
        ) {
            cursor = Some(p);
        }
        if row.width > 26 {
            buf.set_stringn(
                row.x + 26,
                row.y,
                &unit_word,
                (row.width - 26) as usize,
                theme.muted(),
            );
        }
        let shown_error = error.filter(|_| state.tried || input.touched);
        let note = take_rows(&mut area, 2);
        widgets::draw_lines(
            vec![field_note(shown_error.as_deref(), &rule_text, theme)],
            note,
            buf,
        );
    }
    for (field, text, on, words) in [
        (
            Field::AutoRenew,
            tr!("steps.period.auto_renew"),
            state.auto_renew,
            tr!("steps.period.auto_renew_words"),
        ),
        (
            Field::AutoPay,
            tr!("steps.period.auto_pay"),
            state.auto_pay,
            tr!("steps.period.auto_pay_words"),
        ),
    ] {
        let row = take_rows(&mut area, 1);
        widgets::draw_lines(
            vec![Line::from(vec![
                label(field, &text),
                Span::raw(format!("[{}] {words}", if on { "x" } else { " " })),
            ])],
            row,
            buf,
        );
    }
    take_rows(&mut area, 1);
    if !state.auto_pay {
        widgets::draw_lines(
            vec![Line::from(Span::styled(
                tr!("steps.period.without_auto_pay"),
                theme.muted(),
            ))],
            area,
            buf,
        );
    }
    cursor
}
