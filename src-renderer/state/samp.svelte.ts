/// <reference types="svelte" />
/**
 * SAMP as the window sees it: the hub and who listens, sending to TOPCAT, DS9 and Aladin, and
 * following a peer that highlights, selects or points at one of our objects. A send or a
 * highlight never holds up a key: each is a request the keyboard does not wait for.
 */
import type {
  AhuntApi,
  ApiError,
  Events,
  Input,
  SampSendReport,
  SampStatus,
} from '../../src-main/contract/contract';
import { makeRequester, type Requester } from './requester';

export type SampSend = Input<'samp.send'>;

export interface SampHooks {
  /** Focus that object in the batch; false when it is not in the batch. */
  focus(objectId: number): boolean;
  /** A sentence for the user (a toast). */
  report(error: ApiError): void;
  /** Show objects as a batch to label (a peer's selection). */
  select?(title: string, objectIds: number[]): void;
}

export class SampStore {
  status = $state<SampStatus | null>(null);
  /** The last send's outcome, as a sentence for the status bar. */
  last = $state<string | null>(null);
  sending = $state(false);
  private readonly request: Requester;
  /** The object last announced to the peers, so a re-render does not highlight it again. */
  private highlighted: number | null = null;

  constructor(
    private readonly api: AhuntApi,
    private readonly hooks: SampHooks,
  ) {
    this.request = makeRequester(api, hooks.report);
  }

  subscribe(): () => void {
    const offs = [
      this.api.on('samp.status', (status) => (this.status = status)),
      this.api.on('samp.focus', (event) => this.followFocus(event)),
      this.api.on('samp.selection', (event) => this.followSelection(event)),
    ];
    return () => offs.forEach((off) => off());
  }

  /**
   * The first request starts the engine's client, and it is a look for a hub that answers with
   * the outcome: with a plain status request, a hub found before this page's event stream
   * opened was announced to nobody and the bar stayed "looking for a hub".
   */
  async load(): Promise<void> {
    const status = await this.request('samp.connect', {});
    if (status) this.status = status;
  }

  async connect(): Promise<void> {
    const status = await this.request('samp.connect', {});
    if (status) this.status = status;
  }

  get connected(): boolean {
    return this.status?.state === 'connected';
  }

  /** Peers that listen for an MType, by name, for the status line and the buttons' titles. */
  listeners(mtype: string): string[] {
    return (this.status?.peers ?? []).filter((p) => p.listensTo.includes(mtype)).map((p) => p.name);
  }

  async send(input: SampSend): Promise<SampSendReport | null> {
    this.sending = true;
    const report = await this.request('samp.send', input);
    this.sending = false;
    if (report) this.last = describeReport(report);
    return report;
  }

  async setHighlightOnFocus(on: boolean): Promise<void> {
    const status = await this.request('samp.settings', { highlightOnFocus: on });
    if (status) this.status = status;
  }

  /** The window's focus moved: when asked to, highlight the row in the peers (not awaited). */
  focusMoved(objectId: number): void {
    if (!this.status?.highlightOnFocus || !this.connected || objectId === this.highlighted) return;
    this.highlighted = objectId;
    void this.api.call('samp.focus', { objectId }).catch(() => {});
  }

  reset(): void {
    this.last = null;
    this.highlighted = null;
  }

  private followFocus(event: Events['samp.focus']): void {
    // Our own highlight must not bounce back as a new one.
    this.highlighted = event.objectId;
    if (!this.hooks.focus(event.objectId)) {
      this.hooks.report({
        code: 'samp',
        message: `${event.from} ${event.why}: object ${event.objectId}, which is not in this round's batch.`,
      });
    }
  }

  private followSelection(event: Events['samp.selection']): void {
    if (this.hooks.select && event.objectIds.length > 0) {
      this.hooks.select(`Selection from ${event.from}`, event.objectIds);
      this.last = `${event.from} selected ${event.objectIds.length} objects: shown as a batch (Esc returns to the round).`;
      return;
    }
    const inBatch = event.objectIds.filter((id) => this.hooks.focus(id));
    if (inBatch.length > 0) this.hooks.focus(inBatch[0]!);
    this.last = `${event.from} selected ${event.objectIds.length} objects; ${inBatch.length} are in this batch.`;
  }
}

export function describeReport(report: SampSendReport): string {
  const ok = report.recipients.filter((r) => r.ok).map((r) => r.name);
  const failed = report.recipients.filter((r) => !r.ok);
  const parts = [`Sent ${report.sent}`];
  if (ok.length > 0) parts.push(`to ${ok.join(', ')}`);
  if (failed.length > 0)
    parts.push(`(${failed.map((r) => `${r.name}: ${r.message ?? 'failed'}`).join('; ')})`);
  return `${parts.join(' ')}.`;
}
