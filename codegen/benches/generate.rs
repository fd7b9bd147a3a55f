//! Generator speed on the workspace specs (target: the whole run for the four actions well under
//! 100 ms), and how validating and modelling grow with nesting depth (target: linearly).
//! `cargo bench -p tencentcloud-codegen`; `-- chain` for the depth group alone.

#[path = "../tests/support/chain.rs"]
mod chain;

use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use tencentcloud_codegen::{emit, load, model, validate, write};

fn generator(c: &mut Criterion) {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let specs_dir = workspace.join("specs");
    let generated = workspace.join("generated");
    let specs = load::load_dir(&specs_dir).unwrap();

    c.bench_function("load and validate the specs", |b| {
        b.iter(|| load::load_dir(&specs_dir).unwrap())
    });
    c.bench_function("model and emit (formatted Rust)", |b| {
        b.iter(|| emit::emit(&model::build(&specs, &Default::default())).unwrap())
    });
    c.bench_function("whole --check run in process", |b| {
        b.iter(|| {
            let files = emit::emit(&model::build(
                &load::load_dir(&specs_dir).unwrap(),
                &Default::default(),
            ))
            .unwrap();
            write::check(&generated, &files).unwrap()
        })
    });
}

/// Validation and model building of a by-value chain of structures, 500 to 4,000 deep: a time
/// that doubles with the depth is linear (the retired cycle check was cubic: 61.6 s at 2,000).
fn deep_chains(c: &mut Criterion) {
    let mut group = c.benchmark_group("chain: validate and model");
    group.sample_size(20);
    for depth in [500, 1_000, 2_000, 4_000] {
        let raw = chain::chain(depth, true);
        group.bench_with_input(BenchmarkId::from_parameter(depth), &raw, |b, raw| {
            b.iter(|| {
                let specs = validate::validate_set(vec![chain::common(), raw.clone()]).unwrap();
                model::build(&specs, &Default::default())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, generator, deep_chains);
criterion_main!(benches);
