/**
 * Export → import round trip between two organizations through the REST
 * routes: the export carries no secret and references resources by external
 * id; the preview names unknown resources, refused URLs and templates that
 * do not fit their event types; commit creates the webhooks disabled with a
 * new signing secret; exporting the copies gives back the same settings.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
vi.mock("@/lib/auth/session", () => import("./helpers/session"));

import { createTestDb, type TTestDb } from "./helpers/db";
import { createKey, createTwoOrgs } from "./helpers/fixtures";
import { callRoute } from "./helpers/http";
import { setDeliveryAllowPrivate } from "@/lib/delivery/config";
import { createWebhook, revealSigningSecret } from "@/lib/domain/webhooks";
import { upsertResource } from "@/lib/domain/resources";
import { getEventType } from "@/lib/catalog";
import { ZExportDocument } from "@/lib/validation/transfer";
import { ZImportPreviewResponse, ZImportResult } from "@/lib/openapi/responses";
import * as exportRoute from "@/app/api/v1/webhooks/export/route";
import * as importRoute from "@/app/api/v1/webhooks/import/route";

let t: TTestDb;
let orgs: Awaited<ReturnType<typeof createTwoOrgs>>;
const secrets: string[] = [];

beforeAll(async () => {
  setDeliveryAllowPrivate(false);
  t = await createTestDb();
  orgs = await createTwoOrgs();
  const a = orgs.a.admin.actor;
  await upsertResource({ actor: a, kind: "alert", externalId: "alert-cpu", name: "CPU above 90%" });
  await upsertResource({ actor: a, kind: "alert", externalId: "alert-disk", name: "Disk almost full" });
  const basicPassword = "basic-SECRET-pass-1";
  const bearer = "bearer-SECRET-token-2";
  secrets.push(basicPassword, bearer);
  const created = [
    await createWebhook({
      actor: a,
      input: {
        name: "CPU and disk to Slack",
        eventTypes: ["alert.active"],
        targetUrl: "https://hooks.slack.example.com/services/T1/B2/C3",
        template: getEventType("alert.active").presets.find((p) => p.id === "slack")!.template,
        allResources: false,
        resources: ["alert-cpu", "alert-disk"],
        conditions: [{ variable: "alert_name", operator: "contains", value: "CPU" }],
        customHeaders: [{ name: "X-Team", value: "noc" }],
        signing: { standard: true, hexHeader: "X-Signature-256", base64: true },
        auth: { type: "BASIC", username: "noc", password: basicPassword },
        batching: { mode: "TIME", intervalSeconds: 60, count: null, limit: 50 },
        autoDisableAfter: 10,
        logRetentionDays: 14,
        note: "Paged at night",
        enabled: true,
      },
    }),
    await createWebhook({
      actor: a,
      input: {
        name: "Tickets to the ITSM",
        eventTypes: ["ticket.created", "ticket.updated"],
        targetUrl: "https://itsm.example.com/hooks",
        template: getEventType("ticket.created").defaultTemplate,
        method: "PUT",
        auth: { type: "BEARER", token: bearer },
      },
    }),
    await createWebhook({
      actor: a,
      input: { name: "Everything generic", eventTypes: ["microservice.executed"], targetUrl: "https://example.com/generic", template: getEventType("microservice.executed").defaultTemplate, loopThreshold: 5 },
    }),
  ];
  for (const c of created) secrets.push(c.signingSecret);
});
afterAll(async () => {
  await t.close();
  setDeliveryAllowPrivate(undefined);
});

const exportAs = (key: string, ids: string[] = []) =>
  callRoute(exportRoute.GET, { url: `/api/v1/webhooks/export${ids.length ? `?${ids.map((id) => `id=${id}`).join("&")}` : ""}`, key });
const importAs = (key: string, body: unknown) => callRoute(importRoute.POST, { method: "POST", url: "/api/v1/webhooks/import", key, body });

/** A webhook's settings without what an import changes by design (ids, state, who, when, secrets). */
function settings(w: Record<string, unknown>) {
  const { name, eventTypes, targetUrl, allResources, resources, template, conditions, note, method, contentType, customHeaders, signing, autoDisableAfter, notifyOnFailure, logRetentionDays, batching, loopThreshold } = w;
  return { name, eventTypes, targetUrl, allResources, resources, template, conditions, note, method, contentType, customHeaders, signing, autoDisableAfter, notifyOnFailure, logRetentionDays, batching, loopThreshold };
}

