/**
 * Issue 7, the admin UI, in Debian's Chromium against the built app, with a
 * local receiver for deliveries and the network beyond localhost closed.
 */
import { expect, test, type Page } from "@playwright/test";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { E2E } from "./env";
import { guardNetwork, shot, signIn } from "./helpers";
import { startReceiver, type TReceiver } from "./receiver";

const api = { authorization: `Bearer ${E2E.apiKey}` };

let receiver: TReceiver;
test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});

/** A screenshot of what is on screen (a modal dialog covers the viewport, not the full page). */
async function shotScreen(page: Page, name: string) {
  await page.screenshot({ path: `${E2E.screenshots}/${name}.png` });
}

/** Monaco's suggest widget rows. */
const suggestions = (page: Page) => page.locator(".monaco-editor .suggest-widget .monaco-list-row");

async function ingestAlert(page: Page, id: string) {
  const res = await page.request.post("/api/v1/events", {
    headers: api,
    data: { id, type: "alert.active", resource: "alert-cpu-90", data: { alert_name: "CPU above 90%", alert_element: "Processor(_Total)", workspace_name: "LT-0042" } },
  });
  expect(res.status()).toBe(202);
  const body = (await res.json()) as { messages: number };
  expect(body.messages).toBe(1);
}

test.describe.configure({ mode: "serial" });

