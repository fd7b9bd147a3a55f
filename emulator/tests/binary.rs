//! The `tencentcloud-emulator` binary: its banner states the defaults, it serves, and Ctrl-C
//! (SIGINT) shuts it down cleanly.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn the_binary_prints_its_settings_serves_and_exits_cleanly_on_sigint() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
        .args(["--listen", "127.0.0.1:0", "--no-rate-limits"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    while !banner.contains("press Ctrl-C") {
        assert!(
            stdout.read_line(&mut banner).unwrap() > 0,
            "banner ended early: {banner}"
        );
    }
    let endpoint = banner
        .lines()
        .next()
        .unwrap()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    assert!(
        banner.contains(&format!(
            "secret id:   {}",
            tencentcloud_emulator::DEFAULT_SECRET_ID
        )),
        "{banner}"
    );
    assert!(
        banner.contains("secret key:  the default"),
        "the key itself is not printed: {banner}"
    );
    assert!(
        !banner.contains(tencentcloud_emulator::DEFAULT_SECRET_KEY),
        "{banner}"
    );
    assert!(banner.contains("built-in default"), "{banner}");
    assert!(
        banner.contains("versions, each loaded on its first call"),
        "{banner}"
    );
    assert!(banner.contains("rate limits: off"), "{banner}");
    assert!(
        banner.contains(&format!("admin API:   {endpoint}/_emulator/")),
        "{banner}"
    );

    let health = reqwest::get(format!("{endpoint}/_emulator/health"))
        .await
        .expect("serves");
    assert_eq!(health.status(), 200);

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no exit 10 s after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("shutting down"), "{rest}");
}

