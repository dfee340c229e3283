//! What can be bought: regions, images, specification codes, and the
//! compatibility rules between them, all read from `assets/catalog.json`
//! (a transcription of the tables of the purchase API document).
//!
//! Every "can I buy X with Y in Z?" question is answered here, together with
//! the reason in plain words when the answer is no. The wizard greys options
//! with these reasons, the CLI prints them, and the sandbox refuses with them,
//! so the texts are part of the contract.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;

/// The catalog that ships inside the binary.
pub const EMBEDDED_CATALOG: &str = include_str!("../../assets/catalog.json");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub code: String,
    /// The name Huawei's English console shows; also what the sandbox
    /// answers with, since Huawei answers in English.
    pub name: String,
    /// The name Huawei's Chinese console shows; catalogs written before it
    /// existed still load.
    #[serde(default)]
    pub name_zh: Option<String>,
}

impl Region {
    /// The region's name in the language a person reads, in English where
    /// the catalog has none in that language.
    pub fn shown_name(&self) -> &str {
        in_current_language(&self.name, self.name_zh.as_deref())
    }
}

/// The Chinese text when a person reads Chinese and the catalog has it,
/// else the English one.
fn in_current_language<'a>(english: &'a str, chinese: Option<&'a str>) -> &'a str {
    match (crate::lang::current(), chinese) {
        (crate::lang::Lang::Zh, Some(chinese)) if !chinese.trim().is_empty() => chinese,
        _ => english,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Linux,
    Windows,
}

impl Platform {
    pub fn label(self) -> &'static str {
        match self {
            Platform::Linux => "Linux",
            Platform::Windows => "Windows",
        }
    }
}

/// One row of the document's spec sheets (Tables 12 and 13).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub code: String,
    pub platform: Platform,
    pub vcpus: u32,
    pub memory_gib: f64,
    pub system_disk_gib: u32,
    pub peak_bandwidth_mbit: u32,
    pub data_package_gb: u32,
}

impl Spec {
    /// "2 vCPUs, 4 GiB" - how people name a package, in English always:
    /// the sandbox puts it in its answers, and Huawei answers in English.
    pub fn short_description(&self) -> String {
        format!("{} vCPUs, {} GiB", self.vcpus, format_gib(self.memory_gib))
    }

    /// The short description in the language a person reads; Chinese
    /// names the memory ("2个vCPU，4 GiB内存") as the spec sheet line does.
    pub fn shown_description(&self) -> String {
        tr!(
            "core.spec.short",
            vcpus = self.vcpus,
            memory = format_gib(self.memory_gib)
        )
    }
}

/// Memory sizes print as "0.5" or "8", never "8.0".
pub fn format_gib(gib: f64) -> String {
    if gib.fract() == 0.0 {
        format!("{gib:.0}")
    } else {
        format!("{gib}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationImage {
    pub name: String,
    pub version: String,
    pub specs: Vec<String>,
    /// What the application is, in one plain line for someone choosing
    /// an image; catalogs written before it existed still load.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub description_zh: Option<String>,
}

impl ApplicationImage {
    /// The one-line description in the language a person reads, in English
    /// where the catalog has none in that language.
    pub fn shown_description(&self) -> &str {
        in_current_language(&self.description, self.description_zh.as_deref())
    }
}

/// An OS image family such as CentOS, with its versions and the document's
/// footnotes turned into data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OsImage {
    pub name: String,
    pub versions: Vec<String>,
    pub specs: Vec<String>,
    #[serde(default)]
    pub version_limits: Vec<VersionLimit>,
    #[serde(default)]
    pub spec_limits: Vec<SpecLimit>,
}

/// "The TR-Istanbul and ME-Riyadh regions do not support 8.2, 8.1, ...".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionLimit {
    pub versions: Vec<String>,
    pub not_in_regions: Vec<String>,
}

