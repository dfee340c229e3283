//! Questions asked over the page, saving the plan, and the help. A
//! question carries its words, how yes is given and what is confirmed; the
//! screen that asks writes the words, the dialog only returns what was
//! confirmed, and `update::on_confirmed` acts on it. Every question
//! defaults to no: only the named key or the typed word says yes; the one
//! exception, continuing a kept order, risks no money either way.

use std::borrow::Cow;
use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::keys::{self, Binding, ENTER, ESC, Hint, Key};
use crate::api::purchase::OrderAction;
use crate::tui::app::{App, Overlay, Step};
use crate::tui::kept::KeptDraft;
use crate::tui::submission::Submission;
use crate::tui::theme::Theme;
use crate::tui::view;
use crate::tui::widgets::{self, FieldLook, TextField};

/// What the user said yes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    /// Place the order; `second` is the typed yes a large order asks for.
    Submit {
        second: bool,
    },
    /// Send it although a same-body purchase of unknown outcome (or a
    /// damaged record) may be its double: a separate purchase.
    SubmitSeparate,
    /// The same purchase again, after its answer was lost.
    Resend,
    /// An action on an order, carried out by the engine: asking costs
    /// the question's words only.
    Act(OrderAction),
    Quit,
    /// Take up the order kept over the last quit, at the step it was left.
    ContinueKept,
    /// Leave the kept order and start afresh (from the last order's choices).
    StartAfresh,
    SavePlan(PathBuf),
    OverwritePlan(PathBuf),
}

/// How yes is given.
#[derive(Clone)]
pub enum Answer {
    /// `y`; any other key is no.
    Key,
    /// The word, typed, then Enter: a doubled key press cannot say it.
    Word {
        word: &'static str,
        typed: TextField,
    },
}

#[derive(Clone)]
pub struct Confirmation {
    pub title: Cow<'static, str>,
    pub lines: Vec<Line<'static>>,
    pub answer: Answer,
    /// The footer's words for yes and for no.
    pub yes: Cow<'static, str>,
    pub no: Cow<'static, str>,
    pub confirmed: Confirmed,
    /// What a no says, when it says something (starting afresh); closing
    /// the question is all most noes do.
    pub declined: Option<Box<Confirmed>>,
    /// Enter says yes too, and only `n` or Esc say no: for a question whose
    /// yes costs nothing.
    pub yes_by_default: bool,
}

impl Confirmation {
    /// A question that `y` answers; any other key is no.
    pub fn new(title: impl Into<Cow<'static, str>>, confirmed: Confirmed) -> Confirmation {
        Confirmation {
            title: title.into(),
            lines: Vec::new(),
            answer: Answer::Key,
            yes: tr!("live.dialog.yes").into(),
            no: tr!("live.dialog.no").into(),
            confirmed,
            declined: None,
            yes_by_default: false,
        }
    }

    /// Yes is `y` or Enter, no is `n` or Esc (`declined` is then acted on);
    /// other keys leave the question open.
    pub fn yes_by_default(mut self, declined: Confirmed) -> Confirmation {
        self.yes_by_default = true;
        self.declined = Some(Box::new(declined));
        self
    }

    /// Yes is `word`, typed and then Enter; Esc (or another word) is no.
    pub fn typed(mut self, word: &'static str) -> Confirmation {
        self.answer = Answer::Word {
            word,
            typed: TextField::default(),
        };
        self
    }

    pub fn saying(
        mut self,
        yes: impl Into<Cow<'static, str>>,
        no: impl Into<Cow<'static, str>>,
    ) -> Confirmation {
        self.yes = yes.into();
        self.no = no.into();
        self
    }

    pub fn line(mut self, line: impl Into<Line<'static>>) -> Confirmation {
        self.lines.push(line.into());
        self
    }

    /// The last words, a whole sentence ("Press %{answer} to pay; any other
    /// key: no.") whose [`ANSWER`] is where the key or word that says yes
    /// goes, marked: word order differs between languages, so the sentence
    /// is never glued from pieces.
    pub fn closing(self, theme: &Theme, sentence: impl AsRef<str>) -> Confirmation {
        let answer = match &self.answer {
            Answer::Key => "y",
            Answer::Word { word, .. } => *word,
        };
        let line = marked(sentence.as_ref(), &[(ANSWER, answer)], theme.key());
        self.line(Line::default()).line(line)
    }
}

/// Where a closing sentence names the answer. The messages keep it as
/// written: `tr!` fills in only the names it is given.
pub const ANSWER: &str = "%{answer}";

