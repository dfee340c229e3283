//! `flexus order --plan FILE`: check the plan, look for an unresolved
//! double, confirm, submit, follow (`--dry-run`: only check it).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::common::{
    Act, ConnectArgs, FileKind, Session, Unbreakable, api_failure, confirm, confirm_typed, connect,
    read_file, within_spending_limit,
};
use super::json::{self, DryRunJson, ProblemJson};
use super::placing::{Start, place};
use super::{Data, Execute};
use crate::api::ids::ClientRequestId;
use crate::api::journal::PurchaseRecord;
use crate::api::purchase;
use crate::domain::catalog::Catalog;
use crate::domain::order::{Draft, Problem, RequestBody};
use crate::domain::pricing::PriceTable;
use crate::domain::skeleton::skeleton_plan;
use crate::domain::summary::Summary;
use crate::domain::when::dated_stamp;
use crate::exit::{
    EXIT_FAILURE, EXIT_INVALID, EXIT_UNKNOWN_OUTCOME, Failure, io_words, output_failure,
};

/// What a plan looks like, for `flexus order --help`. The test suite runs the
/// example through `--dry-run`, so it stays a valid plan.
const ORDER_HELP: &str = r#"A plan is the purchase request body as JSON, for example:
  {
    "instance_name": "web-01",
    "plan_spec": "hf.large.1.30m.linux",
    "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
    "region": "ap-southeast-3",
    "period_type": "month",
    "period_num": 1
  }
Optional fields: description, purchase_quantity (1 to 200), is_auto_renew,
is_auto_pay, extra_resources ([{"type": "evs", "size": 20}, {"type": "hss"}]),
tags ([{"key": "env", "value": "prod"}]). For a private image, give
"image_ref": {"image_id": "..."} instead. `flexus catalog` lists regions,
images, versions and specification codes. `flexus order --skeleton` prints
a plan with every field to start from; `--plan -` reads one from standard
input (then give --yes: there is no terminal left to ask on).

Before sending, flexus looks in its journal for an earlier purchase of the
same order whose outcome is unknown (an answer lost, a process killed while
sending). If there is one, nothing is sent: it shows that purchase and what
the order list holds now, and the ways on: `flexus claim` an order it placed,
`flexus resend` it with its own Client-Request-Id, or --separate-purchase.

Exit codes: 0 completed; 1 refused, failed or cancelled; 2 invalid plan or
usage; 3 outcome unknown (the answer was lost and the purchase was not sent
again, the order was placed but could not be followed to its end, or an
earlier purchase of the same order is unresolved: check `flexus orders` and
`flexus status`); 4 placed and waiting for payment (`flexus pay`); 5 placed,
but the journal could not record it (the order ID is printed)."#;

#[derive(Debug, Args)]
#[command(after_help = ORDER_HELP)]
pub struct OrderArgs {
    /// The plan: a JSON file with the request body's fields (format below); - reads it from standard input
    #[arg(long, value_name = "FILE", required_unless_present = "skeleton")]
    pub plan: Option<PathBuf>,

    /// Print an example plan with every field of the request body, to edit and use with --plan
    #[arg(long, conflicts_with_all = ["plan", "dry_run", "yes", "separate_purchase"])]
    pub skeleton: bool,

    /// Check the plan and print the request body it makes; send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Place the order without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,

    /// This is a separate, additional purchase, even though an earlier purchase of the same order has an unknown outcome
    #[arg(long)]
    pub separate_purchase: bool,

    /// Print the result as one JSON object on standard output (with --dry-run: the body or the plan's problems); progress goes to standard error
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

impl Execute for OrderArgs {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let Some(plan) = self.plan.as_deref().filter(|_| !self.skeleton) else {
            return skeleton(&data.catalog, out);
        };
        json::telling_once(self.json, out, |told, out| {
            if self.dry_run {
                dry_run(&data.catalog, &data.prices, plan, &self, told, out, err)
            } else {
                order(&data, plan, &self, told, out, err)
            }
        })
    }
}

/// The example plan, checked as any plan is and printed as the request
/// body it makes, so its fields are in the document's order.
fn skeleton(catalog: &Catalog, out: &mut dyn Write) -> Result<(), Failure> {
    let (draft, _) = Draft::from_plan_value_checked(&skeleton_plan(), catalog);
    let body = draft.request_body(catalog).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Failure::new(
            EXIT_FAILURE,
            tr!("cmd.order.skeleton_unfit", problems = list.join("; ")),
        )
    })?;
    writeln!(out, "{}", body.to_pretty_json()).map_err(output_failure)
}

/// A plan that breaks no rule: the draft (for the summary) and the exact
/// body to send.
struct Plan {
    draft: Draft,
    body: RequestBody,
}

/// `--plan -`: the plan comes on standard input.
fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// The plan as messages name it.
fn plan_name(path: &Path) -> String {
    if is_stdin(path) {
        tr!("cmd.order.plan_on_stdin")
    } else {
        path.display().to_string()
    }
}

