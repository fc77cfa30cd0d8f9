/// <reference types="svelte" />
/**
 * Every keyboard action of the workstation, its default keys, and the user's remapping
 * (persisted in localStorage). One place answers "which action does this key mean".
 */
import { comboOf, isTypingTarget, type KeyLike } from './keys';
import { readJson, type StorageLike } from './storage';

export const actionDescriptions = {
  'label-1': 'Label with the class on hotkey 1',
  'label-2': 'Label with the class on hotkey 2',
  'label-3': 'Label with the class on hotkey 3',
  'label-4': 'Label with the class on hotkey 4',
  'label-5': 'Label with the class on hotkey 5',
  'label-6': 'Label with the class on hotkey 6',
  'label-7': 'Label with the class on hotkey 7',
  'label-8': 'Label with the class on hotkey 8',
  'label-9': 'Label with the class on hotkey 9',
  'label-normal': 'Label as normal',
  'focus-left': 'Focus the previous object',
  'focus-right': 'Focus the next object',
  'focus-up': 'Focus the object above',
  'focus-down': 'Focus the object below',
  'finish-round': 'Finish the round: train and fetch the next batch',
  undo: 'Undo the last label (repeatable)',
  'new-class': 'New class named on the spot, applied to the focused object',
  skip: 'Skip the focused object',
  'toggle-zoom': 'Toggle preview zoom',
  'preview-zoom-in': 'Zoom into the FITS frame around the object',
  'preview-zoom-out': 'Zoom out of the FITS frame',
  'preview-pan-left': 'Pan the FITS frame view left',
  'preview-pan-right': 'Pan the FITS frame view right',
  'preview-pan-up': 'Pan the FITS frame view up',
  'preview-pan-down': 'Pan the FITS frame view down',
  'stretch-prev': 'Previous stretch',
  'stretch-next': 'Next stretch',
  'limits-next': 'Next display limits',
  'colormap-next': 'Next colour map',
  'lock-scale': 'One display scale for the whole grid, or one per cell',
  'bias-down': 'Bias: move the display window down the data',
  'bias-up': 'Bias: move the display window up the data',
  'contrast-up': 'Contrast up (narrower display window)',
  'contrast-down': 'Contrast down (wider display window)',
  'toggle-original': "Preview: the original image or the model's tensor",
  'blink-band': 'Blink: show one band of a multi-band object, then the next, then all',
  'auto-advance': 'Toggle auto-advance after a label',
  'view-round': 'Show the round',
  'view-history': 'Show history and plots',
  'view-ingest': 'Show ingest',
  'view-export': 'Show export',
  'view-settings': 'Show settings',
  'view-projects': 'Show projects: open, create, recent',
  'samp-send-catalogue': 'SAMP: send the catalogue to TOPCAT (every table viewer)',
  'samp-send-class': "SAMP: send the focused object's class to TOPCAT",
  'samp-send-cutout': "SAMP: send the focused object's cutout to DS9 / Aladin",
  'samp-send-frame': "SAMP: send the focused object's whole frame to DS9 / Aladin",
  'samp-point': 'SAMP: point Aladin / DS9 / TOPCAT at the focused object',
  gallery: 'Gallery of a class: this key, then the class digit (newest label first)',
  search: 'Search reviewed objects (uid, file, note), or only the uncertain ones',
  'toggle-uncertain': 'Flag the focused object as uncertain, or clear the flag',
  'edit-note': "Write the focused object's note (Enter keeps it, Esc leaves it)",
  'more-like-this': 'More like this: the focused object and its nearest neighbours, to label',
  'batch-next-page': 'Gallery / search: next page',
  'batch-prev-page': 'Gallery / search: previous page',
  'batch-close': 'Leave the gallery, search or selection: back to the round',
  help: 'Show or hide this help',
} as const;

export type Action = keyof typeof actionDescriptions;
export type Keymap = Record<Action, string[]>;
export const allActions = Object.keys(actionDescriptions) as Action[];

