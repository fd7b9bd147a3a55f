//! Building the model: services, versions, actions and nested types with every name, path,
//! doc line and hash settled.

use super::cycles::{by_value_cycles, reachable};
use super::examples::example_model;
use super::fields::*;
use super::*;
use crate::releases::{BASE_VERSION, Releases};

/// Builds the model of the whole crate.
pub fn build(specs: &SpecSet, releases: &Releases) -> CrateModel {
    let mut by_service: BTreeMap<String, Vec<&LoadedSpec>> = BTreeMap::new();
    for loaded in &specs.services {
        by_service
            .entry(loaded.spec.metadata.service_short_name.clone())
            .or_default()
            .push(loaded);
    }
    // Services are modelled independently, on every core, and kept in name order.
    let services: Vec<ServiceModel> = by_service
        .into_par_iter()
        .map(|(feature, mut loaded)| {
            loaded.sort_by(|a, b| {
                a.spec
                    .metadata
                    .api_version
                    .cmp(&b.spec.metadata.api_version)
            });
            service_model(feature, &loaded, &specs.common.errors, releases)
        })
        .collect();
    // Per service: feature, product name, and each API version with its count of actions.
    type CrateInput<'a> = (&'a str, &'a str, Vec<(&'a str, usize)>);
    let crate_inputs: Vec<CrateInput> = services
        .iter()
        .map(|s| {
            (
                s.feature.as_str(),
                s.name_en.as_str(),
                s.versions
                    .iter()
                    .map(|v| (v.api_version.as_str(), v.actions.len()))
                    .collect(),
            )
        })
        .collect();
    let inputs_of = |spec: &ServiceSpec, action: &Action| {
        spec.objects
            .get(&action.input)
            .map(|o| o.members.clone())
            .unwrap_or_default()
    };
    // The facade's examples come from cvm, the service most users know, when it is there.
    let example_order: Vec<&LoadedSpec> = specs
        .services
        .iter()
        .filter(|loaded| loaded.spec.metadata.service_short_name == EXAMPLE_SERVICE)
        .chain(
            specs
                .services
                .iter()
                .filter(|loaded| loaded.spec.metadata.service_short_name != EXAMPLE_SERVICE),
        )
        .collect();
    let usage = example_order.iter().find_map(|loaded| {
        let spec = &loaded.spec;
        let paths = facade_paths(&spec.metadata);
        spec.actions.iter().find_map(|(name, action)| {
            let lines = docs::usage(&paths, name, action, &inputs_of(spec, action), true)?;
            Some((spec.metadata.service_short_name.clone(), lines))
        })
    });
    let common: BTreeSet<&str> = specs
        .common
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    let error_handling = example_order.iter().find_map(|loaded| {
        let spec = &loaded.spec;
        spec.actions.iter().find_map(|(name, action)| {
            let shown = showcase_error(action, &common)?;
            let variant = names::error_variant(&shown.code);
            let members = inputs_of(spec, action);
            let paths = facade_paths(&spec.metadata);
            let lines = docs::error_handling(&paths, name, action, &members, shown, &variant)?;
            Some((spec.metadata.service_short_name.clone(), lines))
        })
    });
    let doc_features: BTreeSet<String> = [&usage, &error_handling]
        .into_iter()
        .flatten()
        .map(|(feature, _)| feature.clone())
        .collect();
    let (usage, error_handling) = (usage.map(|(_, l)| l), error_handling.map(|(_, l)| l));
    let listing: Vec<(String, String, String, String, Vec<String>)> = services
        .iter()
        .map(|s| {
            (
                s.feature.clone(),
                s.module.clone(),
                s.crate_name.clone(),
                s.name_en.clone(),
                s.versions.iter().map(|v| v.api_version.clone()).collect(),
            )
        })
        .collect();
    let common_errors = specs
        .common
        .errors
        .iter()
        .map(|error| ErrorVariant {
            code: error.code.clone(),
            variant: names::error_variant(&error.code),
            docs: docs::error_code(error),
        })
        .collect();
    let listing_text: String = services
        .iter()
        .map(|s| {
            let versions: Vec<String> = s
                .versions
                .iter()
                .map(|v| format!("`{}`", v.api_version))
                .collect();
            let actions = s.versions.iter().map(|v| v.actions.len()).sum();
            format!(
                "- `{}` ({}): crate `{}`; API {} {}; {}\n",
                s.feature,
                s.name_en,
                s.crate_name,
                if versions.len() == 1 {
                    "version"
                } else {
                    "versions"
                },
                versions.join(", "),
                docs::plural(actions, "action")
            )
        })
        .collect();
    CrateModel {
        facade: PackageModel {
            name: FACADE_CRATE.to_owned(),
            description: "Typed Rust SDK for Tencent Cloud API 3.0, generated from JSON API specs: every service, one feature each.".to_owned(),
            readme_about: format!(
                "The one crate to depend on: configuration, credentials (environment, profile file, TKE web identity, CVM instance role, STS AssumeRole), retries, errors and every service, each behind a cargo feature of its name; none is on by default, so a program builds only the services it enables:\n\n{}",
                listing_text.trim_end()
            ),
            readme_dependency: format!(
                "{FACADE_CRATE} = {{ version = \"{BASE_VERSION}\", features = [{}] }}",
                doc_features.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", ")
            ),
            source: "specs/".to_owned(),
            manifest_file: format!("{FACADE_DIR}/Cargo.toml"),
            readme_file: format!("{FACADE_DIR}/README.md"),
            lib_file: format!("{FACADE_DIR}/src/lib.rs"),
            common_path: Some(relative(FACADE_DIR, COMMON_DIR)),
            version: None,
            changelog: None,
        },
        common: PackageModel {
            name: COMMON_CRATE.to_owned(),
            description: "The error codes every Tencent Cloud API 3.0 action can return, shared by the tencentcloud-sdk service crates.".to_owned(),
            readme_about: "Service crates depend on it; users name its `CommonError` through them or `tencentcloud-sdk`.".to_owned(),
            readme_dependency: dependency_line(COMMON_CRATE, BASE_VERSION),
            source: "specs/common.json".to_owned(),
            manifest_file: format!("{COMMON_DIR}/Cargo.toml"),
            readme_file: format!("{COMMON_DIR}/README.md"),
            lib_file: format!("{COMMON_DIR}/src/lib.rs"),
            common_path: None,
            version: None,
            changelog: None,
        },
        common_errors,
        common_error_type: COMMON_ERROR.to_owned(),
        common_error_docs: vec![
            "An error code any action can return: authentication, rate limits, malformed requests, internal errors.".to_owned(),
        ],
        common_docs: docs::common_crate(),
        common_hash: hash_of(&specs.common.errors),
        inputs_hash: hash_of(&(crate_inputs, &usage, &error_handling)),
        docs: docs::crate_root(&listing, usage, error_handling),
        doc_features: doc_features.into_iter().collect(),
        services,
    }
}

