import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Input, Output, PixelData, SampStatus } from '../../contract/contract';
import { readFrameCutoutInWorker, runTableJobInWorker } from './table-in-worker';
import { cutoutPlacement, shiftWcs } from './cutout-wcs';
import type { FrameCutoutResult } from './frame-cutout-job';
import { writeImage, type HeaderKeyword } from '../fits';
import { parseMeta } from '../hunt/frame-bands';
import type { EmitFn } from '../hunt/session';
import { getObject, type ObjectRow } from '../store/objects';
import type { Project } from '../store/project';
import { getMeta } from '../store/settings';
import { findSource } from '../store/sources';
import { noListener, SampClient, SampError, type SampClientOptions } from './client';
import {
  indexParam,
  listParam,
  numberParam,
  RECEIVE,
  SampParamError,
  SEND,
  stringParam,
  type SampMessage,
} from './mtypes';
import { nearestObject } from './nearest';
import { pruneSentFiles, writeSentFile } from './sent-files';

/** A table we sent, kept so a peer's row numbers map back to our objects. */
interface SentTable {
  /** The file each peer was sent (a FITS table or a VOTable of the same rows). */
  urlOf: Map<string, string>;
  objectIds: number[];
  /** Row of each object, built when a focus needs it. */
  rowOf?: Map<number, number>;
}

/** How many sent tables to remember (older ones are forgotten; a highlight on them is refused). */
const KEEP_TABLES = 8;
/** Why an object's cutout goes as stored, without sky coordinates. */
const NOT_FITS = 'it was not cut from a FITS frame';

export interface SampLinkOptions extends Omit<SampClientOptions, 'onMessage' | 'onStatus'> {
  /** Where sent files go (default: the project's exports/samp folder). */
  outDir?: string;
}

/**
 * One open project's side of SAMP: what to send (its catalogue, a class, a selection, a
 * cutout, a frame, a position) and what a received highlight, selection or pointing means
 * (one of its objects, announced to the window as an event). The client starts looking for a
 * hub when first asked for (the window asks for the status as it opens), so a headless
 * workspace that never speaks SAMP never touches the lockfile.
 */
export class SampLink {
  private client: SampClient | null = null;
  private readonly tables = new Map<string, SentTable>();
  private sends = 0;
  private readonly outDir: string;

  constructor(
    private readonly project: Project,
    private readonly emit: EmitFn,
    private readonly pixels: (objectId: number) => PixelData,
    private readonly options: SampLinkOptions = {},
  ) {
    this.outDir = options.outDir ?? join(project.dir, 'exports', 'samp');
  }

  /** The status; the first call starts watching for a hub. */
  status(): SampStatus {
    const client = this.ensureClient();
    client.start();
    return client.status();
  }

  async connect(): Promise<SampStatus> {
    const client = this.ensureClient();
    client.start();
    return client.connectNow();
  }

  settings(input: Input<'samp.settings'>): SampStatus {
    const client = this.ensureClient();
    if (input.highlightOnFocus !== undefined) client.setHighlightOnFocus(input.highlightOnFocus);
    return client.status();
  }

  async send(input: Input<'samp.send'>): Promise<Output<'samp.send'>> {
    const client = this.ensureClient();
    if (client.status().state !== 'connected') await client.connectNow();
    switch (input.what) {
      case 'catalogue':
      case 'class':
      case 'selection':
        return this.sendTable(client, input);
      case 'cutout':
        return this.sendCutout(client, this.object(input.objectId));
      case 'frame':
        return this.sendFrame(client, this.object(input.objectId));
      case 'point':
        return this.sendPoint(client, this.object(input.objectId));
    }
  }

  /** The window's focus moved: highlight the object's row where a table of ours holds it. */
  async focus(objectId: number): Promise<Output<'samp.focus'>> {
    const client = this.client;
    if (!client?.highlighting) return { highlighted: 0 };
    for (const [tableId, table] of [...this.tables].reverse()) {
      table.rowOf ??= new Map(table.objectIds.map((id, row) => [id, row]));
      const row = table.rowOf.get(objectId);
      if (row === undefined) continue;
      const messages = new Map(
        [...table.urlOf].map(([peer, url]) => [
          peer,
          { mtype: SEND.highlight, params: { 'table-id': tableId, url, row: String(row) } },
        ]),
      );
      return { highlighted: await client.notifyEach(messages) };
    }
    return { highlighted: 0 };
  }

