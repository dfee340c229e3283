//! The purchase wizard: a terminal UI in The Elm Architecture. `App` holds
//! the state, `update` turns messages into new state and effects, the views
//! draw `&App`, and `runtime` runs effects on tokio tasks and feeds their
//! results back as messages.

pub mod app;
pub mod kept;
pub mod live;
pub mod msg;
pub mod runtime;
pub mod screens;
pub mod service;
pub mod submission;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod update;
pub mod view;
pub mod widgets;

pub use runtime::{Exit, Options, PlanStart, run};
pub use service::{Connector, OrderService, SignIn, Start};
