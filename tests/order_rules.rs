//! Every rule of the purchase document at both sides of its boundary, through
//! `Draft::problems` and through the CLI: the good side passes, the bad side
//! names the field and says what to do in words a first-time user follows.

use std::process::{Command, Output};

use flexus::domain::catalog::Catalog;
use flexus::domain::order::{Draft, Extra, ExtraKind, ImageRef, PeriodType, Problem, Tag};

/// A draft that breaks no rule: the document's example, bought once.
fn valid() -> Draft {
    Draft {
        instance_name: "test-0620-01".into(),
        description: "test".into(),
        plan_spec: "hf.large.1.30m.linux".into(),
        image: public("BT", "6.8.35"),
        region: "ap-southeast-3".into(),
        period_type: PeriodType::Month,
        period_num: 1,
        purchase_quantity: 1,
        ..Draft::default()
    }
}

fn public(name: &str, version: &str) -> ImageRef {
    ImageRef::Public {
        name: name.into(),
        version: version.into(),
    }
}

fn private() -> ImageRef {
    ImageRef::Private {
        image_id: "b8e9f3a1-2c4d-4e5f-8a9b-0c1d2e3f4a5b".into(),
    }
}

fn with(change: impl FnOnce(&mut Draft)) -> Draft {
    let mut draft = valid();
    change(&mut draft);
    draft
}

fn problems(draft: &Draft) -> Vec<Problem> {
    draft.problems(&Catalog::embedded())
}

#[track_caller]
fn assert_ok(draft: &Draft) {
    let found = problems(draft);
    assert!(found.is_empty(), "expected no problem, got {found:#?}");
    assert!(draft.request_body(&Catalog::embedded()).is_ok());
}

/// The one problem of `draft`, which must be about `field`; returns its
/// message after checking it reads as words, not as program output.
#[track_caller]
fn only_problem(draft: &Draft, field: &str) -> String {
    let found = problems(draft);
    assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
    assert_eq!(found[0].field.to_string(), field, "{found:#?}");
    assert!(draft.request_body(&Catalog::embedded()).is_err());
    let message = found[0].message.clone();
    assert_plain(&message);
    message
}

/// No Debug output, no Rust types, no empty message.
#[track_caller]
fn assert_plain(message: &str) {
    assert!(message.len() >= 10, "too short to help: {message:?}");
    for leak in [
        "Some(", "None", "Err(", "Ok(", "..=", "::", "\\u", "{:", "Reason", "Extra", "String",
    ] {
        assert!(!message.contains(leak), "{leak} in {message:?}");
    }
}

#[track_caller]
fn assert_says(message: &str, phrases: &[&str]) {
    for phrase in phrases {
        assert!(
            message.contains(phrase),
            "{message:?} should say {phrase:?}"
        );
    }
}

#[test]
fn the_valid_draft_is_valid() {
    assert_ok(&valid());
}

// instance_name: letters, digits, _ and -, starting with a letter, 1 to 128.

#[test]
fn a_name_of_128_characters_is_accepted_and_129_is_not() {
    let name_of = |len: usize| format!("a{}", "b".repeat(len - 1));
    assert_ok(&with(|d| d.instance_name = name_of(1)));
    assert_ok(&with(|d| d.instance_name = name_of(128)));
    let message = only_problem(&with(|d| d.instance_name = name_of(129)), "instance_name");
    assert_says(&message, &["129 characters", "128"]);
}

#[test]
fn an_empty_name_is_refused_with_the_rule() {
    let message = only_problem(&with(|d| d.instance_name.clear()), "instance_name");
    assert_says(&message, &["name", "1 to 128", "letter"]);
}

#[test]
fn a_name_may_mix_cases_digits_underscores_and_hyphens() {
    assert_ok(&with(|d| d.instance_name = "Web_Server-01".into()));
    assert_ok(&with(|d| d.instance_name = "Z".into()));
    assert_ok(&with(|d| d.instance_name = "x9_-".into()));
}

#[test]
fn a_name_must_start_with_a_letter() {
    for name in ["1web", "_web", "-web", "9"] {
        let message = only_problem(&with(|d| d.instance_name = name.into()), "instance_name");
        assert_says(&message, &["start with a letter"]);
    }
}

#[test]
fn a_name_with_a_space_dot_or_other_character_names_the_character() {
    for (name, shown) in [
        ("web server", "a space"),
        ("web.server", "\".\""),
        ("web/1", "\"/\""),
        ("web\t1", "U+0009"),
    ] {
        let message = only_problem(&with(|d| d.instance_name = name.into()), "instance_name");
        assert_says(&message, &[shown, "not allowed", "digits, _ and -"]);
    }
}

