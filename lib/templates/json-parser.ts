/**
 * A strict RFC 8259 JSON parser that keeps source offsets, so lint can point at the exact place of an error
 * and the schema builder can see each string literal as written. It accepts exactly what `JSON.parse` accepts
 * (a property test checks this), except nesting deeper than `MAX_DEPTH`.
 */

export type TJsonStringNode = { readonly kind: "string"; readonly start: number; readonly end: number; readonly value: string };
export type TJsonMember = { readonly key: TJsonStringNode; readonly value: TJsonNode };
export type TJsonNode =
  | { readonly kind: "object"; readonly start: number; readonly end: number; readonly members: readonly TJsonMember[] }
  | { readonly kind: "array"; readonly start: number; readonly end: number; readonly items: readonly TJsonNode[] }
  | TJsonStringNode
  | { readonly kind: "number"; readonly start: number; readonly end: number; readonly raw: string }
  | { readonly kind: "boolean"; readonly start: number; readonly end: number; readonly value: boolean }
  | { readonly kind: "null"; readonly start: number; readonly end: number };

/** `start`/`end` are offsets (end exclusive) of the offending text. */
export type TJsonParseError = { readonly message: string; readonly start: number; readonly end: number };
export type TJsonParseResult = { readonly ok: true; readonly node: TJsonNode } | { readonly ok: false; readonly error: TJsonParseError };

export const MAX_DEPTH = 512;

class ParseFailure extends Error {
  constructor(readonly detail: TJsonParseError) {
    super(detail.message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z0-9_$]+/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || code === 0xfeff) return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return `"${character}"`;
}