test("an admin creates a webhook in the wizard, tests it, enables it and follows its deliveries", async ({ page }) => {
  test.setTimeout(240_000);
  const outside = guardNetwork(page);
  const name = "CPU alerts to the ops receiver";
  await signIn(page, "ADMIN");
  await shot(page, "webhooks-list-empty");
  await page.getByRole("link", { name: "New webhook" }).first().click();
  await expect(page.getByRole("heading", { name: "New webhook", level: 1 })).toBeVisible();

  // 1. Overview — errors show next to their fields.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("name must not be empty")).toBeVisible();
  await expect(page.getByText("Select an event type", { exact: true })).toBeVisible();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Event type").selectOption("alert.active");
  await page.getByLabel("Target URL").fill(`${receiver.url}/hooks/ops`);
  await page.getByLabel("Note (optional)").fill("Created by the e2e test.");
  await shot(page, "wizard-1-overview");
  await page.getByRole("button", { name: "Next" }).click();

  // 2. Items — pick one alert; "Send webhook for all alerts" is 003's wording.
  await expect(page.getByRole("heading", { name: /Step 2 of 5: Items/ })).toBeVisible();
  await page.getByLabel("Send webhook for all alerts").uncheck();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Select at least one item, or send the webhook for all of them")).toBeVisible();
  await page.getByLabel("Search alerts").fill("cpu");
  await page.getByRole("checkbox", { name: "CPU above 90%" }).check();
  await expect(page.getByText("1 selected")).toBeVisible();
  await shot(page, "wizard-2-items");
  await page.getByRole("button", { name: "Next" }).click();

  // 3. Message — Monaco served by the app; `#` completion; lint markers block saving.
  await expect(page.getByRole("heading", { name: /Step 3 of 5: Message/ })).toBeVisible();
  const editor = page.locator(".monaco-editor").first();
  await expect(editor).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel("Payload preview")).toContainText('"alert_name": "High CPU usage"');
  await editor.locator(".view-lines").click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type('"headline": "');
  await page.keyboard.type("#");
  await expect(suggestions(page).first()).toBeVisible();
  await page.keyboard.type("alert_na");
  const option = suggestions(page).filter({ hasText: "#alert_name" });
  await expect(option).toBeVisible();
  await expect(option).toContainText("Alert name");
  await shotScreen(page, "wizard-3-completion");
  await page.keyboard.press("Enter");
  await expect(suggestions(page)).toHaveCount(0);
  await page.keyboard.press("End");
  // Monaco closes the quote typed before "#" by itself, but not every time (2 of 6 local runs on a
  // busy machine left the line as "headline": "#alert_name): close it then, as an author would.
  const headlineLine = editor.locator(".view-line").filter({ hasText: "headline" });
  if (!(await headlineLine.innerText()).trimEnd().endsWith('"')) await page.keyboard.type('"');
  await page.keyboard.type(",");
  await expect(page.getByLabel("Payload preview")).toContainText('"headline": "High CPU usage"');
  // The variables panel inserts at the cursor (quoted, since the cursor is outside a string).
  await page.keyboard.press("Enter");
  await page.keyboard.type('"device": ');
  await page.getByRole("button", { name: "Insert #workspace_name: Device Name" }).click();
  await page.keyboard.type(",");
  await expect(page.getByLabel("Payload preview")).toContainText('"device": "CONTOSO-LT-0142"');
  await expect(page.getByText("No problems found in the template.")).toBeVisible();
  // The JSON Schema of the payload, for Power Automate.
  await page.getByRole("button", { name: "View JSON Schema" }).click();
  const schemaDialog = page.getByRole("dialog", { name: "JSON Schema of the payload" });
  await expect(schemaDialog.getByRole("textbox", { name: "JSON Schema" })).toHaveValue(/"\$schema": "https:\/\/json-schema.org\/draft\/2020-12\/schema"/);
  await expect(schemaDialog.getByRole("textbox", { name: "JSON Schema" })).toHaveValue(/"headline"/);
  await schemaDialog.getByRole("button", { name: "Close" }).first().click();
  await expect(schemaDialog).toBeHidden();
  await editor.locator(".view-lines").click();

  // An invalid template: a marker in the editor, the problem listed, Next blocked.
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" oops");
  await expect(editor.locator(".squiggly-error").first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Template problems" })).toContainText("Invalid JSON");
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await shot(page, "wizard-3-invalid-template");
  for (let i = 0; i < 5; i++) await page.keyboard.press("Backspace");
  await expect(page.getByText("No problems found in the template.")).toBeVisible();
  await expect(editor.locator(".squiggly-error")).toHaveCount(0);
  // The variables panel inserts at the cursor.
  await shot(page, "wizard-3-message");
  await page.getByRole("button", { name: "Next" }).click();

  // 4. Delivery
  await expect(page.getByRole("heading", { name: /Step 4 of 5: Delivery/ })).toBeVisible();
  await page.getByRole("button", { name: "Add header" }).click();
  await page.getByLabel("Header 1 name").fill("X-Environment");
  await page.getByLabel("Header 1 value").fill("e2e");
  await expect(page.getByLabel("Standard Webhooks signature")).toBeChecked();
  await shot(page, "wizard-4-delivery");
  await page.getByRole("button", { name: "Next" }).click();

  // 5. Review — saved disabled (Enable now not ticked).
  await expect(page.getByRole("heading", { name: /Step 5 of 5: Review/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Items summary" })).toContainText("CPU above 90%");
  await expect(page.getByLabel("Enable now")).not.toBeChecked();
  await shot(page, "wizard-5-review");
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.getByRole("heading", { name: "Webhook created" })).toBeVisible();
  const secret = ((await page.getByLabel("Signing secret").textContent()) ?? "").trim();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole("link", { name: "Open webhook" }).click();

  // Detail
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  const webhookId = page.url().split("/").pop()!;
  await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();
  await expect(page.getByText("Send webhook for all alerts")).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Selected resources" })).toContainText("CPU above 90%");
  await expect(page.getByRole("region", { name: "Payload template" }).locator(".monaco-editor")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel("Verification code (Node.js)")).toContainText("webhook-signature");
  await shot(page, "detail-overview");

  // Test: sample data → the receiver's status, duration and body shown inline; the request is signed.
  await page.getByRole("button", { name: "Test" }).click();
  const testDialog = page.getByRole("dialog", { name: `Test ${name}` });
  await expect(testDialog).toBeVisible();
  const before = receiver.received.length;
  await testDialog.getByRole("button", { name: "Send test" }).click();
  const result = testDialog.getByRole("region", { name: "Test result" });
  await expect(result).toContainText("Delivered");
  await expect(result).toContainText("Status 200");
  await expect(result).toContainText("received");
  await shotScreen(page, "detail-test-dialog");
  const testRequest = await receiver.waitFor(() => true, { from: before });
  expect(JSON.parse(testRequest.body).message.headline).toBe("High CPU usage");
  expect(testRequest.headers["x-environment"]).toBe("e2e");
  // The secret shown once verifies the signature (Standard Webhooks reference library).
  new StandardWebhook(secret).verify(testRequest.body, testRequest.headers as Record<string, string>);
  await testDialog.getByRole("button", { name: "Close" }).first().click();
  await expect(testDialog).toBeHidden();

  // Enable.
  await page.getByRole("button", { name: "Enable" }).click();
  await expect(page.getByRole("button", { name: "Disable" })).toBeVisible();
  await expect(page.getByText("Enabled", { exact: true }).first()).toBeVisible();

  // An event ingested through the API appears in the attempt table within seconds (live refresh).
  await page.getByRole("tab", { name: "Metrics" }).click();
  const attempts = page.getByRole("table", { name: "Delivery attempts" });
  await expect(attempts).toBeVisible();
  await ingestAlert(page, "e2e-alert-1");
  await expect(attempts.getByRole("row").filter({ hasText: "Successful" }).filter({ hasText: "200" })).toHaveCount(1, { timeout: 10_000 });
  // The chart follows at once (it polls every 10 s on its own; test sends are not in it).
  await expect(page.getByRole("img", { name: /^Attempts per day over \d+ days: 1 succeeded, 0 failed$/ })).toBeVisible({ timeout: 6_000 });
  await receiver.waitFor((r) => r.body.includes("LT-0042") || r.body.includes("CPU above 90%"));

  // A failing receiver: the failed attempt appears, its details show request and response.
  receiver.respondWith(500);
  await ingestAlert(page, "e2e-alert-2");
  const failedRow = attempts.getByRole("row").filter({ hasText: "Failed" }).filter({ hasText: "500" }).first();
  await expect(failedRow).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole("img", { name: /^Attempts per day over \d+ days: 1 succeeded, 1 failed$/ })).toBeVisible({ timeout: 6_000 });
  await page.getByRole("button", { name: "Failed", exact: true }).click();
  await expect(attempts.getByRole("row").filter({ hasText: "Successful" })).toHaveCount(0);
  await shot(page, "detail-metrics-failed-filter");
  await failedRow.getByRole("button", { name: /Details/ }).click();
  const details = page.getByRole("dialog", { name: "Attempt details" });
  await expect(details).toBeVisible();
  await expect(details.getByRole("region", { name: "Request" })).toContainText(`${receiver.url}/hooks/ops`);
  await expect(details.getByLabel("Request headers")).toContainText("webhook-signature");
  await expect(details.getByLabel("Request body")).toContainText("CPU above 90%");
  await expect(details.getByRole("region", { name: "Response" })).toContainText("500");
  await expect(details.getByLabel("Response body")).toContainText("receiver answers 500");
  await expect(details).toContainText("HTTP 500");
  await shotScreen(page, "detail-attempt-dialog");

  // Retry now succeeds once the receiver is fixed.
  receiver.respondWith(200);
  await details.getByRole("button", { name: "Retry now" }).click();
  // Under load the automatic retry (5 s after the failure) may have run first: then the
  // dialog says so instead of queueing a second try. Either way the message must succeed.
  await expect(details).toContainText(/Retry queued|being delivered right now|already delivered/);
  await expect(details.getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 10_000 });
  await details.getByRole("button", { name: "Close" }).first().click();
  await page.getByRole("button", { name: "All", exact: true }).click();
  await expect(attempts.getByRole("row").filter({ hasText: "manual" }).filter({ hasText: "Successful" })).toHaveCount(1, { timeout: 10_000 });

  // Metric cards match the database: 2 messages, both delivered in the end (counted once).
  const metricsRes = await page.request.get(`/api/v1/webhooks/${webhookId}/metrics`, { headers: api });
  const { metrics } = (await metricsRes.json()) as { metrics: { successful: number; pending: number; inProgress: number; failed: number; total: number; successRate: number } };
  expect(metrics).toMatchObject({ successful: 2, pending: 0, inProgress: 0, failed: 0, total: 2, successRate: 1 });
  const card = (label: string) => page.getByRole("group", { name: label, exact: true });
  await expect(card("Successful")).toContainText(String(metrics.successful));
  await expect(card("Pending")).toContainText(String(metrics.pending));
  await expect(card("In progress")).toContainText(String(metrics.inProgress));
  await expect(card("Failed")).toContainText(String(metrics.failed));
  await expect(card("Total messages")).toContainText(String(metrics.total));
  await expect(card("Success rate")).toContainText("100%");
  await expect(page.getByRole("img", { name: /Attempts per day/ })).toBeVisible();
  await shot(page, "detail-metrics");

  // The list shows it with its success rate and last delivery; search finds it.
  await page.getByRole("link", { name: "Webhooks" }).first().click();
  const list = page.getByRole("table", { name: "Webhooks" });
  await expect(list.getByRole("row").filter({ hasText: name })).toContainText("100%");
  await page.getByLabel("Search webhooks").fill("ops receiver");
  await expect(list.getByRole("link", { name })).toBeVisible();
  await page.getByLabel("Status").selectOption("disabled");
  await expect(page.getByRole("heading", { name: "No webhooks match" })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(list.getByRole("link", { name })).toBeVisible();
  await shot(page, "webhooks-list");

  expect(outside).toEqual([]);
});