#[test]
fn a_name_with_a_non_english_letter_says_which_letters_are_meant() {
    // "é" is a letter to its reader; the message must not say "use only
    // letters" while refusing one.
    for (name, shown) in [("café", "\"é\""), ("服务器", "\"服\""), ("web😀", "\"😀\"")] {
        let message = only_problem(&with(|d| d.instance_name = name.into()), "instance_name");
        assert_says(&message, &[shown, "not allowed", "A-Z"]);
    }
}

// description: 0 to 1,024 characters, counted as characters, not bytes.

#[test]
fn a_description_of_1024_characters_is_accepted_and_1025_is_not() {
    assert_ok(&with(|d| d.description.clear()));
    for unit in ["x", "é", "描", "😀"] {
        assert_ok(&with(|d| d.description = unit.repeat(1024)));
        let message = only_problem(&with(|d| d.description = unit.repeat(1025)), "description");
        assert_says(&message, &["1025 characters", "1024"]);
    }
}

// purchase_quantity: 1 to 200.

#[test]
fn a_quantity_of_1_to_200_is_accepted_and_0_or_201_is_not() {
    for ok in [1, 2, 199, 200] {
        assert_ok(&with(|d| d.purchase_quantity = ok));
    }
    for bad in [0, 201, -1] {
        let message = only_problem(&with(|d| d.purchase_quantity = bad), "purchase_quantity");
        assert_says(&message, &["1 to 200", &format!("got {bad}")]);
    }
}

// period_num: 1 to 9 months, 1 to 3 years.

#[test]
fn a_monthly_period_is_1_to_9() {
    for ok in [1, 9] {
        assert_ok(&with(|d| d.period_num = ok));
    }
    for bad in [0, 10] {
        let message = only_problem(&with(|d| d.period_num = bad), "period_num");
        assert_says(&message, &["1 to 9 months", &format!("got {bad}")]);
    }
}

#[test]
fn a_yearly_period_is_1_to_3() {
    let yearly = |num| {
        with(|d| {
            d.period_type = PeriodType::Year;
            d.period_num = num;
        })
    };
    for ok in [1, 3] {
        assert_ok(&yearly(ok));
    }
    for bad in [0, 4, 9] {
        let message = only_problem(&yearly(bad), "period_num");
        assert_says(&message, &["1 to 3 years", &format!("got {bad}")]);
    }
}

// extra_resources: evs and cbr sized 10 to 2048 GiB, hss without size, each
// type at most once.

fn extra(kind: ExtraKind, size: Option<i64>) -> Extra {
    Extra { kind, size }
}

#[test]
fn evs_and_cbr_sizes_are_10_to_2048_gib() {
    for kind in [ExtraKind::Evs, ExtraKind::Cbr] {
        for ok in [10, 11, 2047, 2048] {
            assert_ok(&with(|d| d.extra_resources = vec![extra(kind, Some(ok))]));
        }
        for bad in [9, 2049, 0, -10] {
            let message = only_problem(
                &with(|d| d.extra_resources = vec![extra(kind, Some(bad))]),
                "extra_resources[0].size",
            );
            assert_says(
                &message,
                &[&kind.label(), "10 to 2048 GiB", &format!("got {bad}")],
            );
        }
    }
}

#[test]
fn evs_and_cbr_need_a_size() {
    for kind in [ExtraKind::Evs, ExtraKind::Cbr] {
        let message = only_problem(
            &with(|d| d.extra_resources = vec![extra(kind, None)]),
            "extra_resources[0].size",
        );
        assert_says(&message, &["give", &kind.label(), "10 to 2048 GiB"]);
    }
}

#[test]
fn hss_takes_no_size() {
    assert_ok(&with(|d| {
        d.extra_resources = vec![extra(ExtraKind::Hss, None)]
    }));
    let message = only_problem(
        &with(|d| d.extra_resources = vec![extra(ExtraKind::Hss, Some(20))]),
        "extra_resources[0].size",
    );
    // The size is what goes, not the add-on: the message must not be read as
    // "remove hss".
    assert_says(&message, &["HSS", "no size", "leave the size out"]);
}

#[test]
fn all_three_add_ons_together_are_fine() {
    assert_ok(&with(|d| {
        d.extra_resources = vec![
            extra(ExtraKind::Evs, Some(20)),
            extra(ExtraKind::Cbr, Some(20)),
            extra(ExtraKind::Hss, None),
        ]
    }));
}

