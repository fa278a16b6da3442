import { defineConfig } from "@playwright/test";
import { E2E } from "./e2e/env";

/**
 * e2e against the built app (npm start: build if needed, migrate, seed, serve)
 * on a fresh embedded database, in Debian's Chromium with the network closed.
 */
export default defineConfig({
  testDir: "./e2e",
  outputDir: "./e2e/output/test-results",
  fullyParallel: false,
  workers: 1,
  // One retry on CI for timing on a shared 2-core machine; a retried pass is reported as flaky.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "e2e/output/results.json" }]],
  use: {
    baseURL: E2E.baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `rm -rf ${E2E.dataDir} && node --import tsx scripts/start.ts`,
    url: `${E2E.baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      DATA_DIR: E2E.dataDir,
      PORT: String(E2E.port),
      NEXT_TELEMETRY_DISABLED: "1",
      SEED_ADMIN_PASSWORD: E2E.passwords.ADMIN,
      SEED_AUTHOR_PASSWORD: E2E.passwords.AUTHOR,
      SEED_SUPPORT_PASSWORD: E2E.passwords.SUPPORT,
      SEED_API_KEY: E2E.apiKey,
      DELIVERY_ALLOW_PRIVATE: "1",
      LOG_LEVEL: "warn",
    },
  },
});
