//! `flexus completions SHELL`: the shell's completion script for every
//! command and flag, printed for the user to install (README, "Installing").

use std::io::Write;

use clap::Args;
use clap_complete::Shell;

use crate::exit::{Failure, output_failure};

#[derive(Debug, Args)]
#[command(after_help = "Install it, for example:\n  \
    bash: flexus completions bash > ~/.local/share/bash-completion/completions/flexus\n  \
    zsh:  flexus completions zsh > ~/.zfunc/_flexus   (with ~/.zfunc in fpath)\n  \
    fish: flexus completions fish > ~/.config/fish/completions/flexus.fish")]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: Shell,
}

impl CompletionsArgs {
    /// Writes the script for `command`, the whole command line as `cli`
    /// builds it (commands cannot see `cli`, so it is handed in).
    pub fn write(self, command: &mut clap::Command, out: &mut dyn Write) -> Result<(), Failure> {
        let name = command.get_name().to_string();
        let mut script = Vec::new();
        clap_complete::generate(self.shell, command, name, &mut script);
        out.write_all(&script).map_err(output_failure)
    }
}
