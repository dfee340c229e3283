//! The purchase document's Tables 9-13, transcribed here by hand from
//! shared/reference/flexusl-purchase-api.txt and compared with what the real
//! binary sells. Nothing below is read from assets/catalog.json: the point is
//! to catch a catalog that drifted from the document.

use std::collections::BTreeMap;
use std::process::{Command, Output};

use flexus::domain::catalog::{Catalog, Platform};
use serde_json::Value;

const HONG_KONG: &str = "ap-southeast-1";
const SINGAPORE: &str = "ap-southeast-3";
const BANGKOK: &str = "ap-southeast-2";
const ISTANBUL: &str = "tr-west-1";
const SAO_PAULO: &str = "sa-brazil-1";
const RIYADH: &str = "me-east-1";

/// Body parameter `region`: "ap-southeast-1 (CN-Hong Kong), ap-southeast-3
/// (AP-Singapore), ap-southeast-2 (AP-Bangkok), tr-west-1 (TR-Istanbul),
/// sa-brazil-1 (LA-Sao Paulo1), and me-east-1 (ME-Riyadh)".
const REGIONS: [(&str, &str); 6] = [
    (HONG_KONG, "CN-Hong Kong"),
    (SINGAPORE, "AP-Singapore"),
    (BANGKOK, "AP-Bangkok"),
    (ISTANBUL, "TR-Istanbul"),
    (SAO_PAULO, "LA-Sao Paulo1"),
    (RIYADH, "ME-Riyadh"),
];

const L025: &str = "hf.large.025.30m.linux";
const L05: &str = "hf.large.05.30m.linux";
const L1: &str = "hf.large.1.30m.linux";
const L2: &str = "hf.large.2.30m.linux";
const L4: &str = "hf.large.4.30m.linux";
const XL2: &str = "hf.xlarge.2.30m.linux";
const XL4: &str = "hf.xlarge.4.30m.linux";
const W1: &str = "hf.large.1.30m.byol";
const W2: &str = "hf.large.2.30m.byol";
const W4: &str = "hf.large.4.30m.byol";
const WX2: &str = "hf.xlarge.2.30m.byol";
const WX4: &str = "hf.xlarge.4.30m.byol";

/// Table 9: application image, its one version, its specification codes.
const TABLE_9: [(&str, &str, &[&str]); 17] = [
    ("BT", "6.8.35", &[L1, L2, L4, XL2, XL4]),
    ("CRM", "8.0", &[L1, L2, L4, XL2, XL4]),
    ("Ghost", "5.67", &[L1, L2, L4, XL2, XL4]),
    ("GitLab", "16.9.3", &[L4, XL2, XL4]),
    ("Joomla", "5.0.3", &[L1, L2, L4, XL2, XL4]),
    ("KodBox", "1.49", &[L1, L2, L4, XL2, XL4]),
    ("Matomo", "5.0.3", &[L1, L2, L4, XL2, XL4]),
    ("Moodle", "4.3.4", &[L1, L2, L4, XL2, XL4]),
    ("Nextcloud", "28.0.3", &[L2, L4, XL2, XL4]),
    ("Nodejs", "21", &[L1, L2, L4, XL2, XL4]),
    ("Odoo", "17.0", &[L1, L2, L4, XL2, XL4]),
    ("Portainer", "2.19.4", &[L1, L2, L4, XL2, XL4]),
    ("PrestaShop", "8.1.5", &[L1, L2, L4, XL2, XL4]),
    ("Redmine", "5.1", &[L1, L2, L4, XL2, XL4]),
    ("SRS", "6.0.101", &[L2, L4, XL2, XL4]),
    ("Superset", "3.1.1", &[L4, XL2, XL4]),
    ("WordPress", "6.4", &[L1, L2, L4, XL2, XL4]),
];

