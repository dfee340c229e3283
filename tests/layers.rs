//! The library's layers point one way: a module may use its own layer and
//! the layers below it, never one above. The ranks, bottom to top, are in
//! `LAYERS`; a new top-level module has to be placed there before it builds
//! green, so nobody adds a layer without saying where it sits.
//!
//! The scan reads every `src/**/*.rs`, drops comments and literals, and
//! resolves each `crate::…` path and each `super::…` path (through inline
//! modules such as `mod tests`) to the top-level module it names.

use std::fmt;
use std::path::{Path, PathBuf};

/// Bottom to top. Layers of one rank are peers: neither may use the other.
const LAYERS: &[(&str, u8)] = &[
    ("lang", 0),
    ("secret", 1),
    ("domain", 1),
    ("io_text", 1),
    ("api", 2),
    ("sandbox", 3),
    ("config", 3),
    ("tui", 4),
    ("exit", 5),
    ("commands", 6),
    ("cli", 7),
];

fn rank(layer: &str) -> Option<u8> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == layer)
        .map(|(_, r)| *r)
}

#[derive(Debug, PartialEq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    to: String,
    why: &'static str,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}: `{}` is {}", self.file, self.from, self.why)
        } else {
            write!(
                f,
                "{}:{}: `{}` uses `crate::{}`, {}",
                self.file, self.line, self.from, self.to, self.why
            )
        }
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Semi,
    Other,
}

/// Identifiers and the punctuation that shapes paths, with their lines;
/// comments, strings and character literals are dropped, so words inside
/// them (a doc comment naming `crate::cli`, say) are not imports.
fn tokens(source: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let count_lines = |from: usize, to: usize, line: &mut usize| {
        *line += chars[from..to].iter().filter(|c| **c == '\n').count();
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let start = i;
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            count_lines(start, i.min(chars.len()), &mut line);
        } else if let Some(end) = raw_string_end(&chars, i) {
            count_lines(i, end, &mut line);
            i = end;
        } else if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            count_lines(start, i.min(chars.len()), &mut line);
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}'), or a lifetime.
            if next == Some('\\') {
                // Past the quote, the backslash and the escaped character.
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && is_ident_char(chars[i]) {
                    i += 1;
                }
            }
        } else if is_ident_char(c) {
            let start = i;
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push((Token::Ident(word), line));
        } else if c == ':' && next == Some(':') {
            out.push((Token::PathSep, line));
            i += 2;
        } else {
            let token = match c {
                '{' => Token::Open,
                '}' => Token::Close,
                ',' => Token::Comma,
                ';' => Token::Semi,
                _ => Token::Other,
            };
            out.push((token, line));
            i += 1;
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at `i` ends.
fn raw_string_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    if i > 0 && is_ident_char(chars[i - 1]) {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|c| **c == '#').count();
    j += hashes;
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"' && chars[j + 1..].iter().take(hashes).all(|c| *c == '#') {
            let end = j + 1 + hashes;
            if end <= chars.len() {
                return Some(end);
            }
        }
        j += 1;
    }
    Some(chars.len())
}

/// The module path of a file under `src/`: `tui/screens/mod.rs` is
/// `[tui, screens]`, `api/client.rs` is `[api, client]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().expect("a file name");
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    } else if stem == "main" {
        parts.push("main".to_string());
    }
    parts
}

/// Every layer a file's paths reach outside its own, with the line.
fn references(module: &[String], source: &str) -> Vec<(String, usize)> {
    let tokens = tokens(source);
    let mut found = Vec::new();
    // Inline modules (`mod tests { … }`) deepen the path `super` climbs.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let (token, line) = &tokens[i];
        match token {
            Token::Open => depth += 1,
            Token::Close => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Token::Ident(word) if word == "mod" => {
                if let (Some((Token::Ident(name), _)), Some((Token::Open, _))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    inline.push((name.clone(), depth));
                }
            }
            Token::Ident(word) if word == "crate" || word == "super" => {
                let preceded_by_sep = i > 0 && tokens[i - 1].0 == Token::PathSep;
                if !preceded_by_sep && tokens.get(i + 1).map(|t| &t.0) == Some(&Token::PathSep) {
                    let mut here: Vec<String> = module
                        .iter()
                        .cloned()
                        .chain(inline.iter().map(|(n, _)| n.clone()))
                        .collect();
                    let mut j = i;
                    let absolute = word == "crate";
                    if absolute {
                        here.clear();
                        j += 2;
                    } else {
                        while tokens.get(j).map(|t| &t.0) == Some(&Token::Ident("super".into()))
                            && tokens.get(j + 1).map(|t| &t.0) == Some(&Token::PathSep)
                        {
                            here.pop();
                            j += 2;
                        }
                    }
                    let first_segments = next_segments(&tokens, j);
                    for segment in first_segments {
                        let top = here.first().cloned().unwrap_or(segment);
                        found.push((top, *line));
                    }
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The first segment after a path separator: one identifier, or, for a
/// `{ … }` group, the first identifier of each of its trees.
fn next_segments(tokens: &[(Token, usize)], at: usize) -> Vec<String> {
    match tokens.get(at).map(|t| &t.0) {
        Some(Token::Ident(name)) => vec![name.clone()],
        Some(Token::Open) => {
            let mut names = Vec::new();
            let mut nesting = 0;
            let mut expect_tree = true;
            for (token, _) in &tokens[at..] {
                match token {
                    Token::Open => {
                        nesting += 1;
                        expect_tree = nesting == 1;
                    }
                    Token::Close => {
                        nesting -= 1;
                        if nesting == 0 {
                            break;
                        }
                    }
                    Token::Comma if nesting == 1 => expect_tree = true,
                    Token::Ident(name) if nesting == 1 && expect_tree => {
                        if name != "self" {
                            names.push(name.clone());
                        }
                        expect_tree = false;
                    }
                    _ => {
                        if nesting == 1 {
                            expect_tree = false;
                        }
                    }
                }
            }
            names
        }
        _ => Vec::new(),
    }
}

/// Every upward (or sideways, between peers) use in one file.
fn violations(file: &str, module: &[String], source: &str) -> Vec<Violation> {
    let Some(own) = module.first() else {
        // The crate root only declares the layers.
        return Vec::new();
    };
    if own == "main" {
        return Vec::new();
    }
    let Some(own_rank) = rank(own) else {
        return vec![Violation {
            file: file.to_string(),
            line: 1,
            from: own.clone(),
            to: own.clone(),
            why: "a top-level module that tests/layers.rs does not place: add it to LAYERS",
        }];
    };
    references(module, source)
        .into_iter()
        .filter(|(to, _)| to != own)
        .filter_map(|(to, line)| {
            let why = match rank(&to) {
                None => "which is not a placed layer: add it to LAYERS in tests/layers.rs",
                Some(r) if r > own_rank => "a layer above it",
                Some(r) if r == own_rank => "a peer layer: peers do not use each other",
                Some(_) => return None,
            };
            Some(Violation {
                file: file.to_string(),
                line,
                from: own.clone(),
                to,
                why,
            })
        })
        .collect()
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_layer_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 20, "found only {} files in src/", files.len());
    let mut all = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&src).expect("under src/");
        let source = std::fs::read_to_string(path).expect("a readable source file");
        let name = format!("src/{}", relative.display());
        all.extend(violations(&name, &module_path(relative), &source));
    }
    let report: Vec<String> = all.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} use(s) against the layering:\n{}",
        report.len(),
        report.join("\n")
    );
}

