import { describe, expect, it } from "vitest";
import { EVENT_TYPES, sampleValues } from "@/lib/catalog";
import { lintTemplate, previewTemplate, renderTemplate } from "@/lib/templates";

const TEMPLATES = EVENT_TYPES.flatMap((eventType) => [
  { eventType, name: `${eventType.key} default`, template: eventType.defaultTemplate },
  ...eventType.presets.map((preset) => ({ eventType, name: `${eventType.key} ${preset.id}`, template: preset.template })),
]);

describe("every default and preset template", () => {
  it.each(TEMPLATES)("$name lints clean for its event type", ({ eventType, template }) => {
    expect(lintTemplate(template, eventType.key)).toEqual([]);
  });

  it.each(TEMPLATES)("$name renders to valid JSON with the samples, leaving no variable behind", ({ eventType, template }) => {
    const preview = previewTemplate(template, eventType.key);
    expect(() => JSON.parse(preview)).not.toThrow();
    for (const variable of eventType.variables) expect(preview).not.toContain(variable.token);
    expect(preview).toBe(renderTemplate(template, sampleValues(eventType.key)));
  });

  it("ticket family defaults lint clean when ticket events of one kind are combined", () => {
    const notes = EVENT_TYPES.filter((eventType) => eventType.key.startsWith("ticket.note."));
    for (const note of notes) expect(lintTemplate(note.defaultTemplate, notes.map((eventType) => eventType.key))).toEqual([]);
  });

  it("003's Slack example (a microservice message) lints clean and renders", () => {
    const slack = `{
"text": "*Flexxible microservice was executed*",
"blocks": [
{ "type": "section", "fields": [
  { "type": "mrkdwn", "text": "*Microservicio:*\\n#microservice_name" },
  { "type": "mrkdwn", "text": "*Resultado:*\\n#operation_result" } ] },
{ "type": "section", "fields": [
  { "type": "mrkdwn", "text": "*Organización:*\\n#organization_name" },
  { "type": "mrkdwn", "text": "*Workspace:*\\n#workspace_name" } ] },
{ "type": "section", "fields": [
  { "type": "mrkdwn", "text": "*Inicio:*\\n#operation_startdate" },
  { "type": "mrkdwn", "text": "*Fin:*\\n#operation_enddate" } ] }
]
}`;
    expect(lintTemplate(slack, "microservice.executed")).toEqual([]);
    const rendered = JSON.parse(previewTemplate(slack, "microservice.executed")) as { blocks: { fields: { text: string }[] }[] };
    expect(rendered.blocks[0]?.fields[0]?.text).toBe("*Microservicio:*\nClear temporary files");
    expect(rendered.blocks[2]?.fields[0]?.text).toBe("*Inicio:*\n2025-03-14T09:25:10.000Z");
  });

  it("Slack presets follow 003's shape: text fallback and sections of at most two mrkdwn fields", () => {
    for (const eventType of EVENT_TYPES) {
      const slack = JSON.parse(eventType.presets.find((preset) => preset.id === "slack")?.template ?? "{}") as {
        text: string;
        blocks: { type: string; fields?: { type: string }[] }[];
      };
      expect(typeof slack.text).toBe("string");
      for (const block of slack.blocks) if (block.fields) expect(block.fields.length).toBeLessThanOrEqual(2);
      const teams = JSON.parse(eventType.presets.find((preset) => preset.id === "teams")?.template ?? "{}") as Record<string, unknown>;
      expect(teams).toMatchObject({ "@type": "MessageCard", "@context": "https://schema.org/extensions" });
    }
  });
});
