//! The help texts of the command line in the run's language. English is
//! written once, as the doc comments clap reads; this table gives every
//! command and argument its text from the message files, so keys stay
//! literals that `tests/messages.rs` can find. A test in `cli` (which
//! builds the whole command line) walks every command and argument clap
//! knows and checks each has an entry here whose English is the doc
//! comment's, so the two cannot drift apart.

use crate::lang::{self, Lang};

/// The about line of `command` ("flexus" for the program itself).
pub fn about(command: &str) -> Option<String> {
    Some(match command {
        "flexus" => tr!("cmd.help.flexus.about"),
        "catalog" => tr!("cmd.help.catalog.about"),
        "order" => tr!("cmd.help.order.about"),
        "status" => tr!("cmd.help.status.about"),
        "orders" => tr!("cmd.help.orders.about"),
        "pay" => tr!("cmd.help.pay.about"),
        "cancel" => tr!("cmd.help.cancel.about"),
        "claim" => tr!("cmd.help.claim.about"),
        "dismiss" => tr!("cmd.help.dismiss.about"),
        "resend" => tr!("cmd.help.resend.about"),
        "abandon" => tr!("cmd.help.abandon.about"),
        "sandbox" => tr!("cmd.help.sandbox.about"),
        "completions" => tr!("cmd.help.completions.about"),
        "man" => tr!("cmd.help.man.about"),
        _ => return None,
    })
}

/// The help of argument `arg` (clap's id: the field's name) of `command`.
/// Arguments shared by several commands (the endpoints, the global flags)
/// read the same wherever they appear.
pub fn argument(command: &str, arg: &str) -> Option<String> {
    Some(match (command, arg) {
        // The global flags, and the wizard's (flexus without a command).
        (_, "no_input") => tr!("cmd.help.arg.no_input"),
        (_, "catalog") => tr!("cmd.help.arg.catalog"),
        (_, "prices") => tr!("cmd.help.arg.prices"),
        (_, "profile") => tr!("cmd.help.arg.profile"),
        (_, "debug") => tr!("cmd.help.arg.debug"),
        (_, "lang") => tr!("cmd.help.arg.lang"),
        ("flexus", "plan") => tr!("cmd.help.flexus.plan"),
        ("flexus", "sandbox") => tr!("cmd.help.flexus.sandbox"),
        ("flexus", "mouse") => tr!("cmd.help.flexus.mouse"),
        ("flexus", "accessible") => tr!("line.help.accessible"),
        // How to reach the services, for every command that does.
        (_, "hcss_endpoint") => tr!("cmd.help.arg.hcss_endpoint"),
        (_, "bss_endpoint") => tr!("cmd.help.arg.bss_endpoint"),
        (_, "iam_endpoint") => tr!("cmd.help.arg.iam_endpoint"),
        (_, "token_file") => tr!("cmd.help.arg.token_file"),
        (_, "bss_token_file") => tr!("cmd.help.arg.bss_token_file"),
        (_, "timeout") => tr!("cmd.help.arg.timeout"),
        (_, "client_request_id") => tr!("cmd.help.arg.client_request_id"),
        ("catalog", "region") => tr!("cmd.help.catalog.region"),
        ("catalog", "json") => tr!("cmd.help.catalog.json"),
        ("order", "plan") => tr!("cmd.help.order.plan"),
        ("order", "skeleton") => tr!("cmd.help.order.skeleton"),
        ("order", "dry_run") => tr!("cmd.help.order.dry_run"),
        ("order", "yes") => tr!("cmd.help.order.yes"),
        ("order", "separate_purchase") => tr!("cmd.help.order.separate_purchase"),
        ("order", "json") => tr!("cmd.help.order.json"),
        ("status", "order_id") => tr!("cmd.help.status.order_id"),
        ("status", "watch") => tr!("cmd.help.status.watch"),
        ("status", "json") => tr!("cmd.help.status.json"),
        ("orders", "json") => tr!("cmd.help.orders.json"),
        ("orders", "all") => tr!("cmd.help.orders.all"),
        ("pay" | "cancel", "order_id") => tr!("cmd.help.arg.pending_order_id"),
        ("pay", "yes") => tr!("cmd.help.pay.yes"),
        ("cancel", "yes") => tr!("cmd.help.cancel.yes"),
        ("resend", "yes") => tr!("cmd.help.resend.yes"),
        ("abandon", "yes") => tr!("cmd.help.abandon.yes"),
        ("pay" | "cancel" | "resend", "json") => tr!("cmd.help.arg.json_progress"),
        ("claim" | "dismiss" | "abandon", "json") => tr!("cmd.help.arg.json_result"),
        ("claim", "order_id") => tr!("cmd.help.claim.order_id"),
        ("dismiss", "order_id") => tr!("cmd.help.dismiss.order_id"),
        ("sandbox", "listen") => tr!("cmd.help.sandbox.listen"),
        ("sandbox", "faults") => tr!("cmd.help.sandbox.faults"),
        ("sandbox", "complete_after") => tr!("cmd.help.sandbox.complete_after"),
        ("sandbox", "latency") => tr!("cmd.help.sandbox.latency"),
        ("sandbox", "require_mfa") => tr!("cmd.help.sandbox.require_mfa"),
        ("completions", "shell") => tr!("cmd.help.completions.shell"),
        ("man", "command") => tr!("cmd.help.man.command"),
        _ => return None,
    })
}

