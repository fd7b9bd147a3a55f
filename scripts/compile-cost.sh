#!/usr/bin/env bash
# Side-by-side compile cost: the generated `tencentcloud-sdk-vpc` against `aws-sdk-ec2` from
# crates.io, each depended on by an empty scratch crate with cargo's default profiles, built in
# one run on this machine. For each crate and profile (debug, release): its dependencies are
# built first, then only the crate itself is cleaned and rebuilt, timed; the figure is the median
# of the rounds, beside the size of the rlib it leaves. Non-incremental, as a registry dependency
# always builds, so both crates are treated alike.
#
#   scripts/compile-cost.sh            3 rounds
#   ROUNDS=1 scripts/compile-cost.sh
#   ONLY=ours scripts/compile-cost.sh  tencentcloud-sdk-vpc alone (minutes), after a change of it
#
# Needs crates.io for aws-sdk-ec2 (fetched once into cargo's cache). Takes about an hour on
# 2 cores, most of it aws-sdk-ec2's release builds.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$repo/target/compile-cost
rounds=${ROUNDS:-3}
ec2_version=1.274.0
export CARGO_INCREMENTAL=0

scratch() { # name, dependency line
  mkdir -p "$work/$1/src"
  : > "$work/$1/src/lib.rs"
  cat > "$work/$1/Cargo.toml" <<EOF
[package]
name = "compile-cost-$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$2

[workspace]
EOF
}

scratch ours "tencentcloud-sdk-vpc = { path = \"$repo/generated/services/vpc\" }"
scratch ec2 "aws-sdk-ec2 = \"=$ec2_version\""

actions_ours=$(python3 -c "import json; print(len(json.load(open('$repo/specs/upstream/vpc/v20170312/api.json'))['actions']))")
actions_ec2=811

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

measure() { # scratch, crate, lib name, profile flag
  local dir=$work/$1 crate=$2 lib=$3 flag=$4 times=()
  (cd "$dir" && cargo build --quiet $flag)
  for _ in $(seq "$rounds"); do
    (cd "$dir" && cargo clean --quiet -p "$crate" $flag)
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && cargo build --quiet $flag)
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  local profile=debug
  [ "$flag" = "--release" ] && profile=release
  local rlib
  rlib=$(ls -S "$dir"/target/$profile/deps/lib${lib}-*.rlib | head -1)
  local secs
  secs=$(printf '%s\n' "${times[@]}" | median)
  echo "$crate $profile $secs $(stat -c %s "$rlib") ${times[*]}"
}

echo "rounds: $rounds; actions: tencentcloud-sdk-vpc $actions_ours, aws-sdk-ec2 $actions_ec2 operations"
echo "crate profile median_s rlib_bytes rounds_s"
results=()
for flag in "" --release; do
  results+=("$(measure ours tencentcloud-sdk-vpc tencentcloud_sdk_vpc "$flag")")
  echo "${results[-1]}"
  [ "${ONLY:-}" = ours ] && continue
  results+=("$(measure ec2 aws-sdk-ec2 aws_sdk_ec2 "$flag")")
  echo "${results[-1]}"
done

echo
echo "| profile | crate | actions | build s | per action ms | rlib MB | per action KB |"
echo "|---|---|---|---|---|---|---|"
for line in "${results[@]}"; do
  read -r crate profile secs bytes _ <<< "$line"
  n=$actions_ours
  [ "$crate" = aws-sdk-ec2 ] && n=$actions_ec2
  awk -v c="$crate" -v p="$profile" -v n="$n" -v s="$secs" -v b="$bytes" 'BEGIN {
    printf "| %s | %s | %d | %.1f | %.1f | %.1f | %.0f |\n", p, c, n, s, 1000*s/n, b/1e6, b/1e3/n }'
done
[ "${ONLY:-}" = ours ] && exit 0
for profile in debug release; do
  ours=$(printf '%s\n' "${results[@]}" | awk -v p=$profile '$1=="tencentcloud-sdk-vpc" && $2==p')
  ec2=$(printf '%s\n' "${results[@]}" | awk -v p=$profile '$1=="aws-sdk-ec2" && $2==p')
  read -r _ _ os ob _ <<< "$ours"
  read -r _ _ es eb _ <<< "$ec2"
  awk -v p=$profile -v os="$os" -v ob="$ob" -v es="$es" -v eb="$eb" -v no="$actions_ours" -v ne="$actions_ec2" 'BEGIN {
    printf "%s per action, tencentcloud-sdk-vpc / aws-sdk-ec2: build time %.2fx, rlib size %.2fx\n", p, (os/no)/(es/ne), (ob/no)/(eb/ne) }'
done