  /** Unregisters, and removes the files sent (all but those a peer may still be reading). */
  async close(): Promise<void> {
    await this.client?.close();
    this.client = null;
    pruneSentFiles(this.outDir, { all: true });
  }

  private ensureClient(): SampClient {
    this.client ??= new SampClient({
      ...this.options,
      onStatus: (status) => this.emit('samp.status', status),
      onMessage: (message, sender) => this.receive(message, sender.name),
    });
    return this.client;
  }

  private object(id: number | undefined): ObjectRow {
    if (id === undefined) throw new SampError('Say which object to send (objectId).', 'invalid');
    const o = getObject(this.project.db, id);
    if (!o) throw new SampError(`There is no object ${id} in this project.`, 'not-found');
    return o;
  }

  /**
   * A table goes as FITS to the peers that take table.load.fits (TOPCAT does) and as
   * VOTable to the rest: a reader parses a FITS binary table straight into columns, while a
   * 10^5-row TABLEDATA VOTable takes astropy about 6 s (and BINARY2 twice that; measured,
   * see tests/samp/bench-send.ts). Both carry the same columns, units and UCDs.
   */
  private async sendTable(client: SampClient, input: Input<'samp.send'>) {
    if (input.what === 'class' && input.classId === undefined)
      throw new SampError('Say which class to send (classId).', 'invalid');
    if (input.what === 'selection' && !input.objectIds?.length)
      throw new SampError('Select the objects to send first.', 'invalid');
    const subscribers = await client.subscribers([SEND.tableFits, SEND.votable]);
    if (subscribers.size === 0) throw noListener(SEND.votable);
    const takesFits = [...subscribers.values()].some((s) => s.has(SEND.tableFits));
    const needsVotable = [...subscribers.values()].some((s) => !s.has(SEND.tableFits));
    const n = ++this.sends;
    mkdirSync(this.outDir, { recursive: true });
    // One file per kind of table, replaced by the next send of that kind (atomically: a
    // peer still reading the old one keeps it).
    const base = join(
      this.outDir,
      `${input.what}${input.what === 'class' ? `-${input.classId}` : ''}`,
    );
    // Built and written off this thread: a 10^5-row table takes seconds, a keypress must not wait.
    const written = await runTableJobInWorker({
      dir: this.project.dir,
      votable: needsVotable ? `${base}.vot` : null,
      fits: takesFits ? `${base}.fits` : null,
      labelledOnly: input.labelledOnly ?? false,
      ...(input.what === 'class' ? { classId: input.classId } : {}),
      ...(input.what === 'selection' ? { objectIds: input.objectIds } : {}),
    });
    if (!written.ok) throw new SampError(written.message, 'invalid');
    const tableId = `ahunt-${n}-${slug(written.what)}`;
    const name = `AHUNT ${getMeta(this.project.db, 'name') ?? ''} ${written.what}`.replace(
      /\s+/g,
      ' ',
    );
    const urlOf = new Map<string, string>();
    const messages = new Map<string, SampMessage>();
    for (const [peer, mtypes] of subscribers) {
      // FITS unless it would lose characters and the peer reads VOTable too.
      const asFits =
        written.fits !== null &&
        mtypes.has(SEND.tableFits) &&
        !(written.fitsLossy && mtypes.has(SEND.votable));
      const url = pathToFileURL(asFits ? written.fits! : written.votable!).href;
      urlOf.set(peer, url);
      messages.set(peer, {
        mtype: asFits ? SEND.tableFits : SEND.votable,
        params: { url, 'table-id': tableId, name },
      });
    }
    this.remember(tableId, { urlOf, objectIds: written.objectIds });
    pruneSentFiles(this.outDir);
    return client.sendEach(messages, `${written.what} (${written.rows} rows)`, written.rows);
  }

