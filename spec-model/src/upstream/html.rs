//! Upstream documents are HTML fragments (`<p>`, `<br>`, `<a href>`, `<code>`, lists, tables);
//! the spec model's documents are Markdown, which rustdoc renders. The rules, in one place:
//! `<p>` and `<br>` end a paragraph or a line, `<a href="u">t</a>` becomes `[t](u)`, `<code>`
//! becomes backticks, `<li>` a `- ` item, `<b>`/`<strong>` bold, every other tag is dropped with
//! its text kept, and the five XML entities plus `&nbsp;` are decoded.

/// Whether `text` holds an HTML tag the conversion would change.
pub fn has_markup(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "<p", "<br", "<a ", "<code", "<li", "<ul", "<ol", "<b>", "<strong", "<table", "<div",
        "<span", "<font", "<em", "<i>", "<pre", "&nbsp;", "&lt;", "&gt;", "&amp;",
    ]
    .iter()
    .any(|tag| lower.contains(tag))
}

/// The Markdown form of an HTML fragment. Text without markup comes back unchanged.
pub fn to_markdown(text: &str) -> String {
    if !has_markup(text) {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut links: Vec<Option<String>> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..start]));
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(&decode_entities(after));
            rest = "";
            break;
        };
        let tag = &after[1..end];
        rest = &after[end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div" | "table" | "ul" | "ol", _) => paragraph_break(&mut out),
            ("br" | "tr", _) => line_break(&mut out),
            ("li", false) => {
                line_break(&mut out);
                out.push_str("- ");
            }
            ("li", true) => {}
            ("td" | "th", true) => out.push_str(" | "),
            ("code", _) => out.push('`'),
            ("b" | "strong", _) => out.push_str("**"),
            ("a", false) => {
                let href = attribute(tag, "href");
                if href.is_some() {
                    out.push('[');
                }
                links.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = links.pop() {
                    out.push_str(&format!("]({href})"));
                }
            }
            (
                "span" | "font" | "em" | "i" | "u" | "img" | "h1" | "h2" | "h3" | "h4" | "h5"
                | "h6" | "hr" | "thead" | "tbody" | "sup" | "sub" | "pre" | "blockquote"
                | "section" | "td" | "th",
                _,
            ) => {}
            // Not an HTML tag (`a < b`, `<InstanceId>` placeholders in prose): keep the text.
            _ => out.push_str(&decode_entities(&after[..end + 1])),
        }
    }
    out.push_str(&decode_entities(rest));
    for href in links.into_iter().flatten() {
        out.push_str(&format!("]({href})"));
    }
    tidy(&out)
}

fn paragraph_break(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\n']).len();
    out.truncate(trimmed);
    if !out.is_empty() {
        out.push_str("\n\n");
    }
}

fn line_break(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// The value of `name="..."` (or single-quoted) in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &value[1..];
    let end = inner.find(quote)?;
    Some(decode_entities(&inner[..end])).filter(|v| !v.is_empty())
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// No trailing spaces on lines, at most one blank line in a row, none at either end.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_links_and_code_become_markdown() {
        let html = "<p>一个或多个待操作的实例ID。可通过 <a href=\"https://cloud.tencent.com/document/api/213/15728\">DescribeInstances</a> 接口返回值中的<code>InstanceId</code>获取。</p><p>默认值：false</p>";
        assert_eq!(
            to_markdown(html),
            "一个或多个待操作的实例ID。可通过 [DescribeInstances](https://cloud.tencent.com/document/api/213/15728) 接口返回值中的`InstanceId`获取。\n\n默认值：false"
        );
    }

    #[test]
    fn line_breaks_lists_and_entities() {
        assert_eq!(to_markdown("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(
            to_markdown("<ul><li>one</li><li>two</li></ul>"),
            "- one\n- two"
        );
        assert_eq!(to_markdown("<p>x &lt; y &amp;&amp; z</p>"), "x < y && z");
        assert_eq!(
            to_markdown("<b>bold</b> <span style='x'>kept</span>"),
            "**bold** kept"
        );
    }

    #[test]
    fn text_without_markup_and_broken_markup_are_kept() {
        assert_eq!(to_markdown("plain, with a < b"), "plain, with a < b");
        assert_eq!(
            to_markdown("<p>unclosed <a href=\"u\">link"),
            "unclosed [link](u)"
        );
        assert_eq!(to_markdown("<p>use <InstanceId></p>"), "use <InstanceId>");
        assert_eq!(to_markdown("<p>a <"), "a <");
    }
}
