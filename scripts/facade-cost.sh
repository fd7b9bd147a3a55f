#!/usr/bin/env bash
# What a program depending on the facade pays: `cargo check` from scratch of a one-file program
# depending on `tencentcloud-sdk` (this repository's, by path) with the features given, in a
# scratch folder under target/facade-cost, then the same with more services added.
#
#   scripts/facade-cost.sh                          cvm, then cvm and nine more
#   scripts/facade-cost.sh sms clb -- tke cam       sms and clb, then tke and cam added
#
# Prints the wall time of each check. Needs cargo alone (the crates.io dependencies are the
# workspace's, from its Cargo.lock).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
first=(cvm)
more=(vpc cbs clb cam cdb tke sms ssl dnspod)
if [ $# -gt 0 ]; then
  first=()
  more=()
  into=first
  for arg in "$@"; do
    if [ "$arg" = "--" ]; then into=more; continue; fi
    if [ $into = first ]; then first+=("$arg"); else more+=("$arg"); fi
  done
fi
work=$root/target/facade-cost
rm -rf "$work"
mkdir -p "$work/src"
echo 'fn main() {}' > "$work/src/main.rs"
cp Cargo.lock "$work/Cargo.lock"
manifest() {
  local features
  features=$(printf '"%s", ' "$@")
  cat > "$work/Cargo.toml" <<TOML
[package]
name = "facade-cost"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
tencentcloud-sdk = { path = "$root/generated/sdk", features = [${features%, }] }

[workspace]
TOML
}
check() {
  local started ended
  started=$(date +%s.%N)
  (cd "$work" && CARGO_TARGET_DIR="$work/target" cargo check --quiet --offline)
  ended=$(date +%s.%N)
  echo "$1: $(echo "$ended - $started" | bc) s"
}
manifest "${first[@]}"
check "from scratch with ${first[*]}"
manifest "${first[@]}" "${more[@]}"
check "then ${more[*]} added"
rm -rf "$work/target"
check "all $(( ${#first[@]} + ${#more[@]} )) from scratch"