/// The text after a command's options (before its exit codes, which
/// `exit::exit_codes_help` words), where the command has one.
pub fn after(command: &str) -> Option<String> {
    Some(match command {
        "order" => tr!("cmd.help.order.after"),
        "pay" => tr!("cmd.help.pay.after"),
        "cancel" => tr!("cmd.help.cancel.after"),
        "claim" | "dismiss" => tr!("cmd.help.claim.after"),
        "resend" => tr!("cmd.help.resend.after"),
        "abandon" => tr!("cmd.help.abandon.after"),
        "completions" => tr!("cmd.help.completions.after"),
        "man" => tr!("cmd.help.man.after"),
        _ => return None,
    })
}

/// The text `--help` (not `-h`) shows after a command's options, where
/// the command has one of its own.
pub fn after_long(command: &str) -> Option<String> {
    Some(match command {
        "sandbox" => tr!("cmd.help.sandbox.after_long"),
        _ => return None,
    })
}

/// The command line with every text from the table above, in the run's
/// language; in English it is left as clap read it from the doc comments.
pub fn localized(command: clap::Command) -> clap::Command {
    if lang::current() == Lang::En {
        return command;
    }
    let mut command = words_of("flexus", command)
        .long_about(tr!("cmd.help.flexus.long_about"))
        .mut_subcommands(|sub| {
            let name = sub.get_name().to_string();
            words_of(&name, sub)
        });
    // clap adds its own `help` subcommand, about line in English, only
    // when it builds the command; built here, it gets the run's words.
    command.build();
    command.mut_subcommand("help", |help| help.about(tr!("cmd.help.help.about")))
}

fn words_of(name: &str, mut command: clap::Command) -> clap::Command {
    if let Some(text) = about(name) {
        command = command.about(text);
    }
    if let Some(text) = after(name) {
        command = command.after_help(text);
    }
    if let Some(text) = after_long(name) {
        command = command.after_long_help(text);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(text) = argument(name, &id) {
            command = command.mut_arg(id, |arg| with_default_in_words(arg.help(text)));
        }
    }
    command
}

/// clap writes a default as `[default: 30]` in English; where the help is
/// in another language the default is written in it instead, once.
fn with_default_in_words(arg: clap::Arg) -> clap::Arg {
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if defaults.is_empty() || arg.is_hide_default_value_set() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let shown = tr!("cmd.help.default", value = defaults.join(" "));
    arg.hide_default_value(true).help(format!("{help}{shown}"))
}
