import { expect, test } from "@playwright/test";
import { guardNetwork, shot, signIn } from "./helpers";
import { E2E } from "./env";

const api = { authorization: `Bearer ${E2E.apiKey}` };

test("the API reference renders the OpenAPI document offline, grouped by tag, with schemas and examples", async ({ page }) => {
  const outside = guardNetwork(page);
  await signIn(page, "SUPPORT");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API" }).click();
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  for (const tag of ["Webhooks", "Deliveries", "Events", "Resources", "Catalog", "Transfer", "Organization", "Operations"]) {
    await expect(page.getByRole("heading", { name: tag, level: 2 })).toBeVisible();
  }
  const create = page.getByRole("article", { name: "POST /api/v1/webhooks", exact: true });
  await expect(create).toContainText("Create a webhook");
  await expect(create).toContainText("Roles: Admin");
  await expect(create.getByRole("term").filter({ hasText: "eventTypes" }).first()).toContainText("required");
  await expect(create.getByLabel("Example request for POST /api/v1/webhooks", { exact: true })).toContainText("curl -X POST");
  await expect(create.getByLabel("Example request for POST /api/v1/webhooks", { exact: true })).toContainText('"eventTypes"');
  await shot(page, "api-reference");

  await page.getByLabel("Filter endpoints").fill("audit");
  await expect(page.getByRole("article", { name: "GET /api/v1/audit", exact: true })).toBeVisible();
  await expect(page.getByRole("article", { name: "POST /api/v1/webhooks", exact: true })).toHaveCount(0);
  await page.getByRole("article", { name: "GET /api/v1/audit", exact: true }).getByText("Response fields").click();
  await expect(page.getByRole("article", { name: "GET /api/v1/audit", exact: true }).getByText("nextCursor")).toBeVisible();
  await shot(page, "api-reference-filtered");

  const doc = await page.request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  expect((await doc.json()).openapi).toBe("3.1.0");
  expect(outside).toEqual([]);
});

test("the audit log shows who changed which webhook, with before → after, filtered by webhook and user", async ({ page }) => {
  // Changes through the API (the demo API key acts as "API key hy_e2e_de…").
  const name = `Audit e2e ${Date.now().toString(36)}`;
  const types = await (await page.request.get("/api/v1/event-types", { headers: api })).json();
  const template = types.eventTypes.find((t: { key: string }) => t.key === "alert.active").defaultTemplate;
  const created = await page.request.post("/api/v1/webhooks", { headers: api, data: { name, eventTypes: ["alert.active"], targetUrl: "https://hooks.example.com/e2e", template } });
  expect(created.status()).toBe(201);
  const { webhook } = await created.json();
  expect((await page.request.patch(`/api/v1/webhooks/${webhook.id}`, { headers: api, data: { name: `${name} (renamed)`, auth: { type: "BEARER", token: "e2e-secret-token-never-shown" } } })).status()).toBe(200);
  expect((await page.request.post(`/api/v1/webhooks/${webhook.id}/enable`, { headers: api })).status()).toBe(200);
  expect((await page.request.post(`/api/v1/webhooks/${webhook.id}/disable`, { headers: api })).status()).toBe(200);

  const outside = guardNetwork(page);
  await signIn(page, "ADMIN");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Audit log" });
  await expect(table).toContainText("Created webhook");
  await expect(table).toContainText("Changed webhook");

  await page.getByLabel("Webhook", { exact: true }).selectOption({ label: `${name} (renamed)` });
  await expect(table.getByRole("row")).toHaveCount(5); // header + created, updated, enabled, disabled
  await expect(table).toContainText("Enabled webhook");
  await expect(table).toContainText("Disabled webhook");
  await expect(table.getByLabel("name before")).toHaveText(name);
  await expect(table.getByLabel("name after")).toHaveText(`${name} (renamed)`);
  await expect(table.getByLabel("auth after")).toContainText("••••");
  await expect(page.locator("body")).not.toContainText("e2e-secret-token-never-shown");
  await shot(page, "audit-log");

  await page.getByLabel("User", { exact: true }).selectOption({ label: `API key ${E2E.apiKey.slice(0, 11)}… (API key)` });
  await expect(table.getByRole("row")).toHaveCount(5);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("From", { exact: true }).fill(tomorrow);
  await expect(page.getByRole("heading", { name: "No entries match these filters" })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(table).toContainText("Created webhook");
  expect(outside).toEqual([]);

  expect((await page.request.delete(`/api/v1/webhooks/${webhook.id}`, { headers: api })).status()).toBe(204);
});

test("import: preview of an export, then the webhooks are created disabled", async ({ page }) => {
  const name = `Transfer e2e ${Date.now().toString(36)}`;
  const types = await (await page.request.get("/api/v1/event-types", { headers: api })).json();
  const template = types.eventTypes.find((t: { key: string }) => t.key === "alert.active").defaultTemplate;
  const { webhook } = await (await page.request.post("/api/v1/webhooks", { headers: api, data: { name, eventTypes: ["alert.active"], targetUrl: "https://hooks.example.com/transfer", template, auth: { type: "BASIC", username: "u", password: "e2e-basic-password" } } })).json();
  const exported = await (await page.request.get(`/api/v1/webhooks/export?id=${webhook.id}`, { headers: api })).json();
  expect(JSON.stringify(exported)).not.toContain("e2e-basic-password");

  const outside = guardNetwork(page);
  await signIn(page, "ADMIN");
  await page.goto("/webhooks/import");
  await expect(page.getByRole("heading", { name: "Import webhooks", level: 1 })).toBeVisible();
  await page.getByLabel("Export document (JSON)").fill(JSON.stringify(exported, null, 2));
  await page.getByRole("button", { name: "Preview import" }).click();
  const item = page.getByRole("article", { name, exact: true });
  await expect(item).toContainText("Ready, with warnings");
  await expect(item.getByRole("list", { name: `Warnings of ${name}` })).toContainText("Basic authentication has no password");
  await expect(item.getByRole("list", { name: `Warnings of ${name}` })).toContainText("already exists");
  await shot(page, "import-preview");
  await page.getByRole("button", { name: "Import 1 webhook" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported 1 webhook (disabled)" })).toBeVisible();
  expect(outside).toEqual([]);

  const list = await (await page.request.get(`/api/v1/webhooks?q=${encodeURIComponent(name)}`, { headers: api })).json();
  expect(list.webhooks).toHaveLength(2);
  for (const w of list.webhooks) expect((await page.request.delete(`/api/v1/webhooks/${w.id}`, { headers: api })).status()).toBe(204);
});

test("the audit log and import are for admins; a support user sees no Audit log link", async ({ page }) => {
  await signIn(page, "SUPPORT");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
});
