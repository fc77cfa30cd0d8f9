import './runes-shim';
import { describe, expect, it } from 'vitest';
import {
  defaultKeymap,
  KeymapStore,
  keymapStorageKey,
  parseKeymap,
} from '../../src-renderer/state/keymap.svelte';
import {
  comboOf,
  describeCombo,
  isTypingTarget,
  type KeyLike,
} from '../../src-renderer/state/keys';
import { memoryStorage } from '../../src-renderer/state/storage';

function key(k: string, extra: Partial<KeyLike> = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...extra };
}

describe('combos', () => {
  it('spell keys the way the keymap stores them', () => {
    expect(comboOf(key('1'))).toBe('1');
    expect(comboOf(key(' '))).toBe('Space');
    expect(comboOf(key('?', { shiftKey: true }))).toBe('?');
    expect(comboOf(key('z', { ctrlKey: true }))).toBe('Mod+z');
    expect(comboOf(key('z', { metaKey: true }))).toBe('Mod+z');
    expect(comboOf(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('Mod+Shift+z');
    expect(comboOf(key('¡', { altKey: true, code: 'Digit1' }))).toBe('Alt+1');
    expect(comboOf(key('Tab', { shiftKey: true }))).toBe('Shift+Tab');
    expect(comboOf(key('Shift', { shiftKey: true }))).toBeNull();
    expect(describeCombo('Mod+z')).toBe('Ctrl+Z');
    expect(describeCombo('ArrowLeft')).toBe('←');
  });

  it('recognise text fields but not buttons or checkboxes', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'range' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('KeymapStore', () => {
  it('maps the defaults and ignores keys typed into text fields', () => {
    const keymap = new KeymapStore(memoryStorage());
    expect(keymap.actionFor(key('3'))).toBe('label-3');
    expect(keymap.actionFor(key('0'))).toBe('label-normal');
    expect(keymap.actionFor(key('j'))).toBe('focus-down');
    expect(keymap.actionFor(key('ArrowLeft'))).toBe('focus-left');
    expect(keymap.actionFor(key('Enter'))).toBe('finish-round');
    expect(keymap.actionFor(key('z', { ctrlKey: true }))).toBe('undo');
    expect(keymap.actionFor(key(']'))).toBe('stretch-next');
    expect(keymap.actionFor(key('x'))).toBeNull();
    expect(keymap.actionFor(key('3', { target: { tagName: 'INPUT', type: 'text' } }))).toBeNull();
  });

  it('remaps, steals the key from its old action, and persists', () => {
    const storage = memoryStorage();
    const keymap = new KeymapStore(storage);
    keymap.rebind('skip', 'n');
    expect(keymap.actionFor(key('n'))).toBe('skip');
    expect(keymap.bindings['new-class']).toEqual([]);
    const reloaded = new KeymapStore(storage);
    expect(reloaded.actionFor(key('n'))).toBe('skip');
    expect(reloaded.actionFor(key('s'))).toBeNull();
    reloaded.reset();
    expect(new KeymapStore(storage).actionFor(key('s'))).toBe('skip');
  });

  it('records the next key for an action; Escape cancels', () => {
    const keymap = new KeymapStore(memoryStorage());
    keymap.recording = 'undo';
    expect(keymap.record(key('u'))).toBe(true);
    expect(keymap.recording).toBeNull();
    expect(keymap.actionFor(key('u'))).toBe('undo');
    keymap.recording = 'undo';
    keymap.record(key('Escape'));
    expect(keymap.bindings.undo).toEqual(['u']);
    expect(keymap.record(key('q'))).toBe(false);
  });

  it('falls back to defaults for malformed stored maps', () => {
    const storage = memoryStorage();
    storage.setItem(keymapStorageKey, '{not json');
    expect(new KeymapStore(storage).bindings.skip).toEqual(['s']);
    const parsed = parseKeymap({ skip: 'x', undo: ['u'], bogus: ['b'] });
    expect(parsed.skip).toEqual(defaultKeymap.skip);
    expect(parsed.undo).toEqual(['u']);
  });
});
