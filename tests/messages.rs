//! Every message a person reads exists in both languages, with the same
//! placeholders, and every key the code asks for is in the message files:
//! a missing key would show the key itself to a person.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LANGUAGES: [&str; 2] = ["en", "zh-CN"];

fn files(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extension, found);
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
}

/// Every message of every file: key, then language, then text.
fn messages() -> BTreeMap<String, (String, BTreeMap<String, String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("locales"), "toml", &mut paths);
    assert!(!paths.is_empty(), "no message files under locales/");
    let mut all = BTreeMap::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            table.get("_version").and_then(|v| v.as_integer()),
            Some(2),
            "{name}: `_version = 2` (both languages side by side)"
        );
        walk(&name, "", &table, &mut all);
    }
    all
}

fn walk(
    file: &str,
    prefix: &str,
    table: &toml::Table,
    all: &mut BTreeMap<String, (String, BTreeMap<String, String>)>,
) {
    let is_message = table.values().any(|v| v.is_str());
    if is_message && !prefix.is_empty() {
        let mut texts = BTreeMap::new();
        for (language, text) in table {
            let text = text
                .as_str()
                .unwrap_or_else(|| panic!("{file}: {prefix}.{language} is not text"));
            texts.insert(language.clone(), text.to_string());
        }
        let earlier = all.insert(prefix.to_string(), (file.to_string(), texts));
        assert!(
            earlier.is_none(),
            "{file}: {prefix} is also in {}",
            earlier.unwrap().0
        );
        return;
    }
    for (key, value) in table {
        if key == "_version" {
            continue;
        }
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value.as_table() {
            Some(inner) => walk(file, &path, inner, all),
            None => panic!("{file}: {path} should be a table of languages"),
        }
    }
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("%{") {
        let after = &rest[start + 2..];
        let end = after.find('}').expect("a %{ without its }");
        names.insert(after[..end].to_string());
        rest = &after[end + 1..];
    }
    names
}

/// The keys of every `tr!("key"` in the sources, with where each is.
fn keys_in_sources() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("src"), "rs", &mut paths);
    let mut keys = BTreeMap::new();
    for path in paths {
        let source = std::fs::read_to_string(&path).unwrap();
        let shown = path.strip_prefix(root).unwrap().display().to_string();
        let mut rest = source.as_str();
        while let Some(at) = rest.find("tr!(") {
            let after = rest[at + 4..].trim_start();
            // `include_str!(` ends in `tr!(` too.
            let inside_a_name = rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[at + 4..];
            if inside_a_name {
                continue;
            }
            // The macro's own definition and its doc examples.
            let Some(quoted) = after.strip_prefix('"') else {
                continue;
            };
            let key = &quoted[..quoted.find('"').unwrap()];
            if key == "key" {
                continue;
            }
            keys.entry(key.to_string()).or_insert_with(|| shown.clone());
        }
    }
    keys
}

#[test]
fn every_message_is_in_both_languages_with_the_same_placeholders() {
    let mut faults = Vec::new();
    for (key, (file, texts)) in messages() {
        let languages: BTreeSet<&str> = texts.keys().map(String::as_str).collect();
        if languages != LANGUAGES.into_iter().collect() {
            faults.push(format!(
                "{file}: {key} has {languages:?}, wants {LANGUAGES:?}"
            ));
            continue;
        }
        if texts.values().any(|text| text.trim().is_empty()) {
            faults.push(format!("{file}: {key} is empty in one language"));
        }
        let english = placeholders(&texts["en"]);
        let chinese = placeholders(&texts["zh-CN"]);
        if english != chinese {
            faults.push(format!(
                "{file}: {key} fills {english:?} in English, {chinese:?} in Chinese"
            ));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn every_key_the_code_asks_for_is_written_and_every_written_one_is_asked_for() {
    let written = messages();
    let asked = keys_in_sources();
    let missing: Vec<String> = asked
        .iter()
        .filter(|(key, _)| !written.contains_key(*key))
        .map(|(key, at)| format!("{at}: tr!(\"{key}\") is in no file under locales/"))
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    let unused: Vec<String> = written
        .iter()
        .filter(|(key, _)| !asked.contains_key(*key))
        .map(|(key, (file, _))| format!("{file}: {key} is asked for nowhere in src/"))
        .collect();
    assert!(unused.is_empty(), "{}", unused.join("\n"));
}
