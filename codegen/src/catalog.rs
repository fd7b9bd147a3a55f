//! The whole catalog at once: every service version of the pinned upstream packages imported
//! into a scratch folder (or a specs folder taken as it is), generated into a scratch workspace
//! beside this repository's runtime, and each service crate checked by `cargo check`, with
//! what each step cost per service.
//!
//! Scratch layout under the work folder: `specs/` (the repository's hand-written specs plus the
//! import), `workspace/` (`Cargo.toml`, `Cargo.lock`, `generated/`) and `target/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::import::{self, ImportError, ImportOptions, Services};
use crate::write::{self, Context};
use crate::{Diagnostics, EmitError, load, model};

/// Where the service versions come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Unpacked `tccli`/`tencentcloud-sdk-python` packages (and their English editions), as for
    /// `import`; they must be the versions the repository pins.
    Packages {
        from: PathBuf,
        intl: Option<PathBuf>,
        services: Services,
    },
    /// A specs folder, generated as it is.
    Specs(PathBuf),
}

#[derive(Debug, Clone)]
pub struct CatalogOptions {
    pub source: Source,
    /// The repository root: its `runtime/`, its hand-written specs (laid over the import), its
    /// `Cargo.toml` (package settings, dependency versions) and `Cargo.lock`.
    pub repository: PathBuf,
    /// The scratch folder.
    pub work: PathBuf,
    /// Run `cargo check` on every service crate, building in this target folder (a test shares
    /// one with its other scratch builds, so the dependencies' build scripts run once).
    pub check: Option<PathBuf>,
    /// With `check`: instead of checking, build and run every crate's example tests, reading
    /// each documented answer by its output type, and add up their figures.
    pub answers: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("import: {0}")]
    Import(#[from] ImportError),
    #[error("{count} problem(s) in the specs:\n{problems}", count = .0.problems().len(), problems = .0)]
    Specs(Diagnostics),
    #[error("generator bug: {0}")]
    Emit(#[from] EmitError),
    #[error(transparent)]
    File(#[from] write::FileError),
    #[error("{0}")]
    Pin(String),
    #[error(transparent)]
    Releases(#[from] crate::releases::ReleasesError),
}

/// How one `cargo check` went.
#[derive(Debug, Clone)]
pub struct Checked {
    pub duration: Duration,
    /// `None` when it passed; otherwise the first lines of what cargo said.
    pub failure: Option<String>,
}

/// One service crate.
#[derive(Debug, Clone)]
pub struct ServiceRow {
    /// Tencent service name (`cvm`).
    pub service: String,
    pub crate_name: String,
    pub versions: usize,
    pub actions: usize,
    /// Lines of every file of the crate.
    pub lines: usize,
    /// Emitting and formatting its files.
    pub generate: Duration,
    pub check: Option<Checked>,
}

#[derive(Debug, Clone)]
pub struct CatalogReport {
    pub import: Option<Duration>,
    /// Reading, converting and validating the specs.
    pub load: Duration,
    /// Building the model and emitting every file, on every core.
    pub emit: Duration,
    pub write: Duration,
    /// Checking the common crate, which builds the runtime and every dependency first.
    pub shared_check: Option<Checked>,
    pub services: Vec<ServiceRow>,
    /// Checking every crate's tests (the documented examples, read into requests) in one run,
    /// after the libraries.
    pub tests_check: Option<Checked>,
    /// Reading every documented answer by its output type, when asked for.
    pub answers: Option<Answers>,
}

/// What the example tests of every crate found reading the documented answers, added up from
/// the summary line each prints (`answers N read M lost L unread U in A; not-json J; rule R n`).
#[derive(Debug, Clone, Default)]
pub struct Answers {
    pub run: Option<Checked>,
    /// Crates whose summary was read.
    pub crates: usize,
    pub answers: u64,
    pub read: u64,
    pub lost: u64,
    pub unread: u64,
    pub answers_with_unread: u64,
    pub not_json: u64,
    /// Values read by each tolerance rule, by the rule's name.
    pub rules: std::collections::BTreeMap<String, u64>,
    /// The lines naming members left unread and answers not read, as the tests printed them.
    pub findings: Vec<String>,
}

impl Answers {
    /// Adds the figures of one summary line; false for a line that is none.
    pub fn add_summary(&mut self, line: &str) -> bool {
        let Some(rest) = line.strip_prefix("answers ") else {
            return false;
        };
        let mut parts = rest.split("; ");
        let numbers: Vec<u64> = parts
            .next()
            .unwrap_or_default()
            .split(' ')
            .filter_map(|word| word.parse().ok())
            .collect();
        let [answers, read, lost, unread, with_unread] = numbers[..] else {
            return false;
        };
        self.crates += 1;
        self.answers += answers;
        self.read += read;
        self.lost += lost;
        self.unread += unread;
        self.answers_with_unread += with_unread;
        for part in parts {
            let words: Vec<&str> = part.split(' ').collect();
            match words[..] {
                ["not-json", n] => self.not_json += n.parse::<u64>().unwrap_or(0),
                ["rule", name, n] => {
                    *self.rules.entry(name.to_owned()).or_default() +=
                        n.parse::<u64>().unwrap_or(0);
                }
                _ => {}
            }
        }
        true
    }
}

impl CatalogReport {
    pub fn generation(&self) -> Duration {
        self.load + self.emit + self.write
    }

    pub fn failed(&self) -> usize {
        self.services
            .iter()
            .filter_map(|row| row.check.as_ref())
            .chain(self.shared_check.as_ref())
            .chain(self.tests_check.as_ref())
            .chain(
                self.answers
                    .as_ref()
                    .and_then(|answers| answers.run.as_ref()),
            )
            .filter(|checked| checked.failure.is_some())
            .count()
    }
}

/// Imports (or takes) the specs, generates them into the scratch workspace and checks every
/// service crate, calling `progress` as each row is complete.
pub fn run(
    options: &CatalogOptions,
    progress: &mut dyn FnMut(&ServiceRow),
) -> Result<CatalogReport, CatalogError> {
    let (specs_dir, import) = match &options.source {
        Source::Specs(dir) => (dir.clone(), None),
        Source::Packages {
            from,
            intl,
            services,
        } => {
            let started = Instant::now();
            let specs_dir = options.work.join("specs");
            prepare_specs(&options.repository.join("specs"), &specs_dir)?;
            import::import(&ImportOptions {
                from: from.clone(),
                intl: intl.clone(),
                services: services.clone(),
                specs_dir: specs_dir.clone(),
            })?;
            check_pin(&options.repository.join("specs"), &specs_dir)?;
            (specs_dir, Some(started.elapsed()))
        }
    };

    let started = Instant::now();
    let specs = load::load_dir(&specs_dir).map_err(CatalogError::Specs)?;
    let load = started.elapsed();
    let started = Instant::now();
    let releases = crate::releases::Releases::read(&specs_dir)?;
    let model = model::build(&specs, &releases);
    let (files, timings) = crate::emit::emit_timed(&model)?;
    let emit = started.elapsed();

    let started = Instant::now();
    let workspace = options.work.join("workspace");
    write::write(&workspace.join("generated"), &files)?;
    let manifest = scratch_manifest(
        &options.repository,
        &["generated/sdk", "generated/common", "generated/services/*"],
    )?;
    let manifest_path = workspace.join("Cargo.toml");
    std::fs::write(&manifest_path, manifest).doing("write", &manifest_path)?;
    let lock = options.repository.join("Cargo.lock");
    std::fs::copy(&lock, workspace.join("Cargo.lock")).doing("copy", &lock)?;
    let write = started.elapsed();

    let shared_check = options
        .check
        .as_ref()
        .map(|target| cargo_check(&workspace, target, "tencentcloud-sdk-common"))
        .transpose()?;
    // Building every crate's tests compiles every library too: checking first would only add
    // the time.
    let check_each = options.check.as_ref().filter(|_| !options.answers);
    let mut services = Vec::new();
    for service in &model.services {
        let prefix = format!("{}/", service.dir);
        // Files are sorted by path, so a crate's files are one run of the map.
        let lines = files
            .range(prefix.clone()..)
            .take_while(|(path, _)| path.starts_with(&prefix))
            .map(|(_, text)| text.lines().count())
            .sum();
        let check = check_each
            .map(|target| cargo_check(&workspace, target, &service.crate_name))
            .transpose()?;
        let row = ServiceRow {
            service: service.feature.clone(),
            crate_name: service.crate_name.clone(),
            versions: service.versions.len(),
            actions: service.versions.iter().map(|v| v.actions.len()).sum(),
            lines,
            generate: timings.get(&service.feature).copied().unwrap_or_default(),
            check,
        };
        progress(&row);
        services.push(row);
    }
    let tests_check = check_each
        .map(|target| cargo_check_tests(&workspace, target))
        .transpose()?;
    let answers = match &options.check {
        Some(target) if options.answers => {
            let crates: Vec<&str> = model
                .services
                .iter()
                .map(|service| service.crate_name.as_str())
                .collect();
            Some(read_answers(&workspace, target, &specs_dir, &crates)?)
        }
        _ => None,
    };
    Ok(CatalogReport {
        import,
        load,
        emit,
        write,
        shared_check,
        services,
        tests_check,
        answers,
    })
}

/// A fresh scratch specs folder holding the repository's hand-written specs (the overlays and
/// the common codes), without its import.
fn prepare_specs(repository_specs: &Path, specs_dir: &Path) -> Result<(), CatalogError> {
    if specs_dir.exists() {
        std::fs::remove_dir_all(specs_dir).doing("remove", specs_dir)?;
    }
    copy_tree(repository_specs, specs_dir, &[import::UPSTREAM_DIR])
}

fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<(), CatalogError> {
    std::fs::create_dir_all(to).doing("create", to)?;
    for entry in std::fs::read_dir(from).doing("read", from)? {
        let entry = entry.doing("read", from)?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name), &[])?;
        } else {
            std::fs::copy(&path, to.join(&name)).doing("copy", &path)?;
        }
    }
    Ok(())
}

