//! `cargo run -p tencentcloud-codegen [-- --check] [--specs DIR] [--out DIR]`: regenerates the SDK
//! crate from the specs, or checks that it is up to date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use tencentcloud_codegen::write::{self, Change};
use tencentcloud_codegen::{Files, GenerateError, load, model};

/// Generate the typed Tencent Cloud Rust SDK (crate `tencentcloud-sdk`) from JSON API specs.
///
/// Validates every spec, then writes only the files whose content changed and removes generated
/// files whose spec disappeared. Prints one line per service version: its actions and files
/// written, unchanged and removed.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Examples:\n  \
        cargo run -p tencentcloud-codegen                  regenerate generated/ from specs/\n  \
        cargo run -p tencentcloud-codegen -- --check       CI: fail while generated/ is stale\n  \
        cargo run -p tencentcloud-codegen -- --specs DIR --out DIR\n\n\
        Exit codes:\n  \
        0  generated (or, with --check, up to date)\n  \
        1  --check: files differ, are missing or are stale (listed on stderr)\n  \
        2  the specs have problems (each listed as `<file>: <JSON path>: <problem>`), or a\n     \
        file could not be read or written, or the command line is wrong\n\n\
        Spec format: specs/README.md"
)]
struct Cli {
    /// Write nothing; exit 1 listing the files that differ, are missing or are stale.
    #[arg(long)]
    check: bool,
    /// Specs directory (default: `specs/` of the workspace).
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Output directory of the SDK crate (default: `generated/` of the workspace).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// The workspace root: the current directory when it holds `specs/`, otherwise the parent of this
/// crate's manifest directory (so `cargo run` works from anywhere in the workspace).
fn workspace_root() -> PathBuf {
    match std::env::current_dir() {
        Ok(dir) if dir.join("specs").is_dir() => dir,
        _ => Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let specs_dir = cli.specs.unwrap_or_else(|| root.join("specs"));
    let out_dir = cli.out.unwrap_or_else(|| root.join("generated"));
    let specs = match load::load_dir(&specs_dir) {
        Ok(specs) => specs,
        Err(problems) => {
            eprintln!(
                "error: {} problem(s) in {}:\n{problems}",
                problems.problems().len(),
                specs_dir.display()
            );
            return ExitCode::from(2);
        }
    };
    let model = model::build(&specs);
    let files = match tencentcloud_codegen::emit::emit(&model) {
        Ok(files) => files,
        Err(err) => {
            eprintln!("error: {}", GenerateError::from(err));
            return ExitCode::from(2);
        }
    };
    if cli.check {
        check(&out_dir, &files)
    } else {
        generate(&out_dir, &files, &model)
    }
}

fn check(out_dir: &Path, files: &Files) -> ExitCode {
    match write::check(out_dir, files) {
        Ok(differences) if differences.is_empty() => {
            println!(
                "{} is up to date ({} files)",
                out_dir.display(),
                files.len()
            );
            ExitCode::SUCCESS
        }
        Ok(differences) => {
            eprintln!(
                "{} is out of date; run `cargo run -p tencentcloud-codegen`:",
                out_dir.display()
            );
            for (path, difference) in differences {
                eprintln!("  {path} {}", difference.describe());
            }
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", out_dir.display());
            ExitCode::from(2)
        }
    }
}

#[derive(Default)]
struct Tally {
    actions: usize,
    written: usize,
    unchanged: usize,
    removed: usize,
}

fn generate(out_dir: &Path, files: &Files, model: &model::CrateModel) -> ExitCode {
    let changes = match write::write(out_dir, files) {
        Ok(changes) => changes,
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", out_dir.display());
            return ExitCode::from(2);
        }
    };
    // Files of a service version live under its directory; everything else is crate-level.
    let mut groups: BTreeMap<String, (String, Tally)> = BTreeMap::new();
    for service in &model.services {
        for version in &service.versions {
            let tally = Tally {
                actions: version.actions.len(),
                ..Tally::default()
            };
            let label = format!("{} {}", version.service, version.api_version);
            groups.insert(format!("{}/", version.dir), (label, tally));
        }
    }
    let mut crate_level = Tally::default();
    for (path, change) in &changes {
        let tally = groups
            .iter_mut()
            .find(|(prefix, _)| path.starts_with(prefix.as_str()))
            .map_or(&mut crate_level, |(_, (_, tally))| tally);
        match change {
            Change::Written => tally.written += 1,
            Change::Unchanged => tally.unchanged += 1,
            Change::Removed => tally.removed += 1,
        }
    }
    for (label, tally) in groups.values() {
        println!(
            "{label}: {} action{}, {}",
            tally.actions,
            if tally.actions == 1 { "" } else { "s" },
            files_summary(tally)
        );
    }
    println!(
        "crate files (Cargo.toml, lib.rs, service modules): {}",
        files_summary(&crate_level)
    );
    ExitCode::SUCCESS
}

fn files_summary(tally: &Tally) -> String {
    format!(
        "{} file{} written, {} unchanged, {} removed",
        tally.written,
        if tally.written == 1 { "" } else { "s" },
        tally.unchanged,
        tally.removed
    )
}