  /**
   * The cutout as FITS, every band: one band is a 2-D image, several a cube (NAXIS3 = band),
   * which DS9 opens with its cube dialog (Aladin shows cubes plane by plane too), so each
   * band is one step away; one HDU per band would show only the first in DS9 (it loads one
   * HDU per frame). A FITS object's cutout is cut again from its frame, in the frame's units
   * (frame-cutout-job.ts), with the frame's WCS moved to it (cutout-wcs.ts): a peer measures
   * fluxes on it. Other objects (JPEG/PNG), and those whose frame changed or is gone, go as
   * stored (0..1 of the display range, BUNIT "normalised"), which is what the window shows.
   */
  private async sendCutout(client: SampClient, o: ObjectRow) {
    const frame = await this.cutFromFrame(o);
    const cut = frame && 'pixels' in frame.original ? frame.original : null;
    const pixelsWhy = frame ? ('why' in frame.original ? frame.original.why : null) : NOT_FITS;
    const wcsWhy = frame ? frame.wcs.why : NOT_FITS;
    let side: number;
    let bands: number;
    let cube: Float32Array;
    let wcs: HeaderKeyword[] | null = null;
    if (cut) {
      ({ side, bands, pixels: cube } = cut);
      if (frame!.wcs.keywords)
        wcs = shiftWcs(frame!.wcs.keywords, { x0: cut.x0, y0: cut.y0, step: 1 });
    } else {
      const stored = this.pixels(o.id);
      ({ size: side, bands } = stored);
      // Stored bands last (HWC); FITS wants one plane per band.
      cube = new Float32Array(side * side * bands);
      for (let b = 0; b < bands; b++)
        for (let i = 0; i < side * side; i++)
          cube[b * side * side + i] = stored.data[i * bands + b]!;
      if (frame?.wcs.keywords)
        wcs = shiftWcs(frame.wcs.keywords, cutoutPlacement(parseMeta(o.meta), o.size));
    }
    const names = bandNames(o.band_names);
    const bytes = writeImage(
      cube,
      side,
      side,
      [
        { key: 'OBJECT', value: o.uid.slice(0, 68), comment: 'AHUNT object uid' },
        { key: 'ORIGIN', value: 'AHUNT Workstation' },
        ...(cut
          ? cut.unit
            ? [{ key: 'BUNIT', value: cut.unit.slice(0, 68), comment: "the frame's unit" }]
            : []
          : [
              {
                key: 'BUNIT',
                value: 'normalised',
                comment: 'stored cutout, 0..1 of the display range',
              },
            ]),
        ...(o.ra !== null && o.dec !== null
          ? [
              { key: 'RA_OBJ', value: o.ra, comment: '[deg] object right ascension' },
              { key: 'DEC_OBJ', value: o.dec, comment: '[deg] object declination' },
            ]
          : []),
        ...(bands > 1
          ? names.slice(0, bands).map((name, b) => ({
              key: `BAND${b + 1}`,
              value: name.slice(0, 68),
              comment: `band of plane ${b + 1}`,
            }))
          : []),
        ...(wcs ?? []),
      ],
      { depth: bands },
    );
    mkdirSync(this.outDir, { recursive: true });
    const path = join(this.outDir, `cutout-${o.id}.fits`);
    await writeSentFile(path, bytes);
    pruneSentFiles(this.outDir);
    const url = pathToFileURL(path).href;
    const values = cut
      ? `in the frame's units${cut.unit ? ` (${cut.unit})` : ''}`
      : pixelsWhy === wcsWhy && !wcs
        ? `stored 0..1 pixels and no WCS: ${pixelsWhy}`
        : `stored 0..1 pixels: ${pixelsWhy}`;
    const sky = wcs ? 'with its WCS' : pixelsWhy === wcsWhy && !cut ? null : `no WCS: ${wcsWhy}`;
    const what = [`${bands} band${bands === 1 ? '' : 's'}`, values, sky].filter(Boolean).join(', ');
    return client.send(
      {
        mtype: SEND.fits,
        params: { url, 'image-id': `ahunt-cutout-${o.id}`, name: `AHUNT ${o.uid}` },
      },
      `cutout of ${o.uid} (${what})`,
      null,
    );
  }