/// The path of `to` seen from `from`, both directories relative to the output directory.
pub(super) fn relative(from: &str, to: &str) -> String {
    let up = from.split('/').count();
    format!("{}{to}", "../".repeat(up))
}

/// The service the facade's usage and error-handling examples call, when the specs have it.
const EXAMPLE_SERVICE: &str = "cvm";
/// The request parameter with which a streaming action asks for a stream.
const STREAM_SWITCH: &str = "Stream";

/// A README's `[dependencies]` line: `name = "<version>"`.
fn dependency_line(name: &str, version: &str) -> String {
    format!("{name} = \"{version}\"")
}

/// Doc example paths through the facade (`tencentcloud_sdk::cvm::v20170312`).
pub(super) fn facade_paths(metadata: &Metadata) -> docs::ExamplePaths {
    let root = FACADE_LIB.to_owned();
    docs::ExamplePaths {
        version: format!(
            "{root}::{}::{}",
            names::service_module(&metadata.service_short_name),
            names::version_module(&metadata.api_version)
        ),
        root,
    }
}

/// The error code the crate-level error-handling example matches on: among the action's own codes
/// (not the common ones) that have an English description, the one described at greatest length,
/// so the example shows a failure a reader can picture; on a tie, the first by code.
pub(super) fn showcase_error<'a>(
    action: &'a Action,
    common: &BTreeSet<&str>,
) -> Option<&'a ErrorCode> {
    action
        .errors
        .iter()
        .filter(|e| !common.contains(e.code.as_str()) && !e.document.trim().is_empty())
        .max_by(|a, b| {
            let length = |e: &ErrorCode| e.document.trim().chars().count();
            length(a).cmp(&length(b)).then_with(|| b.code.cmp(&a.code))
        })
}

