//! The retry class of every action: the generated clients take it from the spec crate's rule,
//! the generic `Client::call` from the runtime's; both must agree for every specified action.

use tencentcloud_runtime::__private::retry;
use tencentcloud_runtime::Repeatability;
use tencentcloud_spec::load::load_dir;
use tencentcloud_spec::repeatability;
use tencentcloud_spec::spec::Repeatability as SpecRepeatability;

#[test]
fn the_spec_rule_and_the_runtime_rule_classify_every_action_alike() {
    assert_eq!(
        repeatability::READ_ACTION_PREFIXES,
        retry::READ_ACTION_PREFIXES
    );
    let specs = load_dir(std::path::Path::new(
        tencentcloud_emulator::DEFAULT_SPECS_DIR,
    ))
    .expect("the workspace specs load");
    let mut counts = [0_usize; 3];
    for loaded in &specs.services {
        let spec = &loaded.spec;
        for (name, action) in &spec.actions {
            let input = &spec.objects[&action.input];
            let has_token = input.members.iter().any(|m| m.idempotency_token);
            let from_spec = repeatability::of(name, action, input);
            let expected = match from_spec {
                SpecRepeatability::Read => Repeatability::Read,
                SpecRepeatability::Idempotent => Repeatability::Idempotent,
                SpecRepeatability::NotRepeatable => Repeatability::NotRepeatable,
            };
            if action.repeatability.is_none() {
                assert_eq!(
                    Repeatability::of_action(name, has_token),
                    expected,
                    "{}: {name}",
                    loaded.path
                );
            }
            counts[from_spec as usize] += 1;
        }
    }
    println!(
        "reads {}, idempotent writes {}, writes not safe to repeat {}",
        counts[0], counts[1], counts[2]
    );
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
}

#[test]
fn the_four_core_actions_have_the_documented_classes() {
    let specs = load_dir(std::path::Path::new(
        tencentcloud_emulator::DEFAULT_SPECS_DIR,
    ))
    .unwrap();
    let class = |service: &str, action: &str| {
        let loaded = specs
            .services
            .iter()
            .find(|s| s.path.starts_with(&format!("{service}/")))
            .unwrap();
        let spec_action = &loaded.spec.actions[action];
        repeatability::of(
            action,
            spec_action,
            &loaded.spec.objects[&spec_action.input],
        )
    };
    assert_eq!(
        class("cvm", "TerminateInstances"),
        SpecRepeatability::NotRepeatable
    );
    assert_eq!(
        class("vpc", "DeleteVpnConnection"),
        SpecRepeatability::NotRepeatable
    );
    assert_eq!(
        class("gaap", "DestroyProxies"),
        SpecRepeatability::Idempotent
    );
    assert_eq!(
        class("gaap", "ModifyProxyConfiguration"),
        SpecRepeatability::Idempotent
    );
    assert_eq!(class("cvm", "DescribeInstances"), SpecRepeatability::Read);
}
