#!/usr/bin/env bash
# The whole catalog: fetches the four upstream packages at the versions specs/upstream/manifest.json
# pins (pip, once; kept in target/catalog/packages), then imports every service version into
# target/catalog/specs, generates it into target/catalog/workspace and `cargo check`s each service
# crate, printing a Markdown table per service and the totals (BENCHMARKS.md says what was measured).
#
#   scripts/catalog.sh                       all 300 service versions
#   scripts/catalog.sh --services cvm,cls    a subset
#   scripts/catalog.sh --no-check            generation only
#
# Needs Python's pip for the fetch; everything after it is cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/catalog
packages=$work/packages
pins=$(python3 -c '
import json, sys
pins = json.load(open("specs/upstream/manifest.json"))["packages"]
print(" ".join(f"{name}=={version}" for name, version in sorted(pins.items())))
')
stamp=$packages/pins
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$pins" ]; then
  rm -rf "$packages"
  mkdir -p "$packages/wheels"
  # shellcheck disable=SC2086
  pip download --quiet --no-deps --dest "$packages/wheels" $pins
  for wheel in "$packages"/wheels/*.whl; do
    case "$(basename "$wheel")" in
      *intl_en*) unzip -qo "$wheel" -d "$packages/en" ;;
      *) unzip -qo "$wheel" -d "$packages/zh" ;;
    esac
  done
  echo "$pins" > "$stamp"
fi
cargo build --quiet --release -p tencentcloud-codegen
exec target/release/tencentcloud-codegen catalog --from "$packages/zh" --intl "$packages/en" --work "$work" "$@"
