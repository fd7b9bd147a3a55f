//! Client-side parameter checks used by generated code before any I/O.
//!
//! Every helper is non-generic so that the generated SDK instantiates no extra code per action;
//! each returns a [`ValidationError`] naming the parameter and the broken rule.

use std::fmt;

/// A request parameter that breaks a documented rule; detected before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The parameter as Tencent names it (e.g. `InstanceIds`, or `Bandwidth, Concurrent` for a rule
    /// spanning several parameters).
    pub parameter: String,
    /// What is wrong, in words (e.g. `at most 100 items allowed, got 101`).
    pub rule: String,
}

impl ValidationError {
    /// Creates an error for `parameter` breaking `rule`.
    pub fn new(parameter: impl Into<String>, rule: impl Into<String>) -> Self {
        Self {
            parameter: parameter.into(),
            rule: rule.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid parameter `{}`: {}", self.parameter, self.rule)
    }
}

impl std::error::Error for ValidationError {}

fn fail(param: &str, rule: String) -> Result<(), ValidationError> {
    Err(ValidationError::new(param, rule))
}

/// A list parameter may hold at most `max` items.
pub fn max_items(param: &str, len: usize, max: usize) -> Result<(), ValidationError> {
    if len > max {
        return fail(param, format!("at most {max} items allowed, got {len}"));
    }
    Ok(())
}

/// A list parameter must hold at least `min` items.
pub fn min_items(param: &str, len: usize, min: usize) -> Result<(), ValidationError> {
    if len < min {
        return fail(param, format!("at least {min} items required, got {len}"));
    }
    Ok(())
}

/// An integer parameter must be one of the documented values.
pub fn allowed_values(param: &str, value: i64, allowed: &[i64]) -> Result<(), ValidationError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let list = allowed
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    fail(param, format!("must be one of [{list}], got {value}"))
}

/// An integer parameter must lie within the inclusive bounds that are given.
pub fn range(
    param: &str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), ValidationError> {
    if let Some(min) = min
        && value < min
    {
        return fail(param, format!("must be at least {min}, got {value}"));
    }
    if let Some(max) = max
        && value > max
    {
        return fail(param, format!("must be at most {max}, got {value}"));
    }
    Ok(())
}

/// A string parameter's length, counted in characters (not bytes), must lie within the bounds.
pub fn length(
    param: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), ValidationError> {
    let chars = value.chars().count();
    if let Some(min) = min
        && chars < min
    {
        return fail(
            param,
            format!("at least {min} characters required, got {chars}"),
        );
    }
    if let Some(max) = max
        && chars > max
    {
        return fail(
            param,
            format!("at most {max} characters allowed, got {chars}"),
        );
    }
    Ok(())
}

/// A string parameter may contain ASCII characters only.
pub fn ascii(param: &str, value: &str) -> Result<(), ValidationError> {
    match value.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        None => Ok(()),
        Some((position, c)) => fail(
            param,
            format!(
                "only ASCII characters allowed, found {c:?} (U+{:04X}) at character {position}",
                u32::from(c)
            ),
        ),
    }
}

/// An action with a binary parameter is uploaded as `multipart/form-data`, which this SDK does
/// not send: rather than a JSON request the service would misread, the request is refused.
pub fn multipart_upload(param: &str) -> Result<(), ValidationError> {
    fail(
        param,
        "is uploaded as multipart/form-data, which this SDK cannot send yet; nothing was sent"
            .to_owned(),
    )
}

/// A required parameter must be set.
pub fn required(param: &str, present: bool) -> Result<(), ValidationError> {
    if present {
        Ok(())
    } else {
        fail(param, "required but not set".to_owned())
    }
}

