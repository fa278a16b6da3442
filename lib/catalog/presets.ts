/**
 * Preset templates offered beside each type's default template: a Slack incoming-webhook message (shaped like
 * 003's example: a `text` fallback and `section` blocks of two `mrkdwn` fields) and a Microsoft Teams message card
 * (Office 365 connector `MessageCard`). Both are generated from a small per-type spec, so they are valid JSON by
 * construction; tests lint and render every one of them.
 */
import type { TTemplatePreset } from "./types";

export type TPresetSpec = {
  /** Static title, e.g. "Active alert". */
  readonly title: string;
  /** One line of text with variables, e.g. "#alert_name on #workspace_name". */
  readonly headline: string;
  /** [label, variable name without `#`] pairs shown as fields/facts. */
  readonly facts: readonly (readonly [label: string, variable: string])[];
  /** Teams accent colour, hex without `#`. */
  readonly themeColor: string;
};

function chunkPairs<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += 2) chunks.push(items.slice(index, index + 2));
  return chunks;
}

export function buildSlackPreset(spec: TPresetSpec): TTemplatePreset {
  const message = {
    text: `*${spec.title}*: ${spec.headline}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${spec.title}*\n${spec.headline}` } },
      ...chunkPairs(spec.facts).map((pair) => ({
        type: "section",
        fields: pair.map(([label, variable]) => ({ type: "mrkdwn", text: `*${label}:*\n#${variable}` })),
      })),
      { type: "context", elements: [{ type: "mrkdwn", text: "#organization_name · #event_type · #timestamp" }] },
    ],
  };
  return { id: "slack", label: "Slack incoming webhook", template: JSON.stringify(message, null, 2) };
}

export function buildTeamsPreset(spec: TPresetSpec): TTemplatePreset {
  const card = {
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    themeColor: spec.themeColor,
    summary: `${spec.title}: ${spec.headline}`,
    sections: [
      {
        activityTitle: spec.title,
        activitySubtitle: spec.headline,
        facts: [
          ...spec.facts.map(([label, variable]) => ({ name: label, value: `#${variable}` })),
          { name: "Organization", value: "#organization_name" },
          { name: "Date", value: "#timestamp" },
        ],
        markdown: true,
      },
    ],
  };
  return { id: "teams", label: "Microsoft Teams message card", template: JSON.stringify(card, null, 2) };
}

export function buildPresets(spec: TPresetSpec): readonly TTemplatePreset[] {
  return [buildSlackPreset(spec), buildTeamsPreset(spec)];
}