pub(super) fn service_model(
    feature: String,
    loaded: &[&LoadedSpec],
    common: &[ErrorCode],
    releases: &Releases,
) -> ServiceModel {
    let module = names::service_module(&feature);
    let crate_name = format!("{FACADE_CRATE}-{}", feature.replace('_', "-"));
    let lib_name = crate_name.replace('-', "_");
    let dir = format!("{SERVICES_DIR}/{feature}");
    let versions: Vec<VersionModel> = loaded
        .iter()
        .map(|l| version_model(&dir, &lib_name, l, common))
        .collect();
    let newest = loaded.last().map(|l| &l.spec.metadata);
    let name_en = newest
        .map(|m| m.service_name_en.clone())
        .unwrap_or_default();
    let mut docs = vec![format!(
        "Typed Rust SDK for {} (`{feature}`), Tencent Cloud API 3.0.",
        docs::escape(&name_en)
    )];
    if let Some(metadata) = newest {
        docs.push(String::new());
        docs.extend(docs::paragraphs(&metadata.document));
    }
    docs.extend([
        String::new(),
        format!("Generated by `tencentcloud-codegen`; also re-exported by `{FACADE_CRATE}` as `{FACADE_LIB}::{module}` (feature `{feature}`)."),
        String::new(),
        "API versions, one module each with its `Client`:".to_owned(),
    ]);
    for version in &versions {
        docs.push(format!(
            "- `{}`: [`{}`], {}",
            version.api_version,
            version.module,
            docs::plural(version.actions.len(), "action")
        ));
    }
    let about = newest.map_or_else(Vec::new, |m| docs::paragraphs(&m.document));
    let version_list: Vec<String> = versions
        .iter()
        .map(|v| {
            format!(
                "`{}` ({})",
                v.api_version,
                docs::plural(v.actions.len(), "action")
            )
        })
        .collect();
    let newest_module = versions
        .last()
        .map(|v| v.module.as_str())
        .unwrap_or_default();
    let readme_about = [
        about.join("\n"),
        format!(
            "API versions: {}; each is a module with its `Client` (`{lib_name}::{newest_module}::Client`), a method per action.",
            version_list.join(", ")
        ),
        format!(
            "Also re-exported by `{FACADE_CRATE}` as `{FACADE_LIB}::{module}` (feature `{feature}`); depend on this crate to build only this service."
        ),
    ]
    .into_iter()
    .filter(|paragraph| !paragraph.is_empty())
    .collect::<Vec<_>>()
    .join("\n\n");
    let service_inputs: Vec<(&Metadata, Vec<&str>)> = loaded
        .iter()
        .map(|l| {
            (
                &l.spec.metadata,
                l.spec.actions.keys().map(String::as_str).collect(),
            )
        })
        .collect();
    let tested_versions: Vec<(&str, &str)> = versions
        .iter()
        .map(|v| (v.module.as_str(), v.service.as_str()))
        .collect();
    let source = format!("specs/{feature}/");
    ServiceModel {
        examples_file: format!("{dir}/tests/examples/main.rs"),
        examples_hash: hash_of(&tested_versions),
        dir: dir.clone(),
        crate_name: crate_name.clone(),
        lib_name,
        source: source.clone(),
        module: module.clone(),
        feature: feature.clone(),
        name_en: name_en.clone(),
        docs,
        // A release of its own is an input of the crate files (its version, its changelog).
        inputs_hash: match releases.services.get(&feature) {
            Some(own) => hash_of(&(&service_inputs, own)),
            None => hash_of(&service_inputs),
        },
        versions,
        common_error_type: COMMON_ERROR.to_owned(),
        package: PackageModel {
            name: crate_name.clone(),
            description: format!(
                "Typed Rust SDK for {name_en} (`{feature}`), Tencent Cloud API 3.0, generated from Tencent's API description."
            ),
            readme_about,
            readme_dependency: dependency_line(&crate_name, releases.version_of(&feature)),
            source: source.clone(),
            manifest_file: format!("{dir}/Cargo.toml"),
            readme_file: format!("{dir}/README.md"),
            lib_file: format!("{dir}/src/lib.rs"),
            common_path: Some(relative(&dir, COMMON_DIR)),
            version: releases
                .services
                .contains_key(&feature)
                .then(|| releases.version_of(&feature).to_owned()),
            changelog: releases
                .changelog(&feature, &crate_name)
                .map(|text| (format!("{dir}/CHANGELOG.md"), text)),
        },
        path_from_facade: relative(FACADE_DIR, &dir),
    }
}

