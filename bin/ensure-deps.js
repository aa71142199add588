#!/usr/bin/env node
"use strict";
// Installs the locked dependencies when node_modules is missing or older than package-lock.json, so that
// `npm test` and `npm start` work on a fresh clone.
const { spawnSync } = require("node:child_process");
const { statSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const mtime = (path) => {
  try {
    return statSync(join(root, path)).mtimeMs;
  } catch {
    return undefined;
  }
};
const installed = mtime("node_modules/.package-lock.json");
if (installed === undefined || installed < mtime("package-lock.json")) {
  console.log("ecs-takeover: installing dependencies (npm ci)…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  process.exit(result.status ?? 1);
}
