#!/usr/bin/env node
"use strict";
// The AWS SDK prints a Node 22 notice on stderr; our stderr carries only our own one-line errors.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// lib is TypeScript, run as is (tslab compiles the same files inside notebooks).
require("tsx/cjs/api").register();
require("../lib/cli.ts")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