pub(super) fn version_model(
    crate_dir: &str,
    lib_name: &str,
    loaded: &LoadedSpec,
    common: &[ErrorCode],
) -> VersionModel {
    let spec = &loaded.spec;
    let metadata = &spec.metadata;
    let module = names::version_module(&metadata.api_version);
    let dir = format!("{crate_dir}/src/{module}");
    let examples_dir = format!("{crate_dir}/tests/examples/{module}");
    let paths = docs::ExamplePaths {
        root: lib_name.to_owned(),
        version: format!("{lib_name}::{module}"),
    };
    let actions: Vec<ActionModel> = spec
        .actions
        .iter()
        .map(|(name, action)| {
            let dirs = (dir.as_str(), examples_dir.as_str());
            action_model(dirs, &paths, metadata, name, action, &spec.objects, common)
        })
        .collect();
    let tested_actions: Vec<&str> = actions
        .iter()
        .filter(|a| !a.examples.is_empty())
        .map(|a| a.module.as_str())
        .collect();
    let outputs: Vec<(&str, &str)> = actions
        .iter()
        .map(|a| (a.name.as_str(), a.output_type.as_str()))
        .collect();
    let examples_hash = hash_of(&(&tested_actions, &paths.version, &outputs));
    let types = type_models(&dir, spec);
    let types_docs = vec![
        format!(
            "Structures nested in the requests and responses of {} API version `{}`.",
            docs::escape(&metadata.service_name_en),
            metadata.api_version
        ),
        String::new(),
        "Build one with `Default::default()` and its fluent setters.".to_owned(),
    ];
    let type_names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let mut docs = vec![format!(
        "{} API version `{}`.",
        docs::escape(&metadata.service_name_en),
        metadata.api_version
    )];
    docs.push(String::new());
    docs.push(format!(
        "Endpoint `{}`; {}.",
        metadata.endpoint,
        if metadata.region_required {
            "every action needs a region (set it in the `Config`)"
        } else {
            "actions need no region"
        }
    ));
    docs.extend([
        String::new(),
        "Actions, as methods of [`Client`]:".to_owned(),
        String::new(),
    ]);
    docs.extend(actions.iter().map(|action| {
        format!(
            "- [`{method}`](Client::{method}): {}{}",
            action.method_docs.first().map_or("", String::as_str),
            if action.deprecated {
                " Deprecated."
            } else {
                ""
            },
            method = action.method,
        )
    }));
    let client_docs = vec![
        format!(
            "Client for {} (`{}`, API version `{}`): one method per action, each returning a builder.",
            docs::escape(&metadata.service_name_en),
            metadata.service_short_name,
            metadata.api_version
        ),
        String::new(),
        "Cheap to clone: clones share the configuration and the connection pool.".to_owned(),
    ];
    let version_inputs: Vec<(&str, &str, ActionStatus)> = spec
        .actions
        .iter()
        .map(|(name, action)| (name.as_str(), action.name.as_str(), action.status))
        .collect();
    let errors_docs = vec![
        format!(
            "An error Tencent Cloud returned for an action of {} API version `{}` whose own error codes are not documented.",
            docs::escape(&metadata.service_name_en),
            metadata.api_version
        ),
        String::new(),
        "One variant per error code of the service version; the codes every action can return decode to [`Common`](Self::Common) and any other code to `Unhandled`, so a new code never breaks decoding. Every variant keeps the code, message and request id.".to_owned(),
    ];
    VersionModel {
        examples_file: format!("{examples_dir}/mod.rs"),
        examples_hash,
        path: paths.version.clone(),
        errors_file: format!("{dir}/{ERRORS_MODULE}.rs"),
        error_type: VERSION_ERROR.to_owned(),
        client_type: CLIENT.to_owned(),
        client_new_docs: vec![
            "A client sending with `config` (credentials, region, endpoint, timeouts, retries)."
                .to_owned(),
        ],
        service_const: SERVICE_CONST.to_owned(),
        types_module: TYPES_MODULE.to_owned(),
        errors_module: ERRORS_MODULE.to_owned(),
        errors: error_variants(&spec.errors, common),
        errors_hash: hash_of(&(
            &metadata.service_name_en,
            &metadata.api_version,
            &spec.errors,
        )),
        errors_docs,
        spec_path: loaded.path.clone(),
        source: format!("specs/{}", loaded.path),
        file: format!("{dir}/mod.rs"),
        types_file: format!("{dir}/{TYPES_MODULE}/mod.rs"),
        dir,
        module,
        service: metadata.service_short_name.clone(),
        api_version: metadata.api_version.clone(),
        region_required: metadata.region_required,
        docs,
        client_docs,
        inputs_hash: hash_of(&(metadata, version_inputs, &type_names)),
        types_hash: hash_of(&(metadata, &type_names)),
        types_docs,
        types,
        actions,
    }
}

