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
