//! The retry class of the four core actions as their specs and the one rule every action shares
//! (`tencentcloud_vocabulary::Repeatability::of_action`, which the generic `Client::call` also
//! applies) decide it.

use tencentcloud_runtime::Repeatability;
use tencentcloud_spec::index::SpecIndex;
use tencentcloud_spec::repeatability;

#[test]
fn the_four_core_actions_have_the_documented_classes() {
    let index = SpecIndex::open(std::path::Path::new(
        tencentcloud_emulator::DEFAULT_SPECS_DIR,
    ))
    .unwrap();
    let class = |service: &str, action: &str| {
        let loaded = index.load(service).unwrap().remove(0);
        let spec_action = &loaded.spec.actions[action];
        repeatability::of(
            action,
            spec_action,
            &loaded.spec.objects[&spec_action.input],
        )
    };
    assert_eq!(
        class("cvm", "TerminateInstances"),
        Repeatability::NotRepeatable
    );
    assert_eq!(
        class("vpc", "DeleteVpnConnection"),
        Repeatability::NotRepeatable
    );
    assert_eq!(class("gaap", "DestroyProxies"), Repeatability::Idempotent);
    assert_eq!(
        class("gaap", "ModifyProxyConfiguration"),
        Repeatability::Idempotent
    );
    assert_eq!(class("cvm", "DescribeInstances"), Repeatability::Read);
}
