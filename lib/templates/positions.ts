/** Offsets ↔ 1-based line/column (UTF-16 code units, as Monaco counts). `\r\n`, `\n` and `\r` end a line. */

export type TPosition = { readonly line: number; readonly column: number };

export type TLineIndex = { readonly toPosition: (offset: number) => TPosition };

function collectLineStarts(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 13 && text.charCodeAt(index + 1) === 10) continue; // \r of \r\n: the \n ends the line
    if (code === 10 || code === 13) starts.push(index + 1);
  }
  return starts;
}

export function createLineIndex(text: string): TLineIndex {
  const starts = collectLineStarts(text);
  return {
    toPosition(offset) {
      const clamped = Math.max(0, Math.min(offset, text.length));
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if ((starts[middle] ?? 0) <= clamped) low = middle;
        else high = middle - 1;
      }
      return { line: low + 1, column: clamped - (starts[low] ?? 0) + 1 };
    },
  };
}

/** Offset of the first UTF-16 unit whose UTF-8 encoding ends past `limit` bytes, or null when the text fits. */
export function findUtf8Overflow(text: string, limit: number): number | null {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const isPair = code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : isPair ? 4 : 3;
    if (bytes > limit) return index;
    if (isPair) index += 1;
  }
  return null;
}

/** UTF-8 size of a string in bytes (lone surrogates count as the 3 bytes of U+FFFD). */
export function measureUtf8(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const isPair = code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : isPair ? 4 : 3;
    if (isPair) index += 1;
  }
  return bytes;
}
