import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "@/lib/catalog";
import { lintTemplate, renderTemplate } from "@/lib/templates";
import { sampleValues } from "@/lib/catalog";
import { GALLERY_IDS, templateGallery } from "./index";

describe("template gallery", () => {
  const gallery = templateGallery();

  it("offers Slack, Teams, Power Automate and generic for every event type", () => {
    expect(gallery.templates.map((t) => t.id)).toEqual([...GALLERY_IDS]);
    for (const entry of gallery.templates) expect(entry.templates.map((t) => t.eventType)).toEqual(EVENT_TYPES.map((e) => e.key));
  });

  it("every template lints clean for its event type and renders valid JSON", () => {
    for (const entry of gallery.templates) {
      for (const { eventType, template } of entry.templates) {
        const errors = lintTemplate(template, eventType).filter((d) => d.severity === "error");
        expect(errors, `${entry.id} / ${eventType}`).toEqual([]);
        const body = renderTemplate(template, { ...sampleValues(eventType), event_type: eventType });
        expect(() => JSON.parse(body)).not.toThrow();
      }
    }
  });

  it("Slack and Teams are the catalog's presets; Power Automate posts an Adaptive Card", () => {
    const alert = EVENT_TYPES.find((e) => e.key === "alert.active")!;
    const one = templateGallery({ eventType: "alert.active" });
    const pick = (id: string) => one.templates.find((t) => t.id === id)!.templates[0]!.template;
    expect(pick("slack")).toBe(alert.presets.find((p) => p.id === "slack")!.template);
    expect(pick("teams")).toBe(alert.presets.find((p) => p.id === "teams")!.template);
    const card = JSON.parse(pick("power_automate"));
    expect(card.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0].content.type).toBe("AdaptiveCard");
    expect(JSON.parse(pick("generic"))).toMatchObject({ alert_name: "#alert_name", event_type: "#event_type" });
  });
});
