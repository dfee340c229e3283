//! What one keystroke sends to the terminal: the wizard's real `App`,
//! `update` and view, drawn through crossterm's escape sequences into memory
//! and counted, after a first full frame. Each frame is drawn twice: once
//! the way ratatui's `Terminal` draws (the diff of cells, which is what
//! flexus did before its own painter), and once by flexus's `Painter`
//! (which also scrolls rows that moved). Both byte streams are replayed on a
//! terminal emulator (vt100), and the two screens must be the same.
//!
//! Used by `benches/keystroke_bytes.rs` (prints the table) and
//! `tests/keystroke_bytes.rs` (holds every keystroke at 80x24 under
//! [`BUDGET`] bytes).

use std::cell::RefCell;
use std::io::{self, Write};
use std::num::NonZeroU16;
use std::rc::Rc;
use std::time::Duration;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

use flexus::api::engine::{SubmitOutcome, TrackEvent};
use flexus::api::wire::status;
use flexus::tui::app::App;
use flexus::tui::msg::{Effect, Msg};
use flexus::tui::service::Start;
use flexus::tui::terminal::Painter;
use flexus::tui::update::update;
use flexus::tui::view;

use crate::support::*;

/// Issue 10: what one keystroke may cost at 80x24 over a slow link.
pub const BUDGET: usize = 600;

/// One keystroke (or one message from a task) on one screen.
pub struct Measured {
    pub screen: &'static str,
    pub key: String,
    pub reach: Reach,
    /// Bytes as ratatui's `Terminal` sends them.
    pub cell_diff: usize,
    /// Bytes as flexus's `Painter` sends them.
    pub painter: usize,
    /// Whether both byte streams leave the same screen (text, colours,
    /// cursor) on a terminal emulator.
    pub same_screen: bool,
}

/// How much of the screen a key changes. The budget is for a step; a page
/// or a whole view of new text can need more than its characters fit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A step: moving in a list, typing, Tab, a line, a timeline entry.
    Step,
    /// A page of new rows: PageUp, PageDown, another section.
    Page,
    /// A new view: the help, a jump to the top or the end.
    View,
}

/// A screen to start from and the keys pressed there, in order.
struct Case {
    screen: &'static str,
    app: App,
    steps: Vec<Step>,
}

struct Step {
    label: String,
    msg: Msg,
    reach: Reach,
}

fn keys(codes: &[(&str, KeyCode)]) -> Vec<Step> {
    codes
        .iter()
        .map(|(label, code)| Step {
            label: label.to_string(),
            msg: Msg::Key(key_event(*code)),
            reach: match code {
                KeyCode::Home | KeyCode::End | KeyCode::Char('?') => Reach::View,
                KeyCode::PageUp | KeyCode::PageDown | KeyCode::Char('i') => Reach::Page,
                _ => Reach::Step,
            },
        })
        .collect()
}

/// A failed status check of the order, as the tracking task reports it.
/// Failures alternate between two causes: the same failure twice in a row
/// shares one timeline entry, another is a new one.
fn check_failed(attempt: u32) -> TrackEvent {
    let cause = if attempt.is_multiple_of(2) {
        "connection reset by peer"
    } else {
        "connection refused"
    };
    TrackEvent::PollFailed {
        failure: failure(None, None, cause, "retrying"),
        attempt,
        retry_in: Duration::from_secs(5),
    }
}

/// One more timeline entry, as the page shows it growing.
fn timeline_entry(attempt: u32) -> Step {
    Step {
        label: "new timeline entry".to_string(),
        msg: Msg::Tracked {
            order_id: ORDER_ID.into(),
            event: check_failed(attempt),
        },
        reach: Reach::Step,
    }
}

