import { expect, test } from "@playwright/test";
import { guardNetwork, shot, signIn } from "./helpers";
import { E2E } from "./env";

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/webhooks");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(E2E.emails.ADMIN);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
  await shot(page, "sign-in-error");
});

test("the admin signs in, sees the webhooks page, the settings pages, and signs out", async ({ page }) => {
  const outside = guardNetwork(page);
  await page.goto("/sign-in");
  await shot(page, "sign-in");
  await signIn(page, "ADMIN");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No webhooks yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New webhook" })).toBeVisible();
  await shot(page, "webhooks-empty");

  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("table", { name: "Members" })).toContainText(E2E.emails.SUPPORT);
  await page.getByLabel("Email").fill("new.hire@acme.test");
  await page.getByLabel("Role", { exact: true }).selectOption("AUTHOR");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  await expect(page.getByLabel("Invitation link")).toContainText("/invite/");
  await expect(page.getByRole("table", { name: "Members" })).toContainText("new.hire@acme.test");
  await shot(page, "settings-members");

  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill("Monitoring platform");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByLabel("New API key").textContent()) ?? "";
  expect(key).toMatch(/^hy_/);
  await expect(page.getByRole("table", { name: "API keys" })).toContainText("Monitoring platform");
  await shot(page, "settings-api-keys");

  // The key just shown works against the API.
  const res = await page.request.get("/api/v1/resources?kind=alert", { headers: { authorization: `Bearer ${key}` } });
  expect(res.status()).toBe(200);
  expect((await res.json()).resources.map((r: { name: string }) => r.name)).toContain("CPU above 90%");

  // Revoked in the console (a server action), it is refused by the API at once, although the API remembers keys for a few seconds.
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Revoke Monitoring platform" }).click();
  await expect(page.getByRole("table", { name: "API keys" }).getByRole("row", { name: /Monitoring platform/ })).toContainText("Revoked");
  await expect(page.getByLabel("New API key")).toHaveCount(0);
  await shot(page, "settings-api-key-revoked");
  const after = await page.request.get("/api/v1/resources?kind=alert", { headers: { authorization: `Bearer ${key}` } });
  expect(after.status()).toBe(401);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/webhooks");
  await expect(page).toHaveURL(/\/sign-in/);
  expect(outside).toEqual([]);
});

test("a support user sees no New button and no API keys page", async ({ page }) => {
  await signIn(page, "SUPPORT");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "New webhook" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "API keys" })).toHaveCount(0);
  await page.goto("/settings/api-keys");
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
});

test("health is 200 on the embedded database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: { status: "ok", kind: "pglite" } });
});

test("server actions refuse a foreign Origin and Origin: null", async ({ page }) => {
  await signIn(page, "ADMIN");
  await page.goto("/settings/api-keys");
  // Capture the real server-action request the form sends…
  const captured = page.waitForRequest((req) => req.method() === "POST" && Boolean(req.headers()["next-action"]));
  await page.getByLabel("Key name").fill("Origin probe");
  await page.getByRole("button", { name: "Create key" }).click();
  const req = await captured;
  await expect(page.getByLabel("New API key")).toBeVisible();
  const count = async () => ((await (await page.request.get("/api/v1/api-keys")).json()).apiKeys as { name: string }[]).filter((k) => k.name === "Origin probe").length;
  expect(await count()).toBe(1);
  // …and replay it from elsewhere: nothing may be created.
  for (const origin of ["https://evil.example", "null"]) {
    const res = await page.request.post(req.url(), { headers: { ...req.headers(), origin }, data: req.postDataBuffer() ?? undefined });
    const text = await res.text();
    expect(text).not.toContain("hy_");
    expect(await count()).toBe(1);
  }
});
