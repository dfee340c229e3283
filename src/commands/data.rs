//! The catalog and the price table every command works from: built in, or
//! read from the files the global `--catalog` and `--prices` name.

use std::path::PathBuf;

use clap::Args;

use super::common::read_file;
use crate::domain::catalog::Catalog;
use crate::domain::pricing::PriceTable;
use crate::exit::{EXIT_FAILURE, Failure};

/// The global options every command is given: where the catalog and price
/// table come from, and whether it may ask questions.
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
}

/// What can be bought and what it costs, as this run knows it, and
/// whether this run may ask.
pub struct Data {
    pub catalog: Catalog,
    pub prices: PriceTable,
    /// `--no-input`: a question that would be asked is a failure instead.
    pub no_input: bool,
}

impl DataArgs {
    /// The built-in tables, or the files the user named, checked.
    pub fn load(&self) -> Result<Data, Failure> {
        let catalog = match &self.catalog {
            None => Catalog::embedded(),
            Some(path) => {
                let text = read_file(path, "catalog")?;
                Catalog::from_json(&text, &path.display().to_string()).map_err(|e| {
                    Failure::new(
                        EXIT_FAILURE,
                        format!(
                            "the catalog {} has mistakes:\n  {}",
                            e.origin,
                            e.problems.join("\n  ")
                        ),
                    )
                })?
            }
        };
        let prices = match &self.prices {
            None => PriceTable::embedded(),
            Some(path) => {
                let text = read_file(path, "price table")?;
                PriceTable::from_json(&text, &path.display().to_string(), &catalog).map_err(
                    |e| {
                        Failure::new(
                            EXIT_FAILURE,
                            format!(
                                "the price table {} has mistakes:\n  {}",
                                e.origin,
                                e.problems.join("\n  ")
                            ),
                        )
                    },
                )?
            }
        };
        Ok(Data {
            catalog,
            prices,
            no_input: self.no_input,
        })
    }
}