/// An order of `instances` pending payment, after `failures` failed checks,
/// on the status page.
fn status_app(instances: usize, failures: u32) -> App {
    let (mut app, _) = app_at_review();
    enter_and_check(&mut app, Default::default());
    let effects = press(&mut app, KeyCode::Char('y'));
    let Some(Effect::Submit { request_id, .. }) = effects.first() else {
        panic!("confirming the order submits it: {effects:?}")
    };
    update(
        &mut app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Placed {
                order_id: ORDER_ID.into(),
                instance_ids: (0..instances)
                    .map(|i| format!("65dea8d23005da564c78d9{i:03}"))
                    .collect(),
                unrecorded: None,
            },
        },
    );
    let events = [polled(status::PENDING_PAYMENT)]
        .into_iter()
        .chain((1..=failures).map(check_failed))
        .chain([TrackEvent::NextPollIn(Duration::from_secs(5))]);
    for event in events {
        update(
            &mut app,
            Msg::Tracked {
                order_id: ORDER_ID.into(),
                event,
            },
        );
    }
    app
}

fn cases() -> Vec<Case> {
    use KeyCode::*;
    let mut cases = Vec::new();

    let mut signin = new_app();
    let connector = std::sync::Arc::new(FakeConnector {
        service: FakeService::new(),
    });
    flexus::tui::update::start(&mut signin, &Start::SignInFirst(connector));
    cases.push(Case {
        screen: "sign-in",
        app: signin,
        steps: keys(&[("↓", Down), ("↑", Up)]),
    });

    let (region, _) = signed_in_app();
    cases.push(Case {
        screen: "1 region",
        app: region,
        steps: keys(&[("↓", Down), ("↑", Up)]),
    });

    let (mut image, _) = signed_in_app();
    enter(&mut image);
    cases.push(Case {
        screen: "2 image list",
        app: image,
        steps: keys(&[
            ("↓", Down),
            ("↑", Up),
            ("filter: d", Char('d')),
            ("filter: e", Char('e')),
            ("filter: Backspace", Backspace),
        ]),
    });

    let (mut spec, _) = signed_in_app();
    enter(&mut spec);
    type_text(&mut spec, "gitlab");
    enter(&mut spec);
    cases.push(Case {
        screen: "3 spec table",
        app: spec,
        steps: keys(&[("↓", Down), ("↑", Up)]),
    });

    for (screen, step) in [("4 period", '4'), ("5 extras", '5')] {
        let (mut app, _) = app_at_review();
        press(&mut app, Char(step));
        cases.push(Case {
            screen,
            app,
            steps: keys(&[("Tab", Tab), ("Shift-Tab", BackTab), ("↓", Down)]),
        });
    }

    let (mut naming, _) = app_at_review();
    press(&mut naming, Char('6'));
    cases.push(Case {
        screen: "6 name and tags",
        app: naming,
        steps: keys(&[
            ("typing x", Char('x')),
            ("Backspace", Backspace),
            ("Tab", Tab),
            ("Shift-Tab", BackTab),
        ]),
    });

    let (review, _) = app_at_review();
    cases.push(Case {
        screen: "7 review",
        app: review,
        steps: keys(&[
            ("↓ (one line)", Down),
            ("↓ (one line)", Down),
            ("↑ (one line)", Up),
            ("PageDown", PageDown),
            ("PageUp", PageUp),
            ("End", End),
            ("Home", Home),
            ("? (help opens)", Char('?')),
            ("? (help closes)", Char('?')),
        ]),
    });

    let (mut json, _) = app_at_review();
    press(&mut json, Char('v'));
    cases.push(Case {
        screen: "7 review, JSON shown",
        app: json,
        steps: keys(&[
            ("↓ (one line)", Down),
            ("PageDown", PageDown),
            ("PageDown", PageDown),
            ("↑ (one line)", Up),
        ]),
    });

    let mut steps = vec![timeline_entry(1), timeline_entry(2), timeline_entry(3)];
    steps.extend(keys(&[
        ("? (help opens)", Char('?')),
        ("? (help closes)", Char('?')),
    ]));
    cases.push(Case {
        screen: "8 status",
        app: status_app(1, 0),
        steps,
    });

    let mut steps = keys(&[
        ("↑ (one line)", Up),
        ("↑ (one line)", Up),
        ("PageUp", PageUp),
        ("↓ (one line)", Down),
        ("End", End),
    ]);
    steps.push(timeline_entry(41));
    steps.push(timeline_entry(42));
    steps.extend(keys(&[
        ("i (all instance IDs)", Char('i')),
        ("↓ (one line)", Down),
        ("PageDown", PageDown),
    ]));
    cases.push(Case {
        screen: "8 status, 30 instances, 43-entry timeline",
        app: status_app(30, 40),
        steps,
    });
    cases
}

