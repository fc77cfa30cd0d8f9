import type { EventName } from './contract';

/**
 * Every event name, for doors that subscribe by name (server-sent events). Its own module so
 * the renderer can import it without bundling the contract's runtime validation. The
 * `satisfies` check below fails to compile when an event is added to the contract and not
 * here.
 */
export const EVENT_NAMES = [
  'project.changed',
  'session.changed',
  'labels.changed',
  'annotation.changed',
  'training.progress',
  'ingest.progress',
  'ingest.done',
  'engine.error',
  'samp.status',
  'samp.focus',
  'samp.selection',
  'window.action',
] as const satisfies readonly EventName[];

// Every EventName is listed: with one missing, this assignment does not compile.
const allListed: Record<EventName, true> = Object.fromEntries(
  EVENT_NAMES.map((name) => [name, true]),
) as Record<(typeof EVENT_NAMES)[number], true>;
void allListed;
