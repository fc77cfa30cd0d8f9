import type { SampPeer, SampSendReport, SampStatus } from '../../contract/contract';
import { sampIconPng } from './icon';
import { findHub, type HubDiscovery, type HubLocation } from './lockfile';
import {
  ADMIN,
  isStruct,
  ourMetadata,
  ourSubscriptions,
  parseMessage,
  SEND,
  type SampMessage,
} from './mtypes';
import {
  CallbackServer,
  XmlRpcCallError,
  xmlRpcCall,
  type MethodHandler,
  type XmlRpcValue,
} from './xmlrpc';

/** A problem the user can act on (no hub, nobody listening, the hub went away). */
export class SampError extends Error {
  override name = 'SampError';
  readonly userFacing = true;
  constructor(
    message: string,
    readonly code: string = 'samp',
  ) {
    super(message);
  }
}

/** What the workspace does with a message a peer sent us; its result goes back as samp.result. */
export type MessageHandler = (
  message: SampMessage,
  sender: { id: string; name: string },
) => Promise<Record<string, string> | void> | Record<string, string> | void;

export interface SampClientOptions {
  discovery?: HubDiscovery;
  /** How often to look for a hub, or check that ours is alive (default 2 s). */
  pollMs?: number;
  /** Longest wait for one call to the hub (default 3 s). */
  callTimeoutMs?: number;
  /** Longest wait for the peers' replies to a send (default 10 s). */
  replyTimeoutMs?: number;
  onMessage?: MessageHandler;
  onStatus?: (status: SampStatus) => void;
  version?: string;
}

interface Connection {
  hub: HubLocation;
  privateKey: string;
  selfId: string;
  hubId: string;
}

interface PendingSend {
  replies: Map<string, XmlRpcValue>;
  /** Called when a reply arrives or the connection drops. */
  wake: () => void;
}

/** The MTypes a peer's listensTo reports. */
const REPORTED = Object.values(SEND);

/**
 * A SAMP 1.3 client on the standard profile. It looks for a hub's lockfile every `pollMs`,
 * registers as "AHUNT Workstation" when one appears, pings it while registered, and drops
 * back to looking when it goes (shut down, killed, or its lockfile gone). Everything is
 * asynchronous with a timeout: no call to a hub or a peer can hold up the thread that
 * answers the window for longer than it takes to write a request.
 */
export class SampClient {
  private server: CallbackServer | null = null;
  private connection: Connection | null = null;
  /** The connection being set up: the hub may call us before registration is complete. */
  private joining: Connection | null = null;
  private readonly peers = new Map<string, SampPeer>();
  private readonly pending = new Map<string, PendingSend>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private closed = false;
  private tagCount = 0;
  private searching = 'looking for a SAMP hub';
  private problem: string | null = null;
  private highlightOnFocus = false;
  private readonly options: Required<Omit<SampClientOptions, 'onMessage' | 'onStatus'>> &
    SampClientOptions;

  constructor(options: SampClientOptions = {}) {
    this.options = {
      discovery: {},
      pollMs: 2000,
      callTimeoutMs: 3000,
      replyTimeoutMs: 10_000,
      version: '0.1.0',
      ...options,
    };
  }

