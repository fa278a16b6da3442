/**
 * Log redaction: with every log line of the process captured (the real
 * logger's options on an in-memory stream, level trace), no secret handed to
 * Hookyard in this file ever appears — not from the real flows (webhooks with
 * endpoint secrets, deliveries, tests, rotation, import), not from errors
 * whose message quotes a connection string or a key, and not from objects
 * logged with secrets at the redacted paths.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
const captured = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock("@/lib/log", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/log")>();
  return { ...actual, logger: actual.createLogger({ write: (line: string) => void captured.lines.push(line) }, "trace") };
});
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import { createTestDb, type TTestDb } from "./helpers/db";
import { createTwoOrgs } from "./helpers/fixtures";
import { signInAs } from "./helpers/session";
import { callRoute } from "./helpers/http";
import { respond, startReceiver, type TReceiver } from "../helpers/receiver";
import { logger, LOG_CENSOR, scrubText } from "@/lib/log";
import { errorResponse } from "@/lib/http/api";
import { runAction } from "@/lib/http/action";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { ingestEvent } from "@/lib/delivery/ingest";
import { runDeliveryPass } from "@/lib/delivery/engine";
import { closeHttpAgents } from "@/lib/delivery/http";
import { createWebhook, revealSigningSecret, rotateSigningSecret, updateWebhook } from "@/lib/domain/webhooks";
import { testWebhook } from "@/lib/domain/deliveries";
import { createApiKey } from "@/lib/domain/api-keys";
import { exportWebhooks, importWebhooks } from "@/lib/domain/transfer";
import { getEventType } from "@/lib/catalog";
import { z } from "zod";
import * as webhooksRoute from "@/app/api/v1/webhooks/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
let rx: TReceiver;
const secrets: string[] = [];
const secret = (s: string) => (secrets.push(s), s);

beforeAll(async () => {
  setDeliveryAllowPrivate(true);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  rx = await startReceiver(respond(500));
  secrets.push(orgs.a.apiKey.key, orgs.b.apiKey.key);
});
afterAll(async () => {
  await rx.close();
  await closeHttpAgents();
  await t.close();
  setDeliveryAllowPrivate(undefined);
});

function assertNoSecretLogged() {
  const text = captured.lines.join("");
  for (const s of secrets) expect(text.includes(s), `a log line contains the secret ${s.slice(0, 6)}…`).toBe(false);
}

describe("log redaction", () => {
  it("the real flows never log a secret", async () => {
    const admin = orgs.a.admin.actor;
    const template = getEventType("alert.active").defaultTemplate;
    const { webhook, signingSecret } = await createWebhook({
      actor: admin,
      input: { name: "Secretive", eventTypes: ["alert.active"], targetUrl: rx.url, template, enabled: true, auth: { type: "BEARER", token: secret("bearer-LOGSECRET-1") } },
    });
    secret(signingSecret);
    await updateWebhook({ actor: admin, id: webhook.id, input: { auth: { type: "BASIC", username: "u", password: secret("basic-LOGSECRET-2") } } });
    await ingestEvent({ actor: admin, input: { type: "alert.active", data: { alert_name: "CPU" } } });
    await runDeliveryPass(); // 500: fails and retries
    await testWebhook({ actor: admin, id: webhook.id, mode: "raw" });
    secret((await rotateSigningSecret({ actor: admin, id: webhook.id })).signingSecret);
    secret((await revealSigningSecret({ actor: admin, id: webhook.id })).signingSecret);
    secret((await createApiKey({ actor: admin, input: { name: "k", role: "ADMIN" } })).key);
    const doc = await exportWebhooks({ actor: admin });
    (doc.webhooks[0]!.auth as Record<string, unknown>).password = secret("import-LOGSECRET-3");
    await importWebhooks({ actor: orgs.b.admin.actor, input: { mode: "commit", document: doc } });
    // A request refused for its body, with a secret in it, through the REST route.
    const bad = await callRoute(webhooksRoute.POST, { method: "POST", url: "/api/v1/webhooks", key: orgs.a.apiKey.key, body: { name: "x", auth: { type: "BEARER", token: secret("refused-LOGSECRET-4") } } });
    expect(bad.status).toBe(400);
    // Flows that do log: the loop guard (an event deeper than the webhook's loopThreshold).
    await ingestEvent({ actor: admin, input: { type: "alert.active", data: { alert_name: "loop" }, causationDepth: 9 } });
    expect(captured.lines.some((l) => l.includes("loop guard"))).toBe(true);
    assertNoSecretLogged();
  });

  it("errors quoting connection strings, keys, signing secrets or bearer tokens are scrubbed", async () => {
    const pgPassword = secret("pg-LOGSECRET-5");
    const key = orgs.a.apiKey.key;
    const whsec = secret("whsec_" + Buffer.from("log-secret-signing-key-0123456789").toString("base64"));
    const bearer = secret("abcDEF123456LOGSECRET7");
    const before = captured.lines.length;
    const res = errorResponse(new Error(`connect ECONNREFUSED postgres://hookyard:${pgPassword}@db.internal:5432/hookyard while using ${key} and ${whsec}`));
    expect(res.status).toBe(500);
    signInAs(orgs.a.admin.actor);
    const action = await runAction(z.unknown(), {}, async () => {
      throw new Error(`upstream said 401 for Authorization: Bearer ${bearer}`);
    });
    expect(action).toMatchObject({ ok: false, error: { code: "internal" } });
    const lines = captured.lines.slice(before).map((l) => JSON.parse(l) as { err?: { message?: string; stack?: string } });
    expect(lines).toHaveLength(2);
    expect(lines[0]!.err!.message).toBe(`connect ECONNREFUSED postgres://hookyard:${LOG_CENSOR}@db.internal:5432/hookyard while using ${LOG_CENSOR} and ${LOG_CENSOR}`);
    expect(lines[1]!.err!.message).toBe(`upstream said 401 for Authorization: Bearer ${LOG_CENSOR}`);
    expect(lines[1]!.err!.stack).not.toContain(bearer);
    expect(scrubText("smtps://mailer:p%40ss@smtp.example.com:465")).toBe(`smtps://mailer:${LOG_CENSOR}@smtp.example.com:465`);
    assertNoSecretLogged();
  });

  it("objects logged with secrets at the redacted paths keep their shape, not their secrets", () => {
    const before = captured.lines.length;
    logger.info({ input: { name: "w", auth: { type: "BASIC", password: secret("p-LOGSECRET-8") } } }, "webhook input");
    logger.info({ headers: { authorization: `Bearer ${secret("h-LOGSECRET-9")}`, cookie: secret("next-auth.session-token=c-LOGSECRET-10"), "x-api-key": secret("x-LOGSECRET-11") } }, "request headers");
    logger.info({ req: { headers: { authorization: `Basic ${secret("YWRtaW46TE9HU0VDUkVUMTI=")}`, cookie: secret("sess-LOGSECRET-13") } } }, "request");
    logger.info({ webhook: { id: "w1", signingSecret: secret("whsec_LOGSECRET14aaaaaaaa"), auth: { type: "API_KEY", header: "X-Key", value: secret("v-LOGSECRET-15") } } }, "webhook");
    logger.info({ signingSecret: secret("whsec_LOGSECRET16bbbbbbbb"), secrets: { signing: [secret("whsec_LOGSECRET17cccccccc")] } }, "secrets");
    logger.info({ env: { AUTH_SECRET: secret("auth-LOGSECRET-18-aaaaaaaaaaaaaaaaaaaa"), authSecret: secret("auth-LOGSECRET-19"), CRON_SECRET: secret("cron-LOGSECRET-20"), METRICS_TOKEN: secret("metrics-LOGSECRET-21"), ENCRYPTION_KEYS: secret("k1:LOGSECRET22"), DATABASE_URL: secret("postgres://u:LOGSECRET23@h/db"), SMTP_URL: secret("smtp://u:LOGSECRET24@h"), PORT: 3000 } }, "config");
    logger.info({ password: secret("LOGSECRET25"), token: secret("LOGSECRET26"), key: secret("LOGSECRET27"), apiKey: { key: secret("hy_LOGSECRET28xxxxxxxxxxxxxxxxx"), prefix: "hy_LOGSEC" } }, "top level");
    const lines = captured.lines.slice(before).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(7);
    expect(lines[0].input).toEqual({ name: "w", auth: { type: "BASIC", password: LOG_CENSOR } });
    expect(lines[1].headers).toEqual({ authorization: LOG_CENSOR, cookie: LOG_CENSOR, "x-api-key": LOG_CENSOR });
    expect(lines[3].webhook).toEqual({ id: "w1", signingSecret: LOG_CENSOR, auth: { type: "API_KEY", header: "X-Key", value: LOG_CENSOR } });
    expect(lines[5].env.PORT).toBe(3000);
    expect(lines[6].apiKey).toEqual({ key: LOG_CENSOR, prefix: "hy_LOGSEC" });
    assertNoSecretLogged();
  });
});
