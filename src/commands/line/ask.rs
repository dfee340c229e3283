//! One question at a time on plain lines: the question, its numbered
//! options, and a prompt line; the answer is one line of input. A wrong
//! answer is told why and asked again; nothing else is ever written, so a
//! screen reader (or a log) reads exactly the conversation.

#[cfg(test)]
use std::io::BufRead;
use std::io::{self, IsTerminal, Read, Write};

use crate::exit::{Failure, output_failure};

/// The exit code of a process ended by Ctrl-C (128 + SIGINT), as the
/// wizard's.
const EXIT_INTERRUPTED: i32 = 130;

/// How many columns of a wrong answer are read back: enough to recognise
/// it, short enough that a pasted page does not flood the screen reader.
const ECHO_COLUMNS: usize = 40;

/// A typed answer as a refusal reads it back: whole when short, else its
/// start and how long it was.
pub(super) fn echo(typed: &str) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    let mut cut = typed.len();
    for (at, c) in typed.char_indices() {
        used += c.width().unwrap_or(0);
        if used > ECHO_COLUMNS {
            cut = at;
            break;
        }
    }
    if cut == typed.len() {
        return typed.to_string();
    }
    tr!(
        "line.echo_cut",
        start = &typed[..cut],
        count = typed.chars().count()
    )
}

/// Where answers come from, a line each; `None` once input has ended.
pub(super) trait Answers {
    fn line(&mut self) -> io::Result<Option<String>>;
    /// A line that is not shown as it is typed, where it is typed on a
    /// terminal.
    fn secret_line(&mut self) -> io::Result<Option<String>>;
}

/// Standard input, read a line at a time and never held locked between
/// questions: the purchase engine asks its own rare question on it too.
pub(super) struct Stdin;

impl Answers for Stdin {
    fn line(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line)? {
            0 => Ok(None),
            _ => Ok(Some(line)),
        }
    }

    fn secret_line(&mut self) -> io::Result<Option<String>> {
        if !std::io::stdin().is_terminal() {
            return self.line();
        }
        // Raw mode only turns the terminal's echo off: no byte is written.
        crossterm::terminal::enable_raw_mode()?;
        let typed = unechoed_line();
        let _ = crossterm::terminal::disable_raw_mode();
        typed
    }
}

/// Reads up to Enter with the terminal in raw mode; Backspace takes back
/// the last character, Ctrl-C interrupts, Ctrl-D on an empty line ends.
fn unechoed_line() -> io::Result<Option<String>> {
    let mut typed: Vec<u8> = Vec::new();
    let mut byte = [0u8];
    let mut stdin = std::io::stdin();
    loop {
        if stdin.read(&mut byte)? == 0 {
            return Ok(None);
        }
        match byte[0] {
            b'\r' | b'\n' => break,
            3 => return Err(io::Error::from(io::ErrorKind::Interrupted)),
            4 if typed.is_empty() => return Ok(None),
            8 | 0x7f => {
                // A whole character, however many bytes it took.
                while let Some(last) = typed.pop() {
                    if last & 0xC0 != 0x80 {
                        break;
                    }
                }
            }
            other => typed.push(other),
        }
    }
    Ok(Some(String::from_utf8_lossy(&typed).into_owned()))
}

/// Answers read from any text, secrets included.
#[cfg(test)]
pub(super) struct Given<R>(pub R);

#[cfg(test)]
impl<R: BufRead> Answers for Given<R> {
    fn line(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        match self.0.read_line(&mut line)? {
            0 => Ok(None),
            _ => Ok(Some(line)),
        }
    }

    fn secret_line(&mut self) -> io::Result<Option<String>> {
        self.line()
    }
}

/// Why the questions stopped before an answer.
#[derive(Debug)]
pub(super) enum Stop {
    /// Input ended.
    Ended,
    /// Writing or reading failed, already worded.
    Failed(Failure),
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Self {
        Stop::Failed(failure)
    }
}

pub(super) type Asked<T> = Result<T, Stop>;

/// One option of a numbered question, and why it cannot be chosen when it
/// cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Opt {
    pub label: String,
    pub unavailable: Option<String>,
}

impl Opt {
    pub fn new(label: impl Into<String>) -> Opt {
        Opt {
            label: label.into(),
            unavailable: None,
        }
    }

    pub fn unless(label: impl Into<String>, unavailable: Option<String>) -> Opt {
        Opt {
            label: label.into(),
            unavailable,
        }
    }
}

