//! Taking the terminal over and giving it back: raw mode, the alternate
//! screen, bracketed paste and mouse reports on the way in; all of it undone
//! on the way out, whether by return, panic, Ctrl-C or a signal. And drawing
//! frames on it with as few bytes as a slow SSH link deserves.

use std::fmt;
use std::io::{self, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{Command, cursor, event, execute};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect, Size};

mod moved_rows;
pub mod paint;

pub use paint::Painter;

/// Where frames go: standard output itself, past its line buffer, which
/// would split a frame with line feeds in it into two writes.
#[cfg(unix)]
type FrameOutput = std::fs::File;
#[cfg(not(unix))]
type FrameOutput = io::Stdout;

#[cfg(unix)]
fn frame_output() -> io::Result<FrameOutput> {
    use std::os::fd::AsFd;
    Ok(std::fs::File::from(
        io::stdout().as_fd().try_clone_to_owned()?,
    ))
}

#[cfg(not(unix))]
fn frame_output() -> io::Result<FrameOutput> {
    Ok(io::stdout())
}

/// Mouse reports for button presses and the wheel only (modes 1000 and
/// 1006). Crossterm's `EnableMouseCapture` also asks for every motion,
/// which floods a slow SSH link with events nobody uses.
struct EnableClickReports;
struct DisableClickReports;

impl Command for EnableClickReports {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str("\x1b[?1000h\x1b[?1006h")
    }
    #[cfg(windows)]
    fn execute_winapi(&self) -> io::Result<()> {
        event::EnableMouseCapture.execute_winapi()
    }
}

impl Command for DisableClickReports {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str("\x1b[?1006l\x1b[?1000l")
    }
    #[cfg(windows)]
    fn execute_winapi(&self) -> io::Result<()> {
        event::DisableMouseCapture.execute_winapi()
    }
}

static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// The terminal, taken over; dropping it gives the terminal back.
pub struct Screen {
    painter: Painter<FrameOutput>,
}

impl Screen {
    pub fn enter(mouse: bool) -> io::Result<Screen> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        MOUSE.store(mouse, Ordering::SeqCst);
        let mut out = io::stdout();
        let entered =
            execute!(out, EnterAlternateScreen, event::EnableBracketedPaste).and_then(|()| {
                if mouse {
                    execute!(out, EnableClickReports)
                } else {
                    Ok(())
                }
            });
        if let Err(e) = entered {
            restore();
            return Err(e);
        }
        match frame_output().and_then(|out| Ok((out, Screen::size()?))) {
            Ok((out, (width, height))) => Ok(Screen {
                painter: Painter::new(out, Size { width, height }),
            }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// The terminal's size as (columns, rows).
    pub fn size() -> io::Result<(u16, u16)> {
        crossterm::terminal::size()
    }

    /// Draws a frame at the terminal's size now; `render` fills it and says
    /// where the text cursor goes.
    pub fn draw(
        &mut self,
        render: impl FnOnce(Rect, &mut Buffer) -> Option<Position>,
    ) -> io::Result<()> {
        let (width, height) = Screen::size()?;
        self.painter.draw(Size { width, height }, render)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.painter.writer_mut().flush();
        restore();
    }
}

/// Gives the terminal back. Safe to call more than once and from a panic:
/// every step is tried even if an earlier one fails (the terminal may be
/// gone when an SSH link drops).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableClickReports);
    }
    let _ = execute!(
        out,
        event::DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// On a panic anywhere (the UI task or an effect task), give the terminal
/// back, let the default hook print the message, and stop: a wizard that
/// spends money does not go on after a bug. Orders already sent are in the
/// journal.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let was_active = ACTIVE.load(Ordering::SeqCst);
            restore();
            previous(info);
            if was_active {
                eprintln!("{}", tr!("live.panicked"));
                std::process::exit(101);
            }
        }));
    });
}
