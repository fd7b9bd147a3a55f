//! Reads a Tencent Cloud API reference page in any of the three layouts the seed pages come in:
//! plain text copied from the rendered page (tables flattened to space-separated rows, long cells
//! continued on the following lines), markdown (`| a | b |` with a `|---|` separator) and bare pipe
//! tables (`a | b |`). Tables are recognised by their header row, in English or Chinese.

/// Which language the page's tables are written in: it decides whether a description is compared
/// with the spec's `document` or `documentZh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Chinese,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterRow {
    /// Name without the `.N` suffix of array parameters.
    pub name: String,
    /// `None` for output parameters, whose tables have no "Required" column.
    pub required: Option<bool>,
    /// As the page writes it: `String`, `Integer`, `Boolean`, `Array of String`, ...
    pub type_name: String,
    /// Cell text; line breaks (`<br/>` or continuation lines) become `\n`.
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    pub code: String,
    pub document: String,
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub language: Option<Language>,
    /// `gaap.tencentcloudapi.com`, from "Domain name for API request".
    pub endpoint: Option<String>,
    /// Requests per second, from "A maximum of N requests ..." / "请求频率限制：N次/秒".
    pub rate_limit: Option<u32>,
    pub inputs: Vec<ParameterRow>,
    pub outputs: Vec<ParameterRow>,
    pub errors: Vec<ErrorRow>,
    pub examples: Vec<PageExample>,
}

/// An example request as the page writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum PageRequest {
    /// The JSON body of a `POST` example.
    Json(serde_json::Value),
    /// The query of a `GET` example without the common parameters: `ProxyIds.0=a&ProxyIds.1=b&Force=1`.
    Query(String),
}

impl std::fmt::Display for PageRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageRequest::Json(body) => write!(f, "POST {body}"),
            PageRequest::Query(query) => write!(f, "GET ?{query}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageExample {
    pub request: PageRequest,
    /// The whole response body, `{"Response": {...}}`.
    pub response: serde_json::Value,
}

/// Common request parameters every action takes; the spec describes them once, not per action.
pub const COMMON_PARAMETERS: [&str; 3] = ["Action", "Version", "Region"];

impl Page {
    /// The action, from the value the page gives the common parameter `Action`.
    pub fn action(&self) -> Option<String> {
        self.common_value("Action")
    }

    /// The API version, from the value the page gives the common parameter `Version`.
    pub fn version(&self) -> Option<String> {
        self.common_value("Version")
    }

    /// Whether the page marks the common parameter `Region` as required.
    pub fn region_required(&self) -> Option<bool> {
        self.input("Region").and_then(|row| row.required)
    }

    /// The service name: the first label of the endpoint host.
    pub fn service(&self) -> Option<String> {
        let endpoint = self.endpoint.as_deref()?;
        endpoint.split('.').next().map(str::to_owned)
    }

    /// Input parameters of the action itself, common parameters left out.
    pub fn action_inputs(&self) -> impl Iterator<Item = &ParameterRow> {
        self.inputs
            .iter()
            .filter(|row| !COMMON_PARAMETERS.contains(&row.name.as_str()))
    }

    fn input(&self, name: &str) -> Option<&ParameterRow> {
        self.inputs.iter().find(|row| row.name == name)
    }

