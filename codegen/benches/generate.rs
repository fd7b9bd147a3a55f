//! Generator speed on the workspace specs (target: the whole run for the four actions well under
//! 100 ms). `cargo bench -p tencentcloud-codegen`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use tencentcloud_codegen::{emit, load, model, write};

fn generator(c: &mut Criterion) {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let specs_dir = workspace.join("specs");
    let generated = workspace.join("generated");
    let specs = load::load_dir(&specs_dir).unwrap();

    c.bench_function("load and validate the specs", |b| {
        b.iter(|| load::load_dir(&specs_dir).unwrap())
    });
    c.bench_function("model and emit (formatted Rust)", |b| {
        b.iter(|| emit::emit(&model::build(&specs)).unwrap())
    });
    c.bench_function("whole --check run in process", |b| {
        b.iter(|| {
            let files = emit::emit(&model::build(&load::load_dir(&specs_dir).unwrap())).unwrap();
            write::check(&generated, &files).unwrap()
        })
    });
}

criterion_group!(benches, generator);
criterion_main!(benches);