test("a refused target and a failed save keep everything typed and show the reason next to the field", async ({ page }) => {
  await signIn(page, "ADMIN");
  await page.goto("/webhooks/new");
  await page.getByLabel("Name").fill("Basic-auth receiver");
  await page.getByLabel("Event type").selectOption("microservice.executed");
  // Refused whatever the installation allows: a cloud metadata endpoint.
  await page.getByLabel("Target URL").fill("http://169.254.169.254/latest");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText(/cloud metadata endpoint/)).toBeVisible();
  await expect(page.getByRole("heading", { name: /Step 1 of 5/ })).toBeVisible();
  await page.getByLabel("Target URL").fill(`${receiver.url}/basic`);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("heading", { name: /Step 2 of 5/ })).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("heading", { name: /Step 3 of 5/ })).toBeVisible();
  await page.getByRole("button", { name: "Use the Teams preset" }).click();
  await expect(page.getByLabel("Payload preview")).toContainText("MessageCard");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Authentication method").selectOption("BASIC");
  await page.getByLabel("User name").fill("hookyard");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Create webhook" }).click();
  // The server needs the password: back on Delivery, the reason next to the field, nothing lost.
  await expect(page.getByRole("heading", { name: /Step 4 of 5: Delivery/ })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "basic authentication needs its secret" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("User name")).toHaveValue("hookyard");
  await shot(page, "wizard-failed-save");
  await page.getByLabel("Password").fill("s3cret-password");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("region", { name: "Overview summary" })).toContainText("Basic-auth receiver");
  await expect(page.getByLabel("Template")).toContainText("MessageCard");
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.getByRole("heading", { name: "Webhook created" })).toBeVisible();
});

