/**
 * Lets the `*.svelte.ts` state classes run in plain Node when vitest has no Svelte plugin:
 * `$state(x)` becomes `x`. The classes read derived values through getters (not `$derived`),
 * so their logic is identical with or without the compiler. Import this first.
 */
const runes = globalThis as unknown as { $state?: (value: unknown) => unknown };
if (typeof runes.$state !== 'function') runes.$state = (value: unknown) => value;
export {};
