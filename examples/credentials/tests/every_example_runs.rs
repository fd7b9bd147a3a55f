//! Each credential example runs to success, as its documentation promises.

use std::process::Command;

fn runs(binary: &str) {
    let output = Command::new(binary).output().expect("the example starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{binary} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.starts_with("DescribeInstances: ") && stdout.contains(" instances (request id \""),
        "{stdout}"
    );
}

#[test]
fn cvm_role() {
    runs(env!("CARGO_BIN_EXE_cvm_role"));
}

#[test]
fn assume_role() {
    runs(env!("CARGO_BIN_EXE_assume_role"));
}

#[test]
fn web_identity() {
    runs(env!("CARGO_BIN_EXE_web_identity"));
}

#[test]
fn profile_file() {
    runs(env!("CARGO_BIN_EXE_profile_file"));
}