/// "hf.large.025.30m.linux (supported only by images of version 7.6 in the
/// CN-Hong Kong and AP-Singapore regions)".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecLimit {
    pub spec: String,
    #[serde(default)]
    pub only_regions: Option<Vec<String>>,
    #[serde(default)]
    pub only_versions: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateImages {
    pub linux: Vec<String>,
    pub windows: Vec<String>,
}

impl PrivateImages {
    pub fn specs(&self, platform: Platform) -> &[String] {
        match platform {
            Platform::Linux => &self.linux,
            Platform::Windows => &self.windows,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(default)]
    pub source: Option<String>,
    /// The day of the document the catalog was taken from ("2024-11-14");
    /// older catalog files have none.
    #[serde(default)]
    pub updated_on: Option<String>,
    pub regions: Vec<Region>,
    pub specs: Vec<Spec>,
    pub application_images: Vec<ApplicationImage>,
    pub os_images: Vec<OsImage>,
    pub private_images: PrivateImages,
}

/// What the user picked on the image step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ImageSelection {
    /// An application or OS image, named as in the request body.
    Public { name: String, version: String },
    /// A private image; its ID does not matter to the catalog, its OS does.
    Private { platform: Platform },
}

/// The kind of a public image, as `flexus catalog --json` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Application,
    Os,
}

impl ImageKind {
    pub fn label(self) -> &'static str {
        match self {
            ImageKind::Application => "application",
            ImageKind::Os => "os",
        }
    }
}

/// Why something cannot be bought. `Display` gives the words a user reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    UnknownRegion {
        code: String,
        known: Vec<String>,
    },
    UnknownImage {
        name: String,
    },
    UnknownVersion {
        image: String,
        version: String,
        known: Vec<String>,
    },
    UnknownSpec {
        code: String,
    },
    VersionNotInRegion {
        image: String,
        version: String,
        region: String,
    },
    /// The image's smallest package is bigger than this one.
    NeedsMoreMemory {
        image: String,
        min_gib: f64,
    },
    SpecOnlyInRegions {
        memory_gib: f64,
        regions: Vec<String>,
    },
    SpecOnlyForVersions {
        memory_gib: f64,
        image: String,
        versions: Vec<String>,
    },
    WindowsSpecNeedsPrivateImage,
    PlatformMismatch {
        image_platform: Platform,
    },
    NotOfferedForImage {
        image: String,
        spec: String,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::UnknownRegion { code, known } => f.write_str(&tr!(
                "core.reason.unknown_region",
                code = code,
                known = known.join(", ")
            )),
            Reason::UnknownImage { name } => {
                f.write_str(&tr!("core.reason.unknown_image", name = name))
            }
            Reason::UnknownVersion {
                image,
                version,
                known,
            } => f.write_str(&if known.len() == 1 {
                tr!(
                    "core.reason.only_version",
                    image = image,
                    version = known[0]
                )
            } else {
                tr!(
                    "core.reason.unknown_version",
                    image = image,
                    version = version,
                    known = known.join(", ")
                )
            }),
            Reason::UnknownSpec { code } => {
                f.write_str(&tr!("core.reason.unknown_spec", code = code))
            }
            Reason::VersionNotInRegion {
                image,
                version,
                region,
            } => f.write_str(&tr!(
                "core.reason.version_not_in_region",
                image = image,
                version = version,
                region = region
            )),
            Reason::NeedsMoreMemory { image, min_gib } => f.write_str(&tr!(
                "core.reason.needs_memory",
                image = image,
                gib = format_gib(*min_gib)
            )),
            Reason::SpecOnlyInRegions {
                memory_gib,
                regions,
            } => f.write_str(&tr!(
                "core.reason.spec_only_in_regions",
                gib = format_gib(*memory_gib),
                regions = join_and(regions)
            )),
            Reason::SpecOnlyForVersions {
                memory_gib,
                image,
                versions,
            } => f.write_str(&tr!(
                "core.reason.spec_only_for_versions",
                gib = format_gib(*memory_gib),
                image = image,
                versions = join_or(versions)
            )),
            Reason::WindowsSpecNeedsPrivateImage => {
                f.write_str(&tr!("core.reason.windows_spec_needs_private"))
            }
            Reason::PlatformMismatch { image_platform } => f.write_str(&match image_platform {
                Platform::Linux => tr!("core.reason.private_linux_needs_linux"),
                Platform::Windows => tr!("core.reason.private_windows_needs_byol"),
            }),
            Reason::NotOfferedForImage { image, spec } => f.write_str(&tr!(
                "core.reason.not_offered_with_image",
                spec = spec,
                image = image
            )),
        }
    }
}