/// Table 10, written as the document prints it, before its footnotes.
const UBUNTU_VERSIONS: [&str; 4] = ["22.04", "20.04", "18.04", "16.04"];
const UBUNTU_SPECS: [&str; 6] = [L05, L1, L2, L4, XL2, XL4];
const EULEROS: &str = "Huawei Cloud EulerOS";
const EULEROS_VERSIONS: [&str; 1] = ["2.0"];
const CENTOS_VERSIONS: [&str; 11] = [
    "8.2", "8.1", "8.0", "7.9", "7.8", "7.7", "7.6", "7.5", "7.4", "7.3", "7.2",
];
const DEBIAN_VERSIONS: [&str; 2] = ["11.1", "9.0"];
/// EulerOS, CentOS and Debian list all seven Linux codes, 0.5 GiB first.
const SEVEN_LINUX_SPECS: [&str; 7] = [L025, L05, L1, L2, L4, XL2, XL4];

/// "The TR-Istanbul and ME-Riyadh regions do not support 8.2, 8.1, 8.0, 7.3, or 7.2."
const CENTOS_NOT_IN_ISTANBUL_OR_RIYADH: [&str; 5] = ["8.2", "8.1", "8.0", "7.3", "7.2"];
/// "supported only in the CN-Hong Kong and AP-Singapore regions".
const SMALLEST_PACKAGE_REGIONS: [&str; 2] = [HONG_KONG, SINGAPORE];

/// Table 11: private images.
const PRIVATE_LINUX: [&str; 7] = [L025, L05, L1, L2, L4, XL2, XL4];
const PRIVATE_WINDOWS: [&str; 5] = [W1, W2, W4, WX2, WX4];

/// Tables 12 and 13: code, platform, vCPUs, memory GiB, system disk GiB,
/// peak bandwidth Mbit/s, data package GB.
const SPEC_SHEET: [(&str, Platform, u32, f64, u32, u32, u32); 12] = [
    (L025, Platform::Linux, 2, 0.5, 20, 30, 1024),
    (L05, Platform::Linux, 2, 1.0, 40, 30, 2048),
    (L1, Platform::Linux, 2, 2.0, 60, 30, 3072),
    (L2, Platform::Linux, 2, 4.0, 80, 30, 4096),
    (L4, Platform::Linux, 2, 8.0, 160, 30, 5120),
    (XL2, Platform::Linux, 4, 8.0, 240, 30, 6144),
    (XL4, Platform::Linux, 4, 16.0, 320, 30, 7168),
    (W1, Platform::Windows, 2, 2.0, 60, 30, 3072),
    (W2, Platform::Windows, 2, 4.0, 80, 30, 4096),
    (W4, Platform::Windows, 2, 8.0, 160, 30, 5120),
    (WX2, Platform::Windows, 4, 8.0, 240, 30, 6144),
    (WX4, Platform::Windows, 4, 16.0, 320, 30, 7168),
];

/// (region, image_type, image_name, image_version)
type RowKey = (String, String, Option<String>, Option<String>);

fn key(region: &str, image_type: &str, name: Option<&str>, version: Option<&str>) -> RowKey {
    (
        region.to_string(),
        image_type.to_string(),
        name.map(str::to_string),
        version.map(str::to_string),
    )
}

fn owned(specs: &[&str]) -> Vec<String> {
    specs.iter().map(|s| s.to_string()).collect()
}

/// The OS-image specs of Table 10 after its footnotes, for one version in
/// one region.
fn os_specs(region: &str, image: &str, version: &str) -> Vec<String> {
    let smallest_here = SMALLEST_PACKAGE_REGIONS.contains(&region);
    let listed: &[&str] = match image {
        "Ubuntu" => &UBUNTU_SPECS,
        _ => &SEVEN_LINUX_SPECS,
    };
    let smallest_allowed = match image {
        // "hf.large.025.30m.linux (supported only in the CN-Hong Kong and
        // AP-Singapore regions)"
        EULEROS => smallest_here,
        // "(supported only by images of version 7.6 in the CN-Hong Kong and
        // AP-Singapore regions)"
        "CentOS" => smallest_here && version == "7.6",
        // "(supported only by images of version 11.1 in the CN-Hong Kong and
        // AP-Singapore regions)"
        "Debian" => smallest_here && version == "11.1",
        _ => false,
    };
    listed
        .iter()
        .filter(|code| **code != L025 || smallest_allowed)
        .map(|code| code.to_string())
        .collect()
}

