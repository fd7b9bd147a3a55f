//! Waiters: polled reads that end on a documented success state, a failure state (keeping the
//! answer that showed it), a deadline (the last poll made at it) or a failed poll, with delays
//! that back off with jitter, on a clock the tests move by hand.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use support::clock::{FixedJitter, HandClock};
use support::server::{Fault, SECRET_ID, SECRET_KEY, Server};
use tencentcloud_runtime::__private::{Acceptor, Expected, ServiceVersion, Test, WaiterSpec};
use tencentcloud_runtime::{
    CallOptions, Client, Config, Credentials, SdkError, ServiceError, WaitErrorKind, Waiter,
};

const CVM: ServiceVersion = ServiceVersion {
    service: "cvm",
    version: "2017-03-12",
    region_required: false,
};

static INSTANCE_RUNNING: WaiterSpec = WaiterSpec {
    name: "instance running",
    success: &[Acceptor {
        path: &["InstanceSet", "InstanceState"],
        test: Test::All(&[Expected::Text("RUNNING")]),
    }],
    failure: &[Acceptor {
        path: &["InstanceSet", "InstanceState"],
        test: Test::Any(&[Expected::Text("LAUNCH_FAILED")]),
    }],
    min_delay: Duration::from_secs(5),
    max_delay: Duration::from_secs(30),
    max_wait: Duration::from_secs(900),
};

static READY: WaiterSpec = WaiterSpec {
    name: "instance ready",
    success: &[
        Acceptor {
            path: &["Items", "Status"],
            test: Test::All(&[Expected::Integer(1)]),
        },
        Acceptor {
            path: &["Items", "TaskStatus"],
            test: Test::All(&[Expected::Integer(0)]),
        },
    ],
    failure: &[],
    min_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(1),
    max_wait: Duration::from_secs(60),
};

fn client(server: &Server, clock: &HandClock) -> Client {
    let config = Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .endpoint(server.endpoint())
        .region("ap-guangzhou")
        .clock(clock.clone())
        .jitter(FixedJitter(0.5))
        .build()
        .unwrap();
    Client::new(&config)
}

fn instances(states: &[&str]) -> Fault {
    let set: Vec<Value> = states
        .iter()
        .enumerate()
        .map(|(i, state)| json!({"InstanceId": format!("ins-0000000{i}"), "InstanceState": state}))
        .collect();
    Fault::ok(json!({"TotalCount": set.len(), "InstanceSet": set}))
}

fn wait(
    server: &Server,
    clock: &HandClock,
    spec: &'static WaiterSpec,
) -> Waiter<Value, ServiceError> {
    let body = br#"{"InstanceIds":["ins-00000000","ins-00000001"]}"#.to_vec();
    CVM.wait(
        None,
        client(server, clock),
        "DescribeInstances",
        CallOptions::default(),
        Ok(body),
        spec,
    )
}

fn states_of(output: &Value) -> Vec<&str> {
    output["InstanceSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["InstanceState"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_documented_waiter_polls_until_every_instance_runs_backing_off_with_jitter() {
    let server = Server::start(
        "cvm",
        vec![
            instances(&["PENDING", "PENDING"]),
            instances(&["RUNNING", "PENDING"]),
            instances(&["RUNNING", "RUNNING"]),
        ],
    )
    .await;
    let clock = HandClock::default();
    let output = wait(&server, &clock, &INSTANCE_RUNNING).await.unwrap();
    assert_eq!(states_of(&output), ["RUNNING", "RUNNING"]);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| {
        r.header("x-tc-action") == Some("DescribeInstances")
            && r.body == br#"{"InstanceIds":["ins-00000000","ins-00000001"]}"#
    }));
    // 5 s, then half the way from 5 s to 10 s.
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(5), Duration::from_millis(7_500)]
    );
}

#[tokio::test]
async fn a_failure_state_ends_the_wait_with_the_answer_that_showed_it() {
    let server = Server::start(
        "cvm",
        vec![
            instances(&["PENDING", "PENDING"]),
            instances(&["LAUNCH_FAILED", "RUNNING"]),
        ],
    )
    .await;
    let clock = HandClock::default();
    let error = wait(&server, &clock, &INSTANCE_RUNNING).await.unwrap_err();
    match error.kind() {
        WaitErrorKind::Failed { state } => {
            assert_eq!(state, "InstanceSet.InstanceState is LAUNCH_FAILED, RUNNING");
        }
        other => panic!("expected a failure state, got {other:?}"),
    }
    assert_eq!(error.polls(), 2);
    assert_eq!(error.waited(), Duration::from_secs(5));
    assert_eq!(
        states_of(error.last_output().unwrap()),
        ["LAUNCH_FAILED", "RUNNING"]
    );
    assert_eq!(
        error.to_string(),
        "waiting until instance running: a failure state was reached \
         (InstanceSet.InstanceState is LAUNCH_FAILED, RUNNING) after 2 polls in 5.0 s"
    );
}

