//! Profile files that are not what they should be: a FIFO, a huge file, a value leaking into an
//! error. Each must fail fast with a message that names the file, never a secret.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tencentcloud_runtime::credentials::{
    DefaultCredentialsChain, EnvLookup, MAX_PROFILE_FILE_BYTES, ProfileFileProvider,
};
use tencentcloud_runtime::{Client, Config, ConfigBuilder, SdkError};

fn env(vars: &[(&str, String)]) -> EnvLookup {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    Arc::new(move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

/// A client whose credentials come from `provider`, with a 2 s deadline, aimed at a loopback
/// port nothing listens on: the call can only end with the provider's answer or the deadline.
fn client_with(provider: impl tencentcloud_runtime::ProvideCredentials + 'static) -> Client {
    let config = Config::builder()
        .credentials_provider(provider)
        .endpoint("http://127.0.0.1:9")
        .operation_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    Client::new(&config)
}

#[cfg(unix)]
fn fifo(dir: &tempfile::TempDir) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let path = dir.path().join("credentials");
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo touches nothing else.
    let made = unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) };
    assert_eq!(made, 0, "mkfifo {}", path.display());
    path
}

#[cfg(unix)]
#[tokio::test]
async fn a_fifo_as_profile_file_fails_with_a_clear_error_within_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let path = fifo(&dir);
    let client = client_with(ProfileFileProvider::new().path(&path));

    // Without a writer, reading the FIFO would block forever; the call must end on its own.
    let error = tokio::time::timeout(
        Duration::from_secs(10),
        client.call("cvm", "2017-03-12", "DescribeInstances", &json!({})),
    )
    .await
    .expect("the call ends within its deadline")
    .unwrap_err();

    let SdkError::Credentials(credentials) = &error else {
        panic!("expected a credentials error, got {error:?}");
    };
    let shown = credentials.to_string();
    assert!(shown.contains(&path.display().to_string()), "{shown}");
    assert!(shown.contains("not a regular file"), "{shown}");
    assert_eq!(error.attempts(), 0, "nothing was sent");
}

#[cfg(unix)]
#[tokio::test]
async fn a_fifo_in_the_home_directory_is_refused_not_skipped_or_waited_on() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".tencentcloud")).unwrap();
    let fifo_dir = tempfile::tempdir().unwrap();
    let pipe = fifo(&fifo_dir);
    std::fs::rename(&pipe, home.path().join(".tencentcloud/credentials")).unwrap();
    let chain =
        DefaultCredentialsChain::with_lookup(env(&[("HOME", home.path().display().to_string())]));
    let error = chain.load().await.unwrap_err().to_string();
    assert!(error.contains("not a regular file"), "{error}");
}

#[tokio::test]
async fn a_one_gib_profile_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials");
    // Sparse: a 1 GiB length that costs no disk, and would cost 1 GiB of memory if read.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let client = client_with(ProfileFileProvider::new().path(&path));

    let error = client
        .call("cvm", "2017-03-12", "DescribeInstances", &json!({}))
        .await
        .unwrap_err();

    let shown = error.to_string();
    assert!(
        shown.contains(&format!(
            "is 1073741824 bytes, more than the {MAX_PROFILE_FILE_BYTES} bytes a credentials file can be; not read"
        )),
        "{shown}"
    );
    let from_env = ConfigBuilder::from_env_with(env(&[(
        "TENCENTCLOUD_CREDENTIALS_FILE",
        path.display().to_string(),
    )]))
    .expect_err("the chain refuses the file too")
    .to_string();
    assert!(from_env.contains("not read"), "{from_env}");
}

#[test]
fn a_directory_as_profile_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let error = ProfileFileProvider::new()
        .path(dir.path())
        .load()
        .unwrap_err()
        .to_string();
    assert!(error.contains("is a directory"), "{error}");
}

#[test]
fn no_value_of_a_broken_profile_file_reaches_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials");
    for text in [
        // A secret pasted where a key belongs, then repeated.
        "[default]\nAKIDsecretpasted = 1\nAKIDsecretpasted = 2\n",
        // A quoted value under a key that is itself a secret.
        "[default]\nAKIDsecretpasted = \"x\"\n",
        // A line that is only a secret.
        "[default]\nAKIDsecretpasted\n",
        // A secret in a broken section header.
        "[AKIDsecretpasted\n",
        // Not UTF-8, around a secret.
        "[default]\nsecret_key = AKIDsecretpasted\u{0}\n",
    ] {
        let mut bytes = text.as_bytes().to_vec();
        if text.contains('\u{0}') {
            bytes.push(0xff);
        }
        std::fs::write(&path, &bytes).unwrap();
        let error = ProfileFileProvider::new().path(&path).load();
        let shown = match error {
            Err(e) => format!("{e} {e:?}"),
            Ok(creds) => format!("{creds:?}"),
        };
        assert!(!shown.contains("AKIDsecretpasted"), "{text:?}: {shown}");
    }
}