fn names(params: &[(&str, bool)]) -> String {
    params
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// At least one of the named parameters must be set (`(name, is_set)` pairs).
///
/// An empty list states no rule and passes.
pub fn at_least_one_of(params: &[(&str, bool)]) -> Result<(), ValidationError> {
    if params.is_empty() || params.iter().any(|(_, set)| *set) {
        return Ok(());
    }
    let all = names(params);
    fail(&all, format!("at least one of {all} must be set, none is"))
}

/// Exactly one of the named parameters must be set (`(name, is_set)` pairs).
///
/// An empty list states no rule and passes.
pub fn exactly_one_of(params: &[(&str, bool)]) -> Result<(), ValidationError> {
    if params.is_empty() {
        return Ok(());
    }
    let set: Vec<&str> = params
        .iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| *name)
        .collect();
    if set.len() == 1 {
        return Ok(());
    }
    let all = names(params);
    if set.is_empty() {
        fail(&all, format!("exactly one of {all} must be set, none is"))
    } else {
        fail(
            &all,
            format!(
                "exactly one of {all} must be set, got {}: {}",
                set.len(),
                set.join(", ")
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_upload_is_refused_naming_its_parameter_and_that_nothing_was_sent() {
        let error = multipart_upload("File").unwrap_err();
        assert_eq!(error.parameter, "File");
        assert!(error.to_string().contains("multipart/form-data"), "{error}");
        assert!(error.to_string().contains("nothing was sent"), "{error}");
    }

    #[test]
    fn max_items_reports_limit_and_actual_count() {
        assert!(max_items("InstanceIds", 100, 100).is_ok());
        let err = max_items("InstanceIds", 101, 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid parameter `InstanceIds`: at most 100 items allowed, got 101"
        );
    }

    #[test]
    fn min_items_rejects_short_lists() {
        assert!(min_items("ProxyIds", 1, 1).is_ok());
        let err = min_items("ProxyIds", 0, 1).unwrap_err();
        assert_eq!(err.parameter, "ProxyIds");
        assert_eq!(err.rule, "at least 1 items required, got 0");
    }

    #[test]
    fn allowed_values_lists_the_documented_values() {
        assert!(allowed_values("Force", 1, &[0, 1]).is_ok());
        let err = allowed_values("Force", 2, &[0, 1]).unwrap_err();
        assert_eq!(err.rule, "must be one of [0, 1], got 2");
    }

    #[test]
    fn range_checks_each_bound_independently() {
        assert!(range("Bandwidth", 5, Some(1), Some(10)).is_ok());
        assert!(range("Bandwidth", i64::MAX, Some(1), None).is_ok());
        assert_eq!(
            range("Bandwidth", 0, Some(1), Some(10)).unwrap_err().rule,
            "must be at least 1, got 0"
        );
        assert_eq!(
            range("Bandwidth", 11, None, Some(10)).unwrap_err().rule,
            "must be at most 10, got 11"
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 64 CJK characters are 192 bytes but still within a 64-character limit.
        let cjk = "未".repeat(64);
        assert!(length("Name", &cjk, None, Some(64)).is_ok());
        let err = length("Name", &"未".repeat(65), None, Some(64)).unwrap_err();
        assert_eq!(err.rule, "at most 64 characters allowed, got 65");
        assert_eq!(
            length("Name", "", Some(1), None).unwrap_err().rule,
            "at least 1 characters required, got 0"
        );
    }

    #[test]
    fn ascii_names_the_offending_character_and_position() {
        assert!(ascii("ClientToken", "abc-123").is_ok());
        let err = ascii("ClientToken", "ab未").unwrap_err();
        assert_eq!(
            err.rule,
            "only ASCII characters allowed, found '未' (U+672A) at character 2"
        );
    }

    #[test]
    fn required_fails_only_when_absent() {
        assert!(required("InstanceIds", true).is_ok());
        assert_eq!(
            required("InstanceIds", false).unwrap_err().to_string(),
            "invalid parameter `InstanceIds`: required but not set"
        );
    }

    #[test]
    fn at_least_one_of_names_every_candidate() {
        assert!(at_least_one_of(&[("Bandwidth", false), ("Concurrent", true)]).is_ok());
        let err = at_least_one_of(&[("Bandwidth", false), ("Concurrent", false)]).unwrap_err();
        assert_eq!(err.parameter, "Bandwidth, Concurrent");
        assert_eq!(
            err.rule,
            "at least one of Bandwidth, Concurrent must be set, none is"
        );
    }

    #[test]
    fn exactly_one_of_rejects_none_and_several() {
        assert!(exactly_one_of(&[("ProxyId", true), ("InstanceId", false)]).is_ok());
        assert_eq!(
            exactly_one_of(&[("ProxyId", false), ("InstanceId", false)])
                .unwrap_err()
                .rule,
            "exactly one of ProxyId, InstanceId must be set, none is"
        );
        assert_eq!(
            exactly_one_of(&[("ProxyId", true), ("InstanceId", true)])
                .unwrap_err()
                .rule,
            "exactly one of ProxyId, InstanceId must be set, got 2: ProxyId, InstanceId"
        );
    }
}