/// Every row `flexus catalog --json` must print for one region, in no
/// particular order, keyed by what the row is about.
fn expected_rows(region: &str) -> BTreeMap<RowKey, Vec<String>> {
    let mut rows = BTreeMap::new();
    for (name, version, specs) in TABLE_9 {
        rows.insert(
            key(region, "application", Some(name), Some(version)),
            owned(specs),
        );
    }
    let os_families: [(&str, &[&str]); 4] = [
        ("Ubuntu", &UBUNTU_VERSIONS),
        (EULEROS, &EULEROS_VERSIONS),
        ("CentOS", &CENTOS_VERSIONS),
        ("Debian", &DEBIAN_VERSIONS),
    ];
    for (name, versions) in os_families {
        for version in versions {
            let barred = name == "CentOS"
                && [ISTANBUL, RIYADH].contains(&region)
                && CENTOS_NOT_IN_ISTANBUL_OR_RIYADH.contains(version);
            if barred {
                continue;
            }
            rows.insert(
                key(region, "os", Some(name), Some(version)),
                os_specs(region, name, version),
            );
        }
    }
    rows.insert(
        key(region, "private-linux", None, None),
        owned(&PRIVATE_LINUX),
    );
    rows.insert(
        key(region, "private-windows", None, None),
        owned(&PRIVATE_WINDOWS),
    );
    rows
}

fn all_expected_rows() -> BTreeMap<RowKey, Vec<String>> {
    REGIONS
        .iter()
        .flat_map(|(code, _)| expected_rows(code))
        .collect()
}

fn flexus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the flexus binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// Runs `flexus catalog --json [extra args]` and returns its rows keyed like
/// the expected ones, failing on a duplicate row or a malformed one.
fn catalog_rows(extra: &[&str]) -> (Vec<RowKey>, BTreeMap<RowKey, Vec<String>>) {
    let mut args = vec!["catalog", "--json"];
    args.extend_from_slice(extra);
    let out = flexus(&args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(
        out.stderr.is_empty(),
        "nothing on stderr: {}",
        text(&out.stderr)
    );
    let value: Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    let array = value["offerings"]
        .as_array()
        .expect("the rows, under offerings");
    let mut order = Vec::new();
    let mut rows = BTreeMap::new();
    for row in array {
        let object = row.as_object().expect("each row is an object");
        let mut fields: Vec<&str> = object.keys().map(String::as_str).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "image_name",
                "image_type",
                "image_version",
                "plan_specs",
                "region"
            ],
            "row {row}"
        );
        let opt = |field: &str| match &object[field] {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => panic!("{field} is {other} in {row}"),
        };
        let row_key = (
            object["region"].as_str().expect("region").to_string(),
            object["image_type"]
                .as_str()
                .expect("image_type")
                .to_string(),
            opt("image_name"),
            opt("image_version"),
        );
        let specs: Vec<String> = object["plan_specs"]
            .as_array()
            .expect("plan_specs is a list")
            .iter()
            .map(|s| s.as_str().expect("spec codes are text").to_string())
            .collect();
        order.push(row_key.clone());
        assert!(
            rows.insert(row_key.clone(), specs).is_none(),
            "row {row_key:?} is printed twice"
        );
    }
    (order, rows)
}

/// Every missing, extra and differing row, so a failure says exactly where
/// the catalog and the document disagree.
fn differences(
    actual: &BTreeMap<RowKey, Vec<String>>,
    expected: &BTreeMap<RowKey, Vec<String>>,
) -> Vec<String> {
    let mut differences = Vec::new();
    for (k, specs) in expected {
        match actual.get(k) {
            None => differences.push(format!("missing row {k:?}")),
            Some(got) if got != specs => {
                differences.push(format!("{k:?}: got {got:?}, the document says {specs:?}"))
            }
            Some(_) => {}
        }
    }
    for k in actual.keys().filter(|k| !expected.contains_key(*k)) {
        differences.push(format!("extra row {k:?}"));
    }
    differences
}

