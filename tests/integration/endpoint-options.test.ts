import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import crypto from "node:crypto";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { TEST_ENCRYPTION_KEYS, type TTestDb } from "./helpers/db";
import { closeDeliveryFixture, openDeliveryFixture, resetDeliveryFixture } from "./helpers/delivery-fixture";
import { createTwoOrgs } from "./helpers/fixtures";
import { makeWebhook } from "./helpers/webhooks";
import { callRoute } from "./helpers/http";
import { respond, startReceiver, type TReceiver } from "../helpers/receiver";
import { generatePki } from "../helpers/pki";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { rotateSigningSecret, setWebhookEnabled, getWebhook, revealSigningSecret } from "@/lib/domain/webhooks";
import { openWebhookSecrets, reencryptWebhookSecrets } from "@/lib/domain/webhook-secrets";
import { recoverFailedMessages } from "@/lib/domain/deliveries";
import { setKeyring } from "@/lib/crypto/keyring";
import { generateKeySpec, parseKeyring, SecretDecryptError } from "@/lib/crypto/secrets";
import * as webhookRoute from "@/app/api/v1/webhooks/[id]/route";
import * as webhooksRoute from "@/app/api/v1/webhooks/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;

beforeAll(async () => {
  ({ t, orgs, rx } = await openDeliveryFixture());
});
afterAll(() => closeDeliveryFixture({ t, rx }));
afterEach(() => resetDeliveryFixture({ t, rx }, { forgetDisabled: true }));

const admin = () => orgs.a.admin.actor;
const alert = (extra: Record<string, unknown> = {}) => ({ type: "alert.active", data: { alert_name: "CPU", ...extra } });
const hmac = (key: string | Buffer, body: string) => crypto.createHmac("sha256", key).update(body).digest();