/// The packages imported must be the ones the repository pins, or the catalog would measure
/// another description than the one the SDK is generated from.
pub fn check_pin(repository_specs: &Path, specs_dir: &Path) -> Result<(), CatalogError> {
    let read = |specs: &Path| {
        import::read_manifest(&specs.join(import::UPSTREAM_DIR).join(import::MANIFEST_FILE))
    };
    let pinned = read(repository_specs)?.packages;
    let imported = read(specs_dir)?.packages;
    let differing: Vec<String> = imported
        .iter()
        .filter(|(name, version)| pinned.get(*name) != Some(*version))
        .map(|(name, version)| {
            let pin = pinned.get(name).map_or("nothing", String::as_str);
            format!("{name} {version} (the repository pins {pin})")
        })
        .collect();
    if differing.is_empty() {
        Ok(())
    } else {
        Err(CatalogError::Pin(format!(
            "the packages are not the pinned ones: {}; fetch them with scripts/catalog.sh",
            differing.join(", ")
        )))
    }
}

/// A workspace manifest for generated crates outside the repository: the repository's
/// `[workspace.package]` (which the generated manifests inherit), its runtime by absolute path
/// and the dependency versions it declares.
pub fn scratch_manifest(repository: &Path, members: &[&str]) -> Result<String, CatalogError> {
    let path = repository.join("Cargo.toml");
    let root = std::fs::read_to_string(&path).doing("read", &path)?;
    let section = |name: &str| -> Vec<&str> {
        root.lines()
            .skip_while(|line| line.trim() != name)
            .skip(1)
            .take_while(|line| !line.starts_with('['))
            .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
            .collect()
    };
    let package = section("[workspace.package]");
    let dependencies = section("[workspace.dependencies]");
    let declared = |name: &str| {
        dependencies
            .iter()
            .find(|line| line.split('=').next().map(str::trim) == Some(name))
            .copied()
    };
    let (Some(serde), Some(serde_json)) = (declared("serde"), declared("serde_json")) else {
        return Err(CatalogError::Pin(format!(
            "{} declares no serde or serde_json in [workspace.dependencies]",
            path.display()
        )));
    };
    if package.is_empty() {
        return Err(CatalogError::Pin(format!(
            "{} has no [workspace.package]",
            path.display()
        )));
    }
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    Ok(format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[workspace.package]\n{}\n\n\
         [workspace.dependencies]\ntencentcloud-runtime = {{ path = {:?} }}\n\
         tencentcloud-spec = {{ path = {:?} }}\n{serde}\n{serde_json}\n",
        members.join(", "),
        package.join("\n"),
        repository.join("runtime").display().to_string(),
        repository.join("spec-model").display().to_string(),
    ))
}

