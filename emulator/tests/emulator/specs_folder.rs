//! A specs folder served as it is: its services compiled on their first call only, a broken one
//! failing alone, and answers in Chinese where the specs describe a code in Chinese.

use std::path::{Path, PathBuf};

use serde_json::json;
use tencentcloud_emulator::{DEFAULT_SPECS_DIR, EmulatorHandle, Instance, SpecsFolder};
use tencentcloud_runtime::{Client, Config, Credentials, Language, RetryConfig};

use super::support;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/catalog-sample")
}

fn served(handle: &EmulatorHandle) -> Vec<String> {
    handle
        .served_services()
        .into_iter()
        .map(|s| format!("{} {}", s.service, s.version))
        .collect()
}

#[tokio::test]
async fn services_are_compiled_on_their_first_call_only() {
    let handle = support::start_with(support::builder().specs_dir(sample())).await;
    let folder = |compiled| SpecsFolder {
        dir: sample(),
        services: 5,
        versions: 7,
        compiled,
    };
    assert_eq!(handle.specs_folder(), folder(0));
    assert!(served(&handle).is_empty(), "{:?}", served(&handle));

    let client = support::client(&handle);
    let answer = client
        .call(
            "yunsou",
            "2019-11-15",
            "DataSearch",
            &json!({"ResourceId": 1}),
        )
        .await
        .expect("an action of the folder answers");
    assert!(answer.get("Data").is_some(), "{answer:?}");
    let missing = client
        .call("yunsou", "2018-05-04", "DataSearch", &json!({}))
        .await
        .expect_err("ResourceId is required");
    assert_eq!(missing.code(), Some("MissingParameter"));
    assert_eq!(handle.specs_folder(), folder(1));
    assert_eq!(served(&handle), ["yunsou 2018-05-04", "yunsou 2019-11-15"]);

    let version = client
        .call(
            "yunsou",
            "2017-01-01",
            "DataSearch",
            &json!({"ResourceId": 1}),
        )
        .await
        .expect_err("no such version");
    assert_eq!(version.code(), Some("NoSuchVersion"));
    let unknown = client
        .call("nosuch", "2020-01-01", "DescribeThings", &json!({}))
        .await
        .expect_err("no such service");
    assert_eq!(unknown.code(), Some("InvalidAction"));
    assert_eq!(handle.specs_folder(), folder(1));
}

/// The workspace's folder holds the whole catalog; a call to one of its services compiles that
/// service alone.
#[tokio::test]
async fn the_workspace_specs_folder_is_served_whole_and_compiled_per_service() {
    let handle = support::start_with(support::builder().specs_dir(DEFAULT_SPECS_DIR)).await;
    let folder = handle.specs_folder();
    let index = tencentcloud_spec::index::SpecIndex::open(Path::new(DEFAULT_SPECS_DIR)).unwrap();
    assert_eq!(folder.services, index.services().count());
    assert!(folder.services >= 3, "{folder:?}");
    assert_eq!(folder.compiled, 0);
    let client = support::client(&handle);
    client
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
        .expect("cvm answers");
    assert_eq!(served(&handle), ["cvm 2017-03-12"]);
    assert_eq!(handle.specs_folder().compiled, 1);
}

#[tokio::test]
async fn a_broken_service_answers_internal_error_naming_its_file_and_others_still_serve() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::copy(sample().join("common.json"), dir.path().join("common.json")).unwrap();
    std::fs::create_dir(dir.path().join("broken")).unwrap();
    std::fs::write(dir.path().join("broken/2020-01-01.json"), "{\"version\": ").unwrap();
    let upstream = dir.path().join("upstream/yunsou");
    std::fs::create_dir_all(&upstream).unwrap();
    for version in std::fs::read_dir(sample().join("upstream/yunsou")).unwrap() {
        let version = version.unwrap();
        std::fs::create_dir(upstream.join(version.file_name())).unwrap();
        for file in std::fs::read_dir(version.path()).unwrap() {
            let file = file.unwrap();
            std::fs::copy(
                file.path(),
                upstream.join(version.file_name()).join(file.file_name()),
            )
            .unwrap();
        }
    }
    let handle = support::start_with(support::builder().specs_dir(dir.path())).await;
    let client = support::client(&handle);
    let error = client
        .call("broken", "2020-01-01", "DescribeThings", &json!({}))
        .await
        .expect_err("its specs cannot load");
    assert_eq!(error.code(), Some("InternalError"));
    let message = error.message().unwrap_or_default();
    assert!(
        message.contains("broken/2020-01-01.json") && message.contains("not valid JSON"),
        "{message}"
    );
    let ok = client
        .call(
            "yunsou",
            "2019-11-15",
            "DataSearch",
            &json!({"ResourceId": 1}),
        )
        .await;
    assert!(ok.is_ok(), "the other services still serve: {ok:?}");
}

#[tokio::test]
async fn a_missing_specs_folder_fails_the_build_naming_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let error = support::builder()
        .specs_dir(dir.path().join("nowhere"))
        .build()
        .err()
        .expect("no common.json there");
    let message = error.to_string();
    assert!(
        message.contains("nowhere") && message.contains("common.json"),
        "{message}"
    );
}

fn client_in(handle: &EmulatorHandle, language: Language) -> Client {
    let config = Config::builder()
        .credentials(Credentials::new(support::SECRET_ID, support::SECRET_KEY).unwrap())
        .endpoint(handle.endpoint())
        .region("ap-guangzhou")
        .retry(RetryConfig::disabled())
        .language(language)
        .build()
        .expect("config");
    Client::new(&config)
}

#[tokio::test]
async fn zh_cn_answers_carry_the_chinese_description_of_the_code_then_the_specifics() {
    let index = tencentcloud_spec::index::SpecIndex::open(Path::new(DEFAULT_SPECS_DIR)).unwrap();
    let cvm = index.load("cvm").unwrap().remove(0).spec;
    // The service version's description of a code comes first, as the emulator answers.
    let zh = |code: &str| -> String {
        cvm.errors
            .iter()
            .chain(&index.common().errors)
            .find(|e| e.code == code)
            .and_then(|e| e.document_zh.clone())
            .unwrap_or_else(|| panic!("the specs describe {code} in Chinese"))
    };
    let handle = support::start().await;
    handle
        .seed_instance(Instance::new("ins-3jaw1j8m").protected(true))
        .unwrap();
    let chinese = client_in(&handle, Language::ZhCn);
    let english = client_in(&handle, Language::EnUs);
    for client in [&chinese, &english] {
        let missing = client
            .call("cvm", "2017-03-12", "TerminateInstances", &json!({}))
            .await
            .expect_err("InstanceIds is required");
        let protected = client
            .call(
                "cvm",
                "2017-03-12",
                "TerminateInstances",
                &json!({"InstanceIds": ["ins-3jaw1j8m"]}),
            )
            .await
            .expect_err("the instance is protected");
        for (error, code) in [
            (missing, "MissingParameter"),
            (protected, "UnsupportedOperation.InstancesProtected"),
        ] {
            assert_eq!(error.code(), Some(code));
            let message = error.message().unwrap_or_default();
            if std::ptr::eq(client, &chinese) {
                assert!(message.starts_with(&zh(code)), "{code}: {message}");
                assert!(message.contains("ins-3jaw1j8m") || code == "MissingParameter");
            } else {
                assert!(message.is_ascii(), "{code}: {message}");
            }
        }
    }
}