#[tokio::test]
async fn the_deadline_ends_the_wait_with_the_last_answer_the_last_poll_made_at_the_deadline() {
    let polls = Arc::new(AtomicU32::new(0));
    let counted = polls.clone();
    let clock = HandClock::default();
    let error = Waiter::poll("build done", move || {
        let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
        async move { Ok::<_, SdkError<ServiceError>>(format!("BUILDING #{n}")) }
    })
    .until("DONE", |state: &String| state == "DONE")
    .delays(Duration::from_secs(2), Duration::from_secs(4))
    .max_wait(Duration::from_secs(10))
    .clock(Arc::new(clock.clone()))
    .jitter(Arc::new(FixedJitter(0.5)))
    .await
    .unwrap_err();
    assert!(matches!(
        error.kind(),
        WaitErrorKind::TimedOut { max_wait } if *max_wait == Duration::from_secs(10)
    ));
    // 2 s; then halfway to 4 s, twice; then the 2 s left, so the fifth poll is at the deadline.
    let secs = |s: f64| Duration::from_secs_f64(s);
    assert_eq!(clock.sleeps(), [secs(2.0), secs(3.0), secs(3.0), secs(2.0)]);
    assert_eq!(polls.load(Ordering::SeqCst), 5);
    assert_eq!(error.polls(), 5);
    assert_eq!(error.waited(), Duration::from_secs(10));
    assert_eq!(error.last_output().map(String::as_str), Some("BUILDING #5"));
    assert_eq!(
        error.to_string(),
        "waiting until build done: not reached within 10.0 s (5 polls); the last answer is kept"
    );
}

#[tokio::test]
async fn a_failed_poll_ends_the_wait_keeping_the_answer_read_before_it() {
    let server = Server::start(
        "cvm",
        vec![
            instances(&["PENDING", "PENDING"]),
            Fault::error("InvalidInstanceId.NotFound"),
        ],
    )
    .await;
    let clock = HandClock::default();
    let error = wait(&server, &clock, &INSTANCE_RUNNING).await.unwrap_err();
    assert_eq!(error.polls(), 2);
    assert_eq!(
        states_of(error.last_output().unwrap()),
        ["PENDING", "PENDING"]
    );
    let text = error.to_string();
    assert!(
        text.starts_with("waiting until instance running: poll 2 failed after 5.0 s: "),
        "{text}"
    );
    match error.into_kind() {
        WaitErrorKind::Call(call) => assert_eq!(call.code(), Some("InvalidInstanceId.NotFound")),
        other => panic!("expected the poll's error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_request_that_breaks_a_rule_ends_the_wait_before_anything_is_sent() {
    let server = Server::start("cvm", vec![]).await;
    let clock = HandClock::default();
    let error = CVM
        .wait::<Value, ServiceError>(
            None,
            client(&server, &clock),
            "DescribeInstances",
            CallOptions::default(),
            Err(tencentcloud_runtime::ValidationError::new(
                "InstanceIds",
                "at most 100 items",
            )),
            &INSTANCE_RUNNING,
        )
        .await
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        WaitErrorKind::Call(SdkError::Validation(_))
    ));
    assert_eq!((error.polls(), error.last_output()), (1, None));
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn every_success_state_must_hold_in_the_same_answer() {
    let server = Server::start(
        "cdb",
        vec![
            Fault::ok(json!({"Items": [{"Status": 0, "TaskStatus": 0}]})),
            Fault::ok(json!({"Items": [{"Status": 1, "TaskStatus": 2}]})),
            Fault::ok(json!({"Items": [{"Status": "1", "TaskStatus": 0}]})),
        ],
    )
    .await;
    let clock = HandClock::default();
    let cdb = ServiceVersion {
        service: "cdb",
        version: "2017-03-20",
        region_required: false,
    };
    let output: Value = cdb
        .wait::<Value, ServiceError>(
            None,
            client(&server, &clock),
            "DescribeDBInstances",
            CallOptions::default(),
            Ok(b"{}".to_vec()),
            &READY,
        )
        .await
        .unwrap();
    assert_eq!(output["Items"][0]["TaskStatus"], 0);
    assert_eq!(server.received().len(), 3);
}