fn cargo_check(workspace: &Path, target: &Path, package: &str) -> Result<Checked, CatalogError> {
    run_check(workspace, target, &["-p", package])
}

/// Every crate's tests in one run: per crate, it would build each library a second time.
fn cargo_check_tests(workspace: &Path, target: &Path) -> Result<Checked, CatalogError> {
    run_check(workspace, target, &["--workspace", "--tests"])
}

/// Crates whose answers tests are built and run by one cargo run: enough to keep both cores
/// busy, few enough that their artifacts fit beside the shared dependencies.
const ANSWERS_BATCH: usize = 12;

/// Builds and runs the answers test of every crate in `crates` on `specs_dir`'s upstream files
/// (without stopping at a failure), a batch at a time, and adds up what each printed. A batch's
/// own artifacts are deleted before the next: built whole, the catalog's crates and test
/// binaries take more disk than a machine can be expected to have.
fn read_answers(
    workspace: &Path,
    target: &Path,
    specs_dir: &Path,
    crates: &[&str],
) -> Result<Answers, CatalogError> {
    let mut answers = Answers::default();
    let mut duration = Duration::ZERO;
    let mut failures = Vec::new();
    for batch in crates.chunks(ANSWERS_BATCH) {
        let mut args = vec!["test", "--offline", "--quiet", "--no-fail-fast", "--tests"];
        for name in batch {
            args.extend(["-p", name]);
        }
        args.extend(["--", "documented_example_answers", "--nocapture"]);
        let (run, printed) = run_cargo(
            workspace,
            target,
            &args,
            Some((tencentcloud_spec::upstream::SPECS_DIR_VARIABLE, specs_dir)),
        )?;
        for line in printed.lines() {
            if !answers.add_summary(line)
                && (line.starts_with("  unread in ") || line.starts_with("  NOT READ "))
            {
                answers.findings.push(line.trim_start().to_owned());
            }
        }
        duration += run.duration;
        if let Some(failure) = run.failure {
            failures.push(format!("{}: {failure}", batch.join(", ")));
        }
        remove_artifacts(&target.join("debug").join("deps"), batch)?;
    }
    answers.run = Some(Checked {
        duration,
        failure: (!failures.is_empty()).then(|| failures.join("\n")),
    });
    Ok(answers)
}