  /** The cutout's frame read again, off this thread; null when it was not cut from a FITS frame. */
  private async cutFromFrame(o: ObjectRow): Promise<FrameCutoutResult | null> {
    const source = findSource(this.project.db, o.source_path);
    if (source?.kind !== 'fits') return null;
    const { source_path, hdu, size, meta, band_names } = o;
    return readFrameCutoutInWorker({
      object: { source_path, hdu, size, meta, band_names },
      size: source.size,
      mtimeMs: source.mtime_ms,
    });
  }

  private async sendFrame(client: SampClient, o: ObjectRow) {
    if (!/\.(fits?|fts|fz)(\.gz)?$/i.test(o.source_path)) {
      throw new SampError(
        `${o.uid} came from ${o.source_path}, which is not a FITS frame; send its cutout instead.`,
        'invalid',
      );
    }
    const url = pathToFileURL(o.source_path).href;
    return client.send(
      {
        mtype: SEND.fits,
        params: { url, 'image-id': `ahunt-frame-${o.source_id}`, name: o.source_path },
      },
      `frame ${o.source_path}`,
      null,
    );
  }

  private async sendPoint(client: SampClient, o: ObjectRow) {
    if (o.ra === null || o.dec === null)
      throw new SampError(`${o.uid} has no sky position (its image had no WCS).`, 'invalid');
    return client.send(
      { mtype: SEND.pointAt, params: { ra: String(o.ra), dec: String(o.dec) } },
      `position of ${o.uid}`,
      null,
    );
  }

  private remember(tableId: string, table: SentTable): void {
    this.tables.set(tableId, table);
    for (const old of this.tables.keys()) {
      if (this.tables.size <= KEEP_TABLES) break;
      this.tables.delete(old);
    }
  }

  /** A peer's message about our tables or the sky; throws SampParamError when it makes no sense. */
  private receive(message: SampMessage, from: string): Record<string, string> {
    const p = message.params;
    if (message.mtype === RECEIVE.pointAt) {
      const ra = numberParam(p, 'ra');
      const dec = numberParam(p, 'dec');
      const near = nearestObject(this.project.db, ra, dec);
      if (!near) throw new SampParamError(`no object lies within its cutout of ${ra}, ${dec}`);
      this.emit('samp.focus', { objectId: near.objectId, from, why: 'pointed at its position' });
      return { 'object-id': String(near.objectId) };
    }
    const table = this.tableOf(p['table-id'], p.url);
    if (message.mtype === RECEIVE.highlight) {
      const row = indexParam(p.row, 'row');
      const objectId = table.objectIds[row];
      if (objectId === undefined)
        throw new SampParamError(
          `row ${row} is not in the table (it has ${table.objectIds.length})`,
        );
      this.emit('samp.focus', { objectId, from, why: 'highlighted its row' });
      return {};
    }
    if (message.mtype === RECEIVE.select) {
      const rows = listParam(p, 'row-list').map((r) => indexParam(r, 'row-list'));
      const objectIds = rows.map((r) => table.objectIds[r]).filter((id) => id !== undefined);
      this.emit('samp.selection', { objectIds, from });
      return {};
    }
    throw new SampParamError(`${message.mtype} is not handled`);
  }

  private tableOf(tableId: unknown, url: unknown): SentTable {
    const byId = typeof tableId === 'string' ? this.tables.get(tableId) : undefined;
    const found =
      byId ??
      [...this.tables.values()].find(
        (t) => typeof url === 'string' && [...t.urlOf.values()].includes(url),
      );
    if (!found) {
      // stringParam names the missing parameter when there is none at all.
      if (typeof tableId !== 'string' && typeof url !== 'string') stringParam({}, 'table-id');
      throw new SampParamError('the table is not one AHUNT sent in this session');
    }
    return found;
  }
}

/** The object's band names (JSON, from ingest), or none. */
function bandNames(json: string | null): string[] {
  try {
    const names: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(names) ? names.map(String) : [];
  } catch {
    return [];
  }
}

function slug(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'table'
  );
}
