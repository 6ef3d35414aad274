import { defineConfig } from 'vitest/config';

/**
 * Four projects, fastest first. `integration` shares one DynamoDB Local + S3 emulator per run (global setup);
 * tests isolate themselves by creating their own random tenants, which is also how production isolates.
 */
export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default', './test/support/closing-line-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/contract/**/*.test.ts', 'test/http/**/*.test.ts', 'test/local/**/*.test.ts'],
          globalSetup: ['test/support/emulators.global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 180_000 } },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