fn assert_same_rows(
    actual: &BTreeMap<RowKey, Vec<String>>,
    expected: &BTreeMap<RowKey, Vec<String>>,
) {
    let differences = differences(actual, expected);
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn the_transcription_has_the_size_the_document_implies() {
    // 17 application images + 4 Ubuntu + 1 EulerOS + 11 CentOS + 2 Debian
    // + 2 private families = 37 rows, minus 5 CentOS versions in Istanbul
    // and Riyadh.
    let expected = all_expected_rows();
    assert_eq!(expected.len(), 4 * 37 + 2 * 32);
}

#[test]
fn catalog_json_has_exactly_the_documents_rows() {
    let (_, actual) = catalog_rows(&[]);
    assert_same_rows(&actual, &all_expected_rows());
}

#[test]
fn catalog_json_lists_regions_in_the_documents_order() {
    let (order, _) = catalog_rows(&[]);
    let mut regions: Vec<&str> = order.iter().map(|k| k.0.as_str()).collect();
    regions.dedup();
    let expected: Vec<&str> = REGIONS.iter().map(|(code, _)| *code).collect();
    assert_eq!(regions, expected, "each region once, as a block");
}

#[test]
fn each_footnote_of_table_10_shows_in_the_output() {
    let (_, rows) = catalog_rows(&[]);
    let specs = |region: &str, image: &str, version: &str| {
        rows.get(&key(region, "os", Some(image), Some(version)))
            .cloned()
    };
    for region in [ISTANBUL, RIYADH] {
        for version in CENTOS_NOT_IN_ISTANBUL_OR_RIYADH {
            assert_eq!(specs(region, "CentOS", version), None, "{version} {region}");
        }
        assert!(specs(region, "CentOS", "7.9").is_some());
    }
    for region in [HONG_KONG, SINGAPORE, BANGKOK, SAO_PAULO] {
        for version in CENTOS_VERSIONS {
            assert!(
                specs(region, "CentOS", version).is_some(),
                "{version} {region}"
            );
        }
    }
    let has_smallest = |region, image, version| {
        specs(region, image, version)
            .unwrap_or_else(|| panic!("{image} {version} is sold in {region}"))
            .contains(&L025.to_string())
    };
    for (region, _) in REGIONS {
        let smallest_here = SMALLEST_PACKAGE_REGIONS.contains(&region);
        assert_eq!(has_smallest(region, EULEROS, "2.0"), smallest_here);
        assert_eq!(has_smallest(region, "CentOS", "7.6"), smallest_here);
        assert!(!has_smallest(region, "CentOS", "7.9"));
        assert_eq!(has_smallest(region, "Debian", "11.1"), smallest_here);
        assert!(!has_smallest(region, "Debian", "9.0"));
        for version in UBUNTU_VERSIONS {
            assert!(
                !has_smallest(region, "Ubuntu", version),
                "Ubuntu has no 025"
            );
        }
        for (name, version, _) in TABLE_9 {
            let app = &rows[&key(region, "application", Some(name), Some(version))];
            assert!(!app.contains(&L025.to_string()), "{name} in {region}");
        }
    }
}

#[test]
fn catalog_json_for_one_region_has_only_that_regions_rows() {
    for (region, _) in REGIONS {
        let (_, actual) = catalog_rows(&["--region", region]);
        assert!(actual.keys().all(|k| k.0 == region), "{region}");
        assert_same_rows(&actual, &expected_rows(region));
    }
}

#[test]
fn an_unknown_region_exits_2_with_a_message_on_stderr() {
    for args in [
        &["catalog", "--region", "nowhere"][..],
        &["catalog", "--json", "--region", "nowhere"][..],
    ] {
        let out = flexus(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        if args.contains(&"--json") {
            // With --json the failure is also an object on stdout, for scripts.
            let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(error["error"]["exit"], 2, "{error}");
        } else {
            assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
        }
        let err = text(&out.stderr);
        assert!(err.contains("\"nowhere\" is not a FlexusL region"), "{err}");
        for (code, _) in REGIONS {
            assert!(err.contains(code), "the message lists {code}: {err}");
        }
    }
}

#[test]
fn the_spec_sheet_matches_tables_12_and_13() {
    let catalog = Catalog::embedded();
    let actual: Vec<_> = catalog
        .specs
        .iter()
        .map(|s| {
            (
                s.code.as_str(),
                s.platform,
                s.vcpus,
                s.memory_gib,
                s.system_disk_gib,
                s.peak_bandwidth_mbit,
                s.data_package_gb,
            )
        })
        .collect();
    assert_eq!(actual, SPEC_SHEET);
}

#[test]
fn the_regions_have_the_documents_names() {
    let catalog = Catalog::embedded();
    let actual: Vec<(&str, &str)> = catalog
        .regions
        .iter()
        .map(|r| (r.code.as_str(), r.name.as_str()))
        .collect();
    assert_eq!(actual, REGIONS);
}

#[test]
fn the_catalog_table_shows_each_region_and_the_spec_sheet() {
    let out = flexus(&["catalog"]);
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    for (code, name) in REGIONS {
        assert!(table.contains(&format!("{name} ({code})")), "{table}");
    }
    for (code, _, vcpus, _, disk, _, data) in SPEC_SHEET {
        let line = table
            .lines()
            .find(|l| l.trim_start().starts_with(code))
            .unwrap_or_else(|| panic!("{code} has a line in the spec sheet"));
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[1], vcpus.to_string(), "{line}");
        assert!(line.contains(&format!("{disk} GiB")), "{line}");
        assert!(line.contains(&format!("{data} GB")), "{line}");
    }
}

/// The comparison above must catch a catalog that drifted from the document;
/// each drift here is one a hand edit of assets/catalog.json could make.
#[test]
fn a_drifted_catalog_is_caught_row_by_row() {
    let embedded: Value =
        serde_json::from_str(flexus::domain::catalog::EMBEDDED_CATALOG).expect("valid JSON");
    type Drift = fn(&mut Value);
    let drifts: [(Drift, &str); 4] = [
        (
            |c| {
                c["os_images"][2]["version_limits"][0]["not_in_regions"] =
                    serde_json::json!(["tr-west-1"])
            },
            "extra row (\"me-east-1\", \"os\", Some(\"CentOS\"), Some(\"8.2\"))",
        ),
        (
            |c| {
                c["os_images"][0]["specs"]
                    .as_array_mut()
                    .unwrap()
                    .insert(0, L025.into())
            },
            "(\"ap-southeast-1\", \"os\", Some(\"Ubuntu\"), Some(\"22.04\")): got",
        ),
        (
            |c| {
                c["application_images"][3]["specs"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|s| s != L4);
            },
            "(\"ap-southeast-2\", \"application\", Some(\"GitLab\"), Some(\"16.9.3\")): got",
        ),
        (
            |c| c["os_images"][3]["spec_limits"][0]["only_versions"] = serde_json::json!(["9.0"]),
            "(\"ap-southeast-3\", \"os\", Some(\"Debian\"), Some(\"9.0\")): got",
        ),
    ];
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (i, (drift, expected_difference)) in drifts.into_iter().enumerate() {
        let mut catalog = embedded.clone();
        drift(&mut catalog);
        let path = dir.path().join(format!("drift{i}.json"));
        std::fs::write(&path, catalog.to_string()).expect("write the drifted catalog");
        let (_, rows) = catalog_rows(&["--catalog", path.to_str().expect("UTF-8 path")]);
        let found = differences(&rows, &all_expected_rows());
        assert!(
            found.iter().any(|d| d.starts_with(expected_difference)),
            "drift {i}: expected {expected_difference}, found {found:#?}"
        );
    }
}