describe("export", () => {
  it("is version 1, has every webhook's settings, resources by external id, and no secret", async () => {
    const res = await exportAs(orgs.a.apiKey.key);
    expect(res.status).toBe(200);
    const doc = ZExportDocument.parse(res.body);
    expect(doc.version).toBe(1);
    expect(doc.source).toEqual({ organization: "Org A" });
    expect(doc.webhooks.map((w) => w.name)).toEqual(["CPU and disk to Slack", "Everything generic", "Tickets to the ITSM"]);
    expect(doc.resources).toEqual([
      { kind: "alert", externalId: "alert-cpu", name: "CPU above 90%" },
      { kind: "alert", externalId: "alert-disk", name: "Disk almost full" },
    ]);
    const slack = doc.webhooks[0]!;
    expect(slack).toMatchObject({ allResources: false, resources: ["alert-cpu", "alert-disk"], auth: { type: "BASIC", username: "noc" }, signing: { hexHeader: "X-Signature-256", base64: true }, batching: { mode: "TIME", intervalSeconds: 60, limit: 50 } });
    expect(slack).not.toHaveProperty("enabled");
    expect(doc.webhooks[2]!.auth).toEqual({ type: "BEARER" });
    const text = JSON.stringify(res.body);
    for (const s of secrets) expect(text.includes(s), `secret ${s.slice(0, 8)}…`).toBe(false);
    expect(text).not.toMatch(/whsec_/);
  });

  it("exports chosen webhooks by id; another organization's id is not found; support may export", async () => {
    const one = await t.db.webhook.findFirstOrThrow({ where: { organizationId: orgs.a.org.id, name: "Everything generic" } });
    const res = await exportAs(orgs.a.apiKey.key, [one.id]);
    expect(res.body.webhooks.map((w: { name: string }) => w.name)).toEqual(["Everything generic"]);
    expect((await exportAs(orgs.b.apiKey.key, [one.id])).status).toBe(404);
    expect((await exportAs(orgs.a.apiKey.key, ["not-a-uuid"])).body).toMatchObject({ error: { code: "invalid", issues: [{ path: "id.0" }] } });
    const support = await createKey(orgs.a.org.id, "SUPPORT");
    expect((await exportAs(support.key)).status).toBe(200);
  });
});

