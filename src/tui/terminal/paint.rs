//! Drawing frames on the terminal with as few bytes as a slow SSH link
//! deserves. Ratatui's `Terminal` sends the cells that changed, each run
//! of them behind a cursor move and both colours: a single space between
//! two changed words cost a 6-byte move, and scrolling the review by one
//! line repainted every row of it (1.3 KB at 80x24). The painter sends the
//! same cells, but
//! - moves rows that moved together with a terminal scroll (`moved_rows`),
//!   so only the rows that are new are sent;
//! - moves the cursor the cheapest way: a short unchanged gap is written
//!   again, a longer one is skipped forward, a row below is reached by
//!   carriage return and line feed;
//! - sends one SGR sequence per change of looks, with only what changed;
//! - erases blanks written over text with one `EL` (to the end of the row)
//!   or `ECH` instead of spaces;
//! - leaves alone a blank that only changed in what a blank does not show.

use std::io::{self, Write};

use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use super::moved_rows::{self, Scroll};

/// Draws frames: each one is compared with what the terminal shows and
/// only the difference is sent, in one write.
pub struct Painter<W: Write> {
    out: W,
    /// What the terminal shows now.
    shown: Buffer,
    /// The frame being drawn; kept to reuse its memory.
    next: Buffer,
    /// The frame's bytes, written at once so a frame is one write.
    bytes: Vec<u8>,
    /// Whether the text cursor is showing, once a frame has said so.
    cursor_visible: Option<bool>,
    /// Where the last frame put the text cursor.
    text_cursor: Option<Position>,
    /// Every frame ends with the default looks; before the first, the
    /// terminal's looks are whatever the shell left.
    looks_known: bool,
}

