#!/usr/bin/env bash
# Runs one property-test target again and again with fresh random seeds for MINUTES minutes and
# prints the cases run and the result: the long run behind RELIABILITY.md's figures.
#
#   scripts/long-properties.sh decoder|profile|specs|requests [MINUTES] [CASES_PER_RUN]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?"target: decoder, profile, specs or requests"}
minutes=${2:-10}
cases=${3:-20000}
case "$target" in
  decoder)  args=(-p tencentcloud-runtime --lib response::properties) ;;
  profile)  args=(-p tencentcloud-runtime --lib credentials::profile::properties) ;;
  specs)    args=(-p tencentcloud-spec --test properties) ;;
  requests) args=(-p tencentcloud-emulator --lib request_properties) ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
cargo test -q "${args[@]}" --no-run
end=$(( $(date +%s) + minutes * 60 ))
runs=0
while [ "$(date +%s)" -lt "$end" ]; do
  # Each run draws a new seed; a failure prints the minimal case and stops the loop.
  if ! PROPTEST_CASES=$cases cargo test -q "${args[@]}" >/tmp/long-properties-$target.log 2>&1; then
    cat /tmp/long-properties-$target.log
    echo "$target: FAILED after $runs runs of $cases cases per test"
    exit 1
  fi
  runs=$((runs + 1))
done
tests=$(grep -Eo "[0-9]+ passed" /tmp/long-properties-$target.log | head -1 | grep -Eo "[0-9]+")
echo "$target: $runs runs x $cases cases x $tests tests = $((runs * cases * tests)) cases in $minutes min, all passed"
