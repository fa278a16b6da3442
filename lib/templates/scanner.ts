/**
 * Finds `#` characters inside JSON string literals and matches variable names after them.
 *
 * The scan is lenient (it also works on a template that is not valid JSON yet): a `"` opens or closes a string,
 * a backslash inside a string escapes the next character. For valid JSON this finds exactly the string
 * literals (values and property names). A variable must be written literally (`\u0023name` is not a variable)
 * and its name consists of letters, digits and underscores, so a match never leaves its string literal.
 */

export const VARIABLE_NAME = /^[A-Za-z0-9_]+$/;

/** Offsets of the `#` characters that are inside string literals. */
export function findHashSites(template: string): number[] {
  const sites: number[] = [];
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const code = template.charCodeAt(index);
    if (!inString) {
      if (code === 34) inString = true;
    } else if (code === 92) {
      index += 1;
    } else if (code === 34) {
      inString = false;
    } else if (code === 35) {
      sites.push(index);
    }
  }
  return sites;
}

/** Finds the longest of a set of names that starts at an offset. */
export type TNameMatcher = (text: string, offset: number) => string | undefined;

export function createNameMatcher(names: Iterable<string>): TNameMatcher {
  const byFirstCharacter = new Map<string, string[]>();
  for (const name of new Set(names)) {
    if (!VARIABLE_NAME.test(name)) continue;
    const first = name.charAt(0);
    const bucket = byFirstCharacter.get(first) ?? [];
    bucket.push(name);
    byFirstCharacter.set(first, bucket);
  }
  for (const bucket of byFirstCharacter.values()) bucket.sort((a, b) => b.length - a.length);
  return (text, offset) => byFirstCharacter.get(text.charAt(offset))?.find((name) => text.startsWith(name, offset));
}

/** Picks the longer match of two matchers. */
export function combineNameMatchers(first: TNameMatcher, second: TNameMatcher): TNameMatcher {
  return (text, offset) => {
    const a = first(text, offset);
    const b = second(text, offset);
    if (a === undefined) return b;
    if (b === undefined) return a;
    return b.length > a.length ? b : a;
  };
}

const IDENTIFIER = /[A-Za-z0-9_]*/y;

/** The run of name characters after a `#` (what a reader would take for the variable's name). */
export function readIdentifier(text: string, offset: number): string {
  IDENTIFIER.lastIndex = offset;
  return IDENTIFIER.exec(text)?.[0] ?? "";
}