/// `sentence` with each of its marks replaced by the key it stands for,
/// styled as a key: `marks` pairs a mark (`%{answer}`) with its key.
fn marked(sentence: &str, marks: &[(&str, &str)], style: Style) -> Line<'static> {
    let mut spans = Vec::new();
    let mut rest = sentence;
    while let Some((at, mark, key)) = marks
        .iter()
        .filter_map(|&(mark, key)| rest.find(mark).map(|at| (at, mark, key)))
        .min_by_key(|&(at, ..)| at)
    {
        if at > 0 {
            spans.push(Span::raw(rest[..at].to_string()));
        }
        spans.push(Span::styled(key.to_string(), style));
        rest = &rest[at + mark.len()..];
    }
    if !rest.is_empty() {
        spans.push(Span::raw(rest.to_string()));
    }
    Line::from(spans)
}

/// What a key does in a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answering {
    Close,
    Yes,
    /// Enter after typing: yes when the word is right, else no.
    Typed,
    Edit,
    Save,
    /// No, which says something (see [`Confirmation::declined`]).
    Decline,
}

fn bindings(overlay: &Overlay) -> Vec<Binding<Answering>> {
    match overlay {
        Overlay::Help(_) => vec![Binding::new(
            &[Key::Any],
            tr!("live.dialog.close_help"),
            Answering::Close,
        )],
        Overlay::Confirm(question) => match &question.answer {
            Answer::Key if question.yes_by_default => vec![
                Binding::new(
                    &[ENTER, Key::Char('y'), Key::Char('Y')],
                    question.yes.clone(),
                    Answering::Yes,
                )
                .shown_as("Enter/y"),
                Binding::new(
                    &[Key::Char('n'), Key::Char('N'), ESC],
                    question.no.clone(),
                    Answering::Decline,
                )
                .shown_as("n"),
            ],
            Answer::Key => vec![
                Binding::new(
                    &[Key::Char('y'), Key::Char('Y')],
                    question.yes.clone(),
                    Answering::Yes,
                )
                .shown_as("y"),
                Binding::new(&[Key::Any], question.no.clone(), Answering::Close)
                    .shown_as(tr!("live.dialog.any_other_key")),
            ],
            Answer::Word { word, .. } => {
                let mut list = vec![
                    Binding::new(&[ENTER], question.yes.clone(), Answering::Typed)
                        .shown_as(format!("{word} Enter")),
                    Binding::new(&[ESC], question.no.clone(), Answering::Close),
                ];
                list.extend(TextField::bindings(Answering::Edit));
                list
            }
        },
        Overlay::SavePlan(path) => {
            let mut list = vec![
                Binding::new(&[ENTER], tr!("live.dialog.save"), Answering::Save)
                    .when(!path.value().trim().is_empty()),
                Binding::new(&[ESC], tr!("live.dialog.cancel"), Answering::Close),
            ];
            list.extend(TextField::bindings(Answering::Edit));
            list
        }
    }
}

pub fn hints(overlay: &Overlay) -> Vec<Hint> {
    bindings(overlay).iter().map(Binding::hint).collect()
}

fn field_mut(overlay: &mut Overlay) -> Option<&mut TextField> {
    match overlay {
        Overlay::Confirm(Confirmation {
            answer: Answer::Word { typed, .. },
            ..
        }) => Some(typed),
        Overlay::SavePlan(path) => Some(path),
        Overlay::Help(_) | Overlay::Confirm(_) => None,
    }
}

/// A key while a dialog is open: what was confirmed, if this key said yes.
/// The dialog closes on yes and no alike.
pub fn handle_key(app: &mut App, key: &KeyEvent) -> Option<Confirmed> {
    let overlay = app.overlay.as_mut()?;
    match keys::find(&bindings(overlay), key)? {
        Answering::Edit => {
            field_mut(overlay)?.handle(key);
            None
        }
        Answering::Decline => match app.overlay.take()? {
            Overlay::Confirm(question) => question.declined.map(|d| *d),
            _ => None,
        },
        Answering::Close => {
            app.overlay = match app.overlay.take() {
                Some(Overlay::Help(under)) => under.map(|o| *o),
                _ => None,
            };
            None
        }
        Answering::Yes | Answering::Typed | Answering::Save => match app.overlay.take()? {
            Overlay::Confirm(question) => match &question.answer {
                Answer::Word { word, typed }
                    if !typed.value().trim().eq_ignore_ascii_case(word) =>
                {
                    None
                }
                _ => Some(question.confirmed),
            },
            Overlay::SavePlan(path) => {
                Some(Confirmed::SavePlan(PathBuf::from(path.value().trim())))
            }
            Overlay::Help(_) => None,
        },
    }
}