export const defaultKeymap: Readonly<Keymap> = {
  'label-1': ['1'],
  'label-2': ['2'],
  'label-3': ['3'],
  'label-4': ['4'],
  'label-5': ['5'],
  'label-6': ['6'],
  'label-7': ['7'],
  'label-8': ['8'],
  'label-9': ['9'],
  'label-normal': ['0'],
  'focus-left': ['ArrowLeft', 'h'],
  'focus-right': ['ArrowRight', 'l'],
  'focus-up': ['ArrowUp', 'k'],
  'focus-down': ['ArrowDown', 'j'],
  'finish-round': ['Enter'],
  undo: ['Mod+z'],
  'new-class': ['n'],
  skip: ['s'],
  'toggle-zoom': ['Space'],
  'preview-zoom-in': ['+', '='],
  'preview-zoom-out': ['-'],
  'preview-pan-left': ['H'],
  'preview-pan-right': ['L'],
  'preview-pan-up': ['K'],
  'preview-pan-down': ['J'],
  'stretch-prev': ['['],
  'stretch-next': [']'],
  'limits-next': ['z'],
  'colormap-next': ['c'],
  'lock-scale': ['g'],
  'bias-down': ['Shift+ArrowLeft'],
  'bias-up': ['Shift+ArrowRight'],
  'contrast-up': ['Shift+ArrowUp'],
  'contrast-down': ['Shift+ArrowDown'],
  'blink-band': ['b'],
  'toggle-original': ['o'],
  'auto-advance': ['a'],
  'view-round': ['Alt+1'],
  'view-history': ['Alt+2'],
  'view-ingest': ['Alt+3'],
  'view-export': ['Alt+4'],
  'view-settings': ['Alt+5'],
  'view-projects': ['Alt+6'],
  'samp-send-catalogue': ['t'],
  'samp-send-class': ['T'],
  'samp-send-cutout': ['d'],
  'samp-send-frame': ['D'],
  'samp-point': ['p'],
  gallery: ['G'],
  search: ['/'],
  'toggle-uncertain': ['u'],
  'edit-note': ['e'],
  'more-like-this': ['m'],
  'batch-next-page': ['PageDown'],
  'batch-prev-page': ['PageUp'],
  'batch-close': ['Escape'],
  help: ['?'],
};

export const keymapStorageKey = 'ahunt.keymap';

function copyDefaults(): Keymap {
  const map = {} as Keymap;
  for (const action of allActions) map[action] = [...defaultKeymap[action]];
  return map;
}

/** A stored keymap merged over the defaults; anything malformed falls back to the default. */
export function parseKeymap(stored: unknown): Keymap {
  const map = copyDefaults();
  if (typeof stored !== 'object' || stored === null) return map;
  for (const action of allActions) {
    const keys = (stored as Record<string, unknown>)[action];
    if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) {
      map[action] = keys as string[];
    }
  }
  return map;
}

export class KeymapStore {
  bindings = $state<Keymap>(copyDefaults());
  /** The action waiting for its new key in the help overlay, if any. */
  recording = $state<Action | null>(null);

  constructor(private readonly storage: StorageLike) {
    this.bindings = parseKeymap(readJson(storage, keymapStorageKey));
  }

  /** The action a key event means, or null (also null while typing into a text field). */
  actionFor(event: KeyLike): Action | null {
    if (isTypingTarget(event.target)) return null;
    const combo = comboOf(event);
    if (combo === null) return null;
    for (const action of allActions) {
      if (this.bindings[action].includes(combo)) return action;
    }
    return null;
  }

  /** Binds `combo` to `action` alone; another action that used it loses it. */
  rebind(action: Action, combo: string): void {
    const next = { ...this.bindings };
    for (const other of allActions) {
      if (other !== action) next[other] = next[other].filter((k) => k !== combo);
    }
    next[action] = [combo];
    this.bindings = next;
    this.save();
  }

  /**
   * While recording, the next key press becomes the action's binding (Escape cancels).
   * Returns true when the event was consumed.
   */
  record(event: KeyLike): boolean {
    const action = this.recording;
    if (action === null) return false;
    const combo = comboOf(event);
    if (combo === null) return true;
    if (combo !== 'Escape') this.rebind(action, combo);
    this.recording = null;
    return true;
  }

  reset(): void {
    this.bindings = copyDefaults();
    this.save();
  }

  private save(): void {
    this.storage.setItem(keymapStorageKey, JSON.stringify(this.bindings));
  }
}
