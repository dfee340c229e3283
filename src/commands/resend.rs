//! `flexus resend CLIENT_REQUEST_ID`: a journaled purchase of unknown
//! outcome, sent again with its own Client-Request-Id.

use std::io::Write;

use clap::Args;

use super::common::{
    Act, ConnectArgs, Session, Unbreakable, confirm, connect, unresolved_purchase,
    within_spending_limit,
};
use super::json::{telling_once, telling_order};
use super::placing::{Start, place};
use super::{Data, Execute};
use crate::api::ids::ClientRequestId;
use crate::api::journal::PurchaseRecord;
use crate::domain::summary::Summary;
use crate::exit::{EXIT_INVALID, Failure, output_failure};

const RESEND_HELP: &str = "Only a purchase whose outcome is unknown can be resent, to the endpoint it was first sent to, by one flexus at a time. The order list is checked first: an order created since the first send that may be this purchase stops the resend until it is claimed or dismissed.

Exit codes: as for `flexus order`.";

#[derive(Debug, Args)]
#[command(after_help = RESEND_HELP)]
pub struct ResendArgs {
    /// The purchase's Client-Request-Id, as `flexus orders` shows it
    #[arg(value_name = "CLIENT_REQUEST_ID")]
    pub client_request_id: String,

    /// Resend without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Print the result as one JSON object on standard output; progress goes to standard error
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// `flexus resend CLIENT_REQUEST_ID [--yes]`: sends a journaled purchase of
/// unknown outcome again, with its own Client-Request-Id, body and
/// endpoint, after looking once more for an order it placed.
impl Execute for ResendArgs {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        telling_once(self.json, out, |told, out| self.run(&data, told, out, err))
    }
}

impl ResendArgs {
    fn run(
        &self,
        data: &Data,
        told: &mut bool,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), Failure> {
        ClientRequestId::parse(&self.client_request_id)
            .map_err(|why| Failure::new(EXIT_INVALID, why))?;
        let session = connect(&self.connect, data.profile.as_ref())?;
        let (id, record) = unresolved_purchase(&session.journal, &self.client_request_id)?;
        let Some(record) = record else {
            return Err(Failure::new(
                EXIT_INVALID,
                tr!("cmd.resend.damaged", id = &id),
            ));
        };
        let out = &mut Unbreakable(out);
        let err = &mut Unbreakable(err);
        if self.json {
            let typed = id.to_string();
            return telling_order(&session, Some(&typed), None, told, out, err, |out, err| {
                self.resend(&session, data, record, id, out, err)
            });
        }
        self.resend(&session, data, record, id, out, err)
    }

    /// Shows the purchase, asks, and sends it again.
    fn resend(
        &self,
        session: &Session,
        data: &Data,
        record: PurchaseRecord,
        id: ClientRequestId,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), Failure> {
        let Data {
            catalog, prices, ..
        } = data;
        let io = output_failure;
        let draft = crate::domain::order::Draft::from_request_body(&record.body);
        within_spending_limit(data, &draft)?;
        write!(err, "{}", Summary::new(catalog, prices, &draft).to_text()).map_err(io)?;
        let (sent, endpoint) = (
            crate::domain::when::dated_stamp(&record.first_sent_at, &session.zone),
            &record.endpoint,
        );
        let sends = if record.attempts == 1 {
            tr!("cmd.resend.sent_once", sent = sent, endpoint = endpoint)
        } else {
            tr!(
                "cmd.resend.sent_times",
                sent = sent,
                endpoint = endpoint,
                count = record.attempts
            )
        };
        writeln!(
            err,
            "{}",
            super::common::labelled(&tr!("cmd.resend.label"), &sends)
        )
        .map_err(io)?;
        confirm(
            self.yes,
            &tr!("cmd.resend.ask"),
            Act::Resending,
            data.no_input,
            err,
        )?;
        session.rt.block_on(place(
            session,
            &record.body,
            Start::Resend(id),
            self.yes || data.no_input,
            out,
            err,
        ))
    }
}