#[test]
fn each_add_on_type_may_appear_once() {
    for kind in ExtraKind::ALL {
        let size = kind.takes_size().then_some(20);
        let message = only_problem(
            &with(|d| d.extra_resources = vec![extra(kind, size), extra(kind, size)]),
            "extra_resources[1].type",
        );
        assert_says(&message, &[kind.code(), "already in the order", "once"]);
    }
}

// tags: key 1 to 32, value 0 to 2048, keys unique.

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.into(),
        value: value.into(),
    }
}

#[test]
fn a_tag_key_is_1_to_32_characters() {
    for len in [1, 32] {
        assert_ok(&with(|d| d.tags = vec![tag(&"k".repeat(len), "v")]));
        assert_ok(&with(|d| d.tags = vec![tag(&"ж".repeat(len), "v")]));
    }
    let message = only_problem(&with(|d| d.tags = vec![tag("", "v")]), "tags[0].key");
    assert_says(&message, &["key", "1 to 32"]);
    for key in ["k".repeat(33), "ü".repeat(33)] {
        let message = only_problem(&with(|d| d.tags = vec![tag(&key, "v")]), "tags[0].key");
        assert_says(&message, &["33 characters", "1 to 32"]);
    }
}

#[test]
fn a_tag_value_is_0_to_2048_characters() {
    assert_ok(&with(|d| d.tags = vec![tag("env", "")]));
    assert_ok(&with(|d| d.tags = vec![tag("env", &"v".repeat(2048))]));
    assert_ok(&with(|d| d.tags = vec![tag("env", &"值".repeat(2048))]));
    for value in ["v".repeat(2049), "值".repeat(2049)] {
        let message = only_problem(
            &with(|d| d.tags = vec![tag("env", &value)]),
            "tags[0].value",
        );
        assert_says(&message, &["2049 characters", "2048"]);
    }
}

#[test]
fn tag_keys_are_unique() {
    assert_ok(&with(|d| d.tags = vec![tag("env", "a"), tag("Env", "b")]));
    let message = only_problem(
        &with(|d| d.tags = vec![tag("env", "a"), tag("team", "x"), tag("env", "b")]),
        "tags[2].key",
    );
    assert_says(&message, &["\"env\"", "unique"]);
}

// plan_spec: compatible with the region and the image (Tables 9-11 and their
// footnotes), with the reason in words.

#[test]
fn gitlab_needs_8_gib() {
    let message = only_problem(
        &with(|d| {
            d.image = public("GitLab", "16.9.3");
            d.plan_spec = "hf.large.2.30m.linux".into();
        }),
        "plan_spec",
    );
    assert_eq!(message, "GitLab needs at least 8 GiB");
    assert_ok(&with(|d| {
        d.image = public("GitLab", "16.9.3");
        d.plan_spec = "hf.large.4.30m.linux".into();
    }));
}

#[test]
fn centos_8_2_is_not_sold_in_istanbul() {
    let message = only_problem(
        &with(|d| {
            d.region = "tr-west-1".into();
            d.image = public("CentOS", "8.2");
        }),
        "image_ref.image_version",
    );
    assert_eq!(message, "CentOS 8.2 is not offered in TR-Istanbul");
    let message = only_problem(
        &with(|d| {
            d.region = "me-east-1".into();
            d.image = public("CentOS", "7.2");
        }),
        "image_ref.image_version",
    );
    assert_eq!(message, "CentOS 7.2 is not offered in ME-Riyadh");
    assert_ok(&with(|d| {
        d.region = "tr-west-1".into();
        d.image = public("CentOS", "7.9");
    }));
}

#[test]
fn the_half_gib_package_exists_only_in_hong_kong_and_singapore() {
    let euler = |region: &str| {
        with(|d| {
            d.region = region.into();
            d.image = public("Huawei Cloud EulerOS", "2.0");
            d.plan_spec = "hf.large.025.30m.linux".into();
        })
    };
    let message = only_problem(&euler("tr-west-1"), "plan_spec");
    assert_eq!(
        message,
        "0.5 GiB packages exist only in CN-Hong Kong and AP-Singapore"
    );
    assert_ok(&euler("ap-southeast-1"));
    assert_ok(&euler("ap-southeast-3"));
}