    /// "Common Params. The value used for this API: DestroyProxies." / "公共参数，本接口取值：DestroyProxies"
    fn common_value(&self, name: &str) -> Option<String> {
        let document = self
            .input(name)?
            .document
            .trim_end_matches(['.', '。', ' ']);
        let value = trailing_run(document, |c| c.is_ascii_alphanumeric() || c == '-');
        (!value.is_empty()).then(|| value.to_owned())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    Inputs,
    Outputs,
    Errors,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableLayout {
    /// Space-separated rows, long cells continued on the following lines.
    Plain,
    /// Markdown or bare pipe rows.
    Pipe,
}

pub fn parse(text: &str) -> Page {
    let mut page = Page::default();
    let mut table: Option<(TableKind, TableLayout)> = None;
    for line in text.lines() {
        let line = line.trim();
        find_endpoint(&mut page, line);
        find_rate_limit(&mut page, line);

        if let Some(cells) = pipe_cells(line) {
            if let Some((kind, language)) = header_kind(&cells) {
                table = Some((kind, TableLayout::Pipe));
                page.language.get_or_insert(language);
            } else if cells.iter().all(|cell| is_separator(cell)) {
            } else if let Some((kind, TableLayout::Pipe)) = table {
                push_pipe_row(&mut page, kind, &cells);
            }
            continue;
        }
        if let Some((kind, language)) = plain_header_kind(line) {
            table = Some((kind, TableLayout::Plain));
            page.language.get_or_insert(language);
            continue;
        }
        table = match table {
            // Blank lines separate nothing inside a plain table.
            Some((_, TableLayout::Plain)) if line.is_empty() => table,
            Some((kind, TableLayout::Plain)) if push_plain_line(&mut page, kind, line) => table,
            _ => None,
        };
    }
    page.examples = find_examples(text);
    page
}

/// Pairs each example request (a JSON body or a `GET` URL with its `&Name=value` lines) with the
/// `{"Response": ...}` object that follows it.
fn find_examples(text: &str) -> Vec<PageExample> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut examples = Vec::new();
    let mut request = None;
    let mut index = 0;
    while let Some(line) = lines.get(index) {
        index += 1;
        if line.starts_with("https://") && line.contains("?Action=") {
            let continuation = lines
                .get(index..)
                .unwrap_or_default()
                .iter()
                .take_while(|line| line.starts_with('&'));
            let parameters: Vec<&str> = line
                .split_once('?')
                .map(|(_, query)| query)
                .into_iter()
                .chain(
                    continuation
                        .clone()
                        .map(|line| line.trim_start_matches('&')),
                )
                .filter(|parameter| !parameter.starts_with('<'))
                .filter(|parameter| {
                    let name = parameter
                        .split_once('=')
                        .map_or(*parameter, |(name, _)| name);
                    !COMMON_PARAMETERS.contains(&name)
                })
                .collect();
            index += continuation.count();
            request = Some(PageRequest::Query(parameters.join("&")));
        } else if line.starts_with('{') {
            let Some((value, used)) = json_block(lines.get(index - 1..).unwrap_or_default()) else {
                continue;
            };
            index += used - 1;
            if value.get("Response").is_some() {
                if let Some(request) = request.take() {
                    examples.push(PageExample {
                        request,
                        response: value,
                    });
                }
            } else {
                request = Some(PageRequest::Json(value));
            }
        }
    }
    examples
}

/// The JSON object starting at the first line, and how many lines it spans.
fn json_block(lines: &[&str]) -> Option<(serde_json::Value, usize)> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut block = String::new();
    for (count, line) in lines.iter().enumerate() {
        block.push_str(line);
        block.push('\n');
        for c in line.chars() {
            match (in_string, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (true, false, '"') => in_string = false,
                (false, _, '"') => in_string = true,
                (false, _, '{' | '[') => depth += 1,
                (false, _, '}' | ']') => depth = depth.checked_sub(1)?,
                _ => {}
            }
        }
        if depth == 0 {
            return serde_json::from_str(&block)
                .ok()
                .map(|value| (value, count + 1));
        }
    }
    None
}

fn find_endpoint(page: &mut Page, line: &str) {
    if page.endpoint.is_some() {
        return;
    }
    let Some(end) = line
        .find(".tencentcloudapi.com")
        .map(|index| index + ".tencentcloudapi.com".len())
    else {
        return;
    };
    let Some(before) = line.get(..end) else {
        return;
    };
    // Only a line that announces the endpoint: examples also mention hosts, in URLs and headers.
    if line.starts_with("Domain name for API request") || line.starts_with("接口请求域名") {
        let host = trailing_run(before, |c| {
            c.is_ascii_alphanumeric() || c == '.' || c == '-'
        });
        page.endpoint = Some(host.to_owned());
    }
}

