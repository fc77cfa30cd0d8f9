/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts the escape
 * sequences that recolour, move the cursor, retitle the window or hide text), DEL, C1
 * controls, the Unicode line and paragraph separators, and the bidirectional overrides that
 * make a name read backwards.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A user's path or name (a file name, an EXTNAME, a label from a CSV) made safe to print
 * on a terminal: every control character is shown as its code, `\x1b` or `\u202e`, so a
 * file named with escape codes prints as what it is instead of acting on the terminal.
 * Every place the CLI prints text that came from the user's files goes through this.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