pub(super) fn type_models(dir: &str, spec: &ServiceSpec) -> Vec<TypeModel> {
    let io: BTreeSet<&str> = spec
        .actions
        .values()
        .flat_map(|a| [a.input.as_str(), a.output.as_str()])
        .collect();
    let nested = reachable(io.iter().copied(), &spec.objects);
    let from_requests = reachable(
        spec.actions.values().map(|a| a.input.as_str()),
        &spec.objects,
    );
    let from_responses = reachable(
        spec.actions.values().map(|a| a.output.as_str()),
        &spec.objects,
    );
    let cyclic = by_value_cycles(&spec.objects);
    nested
        .into_iter()
        .filter(|name| !io.contains(name))
        .filter_map(|name| spec.objects.get_key_value(name))
        .map(|(name, object)| {
            let fields = object
                .members
                .iter()
                .zip(rust_names(&object.members))
                .map(|(member, rust)| {
                    let mut field = member_field(member, rust);
                    field.docs = docs::type_member(member);
                    field.setter_docs = docs::setter(member, "Self", &field.rust_name);
                    field.boxed = member.kind == MemberKind::Object
                        && cyclic.get(name.as_str()) == cyclic.get(member.member.as_str())
                        && cyclic.contains_key(name.as_str());
                    field
                })
                .collect();
            let mut type_docs = vec![format!("`{name}` structure.")];
            if !object.document.trim().is_empty() {
                type_docs.push(String::new());
                type_docs.extend(docs::paragraphs(&object.document));
            }
            let module = names::snake(name, &[]);
            TypeModel {
                file: format!("{dir}/{TYPES_MODULE}/{module}.rs"),
                module,
                module_docs: vec![format!("The `{name}` structure.")],
                docs: type_docs,
                fields,
                in_requests: from_requests.contains(name.as_str()),
                validate_docs: vec![
                    "Checks the documented rules of this structure's members; `at` is where the structure sits in the request (`Filters.0.`), so errors name the full parameter.".to_owned(),
                ],
                in_responses: from_responses.contains(name.as_str()),
                inputs_hash: hash_of(&(name, object)),
                not_camel_case: name.contains('_'),
                name: names::type_name(name),
            }
        })
        .collect()
}

/// A member as an example reads it: name, kind and type.
pub(super) type MemberShape<'a> = (&'a str, MemberKind, &'a str);