/// The longest end of `text` whose characters all satisfy `keep`.
fn trailing_run(text: &str, keep: impl Fn(char) -> bool) -> &str {
    let start = text
        .char_indices()
        .rev()
        .find(|&(_, c)| !keep(c))
        .map_or(0, |(index, c)| index + c.len_utf8());
    text.get(start..).unwrap_or_default()
}

fn find_rate_limit(page: &mut Page, line: &str) {
    if page.rate_limit.is_some() {
        return;
    }
    let digits = if let Some(rest) = line.strip_prefix("A maximum of ") {
        rest.split_whitespace().next()
    } else if let Some((before, _)) = line.split_once("次/秒") {
        before.rsplit(|c: char| !c.is_ascii_digit()).next()
    } else {
        None
    };
    page.rate_limit = digits.and_then(|digits| digits.parse().ok());
}

/// Cells of a `| a | b |` or `a | b |` line, with the empty cells outside the outer pipes removed.
fn pipe_cells(line: &str) -> Option<Vec<String>> {
    if !line.contains('|') {
        return None;
    }
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(
        inner
            .split('|')
            .map(|cell| cell.trim().to_owned())
            .collect(),
    )
}

fn is_separator(cell: &str) -> bool {
    !cell.is_empty() && cell.chars().all(|c| c == '-' || c == ':')
}

const NAME: [&str; 2] = ["Parameter Name", "参数名称"];
const REQUIRED: [&str; 2] = ["Required", "必选"];
const TYPE: [&str; 2] = ["Type", "类型"];
const DESCRIPTION: [&str; 2] = ["Description", "描述"];
const ERROR_CODE: [&str; 2] = ["Error Code", "错误码"];

fn header_kind(cells: &[String]) -> Option<(TableKind, Language)> {
    let headers: Vec<&str> = cells.iter().map(String::as_str).collect();
    [Language::English, Language::Chinese]
        .into_iter()
        .enumerate()
        .find_map(|(index, language)| {
            let kind = match headers.as_slice() {
                [n, r, t, d]
                    if *n == NAME[index]
                        && *r == REQUIRED[index]
                        && *t == TYPE[index]
                        && *d == DESCRIPTION[index] =>
                {
                    TableKind::Inputs
                }
                [n, t, d] if *n == NAME[index] && *t == TYPE[index] && *d == DESCRIPTION[index] => {
                    TableKind::Outputs
                }
                [e, d] if *e == ERROR_CODE[index] && *d == DESCRIPTION[index] => TableKind::Errors,
                _ => return None,
            };
            Some((kind, language))
        })
}

fn plain_header_kind(line: &str) -> Option<(TableKind, Language)> {
    let kind = match line {
        "Parameter Name Required Type Description" => TableKind::Inputs,
        "Parameter Name Type Description" => TableKind::Outputs,
        "Error Code Description" => TableKind::Errors,
        _ => return None,
    };
    Some((kind, Language::English))
}

fn push_pipe_row(page: &mut Page, kind: TableKind, cells: &[String]) {
    let document = |cell: &str| cell.replace("<br/>", "\n").replace("<br>", "\n");
    match (kind, cells) {
        (TableKind::Inputs, [name, required, type_name, description]) => {
            page.inputs.push(ParameterRow {
                name: strip_array_suffix(name).to_owned(),
                required: parse_required(required),
                type_name: type_name.clone(),
                document: document(description),
            });
        }
        (TableKind::Outputs, [name, type_name, description]) => {
            page.outputs.push(ParameterRow {
                name: strip_array_suffix(name).to_owned(),
                required: None,
                type_name: type_name.clone(),
                document: document(description),
            });
        }
        (TableKind::Errors, [code, description]) => {
            page.errors.push(ErrorRow {
                code: code.clone(),
                document: document(description),
            });
        }
        _ => {}
    }
}

