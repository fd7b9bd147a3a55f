#!/usr/bin/env bash
# The change report between an older release of Tencent's description and the pinned one, as
# `import` writes it when the pin moves: imports the older packages into a scratch specs folder
# (the workspace's overlays and common codes laid over), then the pinned ones (fetched by
# scripts/catalog.sh), and prints where the report is.
#
#   scripts/change-report.sh 3.1.180.1 3.1.180    tccli and tencentcloud-sdk-python versions
#
# Chinese editions only on both sides: the report compares shapes, not wording. Needs pip.
set -euo pipefail
cd "$(dirname "$0")/.."
tccli=${1:?usage: scripts/change-report.sh TCCLI_VERSION SDK_PYTHON_VERSION}
sdk=${2:?usage: scripts/change-report.sh TCCLI_VERSION SDK_PYTHON_VERSION}
work=target/change-report
old=$work/packages-$tccli
if [ ! -d "$old/tccli" ]; then
  mkdir -p "$old/wheels"
  pip download --quiet --no-deps --dest "$old/wheels" "tccli==$tccli" "tencentcloud-sdk-python==$sdk"
  for wheel in "$old"/wheels/*.whl; do unzip -qo "$wheel" -d "$old"; done
fi
[ -d target/catalog/packages/zh ] || scripts/catalog.sh --no-check --services cvm
specs=$work/specs
rm -rf "$specs"
mkdir -p "$specs"
cp specs/common.json "$specs/"
for overlay in specs/*/; do
  [ "$(basename "$overlay")" = upstream ] || cp -r "$overlay" "$specs/"
done
cargo build --quiet --release -p tencentcloud-codegen
codegen=target/release/tencentcloud-codegen
"$codegen" import --specs "$specs" --from "$old" --services all > /dev/null
"$codegen" import --specs "$specs" --from target/catalog/packages/zh --services all | grep '^changes for users'
echo "report: $specs/upstream/CHANGES.md"