/// `dirs`: the version's source directory and its directory of example tests.
pub(super) fn action_model(
    (dir, examples_dir): (&str, &str),
    paths: &docs::ExamplePaths,
    metadata: &Metadata,
    name: &str,
    action: &Action,
    objects: &BTreeMap<String, Object>,
    common: &[ErrorCode],
) -> ActionModel {
    let empty = Object {
        kind: "object".to_owned(),
        document: String::new(),
        members: Vec::new(),
    };
    let input = objects.get(&action.input).unwrap_or(&empty);
    let output = objects.get(&action.output).unwrap_or(&empty);
    let request_type = format!("{name}Request");
    let inputs: Vec<FieldModel> = input
        .members
        .iter()
        .zip(rust_names(&input.members))
        .map(|(m, rust)| input_field(m, action, &request_type, rust))
        .collect();
    let rust_name_of = |wire: &str| {
        inputs.iter().find(|f| f.wire_name == wire).map_or_else(
            || names::snake(wire, BUILDER_RESERVED),
            |f| f.rust_name.clone(),
        )
    };
    let group_checks: Vec<GroupCheck> = action
        .constraints
        .iter()
        .map(|c| GroupCheck {
            rule: c.rule,
            members: c
                .members
                .iter()
                .map(|m| (m.clone(), rust_name_of(m)))
                .collect(),
        })
        .collect();
    let outputs: Vec<FieldModel> = output
        .members
        .iter()
        .zip(rust_names(&output.members))
        .map(|(m, rust)| output_field(m, rust))
        .collect();
    let idempotency_field = input
        .members
        .iter()
        .find(|m| m.idempotency_token)
        .map(|m| (m.name.clone(), rust_name_of(&m.name)));
    let errors = error_variants(&action.errors, common);
    let repeatability = repeatability::of(name, action, input);
    let examples = action
        .examples
        .iter()
        .map(|e| example_model(&e.title, &e.request, &input.members, objects))
        .collect();
    let method = names::snake(name, CLIENT_RESERVED);
    let builder_docs = docs::action(metadata, paths, name, action, &input.members, repeatability);
    let method_docs = vec![
        format!("{} (`{name}`).", docs::escape(&action.name)),
        String::new(),
        if action.streaming {
            format!(
                "Set the parameters on the returned [`{name}Builder`], then call `send()`, or `send_stream()` for its events as they arrive."
            )
        } else {
            format!("Set the parameters on the returned [`{name}Builder`], then call `send()`.")
        },
    ];
    let nested: Vec<(&str, Option<&Object>)> =
        reachable([action.input.as_str(), action.output.as_str()], objects)
            .into_iter()
            .map(|n| (n, objects.get(n)))
            .collect();
    let inputs_hash = hash_of(&(metadata, paths, name, action, &nested));
    // The example test depends on the examples and on the member types they are read as, not on
    // any document.
    let shapes: Vec<(&str, Vec<MemberShape>)> = nested
        .iter()
        .map(|(object, shape)| {
            let members = shape.map_or_else(Vec::new, |o| {
                o.members
                    .iter()
                    .map(|m| (m.name.as_str(), m.kind, m.member.as_str()))
                    .collect()
            });
            (*object, members)
        })
        .collect();
    let examples_hash = hash_of(&(&paths.version, name, &action.examples, shapes));
    let module = names::action_module(name);
    ActionModel {
        file: format!("{dir}/{module}.rs"),
        examples_file: format!("{examples_dir}/{module}.rs"),
        examples_hash,
        request_path: format!("{}::{name}Request", paths.version),
        multipart: input
            .members
            .iter()
            .find(|m| m.kind == MemberKind::Binary)
            .map(|m| m.name.clone()),
        host: action
            .endpoint
            .as_deref()
            .and_then(|endpoint| endpoint.strip_suffix(crate::validate::ROOT_DOMAIN_SUFFIX))
            .map(str::to_owned),
        module_docs: vec![format!(
            "`{name}`: request, builder, output and error types."
        )],
        send_docs: docs::send(
            name,
            idempotency_field.as_ref().map(|(wire, _)| wire.as_str()),
            action.streaming,
        ),
        paging: action
            .paging
            .as_ref()
            .and_then(|paging| paging_model(name, paging, input, output, objects)),
        waiters: action
            .waiters
            .iter()
            .map(|waiter| waiter_model(name, waiter))
            .collect(),
        streaming: action.streaming.then(|| {
            let switch = input
                .members
                .iter()
                .find(|m| m.name == STREAM_SWITCH && m.kind == MemberKind::Bool);
            Streaming {
                switch: switch.map(|m| rust_name_of(&m.name)),
                docs: docs::send_stream(name, switch.is_some()),
            }
        }),
        validate_docs: vec![
            "Checks the documented parameter rules, as `send()` does before sending: required parameters, list sizes, allowed values, lengths and character sets, and the rules spanning several parameters.".to_owned(),
        ],
        version_error_type: VERSION_ERROR.to_owned(),
        module,
        method,
        request_type,
        builder_type: format!("{name}Builder"),
        output_type: format!("{name}Output"),
        error_type: format!("{name}Error"),
        request_docs: vec![
            format!("Parameters of `{name}`: {}.", docs::escape(&action.name)),
            String::new(),
            format!("Usually built with [`{name}Builder`]; every field is optional here and checked by [`validate`]({name}Request::validate)."),
        ],
        output_docs: vec![format!("Response of `{name}`: {}.", docs::escape(&action.name))],
        error_docs: if action.errors.is_empty() {
            vec![format!(
                "An error Tencent Cloud returned for `{name}`: the service version's codes, as [`super::Error`]."
            )]
        } else {
            vec![
                format!("An error Tencent Cloud returned for `{name}`."),
                String::new(),
                "One variant per error code the API reference documents for this action; the codes every action can return decode to [`Common`](Self::Common) and any other code to `Unhandled`, so a new code never breaks decoding. Every variant keeps the code, message and request id.".to_owned(),
            ]
        },
        method_docs,
        builder_docs,
        deprecated: action.status == ActionStatus::Deprecated,
        group_checks,
        idempotency_field,
        repeatability: repeatability.variant_name(),
        uses_version_errors: action.errors.is_empty(),
        errors,
        examples,
        inputs,
        outputs,
        inputs_hash,
        name: name.to_owned(),
    }
}

