#!/bin/sh
# Starts tslab for this repository. Paths are found from this file, so the kernelspec holds no absolute path.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
# tslab uses the working directory as TypeScript's rootDir: cells import "./lib/..." from the repository root.
cd "$ROOT"
# The AWS SDK would print a Node 22 notice into the first cell that makes a client.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
exec node --require "$HERE/preload.cjs" "$ROOT/node_modules/tslab/bin/tslab" kernel --config-path "$1"
