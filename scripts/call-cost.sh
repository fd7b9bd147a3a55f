#!/usr/bin/env bash
# Client cost of one call, side by side: this SDK and `tencent-sdk` 0.1.5 (crates.io) making
# `TerminateInstances` calls to the same fixed-answer HTTP/1.1 server on loopback, which runs
# in its own process. Prints calls/s, p50/p99 latency, client CPU per call (getrusage of the
# client process), allocations and bytes per call, for each round and as medians, then the
# memory of an idle client and of a call in flight. Arguments go to the bench:
#
#   scripts/call-cost.sh                                  3 rounds of 20,000 calls, c = 1, 16, 64, 256
#   scripts/call-cost.sh --rounds 5 --concurrency 1,64
#   scripts/call-cost.sh --clients ours                   this SDK alone
#   scripts/call-cost.sh --one-core                       bench, one tokio worker and server on one
#                                                         core: no call wakes another core
#
# Builds benchmarks/call-cost in release (about 2 minutes the first time; needs crates.io once
# for the peer); runs take about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=$PWD/target/call-cost
cargo build --release --quiet --manifest-path benchmarks/call-cost/Cargo.toml
exec "$CARGO_TARGET_DIR/release/call_bench" "$@"
