// `npm run test:browser`: tests that need Jupyter (and, later, Chromium) installed; `npm test` needs neither.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // Node 20 has WebSocket (for Jupyter's kernel channels) behind a flag.
    execArgv: ["--experimental-websocket"],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", AWS_EC2_METADATA_DISABLED: "true" },
  },
});