/// The option to offer first: `current` while it can still be chosen,
/// else the first that can. A current choice that no longer fits is named
/// with its reason, so a person knows why the offer changed.
pub(super) fn default_among(
    opts: &[Opt],
    current: Option<usize>,
    out: &mut dyn Write,
) -> Asked<Option<usize>> {
    if let Some(i) = current
        && let Some(opt) = opts.get(i)
    {
        match &opt.unavailable {
            None => return Ok(Some(i)),
            Some(reason) => writeln!(
                out,
                "{}",
                tr!("line.cleared", choice = opt.label, reason = reason)
            )
            .map_err(output_failure)?,
        }
    }
    Ok(opts.iter().position(|o| o.unavailable.is_none()))
}

pub(super) struct Asker<'a> {
    answers: &'a mut dyn Answers,
    pub out: &'a mut dyn Write,
}

impl<'a> Asker<'a> {
    pub fn new(answers: &'a mut dyn Answers, out: &'a mut dyn Write) -> Asker<'a> {
        Asker { answers, out }
    }

    pub fn say(&mut self, line: &str) -> Asked<()> {
        writeln!(self.out, "{line}").map_err(output_failure)?;
        Ok(())
    }

    fn prompt(&mut self, prompt: &str) -> Asked<()> {
        self.say(prompt)?;
        self.out.flush().map_err(output_failure)?;
        Ok(())
    }

    fn read(&mut self, secret: bool) -> Asked<String> {
        let read = if secret {
            self.answers.secret_line()
        } else {
            self.answers.line()
        };
        match read {
            Ok(Some(line)) => Ok(line.trim().to_string()),
            Ok(None) => Err(Stop::Ended),
            // Ctrl-C while a secret is typed (the terminal's raw mode reads
            // it as a byte): ended as the signal would have ended it.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                let _ = self.say(&tr!("line.interrupted"));
                Err(Stop::Failed(Failure::new(EXIT_INTERRUPTED, "")))
            }
            Err(e) => Err(Stop::Failed(Failure::new(
                crate::exit::EXIT_FAILURE,
                tr!("line.cannot_read", why = crate::exit::io_words(&e)),
            ))),
        }
    }

    /// A numbered question: each option on its line, those that cannot
    /// be chosen with their reason. Enter takes `default` where there is one.
    pub fn choose(&mut self, question: &str, opts: &[Opt], default: Option<usize>) -> Asked<usize> {
        self.say(question)?;
        for (i, opt) in opts.iter().enumerate() {
            let line = match &opt.unavailable {
                None => tr!("line.option", number = i + 1, label = opt.label),
                Some(reason) => tr!(
                    "line.option_unavailable",
                    number = i + 1,
                    label = opt.label,
                    reason = reason
                ),
            };
            self.say(&line)?;
        }
        let last = opts.len();
        let prompt = match default {
            Some(d) => tr!("line.choose_default", last = last, default = d + 1),
            None => tr!("line.choose", last = last),
        };
        loop {
            self.prompt(&prompt)?;
            let answer = self.read(false)?;
            let picked = match (answer.as_str(), default) {
                ("", Some(d)) => Ok(d),
                ("", None) => Err(tr!("line.choose_empty", last = last)),
                (text, _) => match text.parse::<usize>() {
                    Ok(n) if (1..=last).contains(&n) => Ok(n - 1),
                    _ => Err(tr!("line.not_a_choice", answer = echo(text), last = last)),
                },
            };
            match picked {
                Ok(i) => match &opts[i].unavailable {
                    None => return Ok(i),
                    Some(reason) => {
                        self.say(&tr!("line.cannot_choose", number = i + 1, reason = reason))?
                    }
                },
                Err(why) => self.say(&why)?,
            }
        }
    }

    /// A question answered with text: `check` turns the answer (empty for
    /// Enter) into the value, or says why it is not taken.
    pub fn text<T>(
        &mut self,
        prompt: &str,
        check: impl FnMut(&str) -> Result<T, String>,
    ) -> Asked<T> {
        self.checked(prompt, false, check)
    }

    /// [`Asker::text`] for a password or a token: not shown where typed
    /// on a terminal.
    pub fn secret<T>(
        &mut self,
        prompt: &str,
        check: impl FnMut(&str) -> Result<T, String>,
    ) -> Asked<T> {
        self.checked(prompt, true, check)
    }

    fn checked<T>(
        &mut self,
        prompt: &str,
        secret: bool,
        mut check: impl FnMut(&str) -> Result<T, String>,
    ) -> Asked<T> {
        loop {
            self.prompt(prompt)?;
            let answer = self.read(secret)?;
            match check(&answer) {
                Ok(value) => return Ok(value),
                Err(why) => self.say(&tr!("line.not_taken", why = why))?,
            }
        }
    }

    /// A yes-or-no question; Enter takes `default`.
    pub fn yes_no(&mut self, question: &str, default: bool) -> Asked<bool> {
        let prompt = if default {
            tr!("line.yes_no_default_yes", question = question)
        } else {
            tr!("line.yes_no_default_no", question = question)
        };
        self.text(&prompt, |answer| match answer.to_lowercase().as_str() {
            "" => Ok(default),
            "y" | "yes" | "是" => Ok(true),
            "n" | "no" | "否" => Ok(false),
            other => Err(tr!("line.not_yes_no", answer = echo(other))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking<T>(input: &str, run: impl FnOnce(&mut Asker) -> Asked<T>) -> (Asked<T>, String) {
        let mut answers = Given(input.as_bytes());
        let mut out = Vec::new();
        let result = run(&mut Asker::new(&mut answers, &mut out));
        (result, String::from_utf8(out).unwrap())
    }

    fn opts() -> Vec<Opt> {
        vec![
            Opt::new("Apple"),
            Opt::unless("Banana", Some("sold out".into())),
            Opt::new("Cherry"),
        ]
    }

    #[test]
    fn enter_takes_the_default_and_options_show_their_reasons() {
        let (picked, out) = asking("\n", |a| a.choose("Fruit?", &opts(), Some(2)));
        assert_eq!(picked.unwrap(), 2);
        assert_eq!(
            out,
            "Fruit?\n  1. Apple\n  2. Banana (unavailable: sold out)\n  3. Cherry\n\
             Type a number from 1 to 3, or press Enter for 3:\n"
        );
    }

    #[test]
    fn a_wrong_or_unavailable_answer_is_explained_and_asked_again() {
        let (picked, out) = asking("7\n2\nx\n1\n", |a| a.choose("Fruit?", &opts(), None));
        assert_eq!(picked.unwrap(), 0);
        assert!(
            out.contains("\"7\" is not one of the numbers 1 to 3.\n"),
            "{out}"
        );
        assert!(out.contains("2 cannot be chosen: sold out.\n"), "{out}");
        assert!(
            out.contains("\"x\" is not one of the numbers 1 to 3.\n"),
            "{out}"
        );
        assert_eq!(
            out.matches("Type a number from 1 to 3:").count(),
            4,
            "{out}"
        );
    }

    #[test]
    fn end_of_input_stops_the_questions() {
        let (picked, _) = asking("", |a| a.choose("Fruit?", &opts(), Some(0)));
        assert!(matches!(picked, Err(Stop::Ended)));
        let (typed, _) = asking("oops\n", |a| {
            a.text(
                "Name:",
                |t| if t == "ok" { Ok(()) } else { Err("no".into()) },
            )
        });
        assert!(matches!(typed, Err(Stop::Ended)));
    }

    #[test]
    fn a_current_choice_that_no_longer_fits_is_named_and_passed_over() {
        let mut out = Vec::new();
        let default = default_among(&opts(), Some(1), &mut out).ok().flatten();
        assert_eq!(default, Some(0));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "The earlier choice Banana cannot be kept: sold out.\n"
        );
    }

    #[test]
    fn a_long_wrong_answer_is_read_back_cut_by_display_width() {
        let long = "x".repeat(5000);
        let (_, out) = asking(&format!("{long}\nn\n"), |a| a.yes_no("Renew?", true));
        let said = format!(
            "\"{}… (5000 characters)\" is neither y nor n",
            "x".repeat(40)
        );
        assert!(out.contains(&said), "{out}");
        assert!(out.lines().all(|l| l.len() < 200), "{out}");
        // Forty columns are twenty double-width characters.
        let wide = "区".repeat(30);
        let cut = crate::lang::in_language(crate::lang::Lang::Zh, || echo(&wide));
        assert_eq!(cut, format!("{}…（30个字符）", "区".repeat(20)));
        assert_eq!(echo("maybe"), "maybe");
    }

    #[test]
    fn yes_no_reads_the_words_and_the_default() {
        assert!(asking("\n", |a| a.yes_no("Renew?", true)).0.unwrap());
        let (answer, out) = asking("maybe\nn\n", |a| a.yes_no("Renew?", true));
        assert!(!answer.unwrap());
        assert!(out.contains("\"maybe\" is neither y nor n"), "{out}");
    }
}