/// "a, b and c" in the reader's language; `last` joins the rest to the tail.
fn join_with(items: &[String], last: impl Fn(String, &str) -> String) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., tail] => last(rest.join(&tr!("core.list.separator")), tail),
    }
}

fn join_and(items: &[String]) -> String {
    join_with(items, |rest, tail| {
        tr!("core.list.and", rest = rest, last = tail)
    })
}

fn join_or(items: &[String]) -> String {
    join_with(items, |rest, tail| {
        tr!("core.list.or", rest = rest, last = tail)
    })
}

/// An option for a step, and why it cannot be taken when it cannot.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice<T> {
    pub value: T,
    pub unavailable: Option<Reason>,
}

impl<T> Choice<T> {
    pub fn is_available(&self) -> bool {
        self.unavailable.is_none()
    }
}

/// One buyable (region, image, version) combination with its specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    pub region: String,
    /// "application", "os", "private-linux" or "private-windows".
    pub image_type: &'static str,
    pub image_name: Option<String>,
    pub image_version: Option<String>,
    pub plan_specs: Vec<String>,
}

/// A mistake in a catalog file, with the place it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {}", problems.join("; "))]
pub struct CatalogError {
    /// The file name, or "embedded catalog".
    pub origin: String,
    /// Each problem starts with its place, e.g. `os_images[2].specs[0]`.
    pub problems: Vec<String>,
}

impl Catalog {
    /// The catalog compiled into the binary. It is checked by the test suite,
    /// so failing here would be a build defect.
    pub fn embedded() -> Catalog {
        Catalog::from_json(EMBEDDED_CATALOG, "embedded catalog")
            .expect("the embedded catalog is validated by the test suite")
    }