  /** Starts watching for a hub (and connects at once if one is there). */
  start(): void {
    if (this.timer || this.closed) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.pollMs);
    this.timer.unref();
  }

  /** Looks for a hub now; resolves with the status afterwards. */
  async connectNow(): Promise<SampStatus> {
    await this.tick();
    return this.status();
  }

  status(): SampStatus {
    const c = this.connection;
    return {
      state: c ? 'connected' : 'searching',
      hub: c ? `${this.peers.get(c.hubId)?.name ?? 'SAMP hub'} at ${c.hub.xmlrpcUrl}` : null,
      message: c ? `connected to the SAMP hub (${c.hub.lockfile}) as ${c.selfId}` : this.searching,
      peers: [...this.peers.values()].filter((p) => !c || (p.id !== c.hubId && p.id !== c.selfId)),
      problem: this.problem,
      highlightOnFocus: this.highlightOnFocus,
    };
  }

  get highlighting(): boolean {
    return this.highlightOnFocus && this.connection !== null;
  }

  setHighlightOnFocus(on: boolean): SampStatus {
    this.highlightOnFocus = on;
    this.changed();
    return this.status();
  }

  /**
   * Sends `message` to every peer subscribed to its MType (samp.hub.callAll) and waits for
   * their replies, `replyTimeoutMs` at most: a peer that never answers is reported as such.
   */
  async send(message: SampMessage, sent: string, rows: number | null): Promise<SampSendReport> {
    const c = this.requireConnection();
    const listeners = await this.listenersOf(c, message.mtype);
    if (listeners.length === 0) throw noListener(message.mtype);
    return this.deliver(c, message.mtype, sent, rows, listeners, async (tag) => {
      const ids = await this.call(c, 'samp.hub.callAll', [c.privateKey, tag, wire(message)]);
      return isStruct(ids) ? Object.keys(ids) : [];
    });
  }

  /** The peers that subscribe to any of `mtypes`, each with those of them it subscribes to. */
  async subscribers(mtypes: string[]): Promise<Map<string, Set<string>>> {
    const c = this.requireConnection();
    const found = new Map<string, Set<string>>();
    for (const mtype of mtypes) {
      for (const id of await this.listenersOf(c, mtype)) {
        const set = found.get(id) ?? new Set<string>();
        set.add(mtype);
        found.set(id, set);
      }
    }
    return found;
  }

  /**
   * Sends each peer its own message (samp.hub.call, one per peer: a table goes as FITS to
   * those that read FITS and as VOTable to the rest) and waits for the replies as send does.
   */
  async sendEach(
    messages: Map<string, SampMessage>,
    sent: string,
    rows: number | null,
  ): Promise<SampSendReport> {
    const c = this.requireConnection();
    const mtypes = [...new Set([...messages.values()].map((m) => m.mtype))];
    if (messages.size === 0) throw noListener(mtypes[0] ?? SEND.votable);
    return this.deliver(c, mtypes.join(' + '), sent, rows, [...messages.keys()], async (tag, p) => {
      for (const [id, message] of messages) {
        try {
          await this.call(c, 'samp.hub.call', [c.privateKey, id, tag, wire(message)]);
        } catch (error) {
          // The hub itself is gone: deliver reports every peer as unanswered.
          if (!(error instanceof XmlRpcCallError && error.kind === 'fault')) throw error;
          // The hub refused this peer (it left meanwhile, say): its answer is the refusal.
          p.replies.set(id, {
            'samp.status': 'samp.error',
            'samp.error': { 'samp.errortxt': `the hub refused it: ${error.message}` },
          });
        }
      }
      return [...messages.keys()];
    });
  }

  /**
   * Hands a message to the hub with `dispatch` (which returns the peers it went to), then
   * waits for their replies and reports each peer by name.
   */
  private async deliver(
    c: Connection,
    mtype: string,
    sent: string,
    rows: number | null,
    listeners: string[],
    dispatch: (tag: string, pending: PendingSend) => Promise<string[]>,
  ): Promise<SampSendReport> {
    const known = new Map(listeners.map((id) => [id, this.peers.get(id)?.name ?? id]));
    const tag = `ahunt-${++this.tagCount}`;
    const pending: PendingSend = { replies: new Map(), wake: () => {} };
    this.pending.set(tag, pending);
    try {
      let recipients: string[];
      try {
        recipients = await dispatch(tag, pending);
      } catch (error) {
        const why = (error as Error).message;
        if (error instanceof XmlRpcCallError && error.kind === 'fault') {
          throw new SampError(`The SAMP hub refused to send ${sent}: ${why}.`, 'samp-refused');
        }
        this.lost(c, `the hub stopped answering during a send (${why})`);
        // The hub may have forwarded the message before it died: whether a listener got it
        // is unknown, so each is reported as unanswered rather than claiming nothing went out.
        recipients = listeners;
      }
      // A peer that registered a moment ago may not have told us its name yet.
      const nameOf = (id: string) => this.peers.get(id)?.name ?? known.get(id) ?? id;
      const unnamed = recipients.filter((id) => nameOf(id) === id);
      if (this.connection === c) await Promise.all(unnamed.map((id) => this.refreshPeer(c, id)));
      // Names now: a hub that goes away while we wait takes its list of peers with it.
      const names = new Map(recipients.map((id) => [id, nameOf(id)]));
      await this.waitForReplies(pending, recipients, c);
      const report: SampSendReport = {
        mtype,
        sent,
        rows,
        recipients: recipients.map((id) =>
          this.replyOf(id, names.get(id)!, pending.replies.get(id)),
        ),
      };
      const silent = report.recipients.filter((r) => !r.ok);
      if (silent.length > 0)
        this.problem = silent.map((r) => `${r.name}: ${r.message ?? 'failed'}`).join('; ');
      this.changed();
      return report;
    } finally {
      this.pending.delete(tag);
    }
  }

  /**
   * Fire and forget to chosen peers (samp.hub.notify), each its own message: a highlight
   * names the file that peer loaded. Returns how many the hub accepted.
   */
  async notifyEach(messages: Map<string, SampMessage>): Promise<number> {
    const c = this.requireConnection();
    let accepted = 0;
    for (const [id, message] of messages) {
      try {
        await this.call(c, 'samp.hub.notify', [c.privateKey, id, wire(message)]);
        accepted++;
      } catch (error) {
        // A peer that left, or that does not take highlights, is refused by the hub: no problem.
        if (error instanceof XmlRpcCallError && error.kind === 'fault') continue;
        this.notDelivered(error);
        break;
      }
    }
    return accepted;
  }

  private notDelivered(error: unknown): void {
    this.problem = `a notification was not delivered (${(error as Error).message})`;
    this.changed();
  }

  /** Unregisters (if a hub is there) and stops watching. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    const c = this.connection;
    this.connection = null;
    if (c) await this.call(c, 'samp.hub.unregister', [c.privateKey]).catch(() => {});
    for (const p of this.pending.values()) p.wake();
    await this.server?.close();
    this.server = null;
  }

  private requireConnection(): Connection {
    if (!this.connection) {
      throw new SampError(
        `No SAMP hub is connected (${this.searching}). Start TOPCAT, DS9 or Aladin (each runs a hub), or "jsamp hub", and try again.`,
        'samp-no-hub',
      );
    }
    return this.connection;
  }

  private tick(): Promise<void> {
    // One look at a time: a slow hub must not pile up connection attempts.
    this.ticking ??= this.look().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async look(): Promise<void> {
    if (this.closed) return;
    const c = this.connection;
    if (c) {
      try {
        await this.call(c, 'samp.hub.ping', []);
      } catch (error) {
        this.lost(c, `the SAMP hub went away (${(error as Error).message})`);
      }
      return;
    }
    const found = await findHub(this.options.discovery);
    if ('none' in found) {
      this.setSearching(found.none);
      return;
    }
    try {
      await this.register(found.hub);
    } catch (error) {
      this.setSearching(
        `the SAMP hub in ${found.hub.lockfile} did not accept us (${(error as Error).message})`,
      );
    }
  }

  private async register(hub: HubLocation): Promise<void> {
    this.server ??= await this.startServer();
    const t = this.options.callTimeoutMs;
    const reg = await xmlRpcCall(hub.xmlrpcUrl, 'samp.hub.register', [hub.secret], t);
    if (!isStruct(reg)) throw new Error('the hub answered register with something else');
    const c: Connection = {
      hub,
      privateKey: String(reg['samp.private-key'] ?? ''),
      selfId: String(reg['samp.self-id'] ?? ''),
      hubId: String(reg['samp.hub-id'] ?? ''),
    };
    if (!c.privateKey) throw new Error('the hub gave no private key');
    this.joining = c;
    try {
      await this.call(c, 'samp.hub.setXmlrpcCallback', [c.privateKey, this.server.url]);
      const icon = `${this.server.baseUrl}/ahunt-icon.png`;
      await this.call(c, 'samp.hub.declareMetadata', [
        c.privateKey,
        ourMetadata(icon, this.options.version),
      ]);
      await this.call(c, 'samp.hub.declareSubscriptions', [c.privateKey, ourSubscriptions()]);
      if (this.closed) throw new Error('closed');
      this.connection = c;
      this.peers.clear();
      this.problem = null;
      await this.refreshPeers(c);
    } catch (error) {
      await this.call(c, 'samp.hub.unregister', [c.privateKey]).catch(() => {});
      this.connection = null;
      throw error;
    } finally {
      this.joining = null;
    }
    this.changed();
  }

  private async refreshPeers(c: Connection): Promise<void> {
    const ids = await this.call(c, 'samp.hub.getRegisteredClients', [c.privateKey]);
    if (!Array.isArray(ids)) return;
    await Promise.all([c.hubId, ...ids.map(String)].map((id) => this.refreshPeer(c, id)));
  }

  private async refreshPeer(c: Connection, id: string): Promise<void> {
    const [meta, subs] = await Promise.all([
      this.call(c, 'samp.hub.getMetadata', [c.privateKey, id]).catch(() => ({})),
      this.call(c, 'samp.hub.getSubscriptions', [c.privateKey, id]).catch(() => ({})),
    ]);
    this.updatePeer(id, meta, subs);
  }

  private updatePeer(id: string, meta?: XmlRpcValue, subs?: XmlRpcValue): void {
    const before = this.peers.get(id);
    const name =
      meta !== undefined
        ? isStruct(meta) && typeof meta['samp.name'] === 'string'
          ? meta['samp.name']
          : id
        : (before?.name ?? id);
    const listensTo =
      subs !== undefined
        ? isStruct(subs)
          ? REPORTED.filter((m) => matches(Object.keys(subs), m))
          : []
        : (before?.listensTo ?? []);
    this.peers.set(id, { id, name, listensTo });
  }

  private async listenersOf(c: Connection, mtype: string): Promise<string[]> {
    const subscribed = await this.call(c, 'samp.hub.getSubscribedClients', [
      c.privateKey,
      mtype,
    ]).catch((error: Error) => {
      this.lost(c, `the hub stopped answering (${error.message})`);
      throw new SampError(
        `The SAMP hub stopped answering (${error.message}); it may have been shut down. Restart it and try again.`,
        'samp-hub-gone',
      );
    });
    return isStruct(subscribed) ? Object.keys(subscribed).filter((id) => id !== c.selfId) : [];
  }

  private waitForReplies(pending: PendingSend, recipients: string[], c: Connection): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (recipients.every((id) => pending.replies.has(id)) || this.connection !== c) done();
      };
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, this.options.replyTimeoutMs);
      pending.wake = check;
      check();
    });
  }

  private replyOf(
    id: string,
    name: string,
    response: XmlRpcValue | undefined,
  ): SampSendReport['recipients'][0] {
    if (response === undefined) {
      const why = this.connection
        ? `did not answer within ${(this.options.replyTimeoutMs / 1000).toFixed(0)} s`
        : 'the hub went away before it answered';
      return { id, name, ok: false, message: why };
    }
    if (!isStruct(response)) return { id, name, ok: false, message: 'sent a malformed reply' };
    const status = response['samp.status'];
    const error = response['samp.error'];
    const text =
      isStruct(error) && typeof error['samp.errortxt'] === 'string' ? error['samp.errortxt'] : null;
    if (status === 'samp.ok') return { id, name, ok: true, message: null };
    if (status === 'samp.warning') return { id, name, ok: true, message: text };
    return { id, name, ok: false, message: text ?? `answered ${String(status)}` };
  }

  private call(c: Connection, method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
    return xmlRpcCall(c.hub.xmlrpcUrl, method, params, this.options.callTimeoutMs);
  }

  private lost(c: Connection, why: string): void {
    if (this.connection !== c) return;
    this.connection = null;
    this.peers.clear();
    this.searching = `${why}; looking for a SAMP hub`;
    for (const p of this.pending.values()) p.wake();
    this.changed();
  }

  private setSearching(why: string): void {
    if (why === this.searching) return;
    this.searching = why;
    this.changed();
  }

  private changed(): void {
    this.options.onStatus?.(this.status());
  }

  private startServer(): Promise<CallbackServer> {
    const icon = sampIconPng();
    const handlers = new Map<string, MethodHandler>([
      ['samp.client.receiveNotification', (args) => this.receive(args, false)],
      ['samp.client.receiveCall', (args) => this.receive(args, true)],
      ['samp.client.receiveResponse', (args) => this.receiveResponse(args)],
    ]);
    return CallbackServer.start(
      handlers,
      new Map([['/ahunt-icon.png', { type: 'image/png', bytes: icon }]]),
      (problem) => {
        this.problem = problem;
        this.changed();
      },
    );
  }

  /** The hub hands us a message: answer at once, act on it afterwards (SAMP wants it quick). */
  private receive(args: XmlRpcValue[], isCall: boolean): string {
    const c = this.connection ?? this.joining;
    const [key, sender, ...rest] = args;
    if (!c || key !== c.privateKey) throw new Error('not addressed to this client');
    const msgId = isCall ? rest[0] : undefined;
    const message = parseMessage((isCall ? rest[1] : rest[0]) as XmlRpcValue);
    if (!message || typeof sender !== 'string' || (isCall && typeof msgId !== 'string'))
      throw new Error('a SAMP message needs a sender, samp.mtype and samp.params');
    setImmediate(() => void this.act(c, sender, message, msgId as string | undefined));
    return '';
  }

  private async act(c: Connection, sender: string, message: SampMessage, msgId?: string) {
    let response: Record<string, XmlRpcValue>;
    try {
      const result = await this.handle(c, sender, message);
      response = { 'samp.status': 'samp.ok', 'samp.result': result ?? {} };
    } catch (error) {
      const text = (error as Error).message ?? String(error);
      this.problem = `${this.peers.get(sender)?.name ?? sender} sent ${message.mtype}: ${text}`;
      this.changed();
      response = { 'samp.status': 'samp.error', 'samp.error': { 'samp.errortxt': text } };
    }
    if (msgId !== undefined && this.connection === c)
      await this.call(c, 'samp.hub.reply', [c.privateKey, msgId, response]).catch(() => {});
  }

  private async handle(c: Connection, sender: string, message: SampMessage) {
    const p = message.params;
    const id = typeof p.id === 'string' ? p.id : null;
    switch (message.mtype) {
      case ADMIN.ping:
        return {};
      case ADMIN.register:
      case ADMIN.metadata:
      case ADMIN.subscriptions:
        if (id) {
          this.updatePeer(
            id,
            message.mtype === ADMIN.metadata ? p.metadata : undefined,
            message.mtype === ADMIN.subscriptions ? p.subscriptions : undefined,
          );
          this.changed();
        }
        return {};
      case ADMIN.unregister:
        if (id) this.peers.delete(id);
        this.changed();
        return {};
      case ADMIN.shutdown:
      case ADMIN.disconnect:
        this.lost(
          c,
          message.mtype === ADMIN.shutdown
            ? 'the SAMP hub shut down'
            : 'the SAMP hub disconnected us',
        );
        return {};
      default: {
        const handler = this.options.onMessage;
        if (!handler) throw new Error(`${message.mtype} is not handled here`);
        return (
          (await handler(message, { id: sender, name: this.peers.get(sender)?.name ?? sender })) ??
          {}
        );
      }
    }
  }

  private receiveResponse(args: XmlRpcValue[]): string {
    const c = this.connection;
    const [key, responder, tag, response] = args;
    if (!c || key !== c.privateKey) throw new Error('not addressed to this client');
    if (typeof responder !== 'string' || typeof tag !== 'string')
      throw new Error('a SAMP response needs a responder id and a message tag');
    const pending = this.pending.get(tag);
    if (pending) {
      pending.replies.set(responder, response);
      pending.wake();
    }
    return '';
  }
}

/** A message as XML-RPC wants it. */
function wire(message: SampMessage): XmlRpcValue {
  return { 'samp.mtype': message.mtype, 'samp.params': message.params };
}

/** Subscriptions may use wildcards ("table.*", "*"). */
function matches(subscriptions: string[], mtype: string): boolean {
  return subscriptions.some(
    (s) => s === mtype || s === '*' || (s.endsWith('.*') && mtype.startsWith(s.slice(0, -1))),
  );
}

/** Nobody to send to: the user-facing error, naming a program that listens. */
export function noListener(mtype: string): SampError {
  return new SampError(
    `No SAMP client listens for ${mtype}: open ${suggestPeer(mtype)} and try again.`,
    'samp-no-listener',
  );
}

function suggestPeer(mtype: string): string {
  if (mtype.startsWith('table.')) return 'TOPCAT (or another table viewer)';
  if (mtype.startsWith('image.')) return 'DS9 or Aladin';
  return 'Aladin, DS9 or TOPCAT';
}
