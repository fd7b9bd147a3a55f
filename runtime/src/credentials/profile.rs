//! Credentials from the INI profile file the official SDKs and TCCLI read.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::env::{EnvLookup, process_env};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};

const FILE_VAR: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
const PROFILE_VAR: &str = "TENCENTCLOUD_PROFILE";
const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";
/// A credentials file holds a few short sections; anything larger is not one, and is refused
/// before it is read.
pub const MAX_PROFILE_FILE_BYTES: u64 = 64 * 1024;

/// Credentials from `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else
/// `/etc/tencentcloud/credentials`; section `[default]` or the one `TENCENTCLOUD_PROFILE` names;
/// keys `secret_id`, `secret_key` and optional `token` and `region` (which
/// [`ConfigBuilder::from_env`](crate::ConfigBuilder::from_env) uses when `TENCENTCLOUD_REGION`
/// is unset).
///
/// The file must be a regular file of at most [`MAX_PROFILE_FILE_BYTES`]: a FIFO, a device or
/// a directory is refused without waiting on it, a larger file without reading it. As a
/// provider it reads on a blocking thread, so a call's operation deadline covers the read.
/// Errors name the file, the section and the line, never a value from the file.
#[derive(Clone)]
pub struct ProfileFileProvider {
    lookup: EnvLookup,
    path: Option<PathBuf>,
    profile: Option<String>,
    system_file: PathBuf,
}

impl std::fmt::Debug for ProfileFileProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileFileProvider")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .finish()
    }
}

impl Default for ProfileFileProvider {
    fn default() -> Self {
        Self::new()
    }
}

/// A profile section's credentials and region (`region = ap-guangzhou`, optional).
pub(crate) struct Profile {
    pub(crate) credentials: Credentials,
    pub(crate) region: Option<String>,
}

/// The outcome of looking for a profile file.
pub(crate) enum Found {
    Profile(Profile),
    /// No file exists; says which paths were looked at.
    Nothing(String),
}

impl ProfileFileProvider {
    /// Locates the file and profile through the process environment.
    pub fn new() -> Self {
        Self::with_lookup(process_env())
    }

    /// Locates the file and profile through `lookup` (also used for `HOME`).
    pub fn with_lookup(lookup: EnvLookup) -> Self {
        Self {
            lookup,
            path: None,
            profile: None,
            system_file: PathBuf::from(SYSTEM_FILE),
        }
    }

    /// Reads this file instead of searching; a missing file is then an error.
    #[must_use]
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Reads this section instead of `TENCENTCLOUD_PROFILE` or `default`.
    #[must_use]
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Replaces `/etc/tencentcloud/credentials`, so tests do not depend on the machine.
    #[cfg(test)]
    pub(crate) fn system_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.system_file = path.into();
        self
    }

    /// `Ok(None)` when no candidate file exists.
    pub fn load(&self) -> Result<Option<Credentials>, CredentialsError> {
        Ok(match self.find()? {
            Found::Profile(profile) => Some(profile.credentials),
            Found::Nothing(_) => None,
        })
    }

    pub(crate) fn find(&self) -> Result<Found, CredentialsError> {
        let explicit = self
            .path
            .clone()
            .or_else(|| (self.lookup)(FILE_VAR).map(PathBuf::from));
        if let Some(path) = explicit {
            // A file the user named must exist.
            return self.read(&path).map(Found::Profile);
        }
        let mut looked_at = Vec::new();
        let home = (self.lookup)("HOME").or_else(|| (self.lookup)("USERPROFILE"));
        let candidates = home
            .map(|home| Path::new(&home).join(".tencentcloud").join("credentials"))
            .into_iter()
            .chain(std::iter::once(self.system_file.clone()));
        for path in candidates {
            // Whatever exists there is read (and refused if it is no regular file), so a FIFO
            // in the home directory is an error rather than silently skipped.
            if path.symlink_metadata().is_ok() {
                return self.read(&path).map(Found::Profile);
            }
            looked_at.push(path.display().to_string());
        }
        Ok(Found::Nothing(format!(
            "profile file ({FILE_VAR} not set; {} not found)",
            looked_at.join(", ")
        )))
    }

    fn read(&self, path: &Path) -> Result<Profile, CredentialsError> {
        let file_error = |message: String| CredentialsError::ProfileFile {
            path: path.to_owned(),
            message,
        };
        let text = read_small_file(path, "credentials file").map_err(file_error)?;
        let profile = self
            .profile
            .clone()
            .or_else(|| (self.lookup)(PROFILE_VAR))
            .unwrap_or_else(|| "default".to_owned());
        let section = parse_section(&text, &profile).map_err(file_error)?;
        let origin = format!("credentials file {} [{profile}]", path.display());
        let take = |key: &str| -> Result<String, CredentialsError> {
            section
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| file_error(format!("section [{profile}] has no `{key}`")))
        };
        let id = take("secret_id")?;
        let key = take("secret_key")?;
        let optional = |key: &str| {
            section
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        Ok(Profile {
            credentials: Credentials::from_source(id, key, optional("token"), &origin)?,
            region: optional("region"),
        })
    }
}