export function parseJson(text: string): TJsonParseResult {
  let pos = 0;

  const fail = (message: string, start: number, end = Math.min(start + 1, text.length)): never => {
    throw new ParseFailure({ message, start, end });
  };

  const skipWhitespace = (): void => {
    while (pos < text.length) {
      const code = text.charCodeAt(pos);
      if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return;
      pos += 1;
    }
  };

  const matchAt = (pattern: RegExp, at: number): string | null => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    return match ? match[0] : null;
  };

  const parseString = (): TJsonStringNode => {
    const start = pos;
    pos += 1;
    for (;;) {
      if (pos >= text.length) fail("Unterminated string: add the closing \"", start, text.length);
      const code = text.charCodeAt(pos);
      if (code === 34) break;
      if (code === 92) {
        const escape = text[pos + 1];
        if (escape === undefined) fail("Unterminated string: add the closing \"", start, text.length);
        if (escape === "u") {
          if (matchAt(HEX4, pos + 2) === null) fail("Invalid \\u escape: expected 4 hex digits", pos, Math.min(pos + 6, text.length));
          pos += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escape ?? "")) fail(`Invalid escape sequence "\\${escape}": use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX`, pos, pos + 2);
        pos += 2;
        continue;
      }
      if (code < 0x20) {
        const hint = code === 10 || code === 13 ? "Line break inside a string: write \\n, or close the string with \"" : `Control character ${describeCharacter(text[pos] ?? "")} must be escaped inside a string`;
        fail(hint, pos);
      }
      pos += 1;
    }
    pos += 1;
    return { kind: "string", start, end: pos, value: JSON.parse(text.slice(start, pos)) as string };
  };

  const parseNumber = (): TJsonNode => {
    const start = pos;
    const raw = matchAt(NUMBER, pos);
    if (raw === null) return fail("Invalid number", start, start + Math.max(1, (matchAt(WORD, start + 1) ?? "").length + 1));
    const next = text[start + raw.length];
    if (next !== undefined && /[0-9.eE+\-]/.test(next)) fail(`Invalid number "${raw}${next}…": JSON numbers have no leading zeros, and need digits after "." and "e"`, start, start + raw.length + 1);
    pos += raw.length;
    return { kind: "number", start, end: pos, raw };
  };

  const parseWord = (): TJsonNode => {
    const start = pos;
    for (const [word, node] of [
      ["true", { kind: "boolean", value: true }],
      ["false", { kind: "boolean", value: false }],
      ["null", { kind: "null" }],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { ...node, start, end: pos };
      }
    }
    const word = matchAt(WORD, pos) ?? text[pos] ?? "";
    return fail(`Unexpected "${word}": expected a value (object, array, "string", number, true, false or null)`, start, start + word.length);
  };

  const parseObject = (depth: number): TJsonNode => {
    const start = pos;
    pos += 1;
    const members: TJsonMember[] = [];
    skipWhitespace();
    if (text[pos] === "}") {
      pos += 1;
      return { kind: "object", start, end: pos, members };
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') {
        if (pos >= text.length) fail("Unexpected end of template: expected a property name and }", pos);
        if (text[pos] === "}" && members.length > 0) fail("Trailing comma: remove the \",\" before }", pos);
        fail(`Expected a property name in double quotes, found ${describeCharacter(text[pos] ?? "")}`, pos);
      }
      const key = parseString();
      skipWhitespace();
      if (text[pos] !== ":") fail(pos >= text.length ? "Unexpected end of template: expected \":\" after the property name" : `Expected ":" after property name "${key.value}"`, pos);
      pos += 1;
      const value = parseValue(depth + 1);
      members.push({ key, value });
      skipWhitespace();
      if (text[pos] === ",") {
        pos += 1;
        continue;
      }
      if (text[pos] === "}") {
        pos += 1;
        return { kind: "object", start, end: pos, members };
      }
      fail(pos >= text.length ? "Unexpected end of template: expected \",\" or \"}\"" : `Expected "," or "}" after the value of "${key.value}"`, pos);
    }
  };

  const parseArray = (depth: number): TJsonNode => {
    const start = pos;
    pos += 1;
    const items: TJsonNode[] = [];
    skipWhitespace();
    if (text[pos] === "]") {
      pos += 1;
      return { kind: "array", start, end: pos, items };
    }
    for (;;) {
      skipWhitespace();
      if (text[pos] === "]" && items.length > 0) fail("Trailing comma: remove the \",\" before ]", pos);
      items.push(parseValue(depth + 1));
      skipWhitespace();
      if (text[pos] === ",") {
        pos += 1;
        continue;
      }
      if (text[pos] === "]") {
        pos += 1;
        return { kind: "array", start, end: pos, items };
      }
      fail(pos >= text.length ? "Unexpected end of template: expected \",\" or \"]\"" : "Expected \",\" or \"]\" after an array element", pos);
    }
  };

  const parseValue = (depth: number): TJsonNode => {
    if (depth > MAX_DEPTH) fail(`Nested too deeply (more than ${MAX_DEPTH} levels)`, pos);
    skipWhitespace();
    const character = text[pos];
    if (character === undefined) return fail("Unexpected end of template: expected a value", pos);
    if (character === "{") return parseObject(depth);
    if (character === "[") return parseArray(depth);
    if (character === '"') return parseString();
    if (character === "-" || (character >= "0" && character <= "9")) return parseNumber();
    if (character === "#") {
      const name = matchAt(WORD, pos + 1) ?? "";
      return fail(`Variables are only replaced inside strings: write "#${name || "name"}" in double quotes`, pos, pos + 1 + name.length);
    }
    if (character === "'") return fail("Strings need double quotes, not single quotes", pos);
    if (/[A-Za-z_$]/.test(character)) return parseWord();
    return fail(`Unexpected ${describeCharacter(character)}: expected a value`, pos);
  };

  try {
    if (!/[^ \t\n\r]/.test(text)) fail("The template is empty: expected a JSON value", 0, 0);
    const node = parseValue(0);
    skipWhitespace();
    if (pos < text.length) fail(`Unexpected ${describeCharacter(text[pos] ?? "")} after the end of the JSON value`, pos);
    return { ok: true, node };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, error: error.detail };
    throw error;
  }
}