/// A backend of a fixed size around crossterm's, which would ask the real
/// terminal for its size.
struct Sized<B> {
    inner: B,
    size: Size,
}

impl<B: Backend> Backend for Sized<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), B::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), B::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), B::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, B::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), B::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), B::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), B::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, B::Error> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> Result<WindowSize, B::Error> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }
    fn flush(&mut self) -> Result<(), B::Error> {
        self.inner.flush()
    }
}

/// Whatever is written, kept until taken.
#[derive(Clone, Default)]
struct Recorder(Rc<RefCell<Vec<u8>>>);

impl Write for Recorder {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Recorder {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

fn backend(size: Size) -> (Sized<CrosstermBackend<Recorder>>, Recorder) {
    let recorder = Recorder::default();
    let backend = Sized {
        inner: CrosstermBackend::new(recorder.clone()),
        size,
    };
    (backend, recorder)
}

/// What a terminal shows: every cell's text and looks, and the cursor when
/// it shows. A blank shows only its background, underline and reverse, so
/// a cell never written, a space, and a bold or coloured space look alike.
fn screen_of(parser: &vt100::Parser) -> (Vec<String>, Option<(u16, u16)>) {
    let screen = parser.screen();
    let (rows, columns) = screen.size();
    let mut cells = Vec::new();
    for row in 0..rows.get() {
        for column in 0..columns.get() {
            let cell = screen.cell(row, column).expect("inside the screen");
            cells.push(match cell.contents() {
                "" | " " => format!(
                    " {:?}{}{}",
                    cell.bgcolor(),
                    cell.underline(),
                    cell.inverse()
                ),
                text => format!(
                    "{text}{:?}{:?}{}{}{}{}{}",
                    cell.fgcolor(),
                    cell.bgcolor(),
                    cell.bold(),
                    cell.dim(),
                    cell.italic(),
                    cell.underline(),
                    cell.inverse()
                ),
            });
        }
    }
    let cursor = (!screen.hide_cursor()).then(|| screen.cursor_position());
    (cells, cursor)
}

/// Every keystroke of every case at `width`x`height`.
pub fn measure(width: u16, height: u16) -> Vec<Measured> {
    let mut measured = Vec::new();
    for mut case in cases() {
        case.app.size = (width, height);
        let size = Size { width, height };
        let (plain_backend, plain_bytes) = backend(size);
        let painted_bytes = Recorder::default();
        let mut plain = Terminal::new(plain_backend).expect("memory cannot fail");
        let mut painter = Painter::new(painted_bytes.clone(), size);
        let rows = NonZeroU16::new(height).expect("a screen has rows");
        let columns = NonZeroU16::new(width).expect("a screen has columns");
        let mut plain_screen = vt100::Parser::new(rows, columns, 0);
        let mut painted_screen = vt100::Parser::new(rows, columns, 0);
        let mut draw = |app: &App| {
            plain
                .draw(|f| view::render(app, f))
                .expect("memory cannot fail");
            painter
                .draw(size, |area, buf| view::draw(app, area, buf))
                .expect("memory cannot fail");
            let plain = plain_bytes.take();
            let painted = painted_bytes.take();
            plain_screen.process(&plain);
            painted_screen.process(&painted);
            (
                plain.len(),
                painted.len(),
                screen_of(&plain_screen) == screen_of(&painted_screen),
            )
        };
        draw(&case.app);
        for step in case.steps {
            update(&mut case.app, step.msg);
            let (cell_diff, painter, same_screen) = draw(&case.app);
            measured.push(Measured {
                screen: case.screen,
                key: step.label,
                reach: step.reach,
                cell_diff,
                painter,
                same_screen,
            });
        }
    }
    measured
}
