//! `flexus man [COMMAND]`: a manual page, in roff, for `man -l` or a man
//! directory: flexus's own, or one command's with all its flags.

use std::io::Write;

use clap::Args;

use crate::exit::{EXIT_FAILURE, EXIT_INVALID, Failure, output_failure};

#[derive(Debug, Args)]
#[command(after_help = "Read it now:  flexus man | man -l -\n\
    Install them: flexus man > ~/.local/share/man/man1/flexus.1\n              \
    flexus man order > ~/.local/share/man/man1/flexus-order.1   (and so on)")]
pub struct ManArgs {
    /// Only this command's page (e.g. order), with all of its flags
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

impl ManArgs {
    /// Writes the page of `command`, the whole command line as `cli` builds
    /// it (commands cannot see `cli`, so it is handed in), or of one of its
    /// commands.
    pub fn write(self, mut command: clap::Command, out: &mut dyn Write) -> Result<(), Failure> {
        // Building names each command as its page does: "flexus-order".
        command.build();
        let source = format!(
            "{} {}",
            command.get_name(),
            command.get_version().unwrap_or_default()
        );
        let page_of = match &self.command {
            None => command,
            Some(name) => command
                .get_subcommands()
                .find(|sub| sub.get_name() == name && !sub.is_hide_set())
                .cloned()
                .ok_or_else(|| {
                    Failure::new(
                        EXIT_INVALID,
                        tr!("cmd.man.no_command", name = format!("{name:?}")),
                    )
                })?,
        };
        let mut page = Vec::new();
        clap_mangen::Man::new(page_of)
            .source(source)
            .render(&mut page)
            .map_err(|e| Failure::new(EXIT_FAILURE, tr!("cmd.man.cannot_write", why = e)))?;
        out.write_all(&page).map_err(output_failure)
    }
}
