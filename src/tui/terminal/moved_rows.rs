//! Rows that moved together from one frame to the next, so the terminal can
//! move them (a scrolling region) instead of being sent them again.

use std::collections::HashMap;
use std::ops::Range;

use ratatui::buffer::{Buffer, Cell};

/// Scrolling rows `rows` of the screen by `by`, up or down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scroll {
    pub rows: Range<u16>,
    pub by: u16,
    pub up: bool,
}

/// About what a scroll costs on the wire (set the region, scroll it,
/// reset it: `ESC[4;21r ESC[1S ESC[r`); below that, repainting is as
/// cheap.
const SCROLL_COST: usize = 16;

/// The one scroll that saves the most cells to send, if any saves more
/// than it costs. Cells stand in for bytes: each changed cell costs at
/// least one.
pub fn find(shown: &Buffer, next: &Buffer) -> Option<Scroll> {
    let width = shown.area.width as usize;
    let height = shown.area.height as usize;
    if shown.area != next.area || width == 0 || height < 2 {
        return None;
    }
    // Equal rows get equal numbers, so comparing rows at every offset
    // costs no more than comparing two numbers.
    let mut ids: HashMap<&[Cell], usize> = HashMap::new();
    let mut id = |cells| {
        let next_id = ids.len();
        *ids.entry(cells).or_insert(next_id)
    };
    let old: Vec<usize> = (0..height).map(|y| id(row(shown, y))).collect();
    let new: Vec<usize> = (0..height).map(|y| id(row(next, y))).collect();
    let blank = vec![Cell::EMPTY; width];
    let changed = |a: &[Cell], b: &[Cell]| a.iter().zip(b).filter(|(a, b)| a != b).count();
    let repaint: Vec<usize> = (0..height)
        .map(|y| changed(row(shown, y), row(next, y)))
        .collect();
    let fill: Vec<usize> = (0..height).map(|y| changed(&blank, row(next, y))).collect();
    let cost = |rows: Range<usize>, of: &[usize]| of[rows].iter().sum::<usize>();

    let mut best: Option<(usize, Scroll)> = None;
    for by in 1..height {
        for up in [true, false] {
            // New row y shows what old row `from(y)` showed.
            let from = |y: usize| if up { y + by } else { y - by };
            let ys = if up { 0..height - by } else { by..height };
            let mut start = None;
            for y in ys.start..=ys.end {
                let same = y < ys.end && new[y] == old[from(y)];
                match (same, start) {
                    (true, None) => start = Some(y),
                    (false, Some(first)) => {
                        start = None;
                        // Rows first..y arrive by the scroll; the rows it
                        // uncovers come in blank and are painted.
                        let (region, uncovered) = if up {
                            (first..y + by, y..y + by)
                        } else {
                            (first - by..y, first - by..first)
                        };
                        let saved =
                            cost(region.clone(), &repaint).saturating_sub(cost(uncovered, &fill));
                        if saved > SCROLL_COST && best.as_ref().is_none_or(|(s, _)| saved > *s) {
                            let scroll = Scroll {
                                rows: region.start as u16..region.end as u16,
                                by: by as u16,
                                up,
                            };
                            best = Some((saved, scroll));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    best.map(|(_, scroll)| scroll)
}

fn row(buf: &Buffer, y: usize) -> &[Cell] {
    let width = buf.area.width as usize;
    &buf.content[y * width..(y + 1) * width]
}

impl Scroll {
    /// What the scroll does to the screen: the rows move, and the rows
    /// they leave come in blank (the colours are reset after every frame,
    /// so blank means the default colours).
    pub fn apply(&self, buf: &mut Buffer) {
        let width = buf.area.width as usize;
        let cells =
            &mut buf.content[self.rows.start as usize * width..self.rows.end as usize * width];
        let by = (self.by as usize * width).min(cells.len());
        let len = cells.len();
        if self.up {
            cells.rotate_left(by);
            cells[len - by..].fill(Cell::EMPTY);
        } else {
            cells.rotate_right(by);
            cells[..by].fill(Cell::EMPTY);
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::*;

    /// A frame with a fixed first and last row and `body` rows between.
    fn frame(body: &[&str]) -> Buffer {
        let mut lines = vec!["header".to_string()];
        lines.extend(body.iter().map(|l| l.to_string()));
        lines.push("footer".to_string());
        Buffer::with_lines(lines)
    }

    /// Rows of text, each unlike the others.
    fn body(first: usize) -> Vec<String> {
        let words = "the quick brown fox jumps over a lazy dog again and again today";
        (first..first + 8)
            .map(|n| {
                words
                    .split(' ')
                    .cycle()
                    .skip(n)
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    fn refs(lines: &[String]) -> Vec<&str> {
        lines.iter().map(String::as_str).collect()
    }

    #[test]
    fn rows_that_moved_up_by_one_are_scrolled_between_the_fixed_rows() {
        let shown = frame(&refs(&body(0)));
        let next = frame(&refs(&body(1)));
        let scroll = find(&shown, &next).expect("the body moved");
        assert_eq!(
            scroll,
            Scroll {
                rows: 1..9,
                by: 1,
                up: true
            }
        );
        let mut scrolled = shown.clone();
        scroll.apply(&mut scrolled);
        for y in 1..8 {
            assert_eq!(
                row(&scrolled, y),
                row(&next, y),
                "row {y} arrived by the scroll"
            );
        }
        assert!(row(&scrolled, 8).iter().all(|c| *c == Cell::EMPTY));
        assert_eq!(row(&scrolled, 0), row(&next, 0));
        assert_eq!(row(&scrolled, 9), row(&next, 9));
    }

    #[test]
    fn rows_that_moved_down_a_page_are_scrolled_down() {
        let shown = frame(&refs(&body(5)));
        let next = frame(&refs(&body(0)));
        let scroll = find(&shown, &next).expect("the body moved");
        assert_eq!(
            scroll,
            Scroll {
                rows: 1..9,
                by: 5,
                up: false
            }
        );
        let mut scrolled = shown.clone();
        scroll.apply(&mut scrolled);
        for y in 6..9 {
            assert_eq!(row(&scrolled, y), row(&next, y));
        }
    }

    #[test]
    fn nothing_is_scrolled_when_nothing_moved_or_too_little_would_be_saved() {
        let shown = frame(&refs(&body(0)));
        assert_eq!(find(&shown, &shown.clone()), None);
        let other: Vec<String> = (0..8).map(|n| format!("other {n}")).collect();
        assert_eq!(find(&shown, &frame(&refs(&other))), None);
        // One short row moving is cheaper to send again than to scroll.
        let short_shown = Buffer::with_lines(["a", "b", " "]);
        let short_next = Buffer::with_lines(["b", " ", " "]);
        assert_eq!(find(&short_shown, &short_next), None);
        let resized = Buffer::empty(Rect::new(0, 0, 3, 3));
        assert_eq!(find(&shown, &resized), None);
    }
}
