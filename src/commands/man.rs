//! `flexus man`: the manual page, in roff, for `man -l` or a man directory.

use std::io::Write;

use clap::Args;

use crate::exit::{EXIT_FAILURE, Failure, output_failure};

#[derive(Debug, Args)]
#[command(after_help = "Read it now:  flexus man | man -l -\n\
    Install it:   flexus man > ~/.local/share/man/man1/flexus.1")]
pub struct ManArgs {}

impl ManArgs {
    /// Writes the page of `command`, the whole command line as `cli` builds
    /// it (commands cannot see `cli`, so it is handed in). Each command's
    /// own flags are in its `--help`, which the page names.
    pub fn write(self, command: clap::Command, out: &mut dyn Write) -> Result<(), Failure> {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(|e| Failure::new(EXIT_FAILURE, format!("cannot write the manual: {e}")))?;
        out.write_all(&page).map_err(output_failure)
    }
}