pub fn paste(app: &mut App, text: &str) {
    if let Some(field) = app.overlay.as_mut().and_then(field_mut) {
        field.paste(text);
    }
}

/// Asked before quitting while an order is in flight, or with choices no
/// order holds yet (they are kept).
pub fn quit_question(app: &App) -> Confirmation {
    if !app.order_in_flight() {
        let choices: Vec<String> = Step::FORM
            .iter()
            .filter_map(|&step| view::step_value(app, step))
            .collect();
        // Edits on this step not yet confirmed with Enter are kept too.
        let with_edits = app.draft_with_edits() != app.draft;
        let choices = choices.join(tr!("live.list_separator").as_str());
        let kept = match (choices.is_empty(), with_edits) {
            (true, false) => tr!("live.quit.kept"),
            (true, true) => tr!("live.quit.kept_with_edits"),
            (false, false) => tr!("live.quit.kept_choices", choices = choices),
            (false, true) => tr!("live.quit.kept_choices_with_edits", choices = choices),
        };
        return Confirmation::new(tr!("live.quit.title"), Confirmed::Quit)
            .saying(tr!("live.quit.yes"), tr!("live.quit.no"))
            .line(kept)
            .closing(&app.theme, tr!("live.quit.closing"));
    }
    let why = match &app.submission {
        Submission::Submitting(_) => tr!("live.quit.in_flight.submitting"),
        Submission::Unknown(_) => tr!("live.quit.in_flight.unknown"),
        _ => tr!("live.quit.in_flight.not_final"),
    };
    Confirmation::new(tr!("live.quit.in_flight.title"), Confirmed::Quit)
        .saying(tr!("live.quit.yes"), tr!("live.quit.no"))
        .line(why)
        .line(tr!("live.quit.in_flight.journal"))
        .closing(&app.theme, tr!("live.quit.closing"))
}

fn dialog_area(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Draws the overlay over `area` (the whole screen); returns the cursor.
pub fn view(
    app: &App,
    overlay: &Overlay,
    page_hints: &[Hint],
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let theme = &app.theme;
    type Field<'a> = Option<(&'a TextField, String)>;
    let (title, mut lines, field): (Cow<str>, Vec<Line>, Field) = match overlay {
        Overlay::Help(None) => {
            return help(app, &tr!("live.help.on_this_page"), page_hints, area, buf);
        }
        Overlay::Help(Some(question)) => {
            view(app, question, page_hints, area, buf);
            let heading = tr!("live.help.in_this_question");
            return help(app, &heading, &hints(question), area, buf);
        }
        Overlay::Confirm(question) => (
            question.title.clone(),
            question.lines.clone(),
            match &question.answer {
                Answer::Key => None,
                Answer::Word { typed, .. } => Some((typed, tr!("live.dialog.answer"))),
            },
        ),
        Overlay::SavePlan(path) => (
            tr!("live.save_plan.title").into(),
            vec![
                Line::from(tr!("live.save_plan.what")),
                Line::from(tr!("live.save_plan.never_replaced")),
            ],
            Some((path, tr!("live.save_plan.file"))),
        ),
    };
    let width = (lines.iter().map(|l| l.width()).max().unwrap_or(20).max(40) as u16 + 2)
        .min(76)
        .min(area.width.saturating_sub(2));
    let text_rows = widgets::wrapped_height(&lines, width.saturating_sub(2));
    let height = text_rows + 2 + u16::from(field.is_some()) * 2;
    let outer = dialog_area(area, width, height);
    clear_around(outer, area, buf);
    let block = widgets::block(
        Line::from(Span::styled(format!(" {title} "), theme.title())),
        theme,
        true,
    );
    let inner = block.inner(outer);
    block.render(outer, buf);
    let mut cursor = None;
    if let Some((field, label)) = field {
        lines.push(Line::default());
        let text_height = inner.height.saturating_sub(1);
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(
            Rect {
                height: text_height,
                ..inner
            },
            buf,
        );
        let row = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
        cursor = widgets::draw_field(
            field,
            &FieldLook {
                label: &label,
                label_width: 9,
                focused: true,
                masked: false,
                placeholder: "",
            },
            theme,
            row,
            buf,
        );
    } else {
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
    cursor
}

/// Blanks the dialog's area and a column either side, so the page's text
/// does not touch the frame.
fn clear_around(dialog: Rect, screen: Rect, buf: &mut Buffer) {
    let x = dialog.x.saturating_sub(1).max(screen.x);
    let right = (dialog.right() + 1).min(screen.right());
    Clear.render(Rect::new(x, dialog.y, right - x, dialog.height), buf);
}

/// The help's width, and its column of keys.
const HELP_WIDTH: u16 = 74;
const HELP_KEYS_WIDTH: usize = 18;

/// A binding in the help: the keys, then what they do, wrapped in its own
/// column; a key that does not work now is greyed and says why.
fn help_lines(theme: &Theme, hint: &Hint, width: u16) -> Vec<Line<'static>> {
    let mut words = hint
        .detail
        .clone()
        .unwrap_or_else(|| hint.words.clone())
        .into_owned();
    let (key_style, words_style) = match &hint.off_because {
        Some(why) if !hint.enabled => {
            words.push_str(&tr!("live.help.not_now", why = why));
            (theme.muted(), theme.muted())
        }
        _ => (theme.key(), Style::new()),
    };
    let keys = format!("  {} ", theme.keys(&hint.label()));
    widgets::labelled(
        0,
        &keys,
        HELP_KEYS_WIDTH,
        key_style,
        &words,
        words_style,
        width,
    )
}