test("a support user sees no Edit or Delete, and the server refuses them anyway", async ({ page }) => {
  const created = await page.request.post("/api/v1/webhooks", {
    headers: api,
    data: { name: "Support visibility check", eventTypes: ["microservice.executed"], targetUrl: `${receiver.url}/support`, template: '{"m": "#microservice_name"}' },
  });
  expect(created.status()).toBe(201);
  const { webhook } = (await created.json()) as { webhook: { id: string } };

  await signIn(page, "SUPPORT");
  await page.goto(`/webhooks/${webhook.id}`);
  await expect(page.getByRole("heading", { name: "Support visibility check", level: 1 })).toBeVisible();
  for (const name of ["Edit", "Edit template", "Delete", "Enable", "Disable", "Test", "Rotate secret", "Reveal secret"]) {
    await expect(page.getByRole("button", { name, exact: true }).or(page.getByRole("link", { name, exact: true }))).toHaveCount(0);
  }
  await page.getByRole("tab", { name: "Metrics" }).click();
  await expect(page.getByRole("button", { name: "Recover failed since…" })).toBeVisible();
  await shot(page, "detail-support");

  // The server refuses what the UI hides (same session cookie).
  expect((await page.request.delete(`/api/v1/webhooks/${webhook.id}`)).status()).toBe(403);
  expect((await page.request.patch(`/api/v1/webhooks/${webhook.id}`, { data: { name: "renamed" } })).status()).toBe(403);
  expect((await page.request.post(`/api/v1/webhooks/${webhook.id}/reveal-secret`)).status()).toBe(403);
  await page.goto(`/webhooks/${webhook.id}/edit`);
  await expect(page.getByRole("heading", { name: "You cannot edit webhooks" })).toBeVisible();
  const still = await page.request.get(`/api/v1/webhooks/${webhook.id}`, { headers: api });
  expect(((await still.json()) as { webhook: { name: string } }).webhook.name).toBe("Support visibility check");
});

