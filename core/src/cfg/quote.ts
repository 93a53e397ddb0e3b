/** String literals written back as config text. */
const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x07': '\\a' };

/** A string literal that the lexer reads back as the same text. */
export function quote(s: string): string {
  return `"${s.replace(/[\\"\x00-\x1f\x7f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}