/// Adds one line of a plain-text table to the page. Returns false when the line ends the table.
fn push_plain_line(page: &mut Page, kind: TableKind, line: &str) -> bool {
    match kind {
        TableKind::Inputs | TableKind::Outputs => {
            if is_numbered_heading(line) {
                return false;
            }
            if let Some(row) = plain_parameter_row(line, kind == TableKind::Inputs) {
                rows_of(page, kind).push(row);
            } else if let Some(last) = rows_of(page, kind).last_mut() {
                last.document.push('\n');
                last.document.push_str(line);
            }
            true
        }
        TableKind::Errors => match plain_error_row(line) {
            Some(row) => {
                page.errors.push(row);
                true
            }
            None => false,
        },
    }
}

fn rows_of(page: &mut Page, kind: TableKind) -> &mut Vec<ParameterRow> {
    if kind == TableKind::Inputs {
        &mut page.inputs
    } else {
        &mut page.outputs
    }
}

/// "3. Output Parameters", "4. Example": the section after a table.
fn is_numbered_heading(line: &str) -> bool {
    line.split_once(". ")
        .is_some_and(|(number, _)| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
}

/// `Force Yes Integer The identifier ...` (inputs) or `RequestId String The unique ...` (outputs).
fn plain_parameter_row(line: &str, with_required: bool) -> Option<ParameterRow> {
    let (name, rest) = next_token(line)?;
    if !is_parameter_name(name) {
        return None;
    }
    let (required, rest) = if with_required {
        let (required, rest) = next_token(rest)?;
        (Some(parse_required(required)?), rest)
    } else {
        (None, rest)
    };
    let (type_name, rest) = plain_type(rest)?;
    Some(ParameterRow {
        name: strip_array_suffix(name).to_owned(),
        required,
        type_name,
        document: rest.trim().to_owned(),
    })
}

/// A type word of Tencent's tables, possibly `Array of <Type>`; any other word means the line is
/// not a row but the continuation of a description.
fn plain_type(text: &str) -> Option<(String, &str)> {
    const SCALARS: [&str; 6] = ["String", "Integer", "Boolean", "Float", "Date", "Timestamp"];
    let (word, rest) = next_token(text)?;
    if word == "Array" {
        let (of, rest) = next_token(rest)?;
        let (element, rest) = next_token(rest)?;
        return (of == "of" && is_parameter_name(element))
            .then(|| (format!("Array of {element}"), rest));
    }
    SCALARS.contains(&word).then(|| (word.to_owned(), rest))
}

/// `UnsupportedOperation.InstancesProtected Description...`, or a code alone (no description).
fn plain_error_row(line: &str) -> Option<ErrorRow> {
    let (code, rest) = next_token(line)?;
    is_error_code(code).then(|| ErrorRow {
        code: code.to_owned(),
        document: rest.trim().to_owned(),
    })
}

fn next_token(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    if text.is_empty() {
        return None;
    }
    Some(text.split_once(char::is_whitespace).unwrap_or((text, "")))
}

fn parse_required(cell: &str) -> Option<bool> {
    match cell {
        "Yes" | "是" => Some(true),
        "No" | "否" => Some(false),
        _ => None,
    }
}

fn strip_array_suffix(name: &str) -> &str {
    name.strip_suffix(".N").unwrap_or(name)
}

fn is_parameter_name(token: &str) -> bool {
    let name = strip_array_suffix(token);
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `Word(.Word)*` where the first word is a compound (`FailedOperation`, `InternalError`): this
/// tells a code from the page text that follows the plain error table ("Contact Us").
pub fn is_error_code(token: &str) -> bool {
    let mut words = token.split('.');
    let first_is_compound = words.next().is_some_and(|first| {
        is_parameter_name(first) && first.chars().filter(char::is_ascii_uppercase).count() >= 2
    });
    first_is_compound
        && words.all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rows_keep_their_continuation_lines() {
        let page = parse(
            "Domain name for API request: gaap.tencentcloudapi.com.\n\
             A maximum of 20 requests can be initiated per second for this API.\n\
             Parameter Name Required Type Description\n\
             Action Yes String Common Params. The value used for this API: DestroyProxies.\n\
             Force Yes Integer The identifier\n\
             0: not forced.\n\
             ProxyIds.N No Array of String New parameter.\n\
             3. Output Parameters\n\
             Parameter Name Type Description\n\
             RequestId String The unique request ID.\n\
             4. Example\n\
             Error Code Description\n\
             FailedOperation.DuplicatedRequest Repeated request.\n\
             UnsupportedOperation.DeleteVpnConnInvalidState\n\
             Contact Us\n\
             AuthFailure Not a row: the table ended.\n",
        );
        assert_eq!(page.service().as_deref(), Some("gaap"));
        assert_eq!(page.rate_limit, Some(20));
        assert_eq!(page.action().as_deref(), Some("DestroyProxies"));
        let inputs: Vec<_> = page.action_inputs().cloned().collect();
        assert_eq!(inputs.len(), 2);
        assert_eq!(inputs[0].document, "The identifier\n0: not forced.");
        assert_eq!(inputs[1].name, "ProxyIds");
        assert_eq!(inputs[1].type_name, "Array of String");
        assert_eq!(page.outputs.len(), 1);
        let codes: Vec<_> = page.errors.iter().map(|row| row.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "FailedOperation.DuplicatedRequest",
                "UnsupportedOperation.DeleteVpnConnInvalidState"
            ]
        );
        assert_eq!(page.errors[1].document, "");
    }

    #[test]
    fn markdown_and_bare_pipe_tables_are_read_in_both_languages() {
        let page = parse(
            "接口请求域名： gaap.tencentcloudapi.com 。\n\
             默认接口请求频率限制：20次/秒。\n\
             | 参数名称 | 必选 | 类型 | 描述 |\n\
             |---------|---------|---------|---------|\n\
             | Version | 是 | String | 公共参数，本接口取值：2018-05-29 |\n\
             | Force | 是 | Integer | 强制删除标识。<br/>1，强制删除 |\n\
             \n\
             Error Code | Description |\n\
             ---|---|\n\
             FailedOperation.InvalidInstanceApplicationRole | |\n",
        );
        assert_eq!(page.language, Some(Language::Chinese));
        assert_eq!(page.endpoint.as_deref(), Some("gaap.tencentcloudapi.com"));
        assert_eq!(page.rate_limit, Some(20));
        assert_eq!(page.version().as_deref(), Some("2018-05-29"));
        assert_eq!(page.inputs[1].document, "强制删除标识。\n1，强制删除");
        assert_eq!(page.errors.len(), 1);
        assert_eq!(page.errors[0].document, "");
    }

    #[test]
    fn examples_pair_each_request_with_the_response_after_it() {
        let page = parse(
            "X-TC-Action: DestroyProxies\n\
             {\n\
             \"Force\": \"1\",\n\
             \"ProxyIds\": [\"link-{1}\"]\n\
             }\n\
             Output Example\n\
             {\n\
             \"Response\": {\"RequestId\": \"r-1\"}\n\
             }\n\
             ```\n\
             https://gaap.tencentcloudapi.com/?Action=DestroyProxies\n\
             &ProxyIds.0=link-11112222\n\
             &Force=1\n\
             &<公共请求参数>\n\
             ```\n\
             {\"Response\": {\"RequestId\": \"r-2\"}}\n",
        );
        assert_eq!(
            page.examples,
            [
                PageExample {
                    request: PageRequest::Json(
                        serde_json::json!({"Force": "1", "ProxyIds": ["link-{1}"]})
                    ),
                    response: serde_json::json!({"Response": {"RequestId": "r-1"}}),
                },
                PageExample {
                    request: PageRequest::Query("ProxyIds.0=link-11112222&Force=1".to_owned()),
                    response: serde_json::json!({"Response": {"RequestId": "r-2"}}),
                },
            ]
        );
    }
}