/// Reads a regular file of at most [`MAX_PROFILE_FILE_BYTES`], refusing anything else before
/// reading from it; `what` names the file's role in messages.
pub(crate) fn read_small_file(path: &Path, what: &str) -> Result<String, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO for reading blocks until a writer comes; non-blocking, it returns at once
    // and the type check below refuses it.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file: File = options.open(path).map_err(|e| e.to_string())?;
    let metadata = file.metadata().map_err(|e| e.to_string())?;
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a directory"
        } else {
            "not a regular file (a FIFO, socket or device)"
        };
        return Err(format!("is {kind}; a {what} must be a regular file"));
    }
    if metadata.len() > MAX_PROFILE_FILE_BYTES {
        return Err(format!(
            "is {} bytes, more than the {MAX_PROFILE_FILE_BYTES} bytes a {what} can be; not read",
            metadata.len()
        ));
    }
    let mut bytes = Vec::new();
    // The file may grow after the check: never read past the cap.
    file.take(MAX_PROFILE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_PROFILE_FILE_BYTES {
        return Err(format!(
            "grew beyond {MAX_PROFILE_FILE_BYTES} bytes while being read"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The keys a section may hold, the only file content an error message names: anything else
/// on a broken line may be a pasted secret.
const KNOWN_KEYS: [&str; 4] = ["secret_id", "secret_key", "token", "region"];

fn key_name(key: &str) -> String {
    if KNOWN_KEYS.contains(&key) {
        format!("`{key}`")
    } else {
        "a key".to_owned()
    }
}

/// The `key = value` pairs of `[profile]`, with INI syntax errors reported by line number.
fn parse_section(text: &str, profile: &str) -> Result<Vec<(String, String)>, String> {
    let mut current: Option<&str> = None;
    let mut found = false;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (index, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or_else(|| format!("line {number}: section header is missing `]`"))?
                .trim();
            current = Some(name);
            found |= name == profile;
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {number}: expected `key = value` or `[section]`"))?;
        let Some(section) = current else {
            return Err(format!("line {number}: key outside of any [section]"));
        };
        if section != profile {
            continue;
        }
        let key = key.trim();
        let value = value.trim();
        if pairs.iter().any(|(k, _)| k == key) {
            return Err(format!(
                "line {number}: {} is set twice in [{profile}]",
                key_name(key)
            ));
        }
        let quoted = value.len() >= 2
            && ((value.starts_with('"') && value.ends_with('"'))
                || (value.starts_with('\'') && value.ends_with('\'')));
        if quoted {
            return Err(format!(
                "line {number}: {} is quoted; write the value without quotes",
                key_name(key)
            ));
        }
        pairs.push((key.to_owned(), value.to_owned()));
    }
    if !found {
        return Err(format!("no [{profile}] section"));
    }
    Ok(pairs)
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let provider = self.clone();
        Box::pin(off_the_runtime(move || {
            provider.find().and_then(|found| match found {
                Found::Profile(profile) => Ok(profile.credentials),
                Found::Nothing(tried) => Err(CredentialsError::NotFound { tried: vec![tried] }),
            })
        }))
    }
}

/// Runs file I/O on tokio's blocking pool, so a slow file system stalls neither the runtime's
/// workers nor the deadline that times the call.
pub(crate) async fn off_the_runtime<T: Send + 'static>(
    load: impl FnOnce() -> Result<T, CredentialsError> + Send + 'static,
) -> Result<T, CredentialsError> {
    tokio::task::spawn_blocking(load).await.unwrap_or_else(|e| {
        Err(CredentialsError::Provider(format!(
            "reading a credentials file did not finish: {e}"
        )))
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::credentials::fixed_env as lookup;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    const TWO_PROFILES: &str = "\u{feff}# comment\n[default]\nsecret_id = AKIDdefault\n\
        secret_key=keydefault\n\n; other\n[dev]\nsecret_id = AKIDdev\nsecret_key = keydev\n\
        token = tokdev\n";

    #[test]
    fn reads_default_section_from_the_file_named_by_the_environment() {
        let f = file(TWO_PROFILES);
        let path = f.path().to_str().unwrap();
        let provider =
            ProfileFileProvider::with_lookup(lookup(&[("TENCENTCLOUD_CREDENTIALS_FILE", path)]));
        let creds = provider.load().unwrap().unwrap();
        assert_eq!(creds.secret_id(), "AKIDdefault");
        assert_eq!(creds.secret_key(), "keydefault");
        assert_eq!(creds.token(), None);
    }

    #[test]
    fn tencentcloud_profile_selects_the_section() {
        let f = file(TWO_PROFILES);
        let path = f.path().to_str().unwrap();
        let provider = ProfileFileProvider::with_lookup(lookup(&[
            ("TENCENTCLOUD_CREDENTIALS_FILE", path),
            ("TENCENTCLOUD_PROFILE", "dev"),
        ]));
        let creds = provider.load().unwrap().unwrap();
        assert_eq!(creds.secret_id(), "AKIDdev");
        assert_eq!(creds.token(), Some("tokdev"));
    }

    #[test]
    fn home_directory_file_is_found() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join(".tencentcloud")).unwrap();
        std::fs::write(
            home.path().join(".tencentcloud/credentials"),
            "[default]\nsecret_id=AKIDhome\nsecret_key=keyhome\n",
        )
        .unwrap();
        let provider =
            ProfileFileProvider::with_lookup(lookup(&[("HOME", home.path().to_str().unwrap())]));
        assert_eq!(provider.load().unwrap().unwrap().secret_id(), "AKIDhome");
    }

    #[test]
    fn missing_profile_key_or_section_is_a_clear_error() {
        let f = file("[default]\nsecret_id = AKID\n");
        let provider = ProfileFileProvider::with_lookup(lookup(&[])).path(f.path());
        let msg = provider.load().unwrap_err().to_string();
        assert!(
            msg.ends_with("section [default] has no `secret_key`"),
            "{msg}"
        );
        let msg = provider
            .clone()
            .profile("prod")
            .load()
            .unwrap_err()
            .to_string();
        assert!(msg.ends_with("no [prod] section"), "{msg}");
    }

    #[test]
    fn explicit_missing_file_is_an_error_not_a_fallthrough() {
        let dir = tempfile::tempdir().unwrap();
        let provider = ProfileFileProvider::with_lookup(lookup(&[])).path(dir.path().join("nope"));
        assert!(matches!(
            provider.load(),
            Err(CredentialsError::ProfileFile { .. })
        ));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        for (text, expected) in [
            ("[default\n", "line 1: section header is missing `]`"),
            (
                "[default]\nsecret_id AKID\n",
                "line 2: expected `key = value` or `[section]`",
            ),
            ("secret_id = AKID\n", "line 1: key outside of any [section]"),
            (
                "[default]\nsecret_id = a\nsecret_id = b\n",
                "line 3: `secret_id` is set twice in [default]",
            ),
            (
                "[default]\nsecret_id = \"AKID\"\nsecret_key = k\n",
                "line 2: `secret_id` is quoted; write the value without quotes",
            ),
        ] {
            let f = file(text);
            let msg = ProfileFileProvider::with_lookup(lookup(&[]))
                .path(f.path())
                .load()
                .unwrap_err()
                .to_string();
            assert!(msg.ends_with(expected), "{text:?}: {msg}");
        }
    }

    #[test]
    fn empty_value_in_file_names_file_and_section() {
        let f = file("[default]\nsecret_id =\nsecret_key = k\n");
        let msg = ProfileFileProvider::with_lookup(lookup(&[]))
            .path(f.path())
            .load()
            .unwrap_err()
            .to_string();
        assert_eq!(
            msg,
            format!(
                "secret id from credentials file {} [default] is empty",
                f.path().display()
            )
        );
    }
}

/// The profile parser on any text: no panic, every well-formed section read back exactly, and
/// no value of the file in an error. Cases: `PROPTEST_CASES` (default 256).
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Values look like secrets and carry a marker no key, section or message has.
    fn value() -> impl Strategy<Value = String> {
        "[!-~&&[^\"'=\\[]]{0,12}".prop_map(|v| format!("SECRETV{v}"))
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("secret_id".to_owned()),
            Just("secret_key".to_owned()),
            Just("token".to_owned()),
            "[a-z][a-z_]{0,10}",
        ]
    }

    type Sections = Vec<(String, Vec<(String, String)>)>;

    fn sections() -> impl Strategy<Value = Sections> {
        prop::collection::vec(
            (
                "[a-z][a-z0-9-]{0,8}",
                prop::collection::btree_map(key(), value(), 0..5)
                    .prop_map(|pairs| pairs.into_iter().collect::<Vec<_>>()),
            ),
            1..4,
        )
        .prop_map(|mut sections| {
            sections.sort_by(|a, b| a.0.cmp(&b.0));
            sections.dedup_by(|a, b| a.0 == b.0);
            sections
        })
    }

    /// The file, with comments, blank lines and spacing varied by `style`.
    fn render(sections: &Sections, style: u8) -> String {
        let mut text = String::new();
        if style & 1 == 1 {
            text.push_str("# written by hand\n\n");
        }
        for (name, pairs) in sections {
            text.push_str(&format!("[{name}]\n"));
            for (key, value) in pairs {
                let line = if style & 2 == 2 {
                    format!("  {key} =  {value}  \n")
                } else {
                    format!("{key}={value}\n")
                };
                text.push_str(&line);
                if style & 4 == 4 {
                    text.push_str("; note\n");
                }
            }
        }
        text
    }

    proptest! {
        #[test]
        fn any_text_parses_without_panicking(text in "\\PC{0,200}", profile in "[a-z]{1,6}") {
            let _ = parse_section(&text, &profile);
        }

        #[test]
        fn every_well_formed_section_is_read_back_exactly(
            sections in sections(),
            style in 0_u8..8,
            pick in any::<prop::sample::Index>(),
        ) {
            let text = render(&sections, style);
            let (name, pairs) = &sections[pick.index(sections.len())];
            prop_assert_eq!(&parse_section(&text, name).unwrap(), pairs);
        }

        #[test]
        fn a_broken_file_never_shows_a_value_in_its_error(
            sections in sections(),
            style in 0_u8..8,
            line in any::<prop::sample::Index>(),
            damage in 0_u8..4,
        ) {
            let text = render(&sections, style);
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            let at = line.index(lines.len());
            let broken = match damage {
                // A value left without its key and `=`.
                0 => lines[at].split('=').next_back().unwrap_or_default().to_owned(),
                // The line written twice: a repeated key.
                1 => lines[at].clone(),
                // The value quoted.
                2 => lines[at].replacen('=', "=\"", 1) + "\"",
                // A section header that lost its `]`, holding a value.
                _ => format!("[{}", lines[at]),
            };
            lines.insert(at + 1, broken);
            let text = lines.join("\n");
            for (name, _) in &sections {
                if let Err(message) = parse_section(&text, name) {
                    prop_assert!(!message.contains("SECRETV"), "{message}");
                }
            }
        }
    }
}