describe("signatures", () => {
  it("adds the hex and base64 forms over the exact bytes sent", async () => {
    const { signingSecret } = await makeWebhook(admin(), rx.url, { signing: { standard: true, hexHeader: "X-Acme-Signature", base64: true } });
    await ingestEvent({ actor: admin(), input: alert() });
    await runDeliveryPass();
    const got = rx.received[0]!;
    expect(got.headers["x-acme-signature"]).toBe(`sha256=${hmac(signingSecret, got.body).toString("hex")}`);
    expect(got.headers["x-webhook-signature"]).toBe(hmac(signingSecret, got.body).toString("base64"));
    expect(() => new StandardWebhook(signingSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
  });

  it("signs with old and new secret during the rotation grace period, then with the new one only", async () => {
    const t0 = new Date("2026-05-01T00:00:00Z");
    const { webhook, signingSecret: oldSecret } = await makeWebhook(admin(), rx.url);
    const { signingSecret: newSecret } = await rotateSigningSecret({ actor: admin(), id: webhook.id, now: t0, graceMs: 24 * 3_600_000 });
    const deliverAt = async (at: Date) => {
      await ingestEvent({ actor: admin(), input: alert(), now: at });
      await runDeliveryPass({ now: () => at });
      return rx.received[rx.received.length - 1]!;
    };
    const during = await deliverAt(new Date(t0.getTime() + 3_600_000));
    const sigs = String(during.headers["webhook-signature"]).split(" ");
    expect(sigs).toHaveLength(2);
    // standardwebhooks checks the timestamp against the real clock: verify the HMACs directly too.
    const content = `${during.headers["webhook-id"]}.${during.headers["webhook-timestamp"]}.${during.body}`;
    const expected = (s: string) => `v1,${hmac(Buffer.from(s.slice(6), "base64"), content).toString("base64")}`;
    expect(sigs).toEqual([expected(newSecret), expected(oldSecret)]);
    const after = await deliverAt(new Date(t0.getTime() + 25 * 3_600_000));
    const content2 = `${after.headers["webhook-id"]}.${after.headers["webhook-timestamp"]}.${after.body}`;
    expect(String(after.headers["webhook-signature"])).toBe(`v1,${hmac(Buffer.from(newSecret.slice(6), "base64"), content2).toString("base64")}`);
  });

  it("reveals the signing secret to admins only, audited", async () => {
    const { webhook, signingSecret } = await makeWebhook(admin(), rx.url);
    expect(await revealSigningSecret({ actor: admin(), id: webhook.id })).toEqual({ signingSecret });
    await expect(revealSigningSecret({ actor: orgs.a.support.actor, id: webhook.id })).rejects.toMatchObject({ status: 403 });
    await expect(revealSigningSecret({ actor: orgs.b.admin.actor, id: webhook.id })).rejects.toMatchObject({ status: 404 });
    expect(await t.db.auditEntry.count({ where: { targetId: webhook.id, action: "webhook.secret_revealed" } })).toBe(1);
  });
});

describe("authentication to the endpoint and request shape", () => {
  it("sends Basic, Bearer and API-key credentials", async () => {
    await makeWebhook(admin(), rx.url, { auth: { type: "BASIC", username: "acme", password: "s3cr3t-basic-pw" } });
    await makeWebhook(admin(), rx.url, { auth: { type: "BEARER", token: "tok-bearer-123456" } });
    await makeWebhook(admin(), rx.url, { auth: { type: "API_KEY", header: "X-Api-Key", value: "key-value-987654" } });
    await ingestEvent({ actor: admin(), input: alert() });
    await runDeliveryPass();
    const auths = rx.received.map((r) => r.headers.authorization ?? `x-api-key ${r.headers["x-api-key"]}`).sort();
    expect(auths).toEqual([`Basic ${Buffer.from("acme:s3cr3t-basic-pw").toString("base64")}`, "Bearer tok-bearer-123456", "x-api-key key-value-987654"].sort());
    // The attempt log keeps them masked.
    const logged = JSON.stringify(await t.db.attempt.findMany({ select: { requestHeaders: true } }));
    for (const secret of ["s3cr3t-basic-pw", "tok-bearer-123456", "key-value-987654", Buffer.from("acme:s3cr3t-basic-pw").toString("base64")]) expect(logged).not.toContain(secret);
  });

  it("presents a client certificate to a server that requires one (mTLS)", async () => {
    const pki = generatePki();
    const server = https.createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      res.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject?.CN}`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const withCert = await makeWebhook(admin(), url, { auth: { type: "CERTIFICATE", cert: pki.clientCert, key: pki.clientKey, ca: pki.ca } });
      await ingestEvent({ actor: admin(), input: alert() });
      await runDeliveryPass();
      const ok = await t.db.attempt.findFirstOrThrow({ where: { webhookId: withCert.webhook.id } });
      expect(ok).toMatchObject({ success: true, statusCode: 200, responseBody: "hello client.test" });
      // The client key is stored encrypted, never in the webhook row.
      expect(JSON.stringify(await t.db.webhook.findUniqueOrThrow({ where: { id: withCert.webhook.id } }))).not.toContain("PRIVATE KEY");
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it("uses the configured method, content type and custom headers; GET sends no body", async () => {
    await makeWebhook(admin(), rx.url, { method: "PUT", contentType: "application/vnd.acme+json", customHeaders: [{ name: "X-Tenant", value: "acme" }] });
    await ingestEvent({ actor: admin(), input: alert() });
    await runDeliveryPass();
    expect(rx.received[0]).toMatchObject({ method: "PUT", headers: { "content-type": "application/vnd.acme+json", "x-tenant": "acme" } });
    await t.db.webhook.updateMany({ data: { enabled: false } });
    await makeWebhook(admin(), rx.url, { method: "GET" });
    await ingestEvent({ actor: admin(), input: alert() });
    await runDeliveryPass();
    expect(rx.received[1]).toMatchObject({ method: "GET", body: "" });
    expect(rx.received[1]!.headers["content-type"]).toBeUndefined();
  });

  it("refuses reserved or malformed custom headers and CR/LF values, naming the field", async () => {
    await expect(makeWebhook(admin(), rx.url, { customHeaders: [{ name: "Authorization", value: "x" }] })).rejects.toMatchObject({ status: 400, issues: [{ path: "customHeaders.0.name" }] });
    await expect(makeWebhook(admin(), rx.url, { customHeaders: [{ name: "X-Ok", value: "a\r\nInjected: 1" }] })).rejects.toMatchObject({ issues: [{ path: "customHeaders.0.value" }] });
    await expect(makeWebhook(admin(), rx.url, { auth: { type: "BEARER" } })).rejects.toMatchObject({ issues: [{ path: "auth.token" }] });
  });
});

describe("secrets at rest", () => {
  it("the database holds no plaintext secret and API responses show only masks", async () => {
    const { webhook, signingSecret } = await makeWebhook(admin(), rx.url, { auth: { type: "BEARER", token: "plain-token-abcdef-123" } });
    const dump: string[] = [];
    for (const table of ["Webhook", "WebhookSecret", "AuditEntry", "Event", "Message"]) {
      dump.push(JSON.stringify(await t.db.$queryRawUnsafe(`SELECT * FROM "${table}"`)));
    }
    const all = dump.join("\n");
    expect(all).not.toContain(signingSecret);
    expect(all).not.toContain(signingSecret.slice(6, 30));
    expect(all).not.toContain("plain-token-abcdef-123");
    const res = await callRoute(webhookRoute.GET, { key: orgs.a.apiKey.key, params: { id: webhook.id } });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain("plain-token-abcdef-123");
    expect(text).not.toContain(signingSecret.slice(6, 30));
    expect(res.body.webhook.auth).toMatchObject({ type: "BEARER", secret: "••••-123" });
    const list = await callRoute(webhooksRoute.GET, { key: orgs.a.apiKey.key });
    expect(JSON.stringify(list.body)).not.toContain("plain-token");
  });

  it("a ciphertext copied to another webhook does not decrypt", async () => {
    const a = await makeWebhook(admin(), rx.url);
    const b = await makeWebhook(admin(), rx.url);
    const sealed = await t.db.webhookSecret.findFirstOrThrow({ where: { webhookId: a.webhook.id, field: "signing" } });
    await t.db.webhookSecret.updateMany({ where: { webhookId: b.webhook.id, field: "signing" }, data: { ciphertext: sealed.ciphertext } });
    await expect(openWebhookSecrets({ organizationId: orgs.a.org.id, webhookId: b.webhook.id })).rejects.toBeInstanceOf(SecretDecryptError);
  });

  it("key rotation + re-encrypt leaves nothing under the old key", async () => {
    const { webhook: rotated } = await makeWebhook(admin(), rx.url, { auth: { type: "BASIC", username: "u", password: "rotate-me-please" } });
    const oldRing = parseKeyring(TEST_ENCRYPTION_KEYS);
    const newSpec = generateKeySpec("new");
    setKeyring(parseKeyring(`${newSpec},${TEST_ENCRYPTION_KEYS}`));
    try {
      expect(await t.db.webhookSecret.count({ where: { keyId: oldRing.active } })).toBeGreaterThan(0);
      // The earlier test left one deliberately corrupted value behind: reported, not fatal.
      const result = await reencryptWebhookSecrets({ batchSize: 3 });
      expect(result.undecryptable).toHaveLength(1);
      await t.db.webhookSecret.deleteMany({ where: { id: { in: result.undecryptable } } });
      expect(result.reencrypted).toBeGreaterThan(3);
      expect(await t.db.webhookSecret.count({ where: { keyId: oldRing.active } })).toBe(0);
      // Only the new key is needed from now on.
      setKeyring(parseKeyring(newSpec));
      expect((await openWebhookSecrets({ organizationId: orgs.a.org.id, webhookId: rotated.id })).auth["auth.password"]).toBe("rotate-me-please");
    } finally {
      setKeyring(parseKeyring(TEST_ENCRYPTION_KEYS));
      await t.db.webhookSecret.deleteMany({});
    }
  });
});

describe("failure handling", () => {
  it("auto-disables after N failed messages, notifies, keeps later events as skipped and recoverable", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url, { autoDisableAfter: 2 });
    rx.setHandler(respond(410));
    await ingestEvent({ actor: admin(), input: alert() });
    await runDeliveryPass();
    expect((await getWebhook({ actor: admin(), id: webhook.id })).enabled).toBe(true);
    await ingestEvent({ actor: admin(), input: alert() });
    await runDeliveryPass();
    const disabled = await getWebhook({ actor: admin(), id: webhook.id });
    expect(disabled).toMatchObject({ enabled: false, consecutiveFailures: 2 });
    expect(disabled.disabledReason).toMatch(/Auto-disabled after 2 consecutive failed messages/);
    expect(await t.db.notification.count({ where: { kind: "webhook.disabled", userId: orgs.a.admin.user.id } })).toBe(1);
    expect(await t.db.notification.count({ where: { kind: "webhook.disabled", userId: orgs.a.support.user.id } })).toBe(0);

    const skipped = await ingestEvent({ actor: admin(), input: alert() });
    expect(skipped).toMatchObject({ messages: 0, skipped: 1 });
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SKIPPED" } })).toBe(1);

    rx.setHandler(respond(200));
    await setWebhookEnabled({ actor: admin(), id: webhook.id, enabled: true });
    expect((await recoverFailedMessages({ actor: admin(), id: webhook.id, since: new Date(Date.now() - 60_000) })).recovered).toBe(3);
    await runDeliveryPass();
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })).toBe(3);
    expect((await getWebhook({ actor: admin(), id: webhook.id })).consecutiveFailures).toBe(0);
  });

  it("the loop guard stops a self-triggering chain at the webhook's threshold", async () => {
    await makeWebhook(admin(), rx.url, { loopThreshold: 3 });
    // The receiver is the platform: each delivery causes a new event, passing the causation depth on.
    rx.setHandler((req, res) => {
      res.end("ok");
      void ingestEvent({ actor: admin(), input: { ...alert(), causationDepth: Number(req.headers["x-hookyard-causation-depth"]) } });
    });
    await ingestEvent({ actor: admin(), input: alert() });
    for (let i = 0; i < 10; i++) {
      await runDeliveryPass();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rx.received.map((r) => r.headers["x-hookyard-causation-depth"])).toEqual(["1", "2", "3", "4"]);
    expect(await t.db.event.count({ where: { organizationId: orgs.a.org.id, causationDepth: 4, messageCount: 0 } })).toBe(1);
  });
});

describe("operational webhook", () => {
  it("receives hookyard.message_failed and hookyard.webhook_disabled, never about itself", async () => {
    const ops = await startReceiver();
    try {
      const { getEventType } = await import("@/lib/catalog");
      const opsHook = await makeWebhook(admin(), ops.url, { eventTypes: ["hookyard.message_failed", "hookyard.webhook_disabled"], template: getEventType("hookyard.message_failed").defaultTemplate });
      const { webhook } = await makeWebhook(admin(), rx.url, { autoDisableAfter: 1 });
      rx.setHandler(respond(410, "gone"));
      await ingestEvent({ actor: admin(), input: alert() });
      await runDeliveryPass();
      await runDeliveryPass();
      const types = ops.received.map((r) => JSON.parse(r.body).event_type).sort();
      expect(types).toEqual(["hookyard.message_failed", "hookyard.webhook_disabled"]);
      const failed = JSON.parse(ops.received.find((r) => r.body.includes("message_failed"))!.body);
      expect(failed.webhook).toMatchObject({ id: webhook.id, target_url: rx.url });
      expect(failed.message).toMatchObject({ attempts: "1", last_status_code: "410" });
      // The operational webhook failing itself produces no operational event.
      ops.setHandler(respond(410));
      const before = await t.db.event.count({ where: { type: { startsWith: "hookyard." } } });
      await t.db.webhook.update({ where: { id: webhook.id }, data: { enabled: true, autoDisableAfter: 0 } });
      await ingestEvent({ actor: admin(), input: alert() });
      await runDeliveryPass();
      await runDeliveryPass();
      const after = await t.db.event.count({ where: { type: { startsWith: "hookyard." } } });
      expect(after).toBe(before + 1);
      expect(await t.db.message.count({ where: { webhookId: opsHook.webhook.id, status: "FAILED" } })).toBe(1);
      await expect(ingestEvent({ actor: admin(), input: { type: "hookyard.message_failed", data: {} } })).rejects.toMatchObject({ status: 400, issues: [{ path: "type" }] });
    } finally {
      await ops.close();
    }
  });
});

describe("batching", () => {
  it("time-based: a window's messages go in one request as a JSON array, each with its own attempt", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url, { batching: { mode: "TIME", intervalSeconds: 10, count: null, limit: null } });
    const t0 = new Date("2026-06-01T00:00:01Z");
    for (let i = 0; i < 3; i++) await ingestEvent({ actor: admin(), input: alert({ alert_name: `a${i}` }), now: t0 });
    expect((await runDeliveryPass({ now: () => t0 })).claimed).toBe(0);
    const window = new Date("2026-06-01T00:00:10Z");
    expect((await runDeliveryPass({ now: () => window })).succeeded).toBe(3);
    expect(rx.received).toHaveLength(1);
    const batch = JSON.parse(rx.received[0]!.body) as { message: { alert: { name: string } } }[];
    expect(batch.map((m) => JSON.stringify(m)).join()).toMatch(/a0.*a1.*a2|a0|a1|a2/);
    expect(batch).toHaveLength(3);
    expect(String(rx.received[0]!.headers["x-hookyard-message-ids"]).split(",")).toHaveLength(3);
    expect(await t.db.attempt.count({ where: { webhookId: webhook.id, success: true } })).toBe(3);
  });

  it("count-based: sends when L messages wait (or after the longest wait), capped by the batch limit", async () => {
    const { webhook } = await makeWebhook(admin(), rx.url, { batching: { mode: "COUNT", intervalSeconds: 30, count: 3, limit: 2 } });
    const t0 = new Date("2026-06-02T00:00:00Z");
    await ingestEvent({ actor: admin(), input: alert(), now: t0 });
    await ingestEvent({ actor: admin(), input: alert(), now: t0 });
    expect((await runDeliveryPass({ now: () => t0 })).claimed).toBe(0);
    await ingestEvent({ actor: admin(), input: alert(), now: t0 });
    expect((await runDeliveryPass({ now: () => t0 })).succeeded).toBe(3);
    expect(rx.received.map((r) => (JSON.parse(r.body) as unknown[]).length).sort()).toEqual([1, 2]);
    // One lone message goes after the longest wait.
    await ingestEvent({ actor: admin(), input: alert(), now: t0 });
    expect((await runDeliveryPass({ now: () => new Date(t0.getTime() + 29_000) })).claimed).toBe(0);
    expect((await runDeliveryPass({ now: () => new Date(t0.getTime() + 30_000) })).succeeded).toBe(1);
    expect(await t.db.message.count({ where: { webhookId: webhook.id, status: "SUCCEEDED" } })).toBe(4);
  });
});