#[test]
fn a_secret_key_and_token_given_on_the_command_line_are_not_printed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
        .args(["--listen", "127.0.0.1:0", "--secret-id", "AKIDcustom"])
        .args(["--secret-key", "custom-key-not-to-print"])
        .args(["--token", "custom-token-not-to-print"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    while !banner.contains("press Ctrl-C") {
        if stdout.read_line(&mut banner).unwrap() == 0 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();

    assert!(banner.contains("press Ctrl-C"), "{banner}{stderr}");
    assert!(banner.contains("secret id:   AKIDcustom"), "{banner}");
    assert!(
        banner.contains("secret key:  set by --secret-key"),
        "{banner}"
    );
    let shown = format!("{banner}{stderr}");
    assert!(!shown.contains("custom-key-not-to-print"), "{shown}");
    assert!(!shown.contains("custom-token-not-to-print"), "{shown}");
}

/// The binary started on a free loopback port, killed when dropped.
struct Running {
    child: std::process::Child,
    endpoint: String,
}

impl Running {
    fn start() -> Self {
        Self::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
            .args(["--listen", "127.0.0.1:0", "--no-rate-limits"])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let endpoint = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("no endpoint in {first:?}"))
            .to_owned();
        // The banner's rest is not read: nothing more is written until shutdown.
        Self { child, endpoint }
    }

    /// A configuration for the binary in its default region.
    fn regional_config(&self) -> tencentcloud_runtime::Config {
        self.config_builder()
            .region(tencentcloud_emulator::DEFAULT_REGION)
            .build()
            .unwrap()
    }

    /// Stops the binary as Ctrl-C does, and waits for it to exit cleanly.
    fn interrupt(mut self) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let exit = self.child.wait().expect("the binary exits");
        assert!(exit.success(), "{exit}");
    }

    /// A configuration signing with the binary's default credential, sending to it.
    fn config_builder(&self) -> tencentcloud_runtime::ConfigBuilder {
        tencentcloud_runtime::Config::builder()
            .credentials(
                tencentcloud_runtime::Credentials::new(
                    tencentcloud_emulator::DEFAULT_SECRET_ID,
                    tencentcloud_emulator::DEFAULT_SECRET_KEY,
                )
                .unwrap(),
            )
            .endpoint(&self.endpoint)
    }

    async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let url = format!("{}/_emulator{path}", self.endpoint);
        let mut request = reqwest::Client::new().request(method, url);
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response = request.send().await.expect("admin API answers");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        let bytes = response.bytes().await.expect("admin API answers whole");
        serde_json::from_slice(&bytes).expect("admin API answers JSON")
    }

    async fn script_fault(&self, fault: serde_json::Value) {
        let body = serde_json::json!({"action": "ChatCompletions", "fault": fault});
        self.admin(reqwest::Method::POST, "/faults", Some(body))
            .await;
    }

    /// How the last call's streamed answer ended, as the request log says.
    async fn last_stream_end(&self) -> Option<String> {
        let log = self.admin(reqwest::Method::GET, "/requests", None).await;
        let last = log.as_array()?.last()?.clone();
        Some(last["stream"]["end"].as_str()?.to_owned())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[path = "binary/identity.rs"]
mod identity;
#[path = "binary/lifecycles.rs"]
mod lifecycles;

mod hunyuan_stream {
    use super::*;
    use serde_json::{Value, json};
    use tencentcloud_runtime::{SdkError, StreamErrorKind};
    use tencentcloud_sdk::hunyuan::v20230901::{
        ChatCompletionsError, ChatCompletionsOutput, Client, types::Message,
    };

    type Stream = tencentcloud_runtime::EventStream<ChatCompletionsOutput, ChatCompletionsError>;

    fn client(running: &Running) -> Client {
        let config = running
            .config_builder()
            .region("ap-guangzhou")
            .stream_idle_timeout(Duration::from_millis(500))
            .build()
            .unwrap();
        Client::new(&config)
    }

    async fn open(running: &Running) -> Stream {
        #[allow(deprecated)] // Tencent marks the action deprecated; it still serves it.
        let builder = client(running).chat_completions();
        builder
            .model("hunyuan-turbo")
            .messages([Message::default().role("user").content("北京和深圳的天气")])
            .send_stream()
            .await
            .expect("the stream begins")
    }

    /// The events the reference pages document for the action, which the emulator streams.
    fn documented_events() -> Vec<Value> {
        let index = tencentcloud_spec::index::SpecIndex::open(std::path::Path::new(
            tencentcloud_emulator::DEFAULT_SPECS_DIR,
        ))
        .expect("the workspace specs open");
        let specs = index.load("hunyuan").expect("hunyuan's specs load");
        let events = specs[0].spec.actions["ChatCompletions"].events.clone();
        assert!(events.len() >= 2, "documented events: {events:?}");
        events
    }

    #[tokio::test]
    async fn its_events_arrive_in_order_and_typed() {
        let running = Running::start();
        let documented = documented_events();
        let mut stream = open(&running).await;
        let mut received = Vec::new();
        while let Some(event) = stream.next().await {
            let event = event.expect("every documented event reads");
            assert!(
                event.data.unread_members.is_empty(),
                "{:?}",
                event.data.unread_members
            );
            let choice = event.data.choices.first().expect("each event has a choice");
            assert!(choice.delta.is_some(), "a streamed choice carries a delta");
            received.push(serde_json::from_str::<Value>(&event.raw).unwrap());
        }
        assert_eq!(received, documented, "every event, in order");
        assert_eq!(running.last_stream_end().await.as_deref(), Some("complete"));
    }

    #[tokio::test]
    async fn a_stream_gone_quiet_ends_by_the_idle_timeout() {
        let running = Running::start();
        running
            .script_fault(json!({"kind": "stall_stream", "after_events": 1, "millis": 5000}))
            .await;
        let mut stream = open(&running).await;
        assert!(stream.next().await.unwrap().is_ok());
        let Some(Err(SdkError::Stream(error))) = stream.next().await else {
            panic!("expected the idle timeout");
        };
        assert_eq!(error.kind(), StreamErrorKind::IdleTimeout);
        assert_eq!(error.events_received(), 1);
        assert!(error.request_id().is_some_and(|id| !id.is_empty()));
        assert!(stream.next().await.is_none());
    }

    #[tokio::test]
    async fn a_cut_stream_errs_with_what_arrived() {
        let running = Running::start();
        running
            .script_fault(json!({"kind": "cut_stream", "after_events": 2}))
            .await;
        let mut stream = open(&running).await;
        assert!(stream.next().await.unwrap().is_ok());
        assert!(stream.next().await.unwrap().is_ok());
        let Some(Err(SdkError::Stream(error))) = stream.next().await else {
            panic!("expected the cut");
        };
        assert_eq!(error.kind(), StreamErrorKind::Cut, "{error}");
        assert_eq!(error.events_received(), 2);
        assert!(error.bytes_received() > 0);
        assert!(error.to_string().contains("after 2 events"), "{error}");
        assert!(stream.next().await.is_none());
        assert_eq!(running.last_stream_end().await.as_deref(), Some("cut"));
    }

    #[tokio::test]
    async fn dropping_the_stream_closes_the_connection() {
        let running = Running::start();
        running
            .script_fault(json!({"kind": "stall_stream", "after_events": 1, "millis": 30000}))
            .await;
        let mut stream = open(&running).await;
        assert!(stream.next().await.unwrap().is_ok());
        drop(stream);
        // The emulator sees the connection close while its stream waits, long before the
        // stall would end.
        let started = Instant::now();
        while running.last_stream_end().await.as_deref() != Some("client_left") {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the emulator still streams: {:?}",
                running.last_stream_end().await
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

mod cvm_listing {
    use super::*;
    use serde_json::json;
    use tencentcloud_runtime::SdkError;
    use tencentcloud_runtime::error::ResponseErrorKind;
    use tencentcloud_sdk::cvm::v20170312::Client;

    pub(super) fn client(running: &Running) -> Client {
        Client::new(&running.regional_config())
    }

    async fn seed(running: &Running, count: usize) {
        let instances: Vec<serde_json::Value> = (0..count)
            .map(|i| json!({"InstanceId": format!("ins-{i:08}")}))
            .collect();
        running
            .admin(reqwest::Method::POST, "/instances", Some(json!(instances)))
            .await;
    }

    pub(super) async fn describe_calls(running: &Running) -> usize {
        let log = running.admin(reqwest::Method::GET, "/requests", None).await;
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "DescribeInstances")
            .count()
    }

    #[tokio::test]
    async fn every_instance_is_listed_a_hundred_a_page() {
        let running = Running::start();
        seed(&running, 237).await;
        let mut items = client(&running)
            .describe_instances()
            .into_paginator()
            .page_size(100)
            .items();
        let mut ids = Vec::new();
        while let Some(instance) = items.next().await {
            ids.push(instance.unwrap().instance_id.unwrap());
        }
        let expected: Vec<String> = (0..237).map(|i| format!("ins-{i:08}")).collect();
        assert_eq!(ids, expected, "every instance once, in order");
        assert_eq!(describe_calls(&running).await, 3);
    }

    #[tokio::test]
    async fn a_server_ignoring_offset_ends_the_listing_with_an_error() {
        let running = Running::start();
        seed(&running, 30).await;
        let fault =
            json!({"action": "DescribeInstances", "fault": {"kind": "ignore_offset"}, "times": 10});
        running
            .admin(reqwest::Method::POST, "/faults", Some(fault))
            .await;
        let mut items = client(&running)
            .describe_instances()
            .into_paginator()
            .page_size(10)
            .items();
        let mut read = 0;
        let error = loop {
            match items.next().await {
                Some(Ok(_)) => read += 1,
                Some(Err(error)) => break error,
                None => panic!("the listing ended without noticing the repeated page"),
            }
        };
        let SdkError::Response(error) = &error else {
            panic!("expected the stalled listing, got {error:?}");
        };
        assert_eq!(error.kind(), ResponseErrorKind::PagesStalled);
        assert_eq!(read, 10, "the first page's items, then the error");
        assert_eq!(describe_calls(&running).await, 2, "no third call");
    }
}

mod cvm_waiters {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::cvm_listing::{client, describe_calls};
    use super::*;
    use serde_json::json;
    use tencentcloud_runtime::{WaitErrorKind, Waiter};
    use tencentcloud_sdk::cvm::v20170312::DescribeInstancesOutput;

    /// Launches `count` instances after setting how the emulator's changes of state go.
    async fn launch(running: &Running, transitions: serde_json::Value, count: i64) -> Vec<String> {
        running
            .admin(reqwest::Method::PUT, "/transitions", Some(transitions))
            .await;
        client(running)
            .run_instances()
            .instance_count(count)
            .send()
            .await
            .unwrap()
            .instance_id_set
    }

    fn states(output: &DescribeInstancesOutput) -> Vec<&str> {
        output
            .instance_set
            .iter()
            .map(|i| i.instance_state.as_deref().unwrap_or("-"))
            .collect()
    }

    const QUICK: (Duration, Duration) = (Duration::from_millis(100), Duration::from_millis(200));

    #[tokio::test]
    async fn an_instance_waiter_sees_pending_then_running() {
        let running = Running::start();
        let ids = launch(&running, json!({"launchMs": 1500}), 2).await;
        let cvm = client(&running);
        let first = cvm
            .describe_instances()
            .instance_ids(ids.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(states(&first), ["PENDING", "PENDING"]);
        let output = cvm
            .describe_instances()
            .instance_ids(ids.clone())
            .wait_until_instance_running()
            .delays(QUICK.0, QUICK.1)
            .await
            .unwrap();
        assert_eq!(states(&output), ["RUNNING", "RUNNING"]);
        let operations: Vec<_> = output
            .instance_set
            .iter()
            .map(|i| {
                (
                    i.latest_operation.as_deref(),
                    i.latest_operation_state.as_deref(),
                )
            })
            .collect();
        assert_eq!(operations, [(Some("RunInstances"), Some("SUCCESS")); 2]);
        // The explicit read, then at least one poll that saw them pending and the one that
        // saw them running.
        assert!(describe_calls(&running).await >= 3);
    }

    #[tokio::test]
    async fn a_waiter_written_in_rust_on_the_same_read_sees_every_state_in_order() {
        let running = Running::start();
        let ids = launch(&running, json!({"launchMs": 700}), 1).await;
        let cvm = client(&running);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let noted = seen.clone();
        let output = Waiter::poll("instance running", move || {
            cvm.describe_instances().instance_ids(ids.clone()).send()
        })
        .until("RUNNING", move |output: &DescribeInstancesOutput| {
            let state = states(output).concat();
            noted.lock().unwrap().push(state.clone());
            state == "RUNNING"
        })
        .delays(QUICK.0, QUICK.1)
        .await
        .unwrap();
        assert_eq!(states(&output), ["RUNNING"]);
        let seen = seen.lock().unwrap().clone();
        let pending = seen.iter().take_while(|s| *s == "PENDING").count();
        assert!(pending >= 1, "{seen:?}");
        assert_eq!(seen[pending..], ["RUNNING"], "{seen:?}");
    }

    #[tokio::test]
    async fn a_launch_failure_ends_the_waiter_with_an_error_holding_the_last_output() {
        let running = Running::start();
        let ids = launch(&running, json!({"launchMs": 300, "launchFailures": 1}), 1).await;
        let error = client(&running)
            .describe_instances()
            .instance_ids(ids)
            .wait_until_instance_running()
            .delays(QUICK.0, QUICK.1)
            .await
            .unwrap_err();
        match error.kind() {
            WaitErrorKind::Failed { state } => {
                assert_eq!(state, "InstanceSet.InstanceState is LAUNCH_FAILED");
            }
            other => panic!("expected the launch failure, got {other:?}"),
        }
        let last = error.last_output().expect("the answer that showed it");
        assert_eq!(states(last), ["LAUNCH_FAILED"]);
        assert_eq!(
            last.instance_set[0].latest_operation_state.as_deref(),
            Some("FAILED")
        );
        assert!(error.polls() >= 2, "it was pending first: {error}");
        assert!(
            error
                .to_string()
                .starts_with("waiting until instance running: a failure state was reached"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_waiter_gives_up_at_its_deadline_with_the_last_output() {
        let running = Running::start();
        let ids = launch(&running, json!({"launchMs": 600_000}), 1).await;
        let error = client(&running)
            .describe_instances()
            .instance_ids(ids)
            .wait_until_instance_running()
            .delays(QUICK.0, QUICK.1)
            .max_wait(Duration::from_millis(700))
            .await
            .unwrap_err();
        assert!(
            matches!(error.kind(), WaitErrorKind::TimedOut { max_wait } if *max_wait == Duration::from_millis(700)),
            "{error}"
        );
        assert!(error.waited() >= Duration::from_millis(700), "{error}");
        assert!(error.polls() >= 4, "{error}");
        assert_eq!(states(error.last_output().unwrap()), ["PENDING"]);
        assert_eq!(describe_calls(&running).await, error.polls() as usize);
    }

    #[tokio::test]
    async fn stopping_and_terminating_are_waited_for_too() {
        let running = Running::start();
        let ids = launch(&running, json!({"launchMs": 200, "changeMs": 200}), 1).await;
        let cvm = client(&running);
        let describe = || cvm.describe_instances().instance_ids(ids.clone());
        describe()
            .wait_until_instance_running()
            .delays(QUICK.0, QUICK.1)
            .await
            .unwrap();
        cvm.stop_instances()
            .instance_ids(ids.clone())
            .send()
            .await
            .unwrap();
        let stopping = describe().send().await.unwrap();
        assert_eq!(states(&stopping), ["STOPPING"]);
        let done = describe()
            .wait_until_instance_operation_succeeded()
            .delays(QUICK.0, QUICK.1)
            .await
            .unwrap();
        assert_eq!(
            done.instance_set[0].latest_operation.as_deref(),
            Some("StopInstances")
        );
        let stopped = describe()
            .wait_until_instance_stopped()
            .delays(QUICK.0, QUICK.1)
            .await
            .unwrap();
        assert_eq!(states(&stopped), ["STOPPED"]);
        cvm.terminate_instances()
            .instance_ids(ids.clone())
            .send()
            .await
            .unwrap();
        let gone = describe()
            .wait_until_instance_terminated()
            .delays(QUICK.0, QUICK.1)
            .await
            .unwrap();
        assert_eq!((gone.total_count, gone.instance_set.len()), (Some(0), 0));
    }

    #[tokio::test]
    async fn changes_under_way_can_be_completed_at_once() {
        let running = Running::start();
        let ids = launch(&running, json!({"launchMs": 600_000}), 3).await;
        let completed = running
            .admin(reqwest::Method::POST, "/transitions/complete", None)
            .await;
        assert_eq!(completed, json!({"completed": 3}));
        let now = client(&running)
            .describe_instances()
            .instance_ids(ids)
            .send()
            .await
            .unwrap();
        assert_eq!(states(&now), ["RUNNING"; 3]);
    }
}

mod state_file {
    use super::*;
    use tencentcloud_sdk::vpc::v20170312::{Client, DescribeVpcsOutput};

    fn client(running: &Running) -> Client {
        Client::new(&running.regional_config())
    }

    async fn make_vpcs(running: &Running, names: &[&str]) -> Vec<String> {
        let mut ids = Vec::new();
        for name in names {
            let made = client(running).create_vpc().vpc_name(*name).send().await;
            ids.push(made.unwrap().vpc.unwrap().vpc_id.unwrap());
        }
        ids
    }

    fn listed(read: &DescribeVpcsOutput) -> Vec<(Option<String>, Option<String>)> {
        read.vpc_set
            .iter()
            .map(|v| (v.vpc_id.clone(), v.vpc_name.clone()))
            .collect()
    }

    #[tokio::test]
    async fn the_state_survives_a_restart_and_ids_go_on_where_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let state_file = ["--state-file", path.to_str().unwrap()];

        let first = Running::start_with(&state_file);
        let ids = make_vpcs(&first, &["a", "b", "c"]).await;
        assert_eq!(ids, ["vpc-00000001", "vpc-00000002", "vpc-00000003"]);
        client(&first)
            .delete_vpc()
            .vpc_id(&ids[1])
            .send()
            .await
            .unwrap();
        let before = client(&first).describe_vpcs().send().await.unwrap();
        first.interrupt();
        assert!(path.exists(), "the state is written at shutdown");

        let second = Running::start_with(&state_file);
        let after = client(&second).describe_vpcs().send().await.unwrap();
        assert_eq!(listed(&after), listed(&before));
        assert_eq!(after.total_count, Some(2));
        assert_eq!(
            make_vpcs(&second, &["d"]).await,
            ["vpc-00000004"],
            "ids go on after the restart"
        );
        let snapshot = second.admin(reqwest::Method::GET, "/snapshot", None).await;
        assert_eq!(snapshot["records"].as_array().map(Vec::len), Some(3));

        // A fresh emulator making the same calls hands out the same ids.
        let fresh = Running::start();
        assert_eq!(make_vpcs(&fresh, &["a", "b", "c"]).await, ids);
        // And a snapshot put into it makes it answer as the one it was taken from.
        fresh
            .admin(reqwest::Method::PUT, "/snapshot", Some(snapshot))
            .await;
        let restored = client(&fresh).describe_vpcs().send().await.unwrap();
        let now = client(&second).describe_vpcs().send().await.unwrap();
        assert_eq!(listed(&restored), listed(&now));
    }

    #[test]
    fn a_state_file_that_is_not_a_snapshot_stops_the_binary_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, "{\"instances\": 5}").unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--state-file",
                path.to_str().unwrap(),
            ])
            .output()
            .expect("binary runs");
        assert!(!output.status.success());
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(
            said.contains("state file")
                && said.contains("state.json")
                && said.contains("not a snapshot"),
            "{said}"
        );
    }
}

mod paging_rules {
    use super::*;
    use serde_json::{Value, json};
    use tencentcloud_runtime::__private::{Paging, PagingRule, ServiceVersion};
    use tencentcloud_runtime::{CallOptions, Client, ServiceError};
    use tencentcloud_spec::types::PagingRule as SpecRule;

    fn leak(path: &[String]) -> &'static [&'static str] {
        let steps: Vec<&'static str> = path
            .iter()
            .map(|step| &*Box::leak(step.clone().into_boxed_str()))
            .collect();
        Box::leak(steps.into_boxed_slice())
    }

    /// The paging the specs give `action` of `service`, as generated code would describe it,
    /// and the service version.
    fn paging_of(service: &'static str, action: &str) -> (ServiceVersion, &'static Paging) {
        let index = tencentcloud_spec::index::SpecIndex::open(std::path::Path::new(
            tencentcloud_emulator::DEFAULT_SPECS_DIR,
        ))
        .unwrap();
        let spec = index.load(service).unwrap().remove(0).spec;
        let paging = spec.actions[action]
            .paging
            .clone()
            .expect("the action pages");
        let rule = match paging.rule {
            SpecRule::Offset => PagingRule::Offset,
            SpecRule::Page => PagingRule::Page {
                first: paging.first_page.unwrap_or(1),
            },
            SpecRule::Token => PagingRule::Token {
                next: leak(paging.next_token.as_deref().unwrap()),
            },
        };
        let runtime = Paging {
            rule,
            position: leak(&paging.position),
            position_as_text: false,
            size: paging.size.as_deref().map(leak),
            size_as_text: false,
            items: leak(&paging.items),
            total: paging.total.as_deref().map(leak),
        };
        let version = ServiceVersion {
            service,
            version: Box::leak(spec.metadata.api_version.into_boxed_str()),
            region_required: spec.metadata.region_required,
        };
        (version, Box::leak(Box::new(runtime)))
    }

    async fn list_all(
        running: &Running,
        service: &'static str,
        action: &'static str,
    ) -> Vec<Value> {
        let (version, paging) = paging_of(service, action);
        let config = running.regional_config();
        let mut items = version
            .paginate::<Value, Value, ServiceError>(
                None,
                Client::new(&config),
                action,
                CallOptions::default(),
                Ok(json!({})),
                paging,
                // The answers under test hold one list: the items.
                |page| {
                    page.as_object()
                        .and_then(|members| members.values().find_map(|v| v.as_array().cloned()))
                        .unwrap_or_default()
                },
            )
            .page_size(10)
            .items();
        let mut all = Vec::new();
        while let Some(item) = items.next().await {
            all.push(item.unwrap());
        }
        all
    }

    async fn calls(running: &Running, action: &str) -> usize {
        let log = running.admin(reqwest::Method::GET, "/requests", None).await;
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == action)
            .count()
    }

    /// Each item's numbered member ends with its index: 0, 1, 2, … in order, none skipped.
    fn indices(items: &[Value]) -> Vec<u64> {
        items
            .iter()
            .map(|item| {
                let text = item
                    .as_object()
                    .and_then(|o| o.values().find_map(Value::as_str).map(str::to_owned))
                    .unwrap_or_else(|| item.as_str().unwrap_or_default().to_owned());
                text.rsplit('-').next().unwrap().parse().unwrap()
            })
            .collect()
    }

    #[tokio::test]
    async fn an_offset_documented_as_a_page_number_is_paged_without_skipping() {
        let running = Running::start();
        // billing's vouchers are numbered from page 1, as an overlay corrects the import.
        let sizes = json!({"DescribeVoucherInfo": 45});
        running
            .admin(reqwest::Method::PUT, "/listings", Some(sizes))
            .await;
        let items = list_all(&running, "billing", "DescribeVoucherInfo").await;
        assert_eq!(indices(&items), (0..45).collect::<Vec<_>>());
        assert_eq!(calls(&running, "DescribeVoucherInfo").await, 5);
    }

    #[tokio::test]
    async fn a_token_paged_action_is_paged_to_its_end() {
        let running = Running::start();
        let sizes = json!({"DescribeAsyncJobs": 23});
        running
            .admin(reqwest::Method::PUT, "/listings", Some(sizes))
            .await;
        let items = list_all(&running, "alb", "DescribeAsyncJobs").await;
        assert_eq!(indices(&items), (0..23).collect::<Vec<_>>());
        assert_eq!(calls(&running, "DescribeAsyncJobs").await, 3);
    }
}
