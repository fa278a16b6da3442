/** Fixed settings of the e2e app instance (a throwaway database under tmp/). */
export const E2E = {
  port: 3210,
  baseURL: "http://localhost:3210",
  dataDir: "tmp/e2e-data",
  passwords: { ADMIN: "e2e-admin-password", AUTHOR: "e2e-author-password", SUPPORT: "e2e-support-password" },
  emails: { ADMIN: "admin@acme.test", AUTHOR: "author@acme.test", SUPPORT: "support@acme.test" },
  apiKey: "hy_e2e_demo_key_0123456789abcdefghij",
  screenshots: "e2e/output/screenshots",
} as const;
