//! The seed checklist: every action, parameter and error code that a reference page in
//! `../shared/seeds/` names is in the specs, with the page's description, type, requiredness,
//! endpoint, `Region` requirement, rate limit and examples; and, the other way round, that the specs
//! state no member or error code that none of the action's pages lists. Driven by parsing the
//! pages, so a page added to the seeds is checked without touching this file.

#[path = "seed_checklist/page.rs"]
mod page;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use page::{Language, Page, PageRequest, ParameterRow};
use tencentcloud_codegen::types::{
    Action, ExampleRequest, Member, MemberKind, Object, ServiceSpec,
};

const SEEDS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds");
const SPECS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    found: usize,
    present: usize,
}

impl Tally {
    fn count(&mut self, present: bool) {
        self.found += 1;
        self.present += usize::from(present);
    }

    fn add(&mut self, other: Tally) {
        self.found += other.found;
        self.present += other.present;
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} found / {} in spec", self.found, self.present)
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    actions: Tally,
    parameters: Tally,
    error_codes: Tally,
    examples: Tally,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.actions.add(other.actions);
        self.parameters.add(other.parameters);
        self.error_codes.add(other.error_codes);
        self.examples.add(other.examples);
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "actions {}, parameters {}, error codes {}, examples {}",
            self.actions, self.parameters, self.error_codes, self.examples
        )
    }
}

/// Spec files by path, each parsed once; a file that is missing or does not deserialize is
/// reported once per page that needs it.
#[derive(Default)]
struct Specs(BTreeMap<PathBuf, Result<ServiceSpec, String>>);