describe("import into another organization", () => {
  it("previews: unknown resources by id and name, authentication without its secret becomes NONE; nothing is created", async () => {
    const doc = (await exportAs(orgs.a.apiKey.key)).body;
    const res = await importAs(orgs.b.apiKey.key, { document: doc });
    expect(res.status).toBe(200);
    const { preview } = ZImportPreviewResponse.parse(res.body);
    expect(preview).toMatchObject({ version: 1, source: "Org A", canImport: false, summary: { total: 3, included: 3, withErrors: 1 } });
    const slack = preview.webhooks[0]!;
    expect(slack.status).toBe("error");
    expect(slack.errors).toEqual([{ path: "resources", message: expect.stringContaining("Unknown alert ids in this organization: alert-cpu (CPU above 90%), alert-disk (Disk almost full)") }]);
    expect(slack.resources).toEqual([
      { externalId: "alert-cpu", kind: "alert", name: "CPU above 90%", found: false },
      { externalId: "alert-disk", kind: "alert", name: "Disk almost full", found: false },
    ]);
    expect(slack.warnings.join(" ")).toMatch(/Basic authentication has no password/);
    expect(slack.auth).toEqual({ type: "BASIC", importedAs: "NONE" });
    expect(preview.webhooks[1]).toMatchObject({ status: "ready", errors: [], warnings: [] });
    expect(preview.webhooks[2]).toMatchObject({ status: "warning", auth: { type: "BEARER", importedAs: "NONE" } });
    expect(await t.db.webhook.count({ where: { organizationId: orgs.b.org.id } })).toBe(0);

    const refused = await importAs(orgs.b.apiKey.key, { mode: "commit", document: doc });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0]).toMatchObject({ path: "document.webhooks.0.resources" });
    expect(await t.db.webhook.count({ where: { organizationId: orgs.b.org.id } })).toBe(0);
  });

  it("commits once the resources exist: disabled copies with new signing secrets; their export equals the original's", async () => {
    const original = (await exportAs(orgs.a.apiKey.key)).body;
    const doc = structuredClone(original);
    const bearer = "bearer-SECRET-supplied-3";
    secrets.push(bearer);
    doc.webhooks[2].auth = { type: "BEARER", token: bearer }; // a secret supplied with the import is kept
    const b = orgs.b.admin.actor;
    await upsertResource({ actor: b, kind: "alert", externalId: "alert-cpu", name: "CPU > 90% (B)" });
    await upsertResource({ actor: b, kind: "alert", externalId: "alert-disk", name: "Disk (B)" });

    const preview = ZImportPreviewResponse.parse((await importAs(orgs.b.apiKey.key, { document: doc })).body).preview;
    expect(preview.canImport).toBe(true);
    expect(preview.webhooks[2]!.auth).toEqual({ type: "BEARER", importedAs: "BEARER" });

    const res = await importAs(orgs.b.apiKey.key, { mode: "commit", document: doc });
    expect(res.status).toBe(201);
    const result = ZImportResult.parse(res.body);
    expect(result.failed).toEqual([]);
    expect(result.created.map((c) => c.name)).toEqual(["CPU and disk to Slack", "Everything generic", "Tickets to the ITSM"]);

    const copies = await t.db.webhook.findMany({ where: { organizationId: orgs.b.org.id }, orderBy: { name: "asc" } });
    expect(copies.every((w) => !w.enabled)).toBe(true);
    expect(copies.map((w) => w.authType)).toEqual(["NONE", "NONE", "BEARER"]);
    for (const copy of copies) {
      const { signingSecret } = await revealSigningSecret({ actor: b, id: copy.id });
      expect(signingSecret).toMatch(/^whsec_/);
      expect(secrets).not.toContain(signingSecret);
    }

    const again = (await exportAs(orgs.b.apiKey.key)).body;
    expect(again.source).toEqual({ organization: "Org B" });
    expect(again.webhooks.map(settings)).toEqual(original.webhooks.map(settings));
    expect(again.webhooks.map((w: { auth: unknown }) => w.auth)).toEqual([{ type: "NONE" }, { type: "NONE" }, { type: "BEARER" }]);
    expect(again.resources.map((r: { externalId: string }) => r.externalId)).toEqual(["alert-cpu", "alert-disk"]);

    const second = ZImportPreviewResponse.parse((await importAs(orgs.b.apiKey.key, { document: original })).body).preview;
    expect(second.webhooks[1]!.warnings.join(" ")).toMatch(/already exists/);
    expect(second.webhooks[1]!.warnings.join(" ")).toMatch(/same events to the same URL/);
  });

  it("reports templates that do not fit the event types, refused URLs, unknown types and fields, one by one", async () => {
    const base = { eventTypes: ["alert.active"], targetUrl: "https://example.com/x", template: '{ "text": "#alert_name" }' };
    const doc = {
      version: 1,
      webhooks: [
        { ...base, name: "Wrong template", template: '{ "ticket": "#ticket_number" }' },
        { ...base, name: "Loopback", targetUrl: "http://127.0.0.1:8080/hook" },
        { ...base, name: "Unknown type", eventTypes: ["alert.resolved"] },
        { ...base, name: "Extra field", enabled: true },
        "not an object",
        { ...base, name: "Fine" },
      ],
    };
    const { preview } = ZImportPreviewResponse.parse((await importAs(orgs.b.apiKey.key, { document: doc })).body);
    const errors = preview.webhooks.map((w) => w.errors.map((e) => `${e.path}: ${e.message}`).join(" | "));
    expect(errors[0]).toMatch(/^template: Line 1, column \d+: .*ticket_number/);
    expect(errors[1]).toMatch(/^targetUrl: Target URL is refused by this installation/);
    expect(errors[2]).toMatch(/eventTypes\.0: Unknown event type "alert\.resolved"/);
    expect(errors[3]).toBe('enabled: Unknown field "enabled"');
    expect(errors[4]).toBe("(webhook): Each webhook must be a JSON object");
    expect(errors[5]).toBe("");
    expect(preview.summary).toMatchObject({ total: 6, withErrors: 5 });

    const before = await t.db.webhook.count({ where: { organizationId: orgs.b.org.id } });
    const onlyFine = await importAs(orgs.b.apiKey.key, { mode: "commit", document: doc, include: [5] });
    expect(onlyFine.status).toBe(201);
    expect(onlyFine.body.created).toEqual([{ index: 5, id: expect.any(String), name: "Fine" }]);
    expect(await t.db.webhook.count({ where: { organizationId: orgs.b.org.id } })).toBe(before + 1);
  });

  it("refuses a document of another version, an empty one, and non-admin keys", async () => {
    expect((await importAs(orgs.b.apiKey.key, { document: { version: 2, webhooks: [{}] } })).body).toMatchObject({ error: { code: "invalid", issues: [{ path: "document.version", message: expect.stringContaining("version must be 1") }] } });
    expect((await importAs(orgs.b.apiKey.key, { document: { version: 1, webhooks: [] } })).body).toMatchObject({ error: { issues: [{ path: "document.webhooks" }] } });
    expect((await importAs(orgs.b.apiKey.key, { document: { version: 1, webhooks: [{}] }, include: [3] })).status).toBe(400);
    const author = await createKey(orgs.b.org.id, "AUTHOR");
    expect((await importAs(author.key, { document: { version: 1, webhooks: [{}] } })).status).toBe(403);
  });
});
