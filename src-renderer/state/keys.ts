/** Key events as combo strings ("Mod+z", "Alt+2", "ArrowLeft", "?") — DOM-free. */

/** The fields of a KeyboardEvent the keymap looks at. */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  target?: unknown;
}

const textInputTypes = new Set([
  'text',
  'search',
  'email',
  'number',
  'password',
  'url',
  'tel',
  'date',
  'time',
]);

/** True while the user types into a field: the keyboard shortcuts must stay out of the way. */
export function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const element = target as { tagName?: unknown; type?: unknown; isContentEditable?: unknown };
  if (element.isContentEditable === true) return true;
  const tag = typeof element.tagName === 'string' ? element.tagName.toUpperCase() : '';
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = typeof element.type === 'string' ? element.type.toLowerCase() : 'text';
  return textInputTypes.has(type);
}

const modifierKeys = new Set(['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'CapsLock']);

/**
 * The combo string of a key event, or null for a bare modifier press. Ctrl and Cmd both read
 * as "Mod" so one keymap serves Linux, Windows and macOS. Shift is part of a printable key's
 * character already ("?" not "Shift+/"), so it is only spelled out for named keys and Mod combos.
 */
export function comboOf(event: KeyLike): string | null {
  if (modifierKeys.has(event.key)) return null;
  let key = event.key === ' ' ? 'Space' : event.key;
  const mod = event.ctrlKey || event.metaKey;
  // macOS turns Alt+digit into symbols; the physical key is what the user meant.
  if ((event.altKey || mod) && event.code) {
    const match = /^(?:Digit|Key)(.)$/.exec(event.code);
    if (match) key = match[1]!;
  }
  const printable = key.length === 1;
  if (printable && (mod || event.altKey)) key = key.toLowerCase();
  const parts: string[] = [];
  if (mod) parts.push('Mod');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey && (!printable || mod || event.altKey)) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

/** A combo for people: "Mod+z" → "Ctrl+Z", "Space" → "Space". */
export function describeCombo(combo: string, mac = false): string {
  // Bare letters stay lower-case ("h", not "H", which reads as Shift+h); Ctrl+Z is conventional.
  const chord = combo.includes('+');
  return combo
    .split('+')
    .map((part) => {
      if (part === 'Mod') return mac ? '⌘' : 'Ctrl';
      if (part === 'ArrowLeft') return '←';
      if (part === 'ArrowRight') return '→';
      if (part === 'ArrowUp') return '↑';
      if (part === 'ArrowDown') return '↓';
      return part.length === 1 && chord ? part.toUpperCase() : part;
    })
    .join(mac ? '' : '+');
}
