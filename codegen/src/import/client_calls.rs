//! What a `tencentcloud-sdk-python` service client (`<service>_client.py`) says of its actions
//! beyond `api.json`: which answer as a stream of server-sent events, and which are served on
//! a host of their own. Neither is in tccli's description; the official SDK's generated code is
//! where Tencent records them.
//!
//! The rules, per action method (`    def Action(self, request):`, a method of the client class,
//! up to the next method):
//! - a call through `_call_and_deserialize(` (which reads `text/event-stream` answers) marks the
//!   action streaming;
//! - an option `"Endpoint": "%s://<host>"` names the host it is sent to.

use tencentcloud_spec::upstream::ClientCalls;

/// Reads the method blocks of `text`. A host that is not a plain DNS name is an error naming
/// its line, so a changed template upstream cannot slip a wrong host into the specs.
pub fn parse(text: &str) -> Result<ClientCalls, String> {
    let mut calls = ClientCalls::default();
    let mut action: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        // Methods of the client class; a `def` deeper in is example code in a docstring.
        if let Some(rest) = line.strip_prefix("    def ") {
            let name = rest.split('(').next().unwrap_or_default();
            action = name
                .starts_with(|c: char| c.is_ascii_uppercase())
                .then_some(name);
            continue;
        }
        let Some(action) = action else { continue };
        if trimmed.contains("_call_and_deserialize(")
            && calls.streaming.last().map(String::as_str) != Some(action)
        {
            calls.streaming.push(action.to_owned());
        }
        if let Some(at) = trimmed.find("\"Endpoint\":") {
            let value = &trimmed[at..];
            let host = value
                .split_once("://")
                .map(|(_, rest)| rest.split(['"', '\'', '/']).next().unwrap_or_default())
                .unwrap_or_default();
            let plain = !host.is_empty()
                && host.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'
                });
            if !plain {
                return Err(format!(
                    "line {}: `Endpoint` option of {action} is not `\"%s://<host>\"`: {trimmed:.100}",
                    index + 1
                ));
            }
            calls.hosts.insert(action.to_owned(), host.to_owned());
        }
    }
    calls.streaming.sort();
    calls.streaming.dedup();
    Ok(calls)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const CLIENT: &str = r#"
class EsClient(AbstractClient):
    _endpoint = 'es.tencentcloudapi.com'

    def ChatCompletions(self, request):
        r"""Streams when asked to:

            def on_event(event):
                print(event)
        """
        try:
            params = request._serialize()
            options = {"Endpoint": "%s://es.ai.tencentcloudapi.com" % self.profile.httpProfile.scheme}
            return self._call_and_deserialize("ChatCompletions", params, models.ChatCompletionsResponse, headers=request.headers, options=options)
        except Exception as e:
            raise

    def DescribeThings(self, request):
        try:
            params = request._serialize()
            body = self.call("DescribeThings", params, headers=headers)
        except Exception as e:
            raise

    def _private_helper(self):
        return self._call_and_deserialize("X", {}, None)
"#;

    #[test]
    fn streaming_actions_and_their_hosts_are_read_from_the_method_blocks() {
        let calls = parse(CLIENT).unwrap();
        assert_eq!(calls.streaming, ["ChatCompletions"]);
        assert_eq!(
            calls.hosts,
            BTreeMap::from([(
                "ChatCompletions".to_owned(),
                "es.ai.tencentcloudapi.com".to_owned()
            )])
        );
        assert!(
            parse("def Plain(self, request):\n    self.call('Plain')\n")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn an_endpoint_that_is_no_plain_host_is_refused_with_its_line() {
        let text = "    def Odd(self, request):\n        options = {\"Endpoint\": self.pick()}\n";
        let error = parse(text).unwrap_err();
        assert!(
            error.starts_with("line 2: `Endpoint` option of Odd"),
            "{error}"
        );
    }
}
