//! `flexus catalog`: what can be bought, as a table or as JSON.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::common::{left, right};
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
            writeln!(err, "{}", tr!("cmd.catalog.warning", warning = warning))
                .map_err(output_failure)?;
        }
        if let Some(region) = &self.region {
            let checked = catalog.check_region(region).map_err(|reason| {
                Failure::new(EXIT_INVALID, tr!("cmd.catalog.region", why = reason))
            });
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
        if self.json {
            let offerings = rows.iter().map(MatrixJson::from).collect();
            return super::json::write_line(out, &CatalogJson::new(&data, today, offerings));
        }
        write_catalog_table(catalog, &rows, out)
            .and_then(|()| write_data_dates(&data, out))
            .map_err(output_failure)
    }
}

/// `flexus catalog --json`: what can be bought, and which days the
/// catalog and the prices describe, so a script can tell how old they are.
#[derive(Serialize)]
struct CatalogJson<'a> {
    catalog_updated_on: Option<&'a str>,
    prices_recorded_on: &'a str,
    prices_published_on: Option<&'a str>,
    currency: &'a str,
    /// The price table is more than a year old (the warning on standard
    /// error says so in words).
    prices_stale: bool,
    offerings: Vec<MatrixJson<'a>>,
}

impl<'a> CatalogJson<'a> {
    fn new(data: &'a Data, today: jiff::civil::Date, offerings: Vec<MatrixJson<'a>>) -> Self {
        CatalogJson {
            catalog_updated_on: data.catalog.updated_on.as_deref(),
            prices_recorded_on: &data.prices.recorded_on,
            prices_published_on: data.prices.published_on.as_deref(),
            currency: &data.prices.currency,
            prices_stale: stale_prices_warning(&data.prices, today).is_some(),
            offerings,
        }
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
            writeln!(
                out,
                "  {}{}{}{}",
                left(&tr!("cmd.catalog.type"), 16),
                left(&tr!("cmd.catalog.image"), 22),
                left(&tr!("cmd.catalog.version"), 9),
                tr!("cmd.catalog.specs")
            )?;
            current_region = Some(&row.region);
        }
        let private = tr!("cmd.catalog.your_image_id");
        let name = row.image_name.as_deref().unwrap_or(&private);
        let version = row.image_version.as_deref().unwrap_or("-");
        writeln!(
            out,
            "  {}{}{}{}",
            left(row.image_type, 16),
            left(name, 22),
            left(version, 9),
            row.plan_specs.join(" ")
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", tr!("cmd.catalog.spec_codes"))?;
    writeln!(
        out,
        "  {}{}{}{}{}{}",
        left(&tr!("cmd.catalog.code"), 24),
        right(&tr!("cmd.catalog.vcpus"), 6),
        right(&tr!("cmd.catalog.memory"), 9),
        right(&tr!("cmd.catalog.system_disk"), 13),
        right(&tr!("cmd.catalog.bandwidth"), 11),
        right(&tr!("cmd.catalog.data_package"), 15)
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
    let (recorded, currency) = (&prices.recorded_on, &prices.currency);
    writeln!(out)?;
    let catalog = match data.catalog.updated_on.as_deref() {
        Some(day) => tr!("cmd.catalog.dated", day = day),
        None => tr!("cmd.catalog.undated"),
    };
    writeln!(out, "{catalog}")?;
    let prices = match prices.published_on.as_deref() {
        Some(published) => tr!(
            "cmd.catalog.prices_published",
            recorded = recorded,
            published = published,
            currency = currency
        ),
        None => tr!(
            "cmd.catalog.prices",
            recorded = recorded,
            currency = currency
        ),
    };
    writeln!(out, "{prices}")
}
