//! The headless commands: the same engine as the wizard, for scripts.

pub mod live;

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::cli::{CatalogArgs, DataArgs, OrderArgs};
use crate::domain::catalog::{Catalog, MatrixRow};
use crate::domain::order::{Draft, RequestBody};
use crate::domain::pricing::PriceTable;
use crate::domain::summary::Summary;

/// Exit codes: scripts can tell a bad plan from a failure to act on it.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_INVALID: i32 = 2;
/// A purchase was sent but its answer was lost, and it was not resent: an
/// order may exist (see `flexus orders`, `flexus status`). Also an order
/// placed but not followed to its end.
pub const EXIT_UNKNOWN_OUTCOME: i32 = 3;
/// The order was placed and waits for payment (`flexus pay`).
pub const EXIT_PENDING_PAYMENT: i32 = 4;
/// The order was placed, but the journal could not record it (a full disk,
/// say): its ID was printed, and `flexus orders` will not know it.
pub const EXIT_UNRECORDED: i32 = 5;

/// A failure already worded for the user, with the exit code it deserves.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code,
        }
    }
}

/// An I/O error in words, without the OS's "(os error N)" suffix.
pub fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".to_string(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

fn read_file(path: &Path, what: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::new(
            EXIT_FAILURE,
            format!(
                "cannot read the {what} {}: {}",
                path.display(),
                io_words(&e)
            ),
        )
    })
}

/// A reader that went away (`flexus catalog | head`) is not an error worth
/// a message; anything else is.
fn output_failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::new(EXIT_OK, "")
    } else {
        Failure::new(EXIT_FAILURE, format!("cannot write the output: {e}"))
    }
}

/// The catalog and prices: built in, or from the files the user named.
pub fn load_data(args: &DataArgs) -> Result<(Catalog, PriceTable), Failure> {
    let catalog = match &args.catalog {
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
    let prices = match &args.prices {
        None => PriceTable::embedded(),
        Some(path) => {
            let text = read_file(path, "price table")?;
            PriceTable::from_json(&text, &path.display().to_string(), &catalog).map_err(|e| {
                Failure::new(
                    EXIT_FAILURE,
                    format!(
                        "the price table {} has mistakes:\n  {}",
                        e.origin,
                        e.problems.join("\n  ")
                    ),
                )
            })?
        }
    };
    Ok((catalog, prices))
}

pub fn catalog(catalog: &Catalog, args: &CatalogArgs, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(region) = &args.region {
        catalog
            .check_region(region)
            .map_err(|reason| Failure::new(EXIT_INVALID, format!("--region: {reason}")))?;
    }
    let rows = catalog.matrix(args.region.as_deref());
    let written = if args.json {
        let array: Vec<_> = rows.iter().map(MatrixJson::from).collect();
        let text = serde_json::to_string_pretty(&array).expect("JSON values serialize");
        writeln!(out, "{text}")
    } else {
        write_catalog_table(catalog, &rows, out)
    };
    written.map_err(output_failure)
}

/// One row of `flexus catalog --json`, fields in the documented order.
#[derive(Serialize)]
struct MatrixJson<'a> {
    region: &'a str,
    image_type: &'a str,
    image_name: Option<&'a str>,
    image_version: Option<&'a str>,
    plan_specs: &'a [String],
}

impl<'a> From<&'a MatrixRow> for MatrixJson<'a> {
    fn from(row: &'a MatrixRow) -> Self {
        MatrixJson {
            region: &row.region,
            image_type: row.image_type,
            image_name: row.image_name.as_deref(),
            image_version: row.image_version.as_deref(),
            plan_specs: &row.plan_specs,
        }
    }
}

fn write_catalog_table(
    catalog: &Catalog,
    rows: &[MatrixRow],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut current_region = None;
    for row in rows {
        if current_region != Some(&row.region) {
            if current_region.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{} ({})", catalog.region_name(&row.region), row.region)?;
            writeln!(out, "  {:<16}{:<22}{:<9}SPECS", "TYPE", "IMAGE", "VERSION")?;
            current_region = Some(&row.region);
        }
        let name = row.image_name.as_deref().unwrap_or("(your image ID)");
        let version = row.image_version.as_deref().unwrap_or("-");
        writeln!(
            out,
            "  {:<16}{:<22}{:<9}{}",
            row.image_type,
            name,
            version,
            row.plan_specs.join(" ")
        )?;
    }
    writeln!(out)?;
    writeln!(out, "Specification codes")?;
    writeln!(
        out,
        "  {:<24}{:>6}{:>9}{:>13}{:>11}{:>15}",
        "CODE", "vCPUs", "MEMORY", "SYSTEM DISK", "BANDWIDTH", "DATA PACKAGE"
    )?;
    for spec in &catalog.specs {
        writeln!(
            out,
            "  {:<24}{:>6}{:>9}{:>13}{:>11}{:>15}",
            spec.code,
            spec.vcpus,
            format!(
                "{} GiB",
                crate::domain::catalog::format_gib(spec.memory_gib)
            ),
            format!("{} GiB", spec.system_disk_gib),
            format!("{} Mbit/s", spec.peak_bandwidth_mbit),
            format!("{} GB", spec.data_package_gb),
        )?;
    }
    Ok(())
}

/// A plan that breaks no rule: the draft (for the summary) and the exact
/// body to send.
pub struct Plan {
    pub draft: Draft,
    pub body: RequestBody,
}

/// Reads and checks a plan file: the plan, or every problem in it.
pub fn read_plan(catalog: &Catalog, path: &Path) -> Result<Plan, Failure> {
    let text = read_file(path, "plan")?;
    let (draft, problems) = Draft::from_plan_checked(&text, catalog);
    if problems.is_empty() {
        let body = draft
            .request_body(catalog)
            .expect("a draft without problems has a request body");
        Ok(Plan { draft, body })
    } else {
        let count = problems.len();
        let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
        Err(Failure::new(
            EXIT_INVALID,
            format!(
                "the plan {} has {count} problem{}:\n{}\nFix {} and run the command again.",
                path.display(),
                if count == 1 { "" } else { "s" },
                list.join("\n"),
                if count == 1 { "it" } else { "them" }
            ),
        ))
    }
}

pub fn order_dry_run(
    catalog: &Catalog,
    prices: &PriceTable,
    args: &OrderArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let Plan { draft, body } = read_plan(catalog, &args.plan)?;
    let summary = Summary::new(catalog, prices, &draft);
    let io = output_failure;
    write!(err, "{}", summary.to_text()).map_err(io)?;
    writeln!(
        err,
        "Dry run: nothing was sent. The request body is on standard output."
    )
    .map_err(io)?;
    writeln!(out, "{}", body.to_pretty_json()).map_err(io)?;
    Ok(())
}