/// A plan's text, from its file or (for `-`) standard input.
fn read_plan_text(path: &Path) -> Result<String, Failure> {
    if !is_stdin(path) {
        return read_file(path, FileKind::Plan);
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| {
        Failure::new(
            EXIT_FAILURE,
            tr!("cmd.order.cannot_read_stdin", why = io_words(&e)),
        )
    })?;
    Ok(text)
}

/// Reads and checks a plan (a file, or standard input for `-`): the plan,
/// or every problem in it.
fn read_plan(catalog: &Catalog, path: &Path) -> Result<Plan, Failure> {
    let text = read_plan_text(path)?;
    checked_plan(catalog, &text).map_err(|problems| problems_failure(path, &problems))
}

/// A plan's text checked: the plan, or every problem in it.
fn checked_plan(catalog: &Catalog, text: &str) -> Result<Plan, Vec<Problem>> {
    let (draft, problems) = Draft::from_plan_checked(text, catalog);
    if problems.is_empty() {
        let body = draft
            .request_body(catalog)
            .expect("a draft without problems has a request body");
        Ok(Plan { draft, body })
    } else {
        Err(problems)
    }
}

/// The refusal of a plan with problems, listing every one.
fn problems_failure(path: &Path, problems: &[Problem]) -> Failure {
    let count = problems.len();
    let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
    let (plan, list) = (plan_name(path), list.join("\n"));
    let message = if count == 1 {
        tr!("cmd.order.problems.one", plan = plan, list = list)
    } else {
        tr!(
            "cmd.order.problems.other",
            plan = plan,
            count = count,
            list = list
        )
    };
    Failure::new(EXIT_INVALID, message)
}

fn dry_run(
    catalog: &Catalog,
    prices: &PriceTable,
    plan: &Path,
    args: &OrderArgs,
    told: &mut bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    if args.json {
        *told = true;
        return dry_run_json(catalog, prices, plan, out, err);
    }
    let Plan { draft, body } = read_plan(catalog, plan)?;
    let summary = Summary::new(catalog, prices, &draft);
    let io = output_failure;
    write!(err, "{}", summary.to_text()).map_err(io)?;
    writeln!(err, "{}", tr!("cmd.order.dry_run_done")).map_err(io)?;
    writeln!(out, "{}", body.to_pretty_json()).map_err(io)?;
    Ok(())
}

/// `--dry-run --json`: one object, whether the plan is good or not.
fn dry_run_json(
    catalog: &Catalog,
    prices: &PriceTable,
    plan: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let text = json::reporting_failure(true, out, read_plan_text(plan))?;
    match checked_plan(catalog, &text) {
        Ok(Plan { draft, body }) => {
            let summary = Summary::new(catalog, prices, &draft);
            write!(err, "{}", summary.to_text()).map_err(output_failure)?;
            let checked = DryRunJson {
                valid: true,
                body: Some(&body),
                problems: Vec::new(),
                error: None,
            };
            json::write_line(out, &checked)
        }
        Err(problems) => {
            let failure = problems_failure(plan, &problems);
            let refused = DryRunJson {
                valid: false,
                body: None,
                problems: problems.iter().map(ProblemJson::from).collect(),
                error: Some((&failure).into()),
            };
            json::write_line(out, &refused)?;
            Err(failure)
        }
    }
}