impl Specs {
    fn get(&mut self, path: &Path) -> Result<&ServiceSpec, &str> {
        self.0
            .entry(path.to_owned())
            .or_insert_with(|| {
                let text = fs::read_to_string(path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                let invalid = |error| format!("{} is not a valid spec: {error}", path.display());
                let mut spec: serde_json::Value = serde_json::from_str(&text).map_err(invalid)?;
                // Entries that only add to an upstream action (its waiters, its paging) are
                // not a page's actions, and name none of its facts.
                if let Some(actions) = spec.get_mut("actions").and_then(|a| a.as_object_mut()) {
                    actions.retain(|_, action| action.get("name").is_some());
                }
                serde_json::from_value(spec).map_err(invalid)
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

#[test]
fn every_action_parameter_and_error_code_of_the_seed_pages_is_in_the_specs() {
    let Some(pages) = seed_pages() else {
        return;
    };
    let mut specs = Specs::default();
    let mut problems = Vec::new();
    let mut total = Counts::default();
    for path in &pages {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let page = page::parse(&fs::read_to_string(path).unwrap());
        let mut checker = PageChecker {
            file: &file,
            page: &page,
            problems: &mut problems,
            counts: Counts::default(),
        };
        checker.check(&mut specs);
        let counts = checker.counts;
        println!(
            "{file} ({}, {}): {counts}",
            page.action()
                .unwrap_or_else(|| "no action found".to_owned()),
            match page.language {
                Some(Language::English) => "English",
                Some(Language::Chinese) => "Chinese",
                None => "no tables found",
            }
        );
        total.add(counts);
    }
    println!("total over {} pages: {total}", pages.len());

    assert!(
        problems.is_empty(),
        "the specs miss or contradict {} item(s) of the seed pages:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// What the pages of one action name, over all its pages (English and Chinese).
#[derive(Default)]
struct Named {
    files: Vec<String>,
    parameters: BTreeSet<String>,
    error_codes: BTreeSet<String>,
}

#[test]
fn every_member_and_error_code_in_the_specs_appears_on_a_seed_page_of_its_action() {
    let Some(pages) = seed_pages() else {
        return;
    };
    let mut named: BTreeMap<(PathBuf, String), Named> = BTreeMap::new();
    for path in &pages {
        let page = page::parse(&fs::read_to_string(path).unwrap());
        let (Some(action), Some(service), Some(version)) =
            (page.action(), page.service(), page.version())
        else {
            continue;
        };
        let spec_path = Path::new(SPECS_DIR)
            .join(service)
            .join(format!("{version}.json"));
        let entry = named.entry((spec_path, action)).or_default();
        entry
            .files
            .push(path.file_name().unwrap().to_string_lossy().into_owned());
        let rows = page.action_inputs().chain(&page.outputs);
        entry.parameters.extend(rows.map(|row| row.name.clone()));
        entry
            .error_codes
            .extend(page.errors.iter().map(|row| row.code.clone()));
    }

    let mut specs = Specs::default();
    let mut problems = Vec::new();
    for ((spec_path, action_name), named) in &named {
        let Ok(spec) = specs.get(spec_path) else {
            continue;
        };
        let Some(action) = spec.actions.get(action_name) else {
            continue;
        };
        let pages = named.files.join(", ");
        for object_name in [&action.input, &action.output] {
            let members = spec.objects.get(object_name).map(|object| &object.members);
            for member in members.into_iter().flatten() {
                if !named.parameters.contains(&member.name) {
                    problems.push(format!(
                        "{object_name}.{} appears on no page of {action_name} ({pages})",
                        member.name
                    ));
                }
            }
        }
        for error in &action.errors {
            if !named.error_codes.contains(&error.code) {
                problems.push(format!(
                    "error code {} of {action_name} appears on no page of it ({pages})",
                    error.code
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the specs state {} item(s) the seed pages do not:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The seed pages, sorted; `None` (after saying why) when they are not there to check against.
fn seed_pages() -> Option<Vec<PathBuf>> {
    let seeds = Path::new(SEEDS_DIR);
    if !seeds.is_dir() {
        eprintln!(
            "seed checklist skipped: the reference pages are not at {} (they live outside the repository)",
            seeds.display()
        );
        return None;
    }
    let mut pages: Vec<PathBuf> = fs::read_dir(seeds)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no .txt pages in {}", seeds.display());
    Some(pages)
}

struct PageChecker<'a> {
    file: &'a str,
    page: &'a Page,
    problems: &'a mut Vec<String>,
    counts: Counts,
}

impl PageChecker<'_> {
    fn problem(&mut self, message: String) {
        self.problems.push(format!("{}: {message}", self.file));
    }

    fn check(&mut self, specs: &mut Specs) {
        let page = self.page;
        let (Some(action_name), Some(service), Some(version)) =
            (page.action(), page.service(), page.version())
        else {
            self.problem(format!(
                "could not read the action ({:?}), endpoint ({:?}) or version ({:?}) from the page",
                page.action(),
                page.endpoint,
                page.version()
            ));
            return;
        };
        if page.outputs.is_empty() {
            self.problem("found no output parameters (every action returns RequestId)".to_owned());
        }
        let spec_path = Path::new(SPECS_DIR)
            .join(&service)
            .join(format!("{version}.json"));
        let spec_name = format!("specs/{service}/{version}.json");
        let spec = match specs.get(&spec_path) {
            Ok(spec) => spec,
            Err(error) => {
                self.problem(format!("action {action_name}: {error}"));
                self.counts.actions.count(false);
                return;
            }
        };
        let Some(action) = spec.actions.get(&action_name) else {
            self.problem(format!("action {action_name} is not in {spec_name}"));
            self.counts.actions.count(false);
            return;
        };
        self.counts.actions.count(true);

        if page.endpoint.as_deref() != Some(spec.metadata.endpoint.as_str()) {
            self.problem(format!(
                "{spec_name}: endpoint is {:?}, the page says {:?}",
                spec.metadata.endpoint, page.endpoint
            ));
        }
        if let Some(required) = page.region_required()
            && required != spec.metadata.region_required
        {
            self.problem(format!(
                "{spec_name}: regionRequired is {}, the page marks Region as required: {required}",
                spec.metadata.region_required
            ));
        }
        if page.rate_limit != action.rate_limit {
            self.problem(format!(
                "{action_name}: rateLimit is {:?}, the page says {:?}",
                action.rate_limit, page.rate_limit
            ));
        }

        let input = spec.objects.get(&action.input);
        let output = spec.objects.get(&action.output);
        let inputs: Vec<&ParameterRow> = page.action_inputs().collect();
        self.check_parameters(&action_name, "input", &action.input, input, &inputs);
        let outputs: Vec<&ParameterRow> = page.outputs.iter().collect();
        self.check_parameters(&action_name, "output", &action.output, output, &outputs);

        for row in &page.errors {
            let spec_error = action.errors.iter().find(|error| error.code == row.code);
            self.counts.error_codes.count(spec_error.is_some());
            let Some(spec_error) = spec_error else {
                self.problem(format!(
                    "error code {} of {action_name} is not in its errors in {spec_name}",
                    row.code
                ));
                continue;
            };
            let documented = match page.language {
                Some(Language::Chinese) => spec_error.document_zh.as_deref(),
                _ => Some(spec_error.document.as_str()),
            };
            if documented != Some(row.document.as_str()) {
                self.problem(format!(
                    "error code {} of {action_name}: the spec describes it as {documented:?}, the page as {:?}",
                    row.code, row.document
                ));
            }
        }

        self.check_examples(&action_name, action);
    }

    fn check_examples(&mut self, action_name: &str, action: &Action) {
        for example in &self.page.examples {
            let in_spec = action.examples.iter().any(|spec_example| {
                let same_request = match (&example.request, &spec_example.request) {
                    (PageRequest::Json(page), ExampleRequest::Json { body }) => page == body,
                    (PageRequest::Query(page), ExampleRequest::Query { query }) => page == query,
                    _ => false,
                };
                same_request && spec_example.response == example.response
            });
            self.counts.examples.count(in_spec);
            if !in_spec {
                self.problem(format!(
                    "the example {} answered by {} is not among the examples of {action_name}",
                    example.request, example.response
                ));
            }
        }
    }

    fn check_parameters(
        &mut self,
        action: &str,
        direction: &str,
        object_name: &str,
        object: Option<&Object>,
        rows: &[&ParameterRow],
    ) {
        for row in rows {
            let member =
                object.and_then(|object| object.members.iter().find(|m| m.name == row.name));
            self.counts.parameters.count(member.is_some());
            let Some(member) = member else {
                self.problem(format!(
                    "{direction} parameter {} of {action} is not in object {object_name}",
                    row.name
                ));
                continue;
            };
            let place = format!("{direction} parameter {} of {action}", row.name);
            if let Some(required) = row.required
                && required != member.required
            {
                self.problem(format!(
                    "{place}: required is {} in the spec, {required} on the page",
                    member.required
                ));
            }
            if !type_matches(&row.type_name, member) {
                self.problem(format!(
                    "{place}: the spec types it {:?}/{}, the page {}",
                    member.kind, member.member, row.type_name
                ));
            }
            let documented = match self.page.language {
                Some(Language::Chinese) => member.document_zh.as_deref(),
                _ => Some(member.document.as_str()),
            };
            if documented != Some(row.document.as_str()) {
                self.problem(format!(
                    "{place}: the spec describes it as {documented:?}, the page as {:?}",
                    row.document
                ));
            }
        }
    }
}

/// Whether the page's type (`Integer`, `Array of String`, an object name) fits the spec's
/// `type`/`member` pair; the page does not say whether an integer is signed, the spec does.
fn type_matches(page_type: &str, member: &Member) -> bool {
    let scalar = |name: &str, precise: &str| match name {
        "String" => precise == "string",
        "Integer" => precise == "int64" || precise == "uint64",
        "Boolean" => precise == "bool",
        "Float" => precise == "float",
        object => precise == object,
    };
    match page_type.strip_prefix("Array of ") {
        Some(element) => member.kind == MemberKind::List && scalar(element, &member.member),
        None => {
            let kind = match page_type {
                "String" => MemberKind::String,
                "Integer" => MemberKind::Int,
                "Boolean" => MemberKind::Bool,
                "Float" => MemberKind::Float,
                _ => MemberKind::Object,
            };
            member.kind == kind && scalar(page_type, &member.member)
        }
    }
}
