//! `flexus catalog`: what can be bought, as a table or as JSON.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{Data, Execute};
use crate::domain::catalog::{Catalog, MatrixRow};
use crate::domain::freshness::stale_prices_warning;
use crate::exit::{EXIT_INVALID, Failure, output_failure};

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Only this region (e.g. ap-southeast-3) [default: the profile's region, if it names one]
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Print JSON: one object per (region, image, version) that can be bought
    #[arg(long)]
    pub json: bool,
}

impl Execute for CatalogArgs {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let catalog = &data.catalog;
        let today = jiff::ZonedDateTime::now().date();
        if let Some(warning) = stale_prices_warning(&data.prices, today) {
            writeln!(err, "Warning: {warning}.").map_err(output_failure)?;
        }
        if let Some(region) = &self.region {
            let checked = catalog
                .check_region(region)
                .map_err(|reason| Failure::new(EXIT_INVALID, format!("--region: {reason}")));
            super::json::reporting_failure(self.json, out, checked)?;
        }
        // The profile's region narrows the list as --region would (and was
        // checked against the catalog when the profile was read).
        let profile_region = data
            .profile
            .as_ref()
            .and_then(|p| p.settings.region.as_ref());
        let region = self
            .region
            .as_deref()
            .or(profile_region.map(|r| r.get_ref().as_str()));
        let rows = catalog.matrix(region);
        let written = if self.json {
            let array: Vec<_> = rows.iter().map(MatrixJson::from).collect();
            let text = serde_json::to_string_pretty(&array).expect("JSON values serialize");
            writeln!(out, "{text}")
        } else {
            write_catalog_table(catalog, &rows, out).and_then(|()| write_data_dates(&data, out))
        };
        written.map_err(output_failure)
    }
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

/// Which day the catalog and the prices describe, so a reader can tell
/// how old they are (`--catalog` and `--prices` bring newer ones).
fn write_data_dates(data: &Data, out: &mut dyn Write) -> std::io::Result<()> {
    let prices = &data.prices;
    let published = prices
        .published_on
        .as_deref()
        .map(|day| format!(", published {day}"))
        .unwrap_or_default();
    writeln!(out)?;
    writeln!(
        out,
        "Catalog  {}",
        data.catalog
            .updated_on
            .as_deref()
            .map_or("undated".to_string(), |day| format!("as of {day}"))
    )?;
    writeln!(
        out,
        "Prices   recorded {}{published} ({})",
        prices.recorded_on, prices.currency
    )
}