/// `flexus order --plan FILE [--yes] [--separate-purchase]`: check,
/// look for an unresolved double, confirm, submit, follow.
fn order(
    data: &Data,
    plan: &Path,
    args: &OrderArgs,
    told: &mut bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let (catalog, prices) = (&data.catalog, &data.prices);
    let Plan { draft, body } = read_plan(catalog, plan)?;
    within_spending_limit(data, &draft)?;
    let session = connect(&args.connect, data.profile.as_ref())?;
    // What the order's region needs (its project, a token for it) is found
    // now: if the order could not be placed, or not followed, nothing is
    // asked and nothing is sent.
    session
        .rt
        .block_on(session.client.ready_to_order(&body.region))
        .map_err(|f| Failure::new(EXIT_FAILURE, tr!("cmd.nothing_sent", why = &f)).answering(&f))?;
    // Once a purchase may be under way, its outcome decides the exit code,
    // not a reader that went away (`flexus order --yes | head -1`).
    let out = &mut Unbreakable(out);
    let err = &mut Unbreakable(err);
    let io = output_failure;
    write!(err, "{}", Summary::new(catalog, prices, &draft).to_text()).map_err(io)?;
    let signed_in = tr!(
        "cmd.order.endpoint",
        endpoint = &session.client.endpoints().hcss,
        source = &session.source
    );
    writeln!(
        err,
        "{}",
        super::common::labelled(&tr!("cmd.order.endpoint_label"), &signed_in)
    )
    .map_err(io)?;
    let rt = &session.rt;
    let earlier = rt
        .block_on(purchase::earlier_open(
            &session.client,
            &session.journal,
            &body,
        ))
        .map_err(api_failure)?;
    for record in &earlier.other {
        writeln!(
            err,
            "{}",
            tr!(
                "cmd.order.note_other_unknown",
                order = record.body.describe(),
                sent = dated_stamp(&record.last_sent_at, &session.zone),
                id = &record.client_request_id
            )
        )
        .map_err(io)?;
    }
    if !earlier.damaged.is_empty() && !args.separate_purchase {
        for record in &earlier.damaged {
            writeln!(
                err,
                "\n{}",
                tr!(
                    "cmd.order.could_be_same",
                    what = purchase::damaged_words(record, &session.zone)
                )
            )
            .map_err(io)?;
            if let Some(id) = &record.client_request_id {
                writeln!(err, "{}", tr!("cmd.order.damaged_ways", id = id)).map_err(io)?;
            }
        }
        writeln!(err, "{}", separate_way(plan)).map_err(io)?;
        return Err(Failure::new(
            EXIT_UNKNOWN_OUTCOME,
            tr!("cmd.order.damaged_double"),
        ));
    }
    if !earlier.same.is_empty() && !args.separate_purchase {
        for record in &earlier.same {
            rt.block_on(report_double(&session, record, plan, err))?;
        }
        return Err(Failure::new(
            EXIT_UNKNOWN_OUTCOME,
            tr!("cmd.order.open_double"),
        ));
    }
    confirm(
        args.yes,
        &tr!("cmd.order.ask"),
        Act::Ordering,
        data.no_input,
        err,
    )?;
    if !args.yes
        && crate::domain::order::asks_twice(i64::from(body.purchase_quantity), body.period_type)
    {
        confirm_typed(
            &tr!("cmd.order.ask_again", order = body.describe()),
            Act::Ordering,
            data.no_input,
            err,
        )?;
    }
    let id = ClientRequestId::new();
    let start = Start::New {
        id: id.clone(),
        separate_from: earlier.separate_from(),
    };
    // --no-input: a lost answer ends the command instead of asking.
    let never_ask = args.yes || data.no_input;
    if !args.json {
        return rt.block_on(place(&session, &body, start, never_ask, out, err));
    }
    // Everything `place` tells goes to standard error; standard output gets
    // the one object of what became of the purchase.
    json::telling_order(
        &session,
        Some(id.as_str()),
        None,
        told,
        out,
        err,
        |out, err| rt.block_on(place(&session, &body, start, never_ask, out, err)),
    )
}

/// An earlier purchase with the same body whose outcome is unknown: what
/// became of it as far as can be seen now, and the deliberate ways on.
async fn report_double(
    session: &Session,
    record: &PurchaseRecord,
    plan: &std::path::Path,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let io = output_failure;
    let id = &record.client_request_id;
    let separate = separate_way(plan);
    let sent = dated_stamp(&record.first_sent_at, &session.zone);
    if let Some(order_id) = &record.order_id {
        writeln!(
            err,
            "\n{}\n{separate}",
            tr!(
                "cmd.order.double_placed",
                sent = sent,
                order = order_id,
                id = id,
                state = record.state_text(&session.zone)
            )
        )
        .map_err(io)?;
        return Ok(());
    }
    let unknown = if record.attempts > 1 {
        tr!(
            "cmd.order.double_unknown_times",
            sent = sent,
            id = id,
            count = record.attempts
        )
    } else {
        tr!("cmd.order.double_unknown", sent = sent, id = id)
    };
    writeln!(err, "\n{unknown}").map_err(io)?;
    if purchase::in_flight_elsewhere(&session.journal, id) {
        writeln!(err, "{}", tr!("cmd.order.in_flight_elsewhere")).map_err(io)?;
        return Ok(());
    }
    let (found, failed) = purchase::look_again(&session.client, &session.journal, record).await;
    match (found.is_empty(), failed) {
        (false, _) => {
            writeln!(err, "{}", tr!("cmd.order.found_since")).map_err(io)?;
            for order in &found {
                let described = order.describe(&record.first_sent_at, &session.zone);
                writeln!(err, "  {}  {described}", order.order_id()).map_err(io)?;
            }
            writeln!(err, "{}", tr!("cmd.order.found_ways", id = id)).map_err(io)?;
        }
        (true, None) => {
            writeln!(err, "{}", tr!("cmd.order.none_found_ways", id = id)).map_err(io)?;
        }
        (true, Some(failure)) => {
            writeln!(err, "{}", tr!("cmd.order.list_unchecked", why = failure)).map_err(io)?;
        }
    }
    writeln!(err, "{separate}").map_err(io)?;
    Ok(())
}

/// The way on for a purchase that is meant as an additional one.
fn separate_way(plan: &Path) -> String {
    tr!("cmd.order.separate_way", plan = plan.display())
}
