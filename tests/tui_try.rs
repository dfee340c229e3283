//! The wizard against a fake order service, to try by hand in a terminal
//! (it waits for keys, so it only runs when asked):
//!
//!     cargo test --test tui_try -- --ignored --nocapture
//!
//! Set FLEXUS_TRY_SIGN_IN=1 to start at the sign-in screen (the token
//! "wrong" is refused).

mod support;

use std::sync::Arc;

use flexus::domain::catalog::Catalog;
use flexus::domain::pricing::PriceTable;
use flexus::tui::theme::Theme;
use flexus::tui::{Options, Start, run};

#[test]
#[ignore = "interactive: run by hand in a terminal"]
fn try_the_wizard_by_hand() {
    let service = support::FakeService::new();
    let start = if std::env::var_os("FLEXUS_TRY_SIGN_IN").is_some() {
        Start::SignInFirst(Arc::new(support::FakeConnector { service }))
    } else {
        Start::Connected(service)
    };
    let plan = std::env::var_os("FLEXUS_TRY_PLAN").map(|path| {
        let text = std::fs::read_to_string(&path).unwrap();
        let (draft, problems) = flexus::domain::order::Draft::from_plan_json(&text);
        flexus::tui::PlanStart {
            path: path.into(),
            draft,
            problems,
        }
    });
    let options = Options {
        catalog: Catalog::embedded(),
        prices: PriceTable::embedded(),
        theme: Theme::from_process_env(),
        plan,
        mouse: true,
        first_frame_exit: false,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let exit = runtime.block_on(run(options, start)).unwrap();
    runtime.shutdown_background();
    if let Some(message) = exit.message {
        eprintln!("{message}");
    }
}