    /// Parses and validates a catalog; `origin` names the file in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = serde_json::from_str(text).map_err(|e| CatalogError {
            origin: origin.to_string(),
            problems: vec![super::json_syntax_problem(&e)],
        })?;
        let problems = catalog.problems();
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(CatalogError {
                origin: origin.to_string(),
                problems,
            })
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(updated_on) = &self.updated_on {
            problems.extend(super::freshness::day_problem("updated_on", updated_on));
        }
        let region_codes: HashSet<&str> = self.regions.iter().map(|r| r.code.as_str()).collect();
        let spec_codes: HashSet<&str> = self.specs.iter().map(|s| s.code.as_str()).collect();

        if self.regions.is_empty() {
            problems.push(format!("regions: {}", tr!("core.file.list_empty")));
        }
        let mut seen = HashSet::new();
        for (i, region) in self.regions.iter().enumerate() {
            if region.code.trim().is_empty() || region.name.trim().is_empty() {
                problems.push(format!(
                    "regions[{i}]: {}",
                    tr!("core.file.code_and_name_empty")
                ));
            }
            if !seen.insert(region.code.as_str()) {
                let problem = tr!("core.file.duplicate_region", code = region.code);
                problems.push(format!("regions[{i}]: {problem}"));
            }
        }
        if self.specs.is_empty() {
            problems.push(format!("specs: {}", tr!("core.file.list_empty")));
        }
        let mut seen = HashSet::new();
        for (i, spec) in self.specs.iter().enumerate() {
            if !seen.insert(spec.code.as_str()) {
                let problem = tr!("core.file.duplicate_spec", code = spec.code);
                problems.push(format!("specs[{i}]: {problem}"));
            }
            if spec.vcpus == 0 || spec.memory_gib <= 0.0 || spec.system_disk_gib == 0 {
                let problem = tr!("core.file.spec_zero", code = spec.code);
                problems.push(format!("specs[{i}]: {problem}"));
            }
        }

        let check_specs = |place: &str, list: &[String], problems: &mut Vec<String>| {
            if list.is_empty() {
                problems.push(format!("{place}.specs: {}", tr!("core.file.list_empty")));
            }
            let mut seen = HashSet::new();
            for (j, code) in list.iter().enumerate() {
                if !spec_codes.contains(code.as_str()) {
                    let problem = tr!("core.file.unknown_spec", code = code);
                    problems.push(format!("{place}.specs[{j}]: {problem}"));
                }
                if !seen.insert(code.as_str()) {
                    let problem = tr!("core.file.listed_twice", code = code);
                    problems.push(format!("{place}.specs[{j}]: {problem}"));
                }
            }
        };

        let mut image_names = HashSet::new();
        for (i, image) in self.application_images.iter().enumerate() {
            let place = format!("application_images[{i}]");
            if image.name.trim().is_empty() || image.version.trim().is_empty() {
                problems.push(format!(
                    "{place}: {}",
                    tr!("core.file.name_and_version_empty")
                ));
            }
            if !image_names.insert(image.name.as_str()) {
                let problem = tr!("core.file.duplicate_image", name = image.name);
                problems.push(format!("{place}: {problem}"));
            }
            check_specs(&place, &image.specs, &mut problems);
        }
        for (i, image) in self.os_images.iter().enumerate() {
            let place = format!("os_images[{i}]");
            if image.name.trim().is_empty() {
                problems.push(format!("{place}: {}", tr!("core.file.name_empty")));
            }
            if !image_names.insert(image.name.as_str()) {
                let problem = tr!("core.file.duplicate_image", name = image.name);
                problems.push(format!("{place}: {problem}"));
            }
            if image.versions.is_empty() {
                problems.push(format!("{place}.versions: {}", tr!("core.file.list_empty")));
            }
            let mut seen = HashSet::new();
            for (j, version) in image.versions.iter().enumerate() {
                if !seen.insert(version.as_str()) {
                    let problem = tr!("core.file.version_twice", version = version);
                    problems.push(format!("{place}.versions[{j}]: {problem}"));
                }
            }
            check_specs(&place, &image.specs, &mut problems);
            for (j, limit) in image.version_limits.iter().enumerate() {
                let at = format!("{place}.version_limits[{j}]");
                for v in &limit.versions {
                    if !image.versions.contains(v) {
                        let problem = tr!("core.file.unknown_version", version = v);
                        problems.push(format!("{at}.versions: {problem}"));
                    }
                }
                for r in &limit.not_in_regions {
                    if !region_codes.contains(r.as_str()) {
                        let problem = tr!("core.file.unknown_region", code = r);
                        problems.push(format!("{at}.not_in_regions: {problem}"));
                    }
                }
            }
            for (j, limit) in image.spec_limits.iter().enumerate() {
                let at = format!("{place}.spec_limits[{j}]");
                if !image.specs.contains(&limit.spec) {
                    let problem = tr!("core.file.spec_not_of_image", code = limit.spec);
                    problems.push(format!("{at}.spec: {problem}"));
                }
                for r in limit.only_regions.iter().flatten() {
                    if !region_codes.contains(r.as_str()) {
                        let problem = tr!("core.file.unknown_region", code = r);
                        problems.push(format!("{at}.only_regions: {problem}"));
                    }
                }
                for v in limit.only_versions.iter().flatten() {
                    if !image.versions.contains(v) {
                        let problem = tr!("core.file.unknown_version", version = v);
                        problems.push(format!("{at}.only_versions: {problem}"));
                    }
                }
            }
        }
        for platform in [Platform::Linux, Platform::Windows] {
            let place = format!("private_images.{}", platform.label().to_lowercase());
            let list = self.private_images.specs(platform);
            check_specs(&place, list, &mut problems);
            for (j, code) in list.iter().enumerate() {
                if let Some(spec) = self.spec(code)
                    && spec.platform != platform
                {
                    let problem = tr!(
                        "core.file.package_of_platform",
                        code = code,
                        platform = spec.platform.label()
                    );
                    problems.push(format!("{place}.specs[{j}]: {problem}"));
                }
            }
        }
        problems
    }

    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.code == code)
    }

    /// The name of a region in the language a person reads, or the code
    /// itself when unknown.
    pub fn region_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.region(code).map_or(code, Region::shown_name)
    }

    pub fn spec(&self, code: &str) -> Option<&Spec> {
        self.specs.iter().find(|s| s.code == code)
    }

    pub fn application_image(&self, name: &str) -> Option<&ApplicationImage> {
        self.application_images.iter().find(|i| i.name == name)
    }

    pub fn os_image(&self, name: &str) -> Option<&OsImage> {
        self.os_images.iter().find(|i| i.name == name)
    }

    /// Whether `name` is an application image, an OS image, or neither.
    pub fn image_kind(&self, name: &str) -> Option<ImageKind> {
        if self.application_image(name).is_some() {
            Some(ImageKind::Application)
        } else if self.os_image(name).is_some() {
            Some(ImageKind::Os)
        } else {
            None
        }
    }

    pub fn check_region(&self, code: &str) -> Result<&Region, Reason> {
        self.region(code).ok_or_else(|| Reason::UnknownRegion {
            code: code.to_string(),
            known: self.regions.iter().map(|r| r.code.clone()).collect(),
        })
    }

    /// Is this a version of a public image, in any region? Answerable even
    /// when the region is wrong, so a user sees both mistakes at once.
    pub fn check_image_version(&self, name: &str, version: &str) -> Result<(), Reason> {
        let known = if let Some(app) = self.application_image(name) {
            std::slice::from_ref(&app.version)
        } else {
            let os = self.os_image(name).ok_or_else(|| Reason::UnknownImage {
                name: name.to_string(),
            })?;
            os.versions.as_slice()
        };
        if known.iter().any(|v| v == version) {
            Ok(())
        } else {
            Err(Reason::UnknownVersion {
                image: name.to_string(),
                version: version.to_string(),
                known: known.to_vec(),
            })
        }
    }

    /// Is this public image version sold in this region?
    pub fn check_version(&self, region: &str, name: &str, version: &str) -> Result<(), Reason> {
        let region = self.check_region(region)?;
        self.check_image_version(name, version)?;
        let Some(os) = self.os_image(name) else {
            // Application images have no regional limits in the document.
            return Ok(());
        };
        let barred = os.version_limits.iter().any(|limit| {
            limit.versions.iter().any(|v| v == version)
                && limit.not_in_regions.contains(&region.code)
        });
        if barred {
            return Err(Reason::VersionNotInRegion {
                image: name.to_string(),
                version: version.to_string(),
                region: region.shown_name().to_string(),
            });
        }
        Ok(())
    }

    /// Every version of an OS (or application) image, each with whether it is
    /// sold in `region`.
    pub fn version_choices(&self, region: &str, name: &str) -> Vec<Choice<String>> {
        let versions: Vec<String> = if let Some(app) = self.application_image(name) {
            vec![app.version.clone()]
        } else if let Some(os) = self.os_image(name) {
            os.versions.clone()
        } else {
            Vec::new()
        };
        versions
            .into_iter()
            .map(|version| Choice {
                unavailable: self.check_version(region, name, &version).err(),
                value: version,
            })
            .collect()
    }

    /// Can `spec` be bought with `image` in `region`? Assumes nothing about
    /// its inputs: unknown codes come back as reasons too.
    pub fn check_spec(
        &self,
        region: &str,
        image: &ImageSelection,
        spec_code: &str,
    ) -> Result<(), Reason> {
        let region = self.check_region(region)?;
        let spec = self.spec(spec_code).ok_or_else(|| Reason::UnknownSpec {
            code: spec_code.to_string(),
        })?;
        match image {
            ImageSelection::Private { platform } => {
                if self.private_images.specs(*platform).contains(&spec.code) {
                    Ok(())
                } else if spec.platform != *platform {
                    Err(Reason::PlatformMismatch {
                        image_platform: *platform,
                    })
                } else {
                    Err(Reason::NotOfferedForImage {
                        image: match platform {
                            Platform::Linux => tr!("core.reason.a_private_linux_image"),
                            Platform::Windows => tr!("core.reason.a_private_windows_image"),
                        },
                        spec: spec.code.clone(),
                    })
                }
            }
            ImageSelection::Public { name, version } => {
                self.check_version(&region.code, name, version)?;
                let (allowed, limits): (&[String], &[SpecLimit]) =
                    if let Some(app) = self.application_image(name) {
                        (&app.specs, &[])
                    } else {
                        let os = self.os_image(name).expect("checked by check_version");
                        (&os.specs, &os.spec_limits)
                    };
                if !allowed.contains(&spec.code) {
                    return Err(self.why_not_listed(name, allowed, spec));
                }
                for limit in limits.iter().filter(|l| l.spec == spec.code) {
                    if let Some(only) = &limit.only_regions
                        && !only.contains(&region.code)
                    {
                        return Err(Reason::SpecOnlyInRegions {
                            memory_gib: spec.memory_gib,
                            regions: only
                                .iter()
                                .map(|code| self.region_name(code).to_string())
                                .collect(),
                        });
                    }
                    if let Some(only) = &limit.only_versions
                        && !only.contains(version)
                    {
                        return Err(Reason::SpecOnlyForVersions {
                            memory_gib: spec.memory_gib,
                            image: name.clone(),
                            versions: only.clone(),
                        });
                    }
                }
                Ok(())
            }
        }
    }

    /// The most telling reason a spec is missing from an image's list.
    fn why_not_listed(&self, image: &str, allowed: &[String], spec: &Spec) -> Reason {
        if spec.platform == Platform::Windows {
            return Reason::WindowsSpecNeedsPrivateImage;
        }
        let min_gib = allowed
            .iter()
            .filter_map(|code| self.spec(code))
            .map(|s| s.memory_gib)
            .fold(f64::INFINITY, f64::min);
        if spec.memory_gib < min_gib {
            Reason::NeedsMoreMemory {
                image: image.to_string(),
                min_gib,
            }
        } else {
            Reason::NotOfferedForImage {
                image: image.to_string(),
                spec: spec.code.clone(),
            }
        }
    }

    /// Every spec of the catalog, each with whether it fits the selection.
    pub fn spec_choices(&self, region: &str, image: &ImageSelection) -> Vec<Choice<&Spec>> {
        self.specs
            .iter()
            .map(|spec| Choice {
                value: spec,
                unavailable: self.check_spec(region, image, &spec.code).err(),
            })
            .collect()
    }

    /// The specs that can be bought with this selection, in catalog order.
    pub fn allowed_specs(&self, region: &str, image: &ImageSelection) -> Vec<String> {
        self.spec_choices(region, image)
            .into_iter()
            .filter(Choice::is_available)
            .map(|c| c.value.code.clone())
            .collect()
    }

    /// The compatibility matrix: one row per buyable (region, public image,
    /// version), then one per region for each private-image family.
    pub fn matrix(&self, region_filter: Option<&str>) -> Vec<MatrixRow> {
        let mut rows = Vec::new();
        for region in &self.regions {
            if region_filter.is_some_and(|code| code != region.code) {
                continue;
            }
            let public = self
                .application_images
                .iter()
                .map(|a| (ImageKind::Application, &a.name, vec![a.version.clone()]))
                .chain(
                    self.os_images
                        .iter()
                        .map(|o| (ImageKind::Os, &o.name, o.versions.clone())),
                );
            for (kind, name, versions) in public {
                for version in versions {
                    if self.check_version(&region.code, name, &version).is_err() {
                        continue;
                    }
                    let selection = ImageSelection::Public {
                        name: name.clone(),
                        version: version.clone(),
                    };
                    rows.push(MatrixRow {
                        region: region.code.clone(),
                        image_type: kind.label(),
                        image_name: Some(name.clone()),
                        image_version: Some(version),
                        plan_specs: self.allowed_specs(&region.code, &selection),
                    });
                }
            }
            for (platform, image_type) in [
                (Platform::Linux, "private-linux"),
                (Platform::Windows, "private-windows"),
            ] {
                rows.push(MatrixRow {
                    region: region.code.clone(),
                    image_type,
                    image_name: None,
                    image_version: None,
                    plan_specs: self
                        .allowed_specs(&region.code, &ImageSelection::Private { platform }),
                });
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{Lang, in_language};

    #[test]
    fn a_package_reads_as_its_size_in_chinese_and_stays_english_for_the_wire() {
        let catalog = Catalog::embedded();
        let spec = catalog.spec("hf.large.2.30m.linux").expect("embedded spec");
        let zh = in_language(Lang::Zh, || spec.shown_description());
        assert_eq!(
            zh,
            format!(
                "{}个vCPU，{} GiB内存",
                spec.vcpus,
                format_gib(spec.memory_gib)
            )
        );
        assert_eq!(
            in_language(Lang::Zh, || spec.short_description()),
            spec.short_description()
        );
        assert_eq!(spec.shown_description(), spec.short_description());
    }

    #[test]
    fn regions_and_application_images_read_in_chinese_and_english_is_unchanged() {
        let catalog = Catalog::embedded();
        let zh = |code| in_language(Lang::Zh, || catalog.region_name(code).to_string());
        assert_eq!(zh("ap-southeast-1"), "中国-香港");
        assert_eq!(zh("ap-southeast-3"), "亚太-新加坡");
        assert_eq!(zh("sa-brazil-1"), "拉美-圣保罗一");
        assert_eq!(catalog.region_name("ap-southeast-1"), "CN-Hong Kong");
        for region in &catalog.regions {
            let name = in_language(Lang::Zh, || region.shown_name().to_string());
            assert_ne!(name, region.name, "{} has no Chinese name", region.code);
        }
        for image in &catalog.application_images {
            let text = in_language(Lang::Zh, || image.shown_description().to_string());
            assert!(
                text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {text}",
                image.name
            );
            assert_eq!(image.shown_description(), image.description);
        }
    }

    #[test]
    fn a_catalog_without_chinese_names_still_loads_and_reads_english() {
        let mut old: serde_json::Value = serde_json::from_str(EMBEDDED_CATALOG).unwrap();
        for (list, key) in [
            ("regions", "name_zh"),
            ("application_images", "description_zh"),
        ] {
            for entry in old[list].as_array_mut().unwrap() {
                assert!(entry.as_object_mut().unwrap().remove(key).is_some());
            }
        }
        let catalog = Catalog::from_json(&old.to_string(), "old catalog").unwrap();
        let name = in_language(Lang::Zh, || {
            catalog.region_name("ap-southeast-1").to_string()
        });
        assert_eq!(name, "CN-Hong Kong");
    }

    #[test]
    fn reasons_read_in_chinese_with_regions_in_chinese() {
        let reason = Reason::SpecOnlyInRegions {
            memory_gib: 16.0,
            regions: vec!["a".into(), "b".into(), "c".into()],
        };
        assert_eq!(
            in_language(Lang::Zh, || reason.to_string()),
            "16 GiB套餐只在a、b和c提供"
        );
        assert_eq!(
            reason.to_string(),
            "16 GiB packages exist only in a, b and c"
        );
        let catalog = Catalog::embedded();
        let unknown = in_language(Lang::Zh, || {
            catalog.check_region("mars-1").unwrap_err().to_string()
        });
        assert!(
            unknown.starts_with("“mars-1”不是Flexus L的区域"),
            "{unknown}"
        );
    }

    fn public(name: &str, version: &str) -> ImageSelection {
        ImageSelection::Public {
            name: name.into(),
            version: version.into(),
        }
    }

    #[test]
    fn embedded_catalog_is_valid() {
        let c = Catalog::embedded();
        assert_eq!(c.regions.len(), 6);
        assert_eq!(c.application_images.len(), 17);
        assert_eq!(c.specs.len(), 12);
    }

    #[test]
    fn reasons_read_as_plain_words() {
        let c = Catalog::embedded();
        let why = |r, i: &ImageSelection, s| c.check_spec(r, i, s).unwrap_err().to_string();
        assert_eq!(
            why(
                "ap-southeast-3",
                &public("GitLab", "16.9.3"),
                "hf.large.2.30m.linux"
            ),
            "GitLab needs at least 8 GiB"
        );
        assert_eq!(
            c.check_version("tr-west-1", "CentOS", "8.2")
                .unwrap_err()
                .to_string(),
            "CentOS 8.2 is not offered in TR-Istanbul"
        );
        assert_eq!(
            why(
                "tr-west-1",
                &public("Huawei Cloud EulerOS", "2.0"),
                "hf.large.025.30m.linux"
            ),
            "0.5 GiB packages exist only in CN-Hong Kong and AP-Singapore"
        );
        assert_eq!(
            why(
                "ap-southeast-1",
                &public("CentOS", "7.9"),
                "hf.large.025.30m.linux"
            ),
            "the 0.5 GiB package is offered for CentOS only with version 7.6"
        );
        assert_eq!(
            why(
                "ap-southeast-1",
                &public("Ubuntu", "22.04"),
                "hf.large.025.30m.linux"
            ),
            "Ubuntu needs at least 1 GiB"
        );
        assert_eq!(
            why(
                "ap-southeast-1",
                &public("BT", "6.8.35"),
                "hf.large.1.30m.byol"
            ),
            "Windows (.byol) packages are only for private Windows images"
        );
        assert_eq!(
            why(
                "ap-southeast-1",
                &ImageSelection::Private {
                    platform: Platform::Windows
                },
                "hf.large.1.30m.linux"
            ),
            "a private Windows image needs a Windows (.byol) package"
        );
    }

    #[test]
    fn loader_names_the_place_of_each_mistake() {
        let mut value: serde_json::Value = serde_json::from_str(EMBEDDED_CATALOG).unwrap();
        value["os_images"][2]["specs"][1] = "hf.nope".into();
        value["application_images"][1]["name"] = "BT".into();
        value["private_images"]["windows"] = serde_json::json!([]);
        let err = Catalog::from_json(&value.to_string(), "my.json").unwrap_err();
        assert_eq!(err.origin, "my.json");
        assert!(
            err.problems
                .contains(&"os_images[2].specs[1]: unknown spec code \"hf.nope\"".to_string()),
            "{:?}",
            err.problems
        );
        assert!(
            err.problems
                .contains(&"application_images[1]: duplicate image \"BT\"".to_string())
        );
        assert!(
            err.problems
                .contains(&"private_images.windows.specs: the list is empty".to_string())
        );
    }

    #[test]
    fn every_application_image_is_described_and_older_catalogs_without_descriptions_load() {
        let c = Catalog::embedded();
        for image in &c.application_images {
            assert!(
                !image.description.trim().is_empty(),
                "{} has no description",
                image.name
            );
        }
        let mut value: serde_json::Value = serde_json::from_str(EMBEDDED_CATALOG).unwrap();
        for image in value["application_images"].as_array_mut().unwrap() {
            image.as_object_mut().unwrap().remove("description");
        }
        let older = Catalog::from_json(&value.to_string(), "older.json").unwrap();
        assert_eq!(older.application_images[0].description, "");
    }

    #[test]
    fn loader_reports_syntax_errors_with_line_and_column() {
        let err = Catalog::from_json("{\n  \"regions\": [,]\n}", "bad.json").unwrap_err();
        assert!(
            err.problems[0].starts_with("line 2, column"),
            "{:?}",
            err.problems
        );
    }
}
