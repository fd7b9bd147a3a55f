//! Reading the error codes of a `tencentcloud-sdk-python` service version (`errorcodes.py`): each
//! code is a constant assignment, `NAME = 'Code.SubCode'`, under the comment lines describing it.

use serde::Serialize;

/// One code as `errorcodes.py` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpstreamErrorCode {
    pub code: String,
    /// The comment lines above the assignment, joined by `\n`; empty when there are none.
    pub document: String,
    /// The Python constant's name (`AUTHFAILURE_CAMROLENAMEAUTHENTICATEFAILED`).
    pub constant: String,
}

/// Parses `text`. A line that is neither a comment, blank nor a `NAME = 'value'` assignment is an
/// error naming its line number; the licence header's comments are separated from the first code's
/// by a blank line, so only the comment block right above an assignment describes it.
pub fn parse(text: &str) -> Result<Vec<UpstreamErrorCode>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut codes = Vec::new();
    let mut comment: Vec<&str> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            comment.clear();
        } else if let Some(text) = line.strip_prefix('#') {
            comment.push(text.strip_prefix(' ').unwrap_or(text));
        } else {
            let (constant, code) = assignment(line).ok_or_else(|| {
                format!(
                    "line {}: not a `NAME = 'Code'` assignment: {line:.80}",
                    index + 1
                )
            })?;
            codes.push(UpstreamErrorCode {
                code: code.to_owned(),
                document: comment.join("\n"),
                constant: constant.to_owned(),
            });
            comment.clear();
        }
    }
    Ok(codes)
}

/// `NAME = 'value'` or `NAME = "value"` with no escapes in the value.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once('=')?;
    let name = name.trim();
    let value = value.trim();
    let is_name = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    let quote = value.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = value.strip_prefix(quote)?.strip_suffix(quote)?;
    (is_name && !inner.contains(quote) && !inner.contains('\\')).then_some((name, inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_take_the_comment_block_right_above_them_and_not_the_licence() {
        let text = "# -*- coding: utf8 -*-\n# Licence\n\n\n# 角色名鉴权失败\nAUTHFAILURE_X = 'AuthFailure.X'\n\nNO_DOC = \"NoDoc\"\n# line one\n# line two\nTWO = 'Two'\n";
        let codes = parse(text).unwrap();
        let summary: Vec<(&str, &str, &str)> = codes
            .iter()
            .map(|c| (c.constant.as_str(), c.code.as_str(), c.document.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("AUTHFAILURE_X", "AuthFailure.X", "角色名鉴权失败"),
                ("NO_DOC", "NoDoc", ""),
                ("TWO", "Two", "line one\nline two"),
            ]
        );
    }

    #[test]
    fn a_line_that_is_no_assignment_is_reported_with_its_number() {
        let err = parse("# ok\nA = 'A'\nimport os\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        assert!(parse("A = 'it\\'s'\n").is_err());
        assert!(parse("1A = 'x'\n").is_err());
    }
}