/// Deletes the libraries and test binaries of `crates` from a target's `deps` folder; the
/// shared crates they depend on stay for the next batch.
fn remove_artifacts(deps: &Path, crates: &[&str]) -> Result<(), CatalogError> {
    let stems: Vec<String> = crates
        .iter()
        .map(|name| format!("{}-", name.replace('-', "_")))
        .collect();
    let Ok(entries) = std::fs::read_dir(deps) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let name = name.strip_prefix("lib").unwrap_or(&name);
        // Every generated crate's answers test is the `examples` target of its crate.
        if name.starts_with("examples-") || stems.iter().any(|stem| name.starts_with(stem)) {
            let path = entry.path();
            std::fs::remove_file(&path).doing("remove", &path)?;
        }
    }
    Ok(())
}

fn run_check(workspace: &Path, target: &Path, selection: &[&str]) -> Result<Checked, CatalogError> {
    let mut args = vec!["check", "--offline", "--quiet", "--message-format", "short"];
    args.extend_from_slice(selection);
    run_cargo(workspace, target, &args, None).map(|(checked, _)| checked)
}

/// Runs cargo with `args` in `workspace`, building in `target` (with `env` set when given):
/// how it went (the first lines of what it said when it failed) and what it printed.
fn run_cargo(
    workspace: &Path,
    target: &Path,
    args: &[&str],
    env: Option<(&str, &Path)>,
) -> Result<(Checked, String), CatalogError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let mut command = Command::new(&cargo);
    command
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target);
    if let Some((name, value)) = env {
        command.env(name, value);
    }
    let output = command.output().doing("run", Path::new(&cargo))?;
    let duration = started.elapsed();
    let failure = (!output.status.success()).then(|| {
        let said = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = said.lines().take(20).collect();
        lines.join("\n")
    });
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    Ok((Checked { duration, failure }, printed))
}