impl<W: Write> Painter<W> {
    /// Starts from a blank screen of `size` (what the alternate screen is
    /// when entered).
    pub fn new(out: W, size: Size) -> Painter<W> {
        let area = Rect::new(0, 0, size.width, size.height);
        Painter {
            out,
            shown: Buffer::empty(area),
            next: Buffer::empty(area),
            bytes: Vec::with_capacity(16 * 1024),
            cursor_visible: None,
            text_cursor: None,
            looks_known: false,
        }
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Draws one frame of `size`: `render` fills the buffer for the whole
    /// screen and says where the text cursor goes, if anywhere.
    pub fn draw(
        &mut self,
        size: Size,
        render: impl FnOnce(Rect, &mut Buffer) -> Option<Position>,
    ) -> io::Result<()> {
        let area = Rect::new(0, 0, size.width, size.height);
        let out = &mut self.bytes;
        out.clear();
        let mut pen = Pen {
            at: None,
            looks: self.looks_known.then_some(Looks::DEFAULT),
        };
        if area != self.shown.area {
            // A resized terminal rewraps or keeps stale cells as it likes:
            // start again from a cleared screen.
            pen.set_looks(out, Looks::DEFAULT);
            out.extend_from_slice(b"\x1b[2J");
            self.shown = Buffer::empty(area);
            self.next = Buffer::empty(area);
            self.text_cursor = None;
        }
        self.next.reset();
        let cursor = render(area, &mut self.next);
        if let Some(scroll) = moved_rows::find(&self.shown, &self.next) {
            pen.scroll(out, &scroll);
            scroll.apply(&mut self.shown);
        }
        let shown = &self.shown;
        let updates: Vec<(u16, u16, &Cell)> = shown
            .diff_iter(&self.next)
            .filter(|&(x, y, cell)| !looks_the_same(&shown[(x, y)], cell))
            .collect();
        pen.paint(out, &self.next, &updates);
        if !out.is_empty() {
            pen.set_looks(out, Looks::DEFAULT);
        }
        match cursor {
            None if self.cursor_visible != Some(false) => {
                out.extend_from_slice(b"\x1b[?25l");
                self.cursor_visible = Some(false);
            }
            None => {}
            Some(position) => {
                if !out.is_empty() || self.text_cursor != Some(position) {
                    let (x, y) = (position.x, position.y);
                    pen.move_to(out, &self.next, (x, y), Some(Looks::DEFAULT));
                    pen.set_looks(out, Looks::DEFAULT);
                }
                if self.cursor_visible != Some(true) {
                    out.extend_from_slice(b"\x1b[?25h");
                    self.cursor_visible = Some(true);
                }
            }
        }
        self.looks_known = pen.looks == Some(Looks::DEFAULT);
        self.text_cursor = cursor;
        std::mem::swap(&mut self.shown, &mut self.next);
        if !self.bytes.is_empty() {
            self.out.write_all(&self.bytes)?;
        }
        self.out.flush()
    }
}

/// How a character is written: its colours and attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Looks {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Looks {
    const DEFAULT: Looks = Looks {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Looks {
        Looks {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// The terminal's state as the frame's bytes leave it: where the cursor is
/// and how the next character will look, when known.
#[derive(Debug, Clone, Copy)]
struct Pen {
    at: Option<(u16, u16)>,
    looks: Option<Looks>,
}

/// A way to move the cursor: its bytes, the pen after them, and what it
/// all costs once the looks wanted next are set.
struct Way {
    bytes: Vec<u8>,
    pen: Pen,
    then: Option<Looks>,
    cost: usize,
}

impl Way {
    fn new((bytes, pen): (Vec<u8>, Pen), then: Option<Looks>) -> Way {
        let cost = Way::cost_of(&bytes, pen, then);
        Way {
            bytes,
            pen,
            then,
            cost,
        }
    }

    fn cost_of(bytes: &[u8], mut pen: Pen, then: Option<Looks>) -> usize {
        let mut looks = Vec::new();
        if let Some(then) = then {
            pen.set_looks(&mut looks, then);
        }
        bytes.len() + looks.len()
    }

    /// Takes the other way if it costs less.
    fn keep(&mut self, (bytes, pen): (Vec<u8>, Pen)) {
        let cost = Way::cost_of(&bytes, pen, self.then);
        if cost < self.cost {
            *self = Way {
                bytes,
                pen,
                then: self.then,
                cost,
            };
        }
    }
}

/// Below this many blanks, erasing the rest of a row (`EL`) costs more than
/// writing them.
const ERASE_LINE_COST: usize = 3;
/// Below this many blanks, erasing some cells (`ECH`, and a move past them)
/// costs more than writing them.
const ERASE_CELLS_COST: usize = 10;
/// Gaps longer than this are never written again: a move is cheaper.
const LONGEST_REFILL: u16 = 8;

impl Pen {
    fn paint(&mut self, out: &mut Vec<u8>, next: &Buffer, updates: &[(u16, u16, &Cell)]) {
        let mut i = 0;
        while i < updates.len() {
            let (x, y, cell) = updates[i];
            if self.at != Some((x, y)) {
                self.move_to(out, next, (x, y), Some(Looks::of(cell)));
            }
            if is_plain_blank(cell) {
                // Blanks written over text: erase them in one go.
                let run = (x..next.area.width)
                    .take_while(|&cx| is_plain_blank(&next[(cx, y)]))
                    .count() as u16;
                let erased = updates[i..]
                    .iter()
                    .take_while(|u| u.1 == y && u.0 < x + run)
                    .count();
                let to_the_end = x + run == next.area.width;
                if (to_the_end && erased > ERASE_LINE_COST) || erased > ERASE_CELLS_COST {
                    self.set_looks(out, Looks::DEFAULT);
                    if to_the_end {
                        out.extend_from_slice(b"\x1b[K");
                    } else {
                        out.extend(format!("\x1b[{run}X").as_bytes());
                    }
                    i += erased;
                    continue;
                }
            }
            self.print(out, cell, x, y);
            i += 1;
        }
    }

    fn print(&mut self, out: &mut Vec<u8>, cell: &Cell, x: u16, y: u16) {
        self.set_looks(out, Looks::of(cell));
        out.extend_from_slice(cell.symbol().as_bytes());
        // Where a wide or zero-width symbol leaves the cursor is up to the
        // terminal: move explicitly after one.
        self.at = (cell.symbol().width() == 1).then_some((x + 1, y));
    }

    /// Moves the cursor to (x, y) by the shortest of: an absolute move, a
    /// move forward, a carriage return and line feed, each maybe followed
    /// by writing the unchanged cells in between again. Writing them again
    /// changes the looks, so what it then costs to get the looks of the
    /// cell written next, `then`, counts too.
    fn move_to(
        &mut self,
        out: &mut Vec<u8>,
        next: &Buffer,
        (x, y): (u16, u16),
        then: Option<Looks>,
    ) {
        let mut best = Way::new(self.absolute(x, y), then);
        if let Some((from_x, from_y)) = self.at {
            if from_y == y && from_x < x {
                self.try_along(next, from_x, (x, y), Vec::new(), &mut best);
            }
            if from_y < y || (from_y == y && from_x > x) {
                let mut start = b"\r".to_vec();
                match y - from_y {
                    0 => {}
                    1 => start.push(b'\n'),
                    down => start.extend(format!("\x1b[{down}B").as_bytes()),
                }
                let mut pen = *self;
                pen.at = Some((0, y));
                pen.try_along(next, 0, (x, y), start, &mut best);
            }
        }
        out.extend_from_slice(&best.bytes);
        *self = best.pen;
    }

    fn absolute(&self, x: u16, y: u16) -> (Vec<u8>, Pen) {
        let bytes = match (x, y) {
            (0, 0) => b"\x1b[H".to_vec(),
            (0, y) => format!("\x1b[{}H", y + 1).into_bytes(),
            (x, y) => format!("\x1b[{};{}H", y + 1, x + 1).into_bytes(),
        };
        let pen = Pen {
            at: Some((x, y)),
            ..*self
        };
        (bytes, pen)
    }

    /// From `from_x` to `x` on row `y` after `start`: skipping forward, or
    /// writing the cells in between again; keeps the cheaper in `best`.
    fn try_along(
        &self,
        next: &Buffer,
        from_x: u16,
        (x, y): (u16, u16),
        start: Vec<u8>,
        best: &mut Way,
    ) {
        let arrived = Pen {
            at: Some((x, y)),
            ..*self
        };
        let gap = x - from_x;
        if gap == 0 {
            best.keep((start, arrived));
            return;
        }
        let mut forward = start.clone();
        match gap {
            1 => forward.extend_from_slice(b"\x1b[C"),
            gap => forward.extend(format!("\x1b[{gap}C").as_bytes()),
        }
        best.keep((forward, arrived));
        let refillable = gap <= LONGEST_REFILL
            && (from_x..x).all(|cx| {
                let cell = &next[(cx, y)];
                cell.diff_option == CellDiffOption::None && cell.symbol().width() == 1
            });
        if refillable {
            let mut pen = *self;
            let mut bytes = start;
            for cx in from_x..x {
                pen.print(&mut bytes, &next[(cx, y)], cx, y);
            }
            best.keep((bytes, pen));
        }
    }

    /// One SGR sequence to the looks wanted, the shorter of changing only
    /// what differs and starting from the defaults.
    fn set_looks(&mut self, out: &mut Vec<u8>, to: Looks) {
        if self.looks == Some(to) {
            return;
        }
        let mut fresh = if to == Looks::DEFAULT {
            Vec::new()
        } else {
            vec!["0".to_string()]
        };
        fresh.extend(modifier_codes(to.modifier));
        fresh.extend((to.fg != Color::Reset).then(|| colour_code(to.fg, Layer::Fg)));
        fresh.extend((to.bg != Color::Reset).then(|| colour_code(to.bg, Layer::Bg)));
        fresh.extend(
            (to.underline != Color::Reset).then(|| colour_code(to.underline, Layer::Underline)),
        );
        let mut codes = fresh;
        if let Some(from) = self.looks {
            let changed = changed_codes(from, to);
            if changed.join(";").len() < codes.join(";").len() {
                codes = changed;
            }
        }
        out.extend(format!("\x1b[{}m", codes.join(";")).as_bytes());
        self.looks = Some(to);
    }

    /// Scrolls the rows on the terminal; the rows uncovered come in with the
    /// current background, so the looks are the defaults first.
    fn scroll(&mut self, out: &mut Vec<u8>, scroll: &Scroll) {
        self.set_looks(out, Looks::DEFAULT);
        let (top, bottom) = (scroll.rows.start + 1, scroll.rows.end);
        let by = match scroll.by {
            1 => String::new(),
            by => by.to_string(),
        };
        let direction = if scroll.up { 'S' } else { 'T' };
        out.extend(format!("\x1b[{top};{bottom}r\x1b[{by}{direction}\x1b[r").as_bytes());
        // Setting the region also moves the cursor (home, in most terminals).
        self.at = None;
    }
}

/// Whether two cells that differ look the same: blanks differ only in what
/// a blank does not show (its foreground colour, bold, italic, ...). A bold
/// label padded with spaces is then not sent again as bold spaces.
fn looks_the_same(a: &Cell, b: &Cell) -> bool {
    const SHOWS_ON_BLANK: Modifier = Modifier::UNDERLINED
        .union(Modifier::REVERSED)
        .union(Modifier::CROSSED_OUT);
    a.symbol() == " "
        && b.symbol() == " "
        && a.bg == b.bg
        && a.modifier & SHOWS_ON_BLANK == b.modifier & SHOWS_ON_BLANK
        && (!a.modifier.contains(Modifier::UNDERLINED) || a.underline_color == b.underline_color)
        && a.diff_option == CellDiffOption::None
        && b.diff_option == CellDiffOption::None
}

/// Whether a cell is a blank that looks like an erased one: erasing writes
/// blanks in the default background, without underline or reverse.
fn is_plain_blank(cell: &Cell) -> bool {
    looks_the_same(cell, &Cell::EMPTY)
}

const INTENSITY: Modifier = Modifier::BOLD.union(Modifier::DIM);
const BLINK: Modifier = Modifier::SLOW_BLINK.union(Modifier::RAPID_BLINK);

fn modifier_codes(modifier: Modifier) -> impl Iterator<Item = String> {
    [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ]
    .into_iter()
    .filter(move |(m, _)| modifier.contains(*m))
    .map(|(_, code)| code.to_string())
}

/// The codes that turn `from` into `to`, leaving alone what they share.
fn changed_codes(from: Looks, to: Looks) -> Vec<String> {
    let removed = from.modifier - to.modifier;
    let mut added = to.modifier - from.modifier;
    let mut codes = Vec::new();
    // One code turns off both bold and dim, and one both blinks: whichever
    // stays is turned on again.
    for (gone, off, shared) in [
        (INTENSITY, "22", true),
        (Modifier::ITALIC, "23", false),
        (Modifier::UNDERLINED, "24", false),
        (BLINK, "25", true),
        (Modifier::REVERSED, "27", false),
        (Modifier::HIDDEN, "28", false),
        (Modifier::CROSSED_OUT, "29", false),
    ] {
        if removed.intersects(gone) {
            codes.push(off.to_string());
            if shared {
                added |= to.modifier & gone;
            }
        }
    }
    codes.extend(modifier_codes(added));
    if from.fg != to.fg {
        codes.push(colour_code(to.fg, Layer::Fg));
    }
    if from.bg != to.bg {
        codes.push(colour_code(to.bg, Layer::Bg));
    }
    if from.underline != to.underline {
        codes.push(colour_code(to.underline, Layer::Underline));
    }
    codes
}

#[derive(Clone, Copy)]
enum Layer {
    Fg,
    Bg,
    Underline,
}

/// The SGR parameters for a colour, as crossterm maps ratatui's names
/// (ratatui's `Red` is the terminal's dark red, its `LightRed` the bright
/// one), in the short form where there is one.
fn colour_code(colour: Color, layer: Layer) -> String {
    let index = match colour {
        Color::Reset => {
            return match layer {
                Layer::Fg => "39",
                Layer::Bg => "49",
                Layer::Underline => "59",
            }
            .to_string();
        }
        Color::Rgb(r, g, b) => {
            let lead = match layer {
                Layer::Fg => "38",
                Layer::Bg => "48",
                Layer::Underline => "58",
            };
            return format!("{lead};2;{r};{g};{b}");
        }
        Color::Indexed(i) => i,
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
    };
    match (layer, index) {
        (Layer::Fg, 0..=7) => (30 + index as u16).to_string(),
        (Layer::Fg, 8..=15) => (82 + index as u16).to_string(),
        (Layer::Bg, 0..=7) => (40 + index as u16).to_string(),
        (Layer::Bg, 8..=15) => (92 + index as u16).to_string(),
        (Layer::Fg, _) => format!("38;5;{index}"),
        (Layer::Bg, _) => format!("48;5;{index}"),
        (Layer::Underline, _) => format!("58;5;{index}"),
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU16;

    use ratatui::style::{Style, Stylize};
    use ratatui::text::Line;
    use ratatui::widgets::Widget;

    use super::*;

    const SIZE: Size = Size {
        width: 20,
        height: 6,
    };

    fn screen() -> vt100::Parser {
        let n = |v| NonZeroU16::new(v).expect("not zero");
        vt100::Parser::new(n(SIZE.height), n(SIZE.width), 0)
    }

    /// Draws `lines` (with the cursor at `cursor`) and returns the bytes sent.
    fn draw(painter: &mut Painter<Vec<u8>>, lines: &[Line], cursor: Option<Position>) -> Vec<u8> {
        painter
            .draw(SIZE, |area, buf| {
                for (y, line) in lines.iter().enumerate() {
                    line.clone()
                        .render(Rect::new(0, area.y + y as u16, area.width, 1), buf);
                }
                cursor
            })
            .expect("a Vec takes every byte");
        std::mem::take(painter.writer_mut())
    }

    fn text(screen: &vt100::Parser) -> Vec<String> {
        screen
            .screen()
            .rows(0, SIZE.width)
            .map(|row| row.trim_end().to_string())
            .collect()
    }

    /// A title, four rows each unlike the others, and a footer.
    fn page(first: usize) -> Vec<Line<'static>> {
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
        let mut lines = vec![Line::from("title".bold())];
        for n in first..first + 4 {
            let word = words[n % words.len()];
            lines.push(Line::from(vec![format!("{n} ").cyan(), word.into()]));
        }
        lines.push(Line::from("footer".reversed()));
        lines
    }

    #[test]
    fn frames_replayed_on_a_terminal_show_what_was_drawn() {
        let mut painter = Painter::new(Vec::new(), SIZE);
        let mut terminal = screen();
        for first in [0, 1, 2, 5, 3, 3, 0] {
            terminal.process(&draw(&mut painter, &page(first), None));
            let expected: Vec<String> = page(first).iter().map(|l| l.to_string()).collect();
            assert_eq!(text(&terminal), expected, "after showing rows from {first}");
            let cell = terminal.screen().cell(1, 0).expect("on screen");
            assert_eq!(cell.fgcolor(), vt100::Color::Idx(6), "row numbers are cyan");
            assert!(!cell.bold(), "only the title is bold");
            assert!(terminal.screen().cell(5, 0).expect("on screen").inverse());
            assert!(
                terminal.screen().cell(1, 7).expect("on screen").fgcolor() == vt100::Color::Default
            );
        }
    }

    /// Every cell of `buf` as the terminal shows it: a wide character's
    /// second column is its continuation there, never a cell of its own.
    fn assert_shows(terminal: &vt100::Parser, buf: &Buffer, frame: usize) {
        let screen = terminal.screen();
        let mut x = 0;
        for y in 0..SIZE.height {
            x = 0;
            while x < SIZE.width {
                let cell = &buf[(x, y)];
                let shown = screen.cell(y, x).expect("on screen");
                let width = cell.symbol().width().max(1) as u16;
                // A blank is written as a space or erased: both show nothing.
                let blank_as_erased = |text: &str| if text == " " { "" } else { text }.to_string();
                assert_eq!(
                    blank_as_erased(shown.contents()),
                    blank_as_erased(cell.symbol()),
                    "frame {frame}, row {y}, column {x}"
                );
                assert_eq!(
                    shown.is_wide(),
                    width == 2,
                    "frame {frame}, ({x}, {y}) wide"
                );
                assert_eq!(
                    shown.inverse(),
                    cell.modifier.contains(Modifier::REVERSED),
                    "frame {frame}, ({x}, {y}) highlighted"
                );
                if width == 2 {
                    let next = screen.cell(y, x + 1).expect("on screen");
                    assert!(next.is_wide_continuation(), "frame {frame}, ({x}, {y})");
                }
                x += width;
            }
        }
        assert_eq!(x, SIZE.width);
    }

    #[test]
    fn chinese_rows_replayed_on_a_terminal_show_what_was_drawn() {
        // Each frame moves wide characters by a column, puts narrow ones
        // where wide ones were and the other way round, and blanks the
        // second half of one: the cases a painter that took a wide
        // character's second column for a space would get wrong.
        let frames: [&[&str]; 7] = [
            &[
                "订单已下单",
                "a中b文c",
                "时间线（UTC+08:00）",
                "x",
                "",
                "按q退出",
            ],
            &[
                "a 已下单",
                " 中b文c",
                "时间线（UTC+08:00）",
                "xy",
                "",
                "按q退出",
            ],
            &["ab", "中中中中", "时间线", "x中", "金额", " 按q退出"],
            &["订单", " 中中中中", "时间线", "x 中", "金额 ", "按q退出"],
            &["订单已支付", "中", "", "x", "实例ID：abc", "按q退出"],
            &["", "", "", "", "", ""],
            &[
                "订单已完成",
                "a中b文c",
                "时间线（UTC+08:00）",
                "x",
                "",
                "按q退出",
            ],
        ];
        let mut painter = Painter::new(Vec::new(), SIZE);
        let mut terminal = screen();
        for (frame, rows) in frames.iter().enumerate() {
            // A highlighted row moves down a row a frame, as a list's does.
            let lines: Vec<Line> = rows
                .iter()
                .enumerate()
                .map(|(y, &row)| match y == frame % rows.len() {
                    true => Line::from(row.reversed()),
                    false => Line::from(row),
                })
                .collect();
            terminal.process(&draw(&mut painter, &lines, None));
            let mut expected = Buffer::empty(Rect::new(0, 0, SIZE.width, SIZE.height));
            for (y, line) in lines.iter().enumerate() {
                line.clone()
                    .render(Rect::new(0, y as u16, SIZE.width, 1), &mut expected);
            }
            assert_shows(&terminal, &expected, frame);
        }
    }

    #[test]
    fn a_highlighted_wide_character_replaced_has_its_second_column_painted_again() {
        let mut painter = Painter::new(Vec::new(), SIZE);
        draw(&mut painter, &[Line::from("中x".reversed())], None);
        let bytes = draw(&mut painter, &[Line::from("a x")], None);
        assert_eq!(String::from_utf8(bytes).expect("text"), "\x1b[Ha x");
    }

    #[test]
    fn a_line_scrolled_is_a_terminal_scroll_and_one_new_row() {
        let mut painter = Painter::new(Vec::new(), SIZE);
        draw(&mut painter, &page(0), None);
        let bytes = String::from_utf8(draw(&mut painter, &page(1), None)).expect("text");
        assert!(bytes.starts_with("\x1b[2;5r\x1b[S\x1b[r"), "{bytes:?}");
        assert!(
            bytes.ends_with("4 \x1b[mecho") && !bytes.contains("charlie"),
            "{bytes:?}"
        );
    }

    #[test]
    fn an_unchanged_frame_sends_nothing_and_the_cursor_is_told_once() {
        let mut painter = Painter::new(Vec::new(), SIZE);
        let at = Some(Position::new(3, 2));
        let first = draw(&mut painter, &page(0), at);
        assert!(
            first.ends_with(b"\x1b[3;4H\x1b[?25h"),
            "{:?}",
            String::from_utf8_lossy(&first)
        );
        assert_eq!(draw(&mut painter, &page(0), at), b"");
        let hidden = draw(&mut painter, &page(0), None);
        assert_eq!(hidden, b"\x1b[?25l");
        assert_eq!(draw(&mut painter, &page(0), None), b"");
    }

    #[test]
    fn a_resized_terminal_is_cleared_and_drawn_whole() {
        let mut painter = Painter::new(Vec::new(), Size::new(10, 3));
        let mut terminal = screen();
        terminal.process(b"stale text everywhere");
        terminal.process(&draw(&mut painter, &page(0), None));
        let expected: Vec<String> = page(0).iter().map(|l| l.to_string()).collect();
        assert_eq!(text(&terminal), expected);
    }

    #[test]
    fn looks_change_by_what_differs_or_from_the_defaults_whichever_is_shorter() {
        let bold_cyan = Looks::of(Cell::EMPTY.clone().set_style(Style::new().bold().cyan()));
        let cyan = Looks::of(Cell::EMPTY.clone().set_style(Style::new().cyan()));
        let dim_bold_cyan = Looks::of(
            Cell::EMPTY
                .clone()
                .set_style(Style::new().bold().dim().cyan()),
        );
        let sgr = |from: Option<Looks>, to: Looks| {
            let mut pen = Pen {
                at: None,
                looks: from,
            };
            let mut out = Vec::new();
            pen.set_looks(&mut out, to);
            String::from_utf8(out).expect("text")
        };
        assert_eq!(sgr(Some(Looks::DEFAULT), bold_cyan), "\x1b[1;36m");
        assert_eq!(sgr(Some(bold_cyan), cyan), "\x1b[22m");
        assert_eq!(
            sgr(Some(dim_bold_cyan), bold_cyan),
            "\x1b[22;1m",
            "22 ends dim and bold"
        );
        assert_eq!(sgr(Some(bold_cyan), Looks::DEFAULT), "\x1b[m");
        assert_eq!(
            sgr(None, cyan),
            "\x1b[0;36m",
            "unknown looks start from the defaults"
        );
        assert_eq!(sgr(Some(cyan), cyan), "");
    }
}
