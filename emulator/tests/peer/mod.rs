//! What the official-SDK peer tests share: the emulator binary as a child process, running the
//! peer's tools with a one-line reason when they fail, and the admin API.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The emulator binary serving on a free loopback port, with the reference pages' examples seeded;
/// killed on drop, also when an assertion fails.
pub struct EmulatorProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
}

impl EmulatorProcess {
    /// Starts the binary with `args` besides the listen address, credential and seeding.
    pub fn start(secret_id: &str, secret_key: &str, args: &[&OsStr]) -> EmulatorProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
            .args(["--listen", "127.0.0.1:0", "--seed-examples"])
            .args(["--secret-id", secret_id, "--secret-key", secret_key])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("emulator binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut process = EmulatorProcess {
            child,
            endpoint: String::new(),
        };
        let mut stdout = BufReader::new(stdout);
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .expect("emulator prints its address");
        // Keep draining so the emulator never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        process.endpoint = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        process
    }

    /// The endpoint as the official SDKs take it: `127.0.0.1:PORT`, no scheme.
    pub fn host(&self) -> &str {
        self.endpoint
            .trim_start_matches("https://")
            .trim_start_matches("http://")
    }

    /// Seeds resources through `POST /_emulator/<path>`.
    pub async fn seed(&self, path: &str, body: Value) {
        self.admin(reqwest::Method::POST, path, body).await;
    }

    /// Sends `body` to the admin API's `/_emulator/<path>`, which must accept it.
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Value) {
        let response = reqwest::Client::new()
            .request(
                method.clone(),
                format!("{}/_emulator/{path}", self.endpoint),
            )
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("admin API answers");
        assert_eq!(response.status(), 200, "{method} {path}");
    }

    /// The request log from `GET /_emulator/requests`.
    pub async fn request_log(&self) -> Vec<Value> {
        let log = reqwest::get(format!("{}/_emulator/requests", self.endpoint))
            .await
            .expect("admin API answers")
            .bytes()
            .await
            .expect("log body");
        serde_json::from_slice(&log).expect("JSON log")
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `command` to completion: its stdout, or a one-line reason naming the command and the first
/// error line of its stderr (`ERROR: …` from pip, `npm error …` from npm; else the last line).
pub fn run(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .lines()
        .find(|l| {
            let l = l.trim_start().to_ascii_lowercase();
            l.starts_with("error") || l.starts_with("npm error")
        })
        .or_else(|| stderr.lines().last())
        .unwrap_or_default();
    Err(format!("{command:?} failed ({}): {reason}", output.status))
}

/// The JSON objects a peer script prints, one per line.
pub fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}
