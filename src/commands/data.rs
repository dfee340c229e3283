//! The catalog and the price table every command works from: built in, or
//! read from the files the global `--catalog` and `--prices` name.

use std::path::PathBuf;

use clap::Args;

use super::common::{FileKind, read_file};
use crate::config::{self, Asked, ChosenProfile, ENV_PROFILE};
use crate::domain::catalog::Catalog;
use crate::domain::pricing::PriceTable;
use crate::exit::{EXIT_FAILURE, Failure, io_words};

/// The global options every command is given: where the catalog and price
/// table come from, whether it may ask questions, and which profile of the
/// config file it runs with.
#[derive(Debug, Args, Clone, Default)]
pub struct DataArgs {
    /// Never ask a question: fail instead, naming the flag that answers it (--yes), even on a terminal
    #[arg(long, global = true)]
    pub no_input: bool,

    /// Use this catalog instead of the built-in one (same format as assets/catalog.json)
    #[arg(long, global = true, value_name = "FILE")]
    pub catalog: Option<PathBuf>,

    /// Use this price table instead of the built-in one (same format as assets/prices.json)
    #[arg(long, global = true, value_name = "FILE")]
    pub prices: Option<PathBuf>,

    /// Use this profile of the config file ($XDG_CONFIG_HOME/flexus/config.toml, or FLEXUS_CONFIG) [env: FLEXUS_PROFILE] [default: the profile named default, if any]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
}

/// What can be bought and what it costs, as this run knows it, and
/// whether this run may ask.
pub struct Data {
    pub catalog: Catalog,
    pub prices: PriceTable,
    /// `--no-input`: a question that would be asked is a failure instead.
    pub no_input: bool,
    /// The config file's profile this run uses, if any: flags and the
    /// environment still win over it.
    pub profile: Option<ChosenProfile>,
}

impl DataArgs {
    /// The built-in tables, or the files the user named, checked.
    pub fn load(&self) -> Result<Data, Failure> {
        let catalog = match &self.catalog {
            None => Catalog::embedded(),
            Some(path) => {
                let text = read_file(path, FileKind::Catalog)?;
                Catalog::from_json(&text, &path.display().to_string()).map_err(|e| {
                    Failure::new(
                        EXIT_FAILURE,
                        tr!(
                            "cmd.data.catalog_mistakes",
                            origin = &e.origin,
                            problems = e.problems.join("\n  ")
                        ),
                    )
                })?
            }
        };
        let prices = match &self.prices {
            None => PriceTable::embedded(),
            Some(path) => {
                let text = read_file(path, FileKind::PriceTable)?;
                PriceTable::from_json(&text, &path.display().to_string(), &catalog).map_err(
                    |e| {
                        Failure::new(
                            EXIT_FAILURE,
                            tr!(
                                "cmd.data.prices_mistakes",
                                origin = &e.origin,
                                problems = e.problems.join("\n  ")
                            ),
                        )
                    },
                )?
            }
        };
        let profile = self.profile()?;
        if let Some(chosen) = &profile
            && let Some(region) = &chosen.settings.region
            && let Err(reason) = catalog.check_region(region.get_ref())
        {
            return Err(Failure::new(
                EXIT_FAILURE,
                tr!(
                    "cmd.data.profile_region",
                    place = chosen.place_of(region),
                    why = reason,
                    profile = chosen.described()
                ),
            ));
        }
        Ok(Data {
            catalog,
            prices,
            no_input: self.no_input,
            profile,
        })
    }

    /// The profile `--profile`, `FLEXUS_PROFILE` or the name `default`
    /// selects from the config file, read here so the parsing stays pure.
    fn profile(&self) -> Result<Option<ChosenProfile>, Failure> {
        let asked = match (&self.profile, std::env::var(ENV_PROFILE)) {
            (Some(name), _) => Asked::Flag(name.clone()),
            (None, Ok(name)) if !name.trim().is_empty() => Asked::Env(name.trim().to_string()),
            _ => Asked::Nobody,
        };
        let Some(file) = config_path() else {
            return match asked {
                Asked::Nobody => Ok(None),
                _ => Err(Failure::new(EXIT_FAILURE, tr!("cmd.data.no_config_dir"))),
            };
        };
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Failure::new(
                    EXIT_FAILURE,
                    tr!(
                        "cmd.data.cannot_read_config",
                        path = file.display(),
                        why = io_words(&e)
                    ),
                ));
            }
        };
        config::choose(&asked, &file, text.as_deref())
            .map_err(|e| Failure::new(EXIT_FAILURE, e.to_string()))
    }
}

/// Where the config file is: `FLEXUS_CONFIG`, else
/// `$XDG_CONFIG_HOME/flexus/config.toml` (the platform's config directory).
fn config_path() -> Option<PathBuf> {
    if let Some(file) = std::env::var_os(config::ENV_CONFIG).filter(|f| !f.is_empty()) {
        return Some(PathBuf::from(file));
    }
    let dirs = directories::ProjectDirs::from("", "", "flexus")?;
    Some(dirs.config_dir().join("config.toml"))
}