/// Every key: this page's (or this question's), then the ones that work
/// everywhere; the same lists the footer and key handling read.
fn help(
    app: &App,
    heading: &str,
    hints_here: &[Hint],
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let theme = &app.theme;
    let listed = |hints: &[Hint]| -> Vec<Line<'static>> {
        hints
            .iter()
            .filter(|h| h.in_help())
            .flat_map(|h| help_lines(theme, h, HELP_WIDTH - 2))
            .collect()
    };
    // Under the help no field has focus: `?` closes it like any key.
    let global: Vec<Hint> = super::global_bindings(app, false)
        .iter()
        .map(Binding::hint)
        .collect();
    let mut lines = vec![Line::from(Span::styled(
        heading.to_string(),
        theme.accent(),
    ))];
    lines.extend(listed(hints_here));
    // No blank line before the second heading: at 80x24 the longest page's
    // keys and every global key just fit.
    lines.push(Line::from(Span::styled(
        tr!("live.help.everywhere"),
        theme.accent(),
    )));
    lines.extend(listed(&global));
    lines.push(Line::from(vec![
        Span::styled(format!("  {:<16}", "--mouse"), theme.key()),
        Span::raw(tr!("live.help.mouse")),
    ]));
    let height = lines.len() as u16 + 2;
    let outer = dialog_area(area, HELP_WIDTH, height);
    clear_around(outer, area, buf);
    let block = widgets::block(
        Line::from(Span::styled(
            format!(" {} ", tr!("live.help.title")),
            theme.title(),
        )),
        theme,
        true,
    );
    let inner = block.inner(outer);
    block.render(outer, buf);
    Paragraph::new(lines).render(inner, buf);
    None
}

/// Asked at the start when the last quit kept a half-made order.
pub fn continue_question(app: &App, kept: &KeptDraft) -> Confirmation {
    // The words the progress line gives these choices, from a wizard that
    // holds them: this one takes the kept draft up only on a yes.
    let mut shown = App::new(
        app.catalog.clone(),
        app.prices.clone(),
        app.theme,
        app.clock,
    );
    shown.fill_draft(kept.draft.clone());
    let choices: Vec<String> = Step::FORM
        .iter()
        .filter(|&&step| step < kept.step)
        .filter_map(|&step| view::step_value(&shown, step))
        .collect();
    let (number, step) = (kept.step.number(), kept.step.title());
    let left_at = if choices.is_empty() {
        tr!("live.kept.left_at", number = number, step = step)
    } else {
        let choices = choices.join(tr!("live.list_separator").as_str());
        tr!(
            "live.kept.left_at_with",
            number = number,
            step = step,
            choices = choices
        )
    };
    let press = marked(
        &tr!("live.kept.press"),
        &[("%{enter}", "Enter"), ("%{no}", "n")],
        app.theme.key(),
    );
    Confirmation::new(tr!("live.kept.title"), Confirmed::ContinueKept)
        .saying(tr!("live.kept.yes"), tr!("live.kept.no"))
        .yes_by_default(Confirmed::StartAfresh)
        .line(left_at)
        .line(tr!("live.kept.afresh_forgets"))
        .line(Line::default())
        .line(press)
}
