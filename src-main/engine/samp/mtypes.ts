import type { XmlRpcValue } from './xmlrpc';

/** The MTypes we send (SAMP MTypes document, IVOA). */
export const SEND = {
  votable: 'table.load.votable',
  /** The same table as a FITS binary table: TOPCAT reads it far faster (see SampLink). */
  tableFits: 'table.load.fits',
  fits: 'image.load.fits',
  pointAt: 'coord.pointAt.sky',
  highlight: 'table.highlight.row',
} as const;

/** The application MTypes we receive; each reaches the workspace's handler. */
export const RECEIVE = {
  highlight: 'table.highlight.row',
  select: 'table.select.rowList',
  pointAt: 'coord.pointAt.sky',
} as const;

/** Hub and administrative MTypes the client itself answers. */
export const ADMIN = {
  ping: 'samp.app.ping',
  shutdown: 'samp.hub.event.shutdown',
  register: 'samp.hub.event.register',
  unregister: 'samp.hub.event.unregister',
  metadata: 'samp.hub.event.metadata',
  subscriptions: 'samp.hub.event.subscriptions',
  disconnect: 'samp.hub.disconnect',
} as const;

/** A SAMP message: its MType and its parameters (strings, lists and maps only). */
export interface SampMessage {
  mtype: string;
  params: Record<string, XmlRpcValue>;
}

/** A message as it arrived, checked; null when it is not a SAMP message at all. */
export function parseMessage(value: XmlRpcValue): SampMessage | null {
  if (!isStruct(value)) return null;
  const mtype = value['samp.mtype'];
  const params = value['samp.params'] ?? {};
  if (typeof mtype !== 'string' || !isStruct(params)) return null;
  return { mtype, params };
}

export function isStruct(value: XmlRpcValue): value is Record<string, XmlRpcValue> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  );
}

/** A user-facing problem with a received message's parameters. */
export class SampParamError extends Error {
  override name = 'SampParamError';
}

export function stringParam(params: Record<string, XmlRpcValue>, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '')
    throw new SampParamError(`the message has no "${key}" parameter`);
  return value;
}

/** SAMP numbers travel as strings ("12", "150.1"). */
export function numberParam(params: Record<string, XmlRpcValue>, key: string): number {
  const text = stringParam(params, key);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new SampParamError(`"${key}" is not a number: "${text}"`);
  return value;
}

/** A SAMP integer: a string of digits (row indices are 0-based). */
export function indexParam(value: XmlRpcValue, key: string): number {
  if (value === undefined) throw new SampParamError(`the message has no "${key}" parameter`);
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n))
    throw new SampParamError(`"${key}" is not a row index: "${String(value)}"`);
  return n;
}

export function listParam(params: Record<string, XmlRpcValue>, key: string): XmlRpcValue[] {
  const value = params[key];
  if (!Array.isArray(value)) throw new SampParamError(`the message has no "${key}" list`);
  return value;
}

/** The metadata we declare (SAMP 1.3 §3.6: samp.name, samp.description.text, samp.icon.url). */
export function ourMetadata(iconUrl: string, version: string): Record<string, string> {
  return {
    'samp.name': 'AHUNT Workstation',
    'samp.description.text':
      'Active anomaly hunting in survey images: sends labelled catalogues, cutouts and ' +
      'positions; focuses the object a peer highlights or points at.',
    'samp.icon.url': iconUrl,
    'author.name': 'AHUNT Workstation',
    'ahunt.version': version,
  };
}

/** What we subscribe to: the MTypes we receive and the administrative ones. */
export function ourSubscriptions(): Record<string, Record<string, never>> {
  const all = [...Object.values(RECEIVE), ...Object.values(ADMIN)];
  return Object.fromEntries(all.map((mtype) => [mtype, {}]));
}
