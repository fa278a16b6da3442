import { sampleValues, type TEventTypeKey } from "@/lib/catalog";
import { renderTemplate } from "./render";

/** The template rendered with the event type's sample values (the editor's live preview). */
export function previewTemplate(template: string, eventType: TEventTypeKey): string {
  return renderTemplate(template, sampleValues(eventType), { eventType });
}