fn module(path: &str) -> Vec<String> {
    module_path(Path::new(path))
}

#[test]
fn an_upward_use_is_named_with_its_file_and_line() {
    let source = "//! Uses `crate::cli` only in words.\n\
                  use crate::domain::order::Draft;\n\
                  use crate::cli::WizardArgs;\n";
    let found = violations("src/tui/launch.rs", &module("tui/launch.rs"), source);
    assert_eq!(
        found,
        vec![Violation {
            file: "src/tui/launch.rs".into(),
            line: 3,
            from: "tui".into(),
            to: "cli".into(),
            why: "a layer above it",
        }]
    );
    assert_eq!(
        found[0].to_string(),
        "src/tui/launch.rs:3: `tui` uses `crate::cli`, a layer above it"
    );
}

#[test]
fn grouped_and_inline_paths_are_found() {
    let source = "use crate::{api::client::Client, exit::{self, Failure}};\n\
                  fn f() { let _ = crate::commands::common::ask; }\n";
    let found: Vec<String> = violations("src/sandbox/x.rs", &module("sandbox/x.rs"), source)
        .into_iter()
        .map(|v| v.to)
        .collect();
    assert_eq!(found, ["exit", "commands"]);
}

#[test]
fn super_that_climbs_out_of_a_layer_is_resolved() {
    // From the root module of a layer, `super::` is the crate itself.
    let climbing = "use super::cli::Cli;\n";
    let found = violations("src/tui/mod.rs", &module("tui/mod.rs"), climbing);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].to, "cli");
    // Inside a file's own `mod tests`, two supers stay in the layer.
    let staying = "#[cfg(test)]\nmod tests {\n    use super::super::orders::CURRENCY;\n}\n";
    let inside = violations(
        "src/sandbox/command.rs",
        &module("sandbox/command.rs"),
        staying,
    );
    assert!(inside.is_empty(), "{inside:?}");
    // Three climb out of `sandbox::command::tests` to the crate root.
    let out = "mod tests {\n    use super::super::super::tui::App;\n}\n";
    let found = violations("src/sandbox/command.rs", &module("sandbox/command.rs"), out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].to, "tui");
}

#[test]
fn strings_comments_and_lifetimes_hide_nothing_and_show_nothing() {
    let source = "/* crate::cli */ const A: &str = \"crate::cli\";\n\
                  const B: &str = r#\"crate::commands \"quoted\"\"#;\n\
                  fn f<'a>(x: &'a str) -> char { let _ = x; '\"' }\n\
                  use crate::exit::Failure;\n";
    let found = violations("src/api/x.rs", &module("api/x.rs"), source);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].to.as_str(), found[0].line), ("exit", 4));
}

#[test]
fn peers_do_not_use_each_other_and_new_layers_must_be_placed() {
    let peer = violations(
        "src/domain/x.rs",
        &module("domain/x.rs"),
        "use crate::secret::Secret;",
    );
    assert_eq!(peer.len(), 1);
    assert!(peer[0].why.contains("peer"));
    let unplaced = violations("src/extra.rs", &module("extra.rs"), "");
    assert_eq!(unplaced.len(), 1);
    assert!(unplaced[0].why.contains("LAYERS"));
    let downward = "use crate::tui::App;\nuse crate::exit::Failure;\nuse super::common::ask;";
    assert!(
        violations(
            "src/commands/order.rs",
            &module("commands/order.rs"),
            downward
        )
        .is_empty()
    );
}

#[test]
fn an_escaped_quote_ends_its_character_literal() {
    let source = "const Q: char = '\\'';\nuse crate::cli::Cli;\n";
    let found = violations("src/tui/x.rs", &module("tui/x.rs"), source);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 2);
}
