// `npm run reliability`: DESIGN §9's reliability bars (issue 9) as one suite, kept out of `npm test`. Each file's
// top-level describe is a category; the reliability reporter prints cases tried, held and failed per category.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    // As ./vitest.config.mts; the few cases that wait out retries or hammer the sandbox set their own timeout.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    reporters: ["default", "./test/reliability/reporter.ts"],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", AWS_EC2_METADATA_DISABLED: "true" },
  },
});