/// Seconds with one decimal, or the failure.
fn describe_check(check: Option<&Checked>) -> (String, &'static str) {
    match check {
        None => ("-".to_owned(), "not checked"),
        Some(Checked {
            duration,
            failure: None,
        }) => (format!("{:.1}", duration.as_secs_f64()), "ok"),
        Some(Checked { duration, .. }) => (format!("{:.1}", duration.as_secs_f64()), "FAILED"),
    }
}

/// The table header, then [`table_row`] for each service: Markdown, so `BENCHMARKS.md` can
/// take it as it is.
pub const TABLE_HEADER: &str = "| service | versions | actions | lines | generate (ms) | check (s) | result |\n\
                                | --- | ---: | ---: | ---: | ---: | ---: | --- |";

pub fn table_row(row: &ServiceRow) -> String {
    let (seconds, result) = describe_check(row.check.as_ref());
    format!(
        "| {} | {} | {} | {} | {:.0} | {seconds} | {result} |",
        row.service,
        row.versions,
        row.actions,
        row.lines,
        row.generate.as_secs_f64() * 1000.0,
    )
}

/// The totals: counts, each generation step, and the checks.
pub fn totals(report: &CatalogReport) -> String {
    let sum = |f: fn(&ServiceRow) -> usize| report.services.iter().map(f).sum::<usize>();
    let actions = sum(|row| row.actions);
    let lines = sum(|row| row.lines);
    let per_service: Duration = report.services.iter().map(|row| row.generate).sum();
    let checks: Vec<Duration> = report
        .services
        .iter()
        .filter_map(|row| row.check.as_ref().map(|c| c.duration))
        .collect();
    let mut text = format!(
        "{} services, {} service versions, {actions} actions, {lines} generated lines ({} per action)\n",
        report.services.len(),
        sum(|row| row.versions),
        lines.checked_div(actions).unwrap_or(0),
    );
    if let Some(import) = report.import {
        text.push_str(&format!("import: {:.2} s\n", import.as_secs_f64()));
    }
    text.push_str(&format!(
        "generation: {:.2} s (load and validate {:.2} s, model and emit {:.2} s on every core \
         ({:.2} s of emitting summed over services), write {:.2} s)\n",
        report.generation().as_secs_f64(),
        report.load.as_secs_f64(),
        report.emit.as_secs_f64(),
        per_service.as_secs_f64(),
        report.write.as_secs_f64(),
    ));
    if let Some(shared) = &report.shared_check {
        let total: Duration = checks.iter().sum();
        let (seconds, result) = describe_check(Some(shared));
        text.push_str(&format!(
            "check: runtime and dependencies {seconds} s ({result}); service crates {:.1} s in all, \
             {:.1} ms per action; {} failed\n",
            total.as_secs_f64(),
            total.as_secs_f64() * 1000.0 / actions.max(1) as f64,
            report.failed(),
        ));
    }
    if let Some(tests) = &report.tests_check {
        let (seconds, result) = describe_check(Some(tests));
        text.push_str(&format!(
            "check of every crate's tests (the documented examples): {seconds} s ({result})\n"
        ));
    }
    if let Some(answers) = &report.answers {
        let (seconds, result) = describe_check(answers.run.as_ref());
        text.push_str(&format!(
            "documented answers read by their output types ({} crates, {seconds} s, {result}): \
             {} of {} read, {} lost; {} members left unread in {} answers; {} example outputs not JSON\n",
            answers.crates,
            answers.read,
            answers.answers,
            answers.lost,
            answers.unread,
            answers.answers_with_unread,
            answers.not_json,
        ));
        for (rule, count) in &answers.rules {
            text.push_str(&format!("  read by rule {rule}: {count}\n"));
        }
        const SHOWN: usize = 40;
        for finding in answers.findings.iter().take(SHOWN) {
            text.push_str(&format!("  {finding}\n"));
        }
        if answers.findings.len() > SHOWN {
            text.push_str(&format!(
                "  ... and {} more\n",
                answers.findings.len() - SHOWN
            ));
        }
    }
    text
}
