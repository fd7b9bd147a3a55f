//! Deeply nested specs: a 2,000-deep chain of structures held by value, and the same chain
//! closed into a cycle, go through validation, the model and emission without recursion
//! limits, and every by-value member on the cycle is boxed. How the time grows with depth is
//! measured by `cargo bench -p tencentcloud-codegen -- chain` (linear: see RELIABILITY.md).

#[path = "support/chain.rs"]
mod chain;

use tencentcloud_codegen::{emit, model, validate};

const DEPTH: usize = 2_000;

fn boxed_fields(model: &model::CrateModel) -> Vec<(String, String)> {
    model
        .services
        .iter()
        .flat_map(|s| &s.versions)
        .flat_map(|v| &v.types)
        .flat_map(|t| {
            t.fields
                .iter()
                .filter(|f| f.boxed)
                .map(|f| (t.name.clone(), f.wire_name.clone()))
        })
        .collect()
}

#[test]
fn a_2000_deep_chain_of_structures_validates_models_and_emits() {
    let specs = validate::validate_set(vec![chain::common(), chain::chain(DEPTH, false)])
        .expect("a deep chain is a valid spec");
    let model = model::build(&specs, &Default::default());
    let types = &model.services[0].versions[0].types;
    assert_eq!(types.len(), DEPTH);
    assert!(boxed_fields(&model).is_empty(), "no cycle, nothing boxed");
    let files = emit::emit(&model).expect("emits");
    assert!(
        files.keys().any(|path| path.ends_with("types/link1999.rs")),
        "the deepest structure has its file"
    );
}

#[test]
fn a_2000_long_by_value_cycle_is_found_and_every_member_on_it_boxed() {
    let specs = validate::validate_set(vec![chain::common(), chain::chain(DEPTH, true)])
        .expect("a cycle through optional members is a valid spec");
    let model = model::build(&specs, &Default::default());
    let boxed = boxed_fields(&model);
    assert_eq!(boxed.len(), DEPTH, "each `Next` on the cycle is boxed");
    assert!(boxed.iter().all(|(_, field)| field == "Next"), "{boxed:?}");
    emit::emit(&model).expect("emits");
}
