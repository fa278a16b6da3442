/** A variable's sample value as text (json samples as JSON). */
export function sampleText(sample: unknown): string {
  return typeof sample === "string" ? sample : JSON.stringify(sample);
}