#[test]
fn the_half_gib_package_needs_centos_7_6_or_debian_11_1() {
    let smallest = |image: ImageRef| {
        with(|d| {
            d.region = "ap-southeast-1".into();
            d.image = image;
            d.plan_spec = "hf.large.025.30m.linux".into();
        })
    };
    assert_ok(&smallest(public("CentOS", "7.6")));
    assert_ok(&smallest(public("Debian", "11.1")));
    let message = only_problem(&smallest(public("Debian", "9.0")), "plan_spec");
    assert_eq!(
        message,
        "the 0.5 GiB package is offered for Debian only with version 11.1"
    );
    let message = only_problem(&smallest(public("CentOS", "7.9")), "plan_spec");
    assert_says(&message, &["0.5 GiB", "CentOS", "7.6"]);
    let message = only_problem(&smallest(public("Ubuntu", "22.04")), "plan_spec");
    assert_eq!(message, "Ubuntu needs at least 1 GiB");
}

#[test]
fn a_windows_package_needs_a_private_image() {
    let message = only_problem(
        &with(|d| d.plan_spec = "hf.large.1.30m.byol".into()),
        "plan_spec",
    );
    assert_eq!(
        message,
        "Windows (.byol) packages are only for private Windows images"
    );
}

#[test]
fn a_private_image_takes_a_windows_or_a_linux_package() {
    for spec in [
        "hf.large.1.30m.byol",
        "hf.xlarge.4.30m.byol",
        "hf.large.1.30m.linux",
        "hf.large.025.30m.linux",
    ] {
        assert_ok(&with(|d| {
            d.image = private();
            d.plan_spec = spec.into();
        }));
    }
    let message = only_problem(
        &with(|d| {
            d.image = ImageRef::Private {
                image_id: " ".into(),
            }
        }),
        "image_ref.image_id",
    );
    assert_says(&message, &["private image", "ID"]);
}

#[test]
fn unknown_codes_are_named_with_where_to_look() {
    let message = only_problem(&with(|d| d.region = "mars-1".into()), "region");
    assert_says(
        &message,
        &[
            "\"mars-1\" is not a FlexusL region",
            "ap-southeast-3",
            "me-east-1",
        ],
    );
    let message = only_problem(&with(|d| d.plan_spec = "hf.huge".into()), "plan_spec");
    assert_says(
        &message,
        &[
            "\"hf.huge\" is not a FlexusL specification code",
            "flexus catalog",
        ],
    );
    let message = only_problem(
        &with(|d| d.image = public("Gentoo", "1")),
        "image_ref.image_name",
    );
    assert_says(&message, &["\"Gentoo\"", "flexus catalog"]);
    let message = only_problem(
        &with(|d| d.image = public("Ubuntu", "24.04")),
        "image_ref.image_version",
    );
    assert_says(
        &message,
        &["Ubuntu", "\"24.04\"", "22.04, 20.04, 18.04, 16.04"],
    );
    let message = only_problem(
        &with(|d| d.image = public("BT", "7.0")),
        "image_ref.image_version",
    );
    assert_eq!(message, "BT is sold only as version 6.8.35");
}

#[test]
fn missing_choices_say_what_to_choose() {
    assert_says(
        &only_problem(&with(|d| d.region.clear()), "region"),
        &["choose a region"],
    );
    assert_says(
        &only_problem(&with(|d| d.plan_spec.clear()), "plan_spec"),
        &["choose a specification code"],
    );
    assert_says(
        &only_problem(&with(|d| d.image = ImageRef::Unset), "image_ref"),
        &["image_name", "image_version", "image_id"],
    );
}

#[test]
fn a_draft_with_many_mistakes_gets_all_of_them_at_once() {
    let draft = Draft {
        instance_name: "1 bad".into(),
        description: "d".repeat(1025),
        plan_spec: "hf.huge".into(),
        image: public("Gentoo", "1"),
        region: "mars-1".into(),
        period_type: PeriodType::Year,
        period_num: 4,
        purchase_quantity: 201,
        is_auto_renew: false,
        is_auto_pay: false,
        extra_resources: vec![
            extra(ExtraKind::Evs, Some(9)),
            extra(ExtraKind::Evs, Some(20)),
            extra(ExtraKind::Hss, Some(10)),
            extra(ExtraKind::Cbr, None),
        ],
        tags: vec![
            tag("", "v"),
            tag(&"k".repeat(33), "v"),
            tag("a", &"v".repeat(2049)),
            tag("a", ""),
        ],
    };
    let fields: Vec<String> = problems(&draft)
        .into_iter()
        .map(|p| p.field.to_string())
        .collect();
    assert_eq!(
        fields,
        [
            "instance_name",
            "description",
            "region",
            "image_ref.image_name",
            "plan_spec",
            "period_num",
            "purchase_quantity",
            "extra_resources[0].size",
            "extra_resources[1].type",
            "extra_resources[2].size",
            "extra_resources[3].size",
            "tags[0].key",
            "tags[1].key",
            "tags[2].value",
            "tags[3].key",
        ]
    );
}