test("a template author edits only the template", async ({ page }) => {
  const created = await page.request.post("/api/v1/webhooks", {
    headers: api,
    data: { name: "Author template check", eventTypes: ["object.created"], targetUrl: `${receiver.url}/author`, template: '{"entity": "#entity_name"}' },
  });
  const { webhook } = (await created.json()) as { webhook: { id: string } };
  await signIn(page, "AUTHOR");
  await page.goto(`/webhooks/${webhook.id}`);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Enable" })).toHaveCount(0);
  await page.getByRole("link", { name: "Edit template" }).click();
  await expect(page.getByRole("heading", { name: /Step 1 of 2: Message/ })).toBeVisible();
  await expect(page.locator(".monaco-editor").first()).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Use the Slack preset" }).click();
  await expect(page.getByLabel("Payload preview")).toContainText('"blocks"');
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/webhooks/${webhook.id}$`));
  await expect(page.getByRole("heading", { name: "Author template check", level: 1, exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Payload template" })).toContainText("blocks");
  const res = await page.request.get(`/api/v1/webhooks/${webhook.id}`, { headers: api });
  const saved = ((await res.json()) as { webhook: { template: string; targetUrl: string } }).webhook;
  expect(saved.template).toContain('"blocks"');
  expect(saved.targetUrl).toBe(`${receiver.url}/author`);
  // The server refuses an author's change of the URL.
  expect((await page.request.patch(`/api/v1/webhooks/${webhook.id}`, { data: { targetUrl: "https://example.com/x" } })).status()).toBe(403);
});

test("an admin edits a webhook (stored values loaded, secrets kept) and deletes it by typing its name", async ({ page }) => {
  const created = await page.request.post("/api/v1/webhooks", {
    headers: api,
    data: {
      name: "Edit and delete check",
      eventTypes: ["operation.executed"],
      targetUrl: `${receiver.url}/edit`,
      template: '{"op": "#operation_type"}',
      allResources: false,
      resources: ["op-restart"],
      auth: { type: "BASIC", username: "svc", password: "kept-password-123" },
    },
  });
  expect(created.status()).toBe(201);
  const { webhook } = (await created.json()) as { webhook: { id: string } };
  await signIn(page, "ADMIN");
  await page.goto(`/webhooks/${webhook.id}`);
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page.getByLabel("Name")).toHaveValue("Edit and delete check");
  await page.getByLabel("Name").fill("Edited webhook");
  await page.getByRole("button", { name: /^Items/ }).click();
  await expect(page.getByRole("checkbox", { name: "Restart" })).toBeChecked();
  await page.getByRole("button", { name: /^Delivery/ }).click();
  await expect(page.getByLabel("User name")).toHaveValue("svc");
  await expect(page.getByText(/Stored \(••••.*\)\. Leave blank to keep it\./)).toBeVisible();
  await page.getByRole("button", { name: /^Review/ }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { name: "Edited webhook", level: 1, exact: true })).toBeVisible();
  const saved = ((await (await page.request.get(`/api/v1/webhooks/${webhook.id}`, { headers: api })).json()) as { webhook: { auth: { type: string; username: string; secret: string } } }).webhook;
  expect(saved.auth).toMatchObject({ type: "BASIC", username: "svc", secret: "••••-123" });

  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete webhook" });
  await expect(dialog).toContainText("permanently");
  await expect(dialog.getByRole("button", { name: "Delete permanently" })).toBeDisabled();
  await dialog.getByLabel(/Type the name/).fill("Edited");
  await expect(dialog.getByRole("button", { name: "Delete permanently" })).toBeDisabled();
  await dialog.getByLabel(/Type the name/).fill("Edited webhook");
  await dialog.getByRole("button", { name: "Delete permanently" }).click();
  await expect(page).toHaveURL(/\/webhooks$/);
  expect((await page.request.get(`/api/v1/webhooks/${webhook.id}`, { headers: api })).status()).toBe(404);
});
