//! Credentials from the INI profile file the official SDKs and TCCLI read.

use std::path::{Path, PathBuf};

use super::env::{EnvLookup, process_env};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};

const FILE_VAR: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
const PROFILE_VAR: &str = "TENCENTCLOUD_PROFILE";
const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";

/// Credentials from `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else
/// `/etc/tencentcloud/credentials`; section `[default]` or the one `TENCENTCLOUD_PROFILE` names;
/// keys `secret_id`, `secret_key` and optional `token`.
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

/// The outcome of looking for a profile file.
pub(crate) enum Found {
    Credentials(Credentials),
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
            Found::Credentials(creds) => Some(creds),
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
            return self.read(&path).map(Found::Credentials);
        }
        let mut looked_at = Vec::new();
        let home = (self.lookup)("HOME").or_else(|| (self.lookup)("USERPROFILE"));
        let candidates = home
            .map(|home| Path::new(&home).join(".tencentcloud").join("credentials"))
            .into_iter()
            .chain(std::iter::once(self.system_file.clone()));
        for path in candidates {
            if path.is_file() {
                return self.read(&path).map(Found::Credentials);
            }
            looked_at.push(path.display().to_string());
        }
        Ok(Found::Nothing(format!(
            "profile file ({FILE_VAR} not set; {} not found)",
            looked_at.join(", ")
        )))
    }

    fn read(&self, path: &Path) -> Result<Credentials, CredentialsError> {
        let file_error = |message: String| CredentialsError::ProfileFile {
            path: path.to_owned(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
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
        let token = section
            .iter()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.clone());
        Credentials::from_source(id, key, token, &origin)
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
                "line {number}: `{key}` is set twice in [{profile}]"
            ));
        }
        let quoted = value.len() >= 2
            && ((value.starts_with('"') && value.ends_with('"'))
                || (value.starts_with('\'') && value.ends_with('\'')));
        if quoted {
            return Err(format!(
                "line {number}: `{key}` is quoted; write the value without quotes"
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
        let result = self.find().and_then(|found| match found {
            Found::Credentials(creds) => Ok(creds),
            Found::Nothing(tried) => Err(CredentialsError::NotFound { tried: vec![tried] }),
        });
        Box::pin(std::future::ready(result))
    }
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