#[test]
fn with_an_unknown_region_a_wrong_version_is_still_reported() {
    let fields: Vec<String> = problems(&with(|d| {
        d.region = "mars-1".into();
        d.image = public("Ubuntu", "24.04");
    }))
    .into_iter()
    .map(|p| p.field.to_string())
    .collect();
    assert_eq!(fields, ["region", "image_ref.image_version"]);
}

// The same rules through the command line, as a script meets them.

fn flexus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the flexus binary runs")
}

/// Runs `order --plan FILE --dry-run` on the document's example with some
/// fields replaced.
fn dry_run(changes: serde_json::Value) -> Output {
    let mut plan: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
            .unwrap(),
    )
    .unwrap();
    for (field, value) in changes.as_object().expect("an object of changes") {
        plan[field] = value.clone();
    }
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(file.path(), plan.to_string()).expect("write the plan");
    flexus(&[
        "order",
        "--plan",
        file.path().to_str().expect("UTF-8 path"),
        "--dry-run",
    ])
}

#[track_caller]
fn assert_refused(out: &Output, lines: &[&str]) -> String {
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout when refused");
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    for line in lines {
        assert!(
            err.lines().any(|l| l == format!("  - {line}")),
            "stderr should list {line:?}:\n{err}"
        );
    }
    err
}

#[test]
fn the_cli_refuses_each_bad_side_and_accepts_each_good_side() {
    let cases: [(serde_json::Value, serde_json::Value, &str); 6] = [
        (
            serde_json::json!({"instance_name": "a".repeat(128)}),
            serde_json::json!({"instance_name": "a".repeat(129)}),
            "instance_name: is 129 characters long; the limit is 128",
        ),
        (
            serde_json::json!({"purchase_quantity": 200}),
            serde_json::json!({"purchase_quantity": 201}),
            "purchase_quantity: buy from 1 to 200 instances in one order (got 201)",
        ),
        (
            serde_json::json!({"period_type": "year", "period_num": 3}),
            serde_json::json!({"period_type": "year", "period_num": 4}),
            "period_num: a yearly period is 1 to 3 years (got 4)",
        ),
        (
            serde_json::json!({"extra_resources": [{"type": "evs", "size": 2048}]}),
            serde_json::json!({"extra_resources": [{"type": "evs", "size": 2049}]}),
            "extra_resources[0].size: the EVS data disk must be 10 to 2048 GiB (got 2049)",
        ),
        (
            serde_json::json!({"tags": [{"key": "k".repeat(32), "value": ""}]}),
            serde_json::json!({"tags": [{"key": "k".repeat(33), "value": ""}]}),
            "tags[0].key: is 33 characters long; tag keys are 1 to 32",
        ),
        (
            serde_json::json!({"image_ref": {"image_name": "GitLab", "image_version": "16.9.3"}, "plan_spec": "hf.large.4.30m.linux"}),
            serde_json::json!({"image_ref": {"image_name": "GitLab", "image_version": "16.9.3"}}),
            "plan_spec: GitLab needs at least 8 GiB",
        ),
    ];
    for (good, bad, line) in cases {
        let out = dry_run(good.clone());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{good}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = assert_refused(&dry_run(bad), &[line]);
        assert!(err.contains("has 1 problem:"), "{err}");
        assert!(err.contains("Fix it and run the command again."), "{err}");
    }
}

#[test]
fn the_cli_lists_every_problem_of_a_plan_at_once() {
    let out = dry_run(serde_json::json!({
        "instance_name": "9lives",
        "region": "tr-west-1",
        "image_ref": {"image_name": "CentOS", "image_version": "8.2"},
        "period_num": 10,
        "extra_resources": [{"type": "hss", "size": 10}, {"type": "hss"}],
        "tags": [{"key": "env", "value": "a"}, {"key": "env", "value": "b"}],
    }));
    let err = assert_refused(
        &out,
        &[
            "instance_name: must start with a letter",
            "image_ref.image_version: CentOS 8.2 is not offered in TR-Istanbul",
            "period_num: a monthly period is 1 to 9 months (got 10)",
            "tags[1].key: \"env\" is used by another tag; tag keys must be unique",
        ],
    );
    assert!(err.contains("has 6 problems:"), "{err}");
    assert!(err.contains("extra_resources[0].size: HSS"), "{err}");
    assert!(
        err.contains("extra_resources[1].type: hss is already in the order"),
        "{err}"
    );
}