/// Lowercase hex SHA-256 of the canonical JSON of `inputs`.
pub(super) fn hash_of<T: Serialize>(inputs: &T) -> String {
    let bytes = serde_json::to_vec(inputs).unwrap_or_default();
    hex::encode(Sha256::digest(bytes))
}

/// The `wait_until_*` of a waiter on `action`.
fn waiter_model(action: &str, waiter: &Waiter) -> WaiterModel {
    let snake = names::snake(&waiter.name, &[]);
    let states = |states: &[WaitState]| -> Vec<WaitStateModel> {
        states
            .iter()
            .map(|state| WaitStateModel {
                path: state.path.clone(),
                all: !state.all.is_empty(),
                values: state.all.iter().chain(&state.any).cloned().collect(),
            })
            .collect()
    };
    WaiterModel {
        method: format!("wait_until_{snake}"),
        static_name: format!("{}_STATES", snake.to_uppercase()),
        words: snake.replace('_', " "),
        success: states(&waiter.success),
        failure: states(&waiter.failure),
        min_delay: waiter.min_delay,
        max_delay: waiter.max_delay,
        max_wait: waiter.max_wait,
        docs: docs::waiter(action, waiter),
    }
}

/// The `into_paginator()` of an action paging as `paging` says; `None` when a path does not
/// lead where the spec's validation checked it would (not reached with validated specs).
fn paging_model(
    action: &str,
    paging: &Paging,
    input: &Object,
    output: &Object,
    objects: &BTreeMap<String, Object>,
) -> Option<PagingModel> {
    let position = member_at(input, &paging.position, objects)?;
    let size = match &paging.size {
        Some(path) => Some(member_at(input, path, objects)?),
        None => None,
    };
    let as_text = |member: &Member| member.kind == MemberKind::String;
    if paging.rule == PagingRule::Token && paging.next_token.is_none() {
        return None;
    }
    // The items' members, each with its Rust field name.
    let mut steps = Vec::with_capacity(paging.items.len());
    let mut object = output;
    for (index, wire) in paging.items.iter().enumerate() {
        let (member, rust) = object
            .members
            .iter()
            .zip(rust_names(&object.members))
            .find(|(m, _)| m.name == *wire)?;
        steps.push((member, rust));
        if index + 1 < paging.items.len() {
            object = objects.get(&member.member)?;
        }
    }
    let (last, _) = steps.last()?;
    let items_type = field_type(last);
    let items_expr = match &steps[..] {
        [(_, rust)] => format!("output.{rust}"),
        [(_, first), rest @ ..] => {
            let inner: String = rest
                .iter()
                .map(|(_, rust)| format!(".and_then(|value| value.{rust})"))
                .collect();
            format!("output.{first}{inner}.unwrap_or_default()")
        }
        [] => return None,
    };
    Some(PagingModel {
        rule: paging.rule,
        first_page: paging.first_page.unwrap_or(1),
        next_token: paging.next_token.clone(),
        position_as_text: paging.rule != PagingRule::Token && as_text(position),
        position: paging.position.clone(),
        size_as_text: size.is_some_and(as_text),
        size: paging.size.clone(),
        items: paging.items.clone(),
        total: paging.total.clone(),
        items_type,
        items_expr,
        reads_deprecated: steps.iter().any(|(m, _)| m.deprecated.is_some()),
        docs: docs::into_paginator(action, paging),
    })
}

/// The member `path` leads to from `object`.
fn member_at<'a>(
    object: &'a Object,
    path: &[String],
    objects: &'a BTreeMap<String, Object>,
) -> Option<&'a Member> {
    let (last, parents) = path.split_last()?;
    let mut object = object;
    for step in parents {
        let member = object.members.iter().find(|m| m.name == *step)?;
        object = objects.get(&member.member)?;
    }
    object.members.iter().find(|m| m.name == *last)
}
