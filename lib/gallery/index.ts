/**
 * Template gallery — pure data built from the event catalog (no Next.js, no
 * Prisma): where a new webhook can start from, per event type.
 *
 * - slack, teams: the catalog's presets (Slack incoming webhook blocks,
 *   Microsoft Teams message card), as they are.
 * - power_automate: a Power Automate / Teams Workflows "When a HTTP request
 *   is received" flow, posting an Adaptive Card (the card is built from the
 *   Teams preset's title, subtitle and facts).
 * - generic: every variable of the type as a flat JSON object.
 *
 * `GET /api/v1/templates/gallery?eventType=` serves it (see TGalleryJson).
 */
import { z } from "zod";
import { EVENT_TYPES, formatTemplate, getEventType, ZEventTypeKey, type TEventType, type TEventTypeKey, type TJsonValue } from "@/lib/catalog";

export const GALLERY_IDS = ["slack", "teams", "power_automate", "generic"] as const;
export type TGalleryId = (typeof GALLERY_IDS)[number];

export type TGalleryEntry = {
  id: TGalleryId;
  label: string;
  description: string;
  /** What the target URL of such a receiver looks like (shown as a placeholder). */
  targetUrlExample: string;
  method: "POST";
  contentType: "application/json";
  /** The template of each event type (JSON text with #variables). */
  templates: { eventType: TEventTypeKey; template: string }[];
};

export type TGalleryJson = { templates: TGalleryEntry[] };

const META: Record<TGalleryId, Omit<TGalleryEntry, "id" | "templates" | "method" | "contentType">> = {
  slack: {
    label: "Slack",
    description: "A Slack incoming webhook message: a text fallback and blocks with the event's main fields.",
    targetUrlExample: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
  },
  teams: {
    label: "Microsoft Teams",
    description: "A Microsoft Teams message card (Office 365 connector) with the event's facts.",
    targetUrlExample: "https://example.webhook.office.com/webhookb2/…/IncomingWebhook/…",
  },
  power_automate: {
    label: "Power Automate",
    description: "A Power Automate or Teams Workflows flow started by \"When a HTTP request is received\": an Adaptive Card in a message envelope.",
    targetUrlExample: "https://prod-00.westeurope.logic.azure.com:443/workflows/…/triggers/manual/paths/invoke?api-version=2016-06-01",
  },
  generic: {
    label: "Generic JSON",
    description: "Every variable of the event as a flat JSON object, for your own receiver.",
    targetUrlExample: "https://example.com/hooks/hookyard",
  },
};

type TTeamsCard = { summary?: string; sections?: { activityTitle?: string; activitySubtitle?: string; facts?: { name: string; value: string }[] }[] };

function presetTemplate(eventType: TEventType, id: "slack" | "teams"): string {
  const preset = eventType.presets.find((p) => p.id === id);
  if (!preset) throw new Error(`Event type ${eventType.key} has no ${id} preset`);
  return preset.template;
}

/** An Adaptive Card posted through Power Automate, from the Teams preset's content. */
function powerAutomateTemplate(eventType: TEventType): string {
  const card = JSON.parse(presetTemplate(eventType, "teams")) as TTeamsCard;
  const section = card.sections?.[0] ?? {};
  const body: TJsonValue[] = [
    { type: "TextBlock", size: "Medium", weight: "Bolder", text: section.activityTitle ?? eventType.label, wrap: true },
    ...(section.activitySubtitle ? [{ type: "TextBlock", text: section.activitySubtitle, wrap: true, spacing: "Small" }] : []),
    { type: "FactSet", facts: (section.facts ?? []).map((f) => ({ title: f.name, value: f.value })) },
  ];
  return formatTemplate({
    type: "message",
    summary: card.summary ?? eventType.label,
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4", body },
      },
    ],
  });
}

/** Every variable of the type, flat. */
function genericTemplate(eventType: TEventType): string {
  return formatTemplate(Object.fromEntries(eventType.variables.map((v) => [v.name, v.token])));
}

export function galleryTemplate(id: TGalleryId, eventTypeKey: TEventTypeKey): string {
  const eventType = getEventType(eventTypeKey);
  switch (id) {
    case "slack":
    case "teams":
      return presetTemplate(eventType, id);
    case "power_automate":
      return powerAutomateTemplate(eventType);
    case "generic":
      return genericTemplate(eventType);
  }
}

let built: TGalleryEntry[] | undefined;

/** The whole gallery (built once), optionally for one event type. */
export function templateGallery(opts: { eventType?: TEventTypeKey } = {}): TGalleryJson {
  built ??= GALLERY_IDS.map((id) => ({
    id,
    ...META[id],
    method: "POST" as const,
    contentType: "application/json" as const,
    templates: EVENT_TYPES.map((e) => ({ eventType: e.key, template: galleryTemplate(id, e.key) })),
  }));
  if (!opts.eventType) return { templates: built };
  return { templates: built.map((entry) => ({ ...entry, templates: entry.templates.filter((t) => t.eventType === opts.eventType) })) };
}

/** Query of GET /api/v1/templates/gallery. */
export const ZGalleryQuery = z.strictObject({ eventType: ZEventTypeKey.optional() });
