/**
 * Just enough of Electron's main-process api to run src-main/electron/main.ts under Node: it
 * records what the door asks of Electron (window options, handlers, menu) so the tests can
 * check the hardening and drive the IPC handlers like the page would. Electron's own binary
 * cannot be downloaded on these machines; this checks our code, not Electron.
 */
type Listener = (...args: unknown[]) => unknown;

export const recorded = {
  windows: [] as FakeWindow[],
  ipc: new Map<string, Listener>(),
  protocolHandler: null as null | ((request: Request) => Promise<Response>),
  privileged: [] as unknown[],
  menuTemplate: [] as { label?: string; submenu?: { label?: string; accelerator?: string }[] }[],
  permissionRequest: null as null | Listener,
  permissionCheck: null as null | Listener,
  headers: null as null | Listener,
  appEvents: new Map<string, Listener>(),
  sent: [] as unknown[][],
  exitCode: null as number | null,
  /** URLs handed to the OS's browser (shell.openExternal). */
  openedExternally: [] as string[],
  /**
   * Whether the hidden GPU window's page loads. Off by default: the fake has no page to answer
   * the engine, so the desktop starts without the GPU route, as on a machine without one.
   */
  gpuPagesLoad: false,
  /** Whether the door asked the app to quit. */
  quitRequested: false,
  /** Messages with MessagePorts sent to a page (webContents.postMessage). */
  portsSent: [] as { channel: string; ports: FakePort[] }[],
};

let ready: () => void = () => {};
const whenReady = new Promise<void>((resolve) => (ready = resolve));
/** Lets main.ts's app.whenReady() resolve, as Electron does once it has started. */
export function startApp(): void {
  ready();
}

class FakeContents {
  readonly listeners = new Map<string, Listener>();
  openHandler: Listener | null = null;
  loaded: string | null = null;
  on(event: string, listener: Listener) {
    this.listeners.set(event, listener);
    return this;
  }
  setWindowOpenHandler(handler: Listener) {
    this.openHandler = handler;
  }
  send(...args: unknown[]) {
    recorded.sent.push(args);
  }
  isDestroyed() {
    return false;
  }
  reload() {}
  postMessage(channel: string, _message: unknown, ports: FakePort[] = []) {
    recorded.portsSent.push({ channel, ports });
  }
}

/** One end of a MessageChannelMain: what is posted on one end arrives at the other's listeners. */
export class FakePort {
  other: FakePort | null = null;
  readonly received: unknown[] = [];
  private readonly listeners: Listener[] = [];
  closed = false;
  postMessage(message: unknown) {
    this.other?.deliver(message);
  }
  deliver(message: unknown) {
    this.received.push(message);
    for (const listener of this.listeners) listener({ data: message });
  }
  on(_event: 'message', listener: Listener) {
    this.listeners.push(listener);
  }
  start() {}
  close() {
    this.closed = true;
  }
}

export class MessageChannelMain {
  readonly port1 = new FakePort();
  readonly port2 = new FakePort();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}

export class FakeWindow {
  readonly webContents = new FakeContents();
  readonly listeners = new Map<string, Listener>();
  constructor(readonly options: Record<string, unknown>) {
    recorded.windows.push(this);
  }
  static getAllWindows() {
    return recorded.windows;
  }
  maximize() {}
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1200, height: 800 };
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, listener);
    return this;
  }
  loadURL(url: string) {
    this.webContents.loaded = url;
    if (url.startsWith('app://gpu-trainer/') && !recorded.gpuPagesLoad) {
      return Promise.reject(new Error('the fake Electron has no GPU page'));
    }
    return Promise.resolve();
  }
  destroyed = false;
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
  }
}

export const BrowserWindow = FakeWindow;

export const app = {
  isPackaged: false,
  whenReady: () => whenReady,
  getPath: (name: string) => `${process.env.AHUNT_HOME}/electron-${name}`,
  on(event: string, listener: Listener) {
    recorded.appEvents.set(event, listener);
    return app;
  },
  quit() {
    recorded.quitRequested = true;
  },
  exit(code: number) {
    recorded.exitCode = code;
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: Listener) => (recorded.permissionRequest = h),
    setPermissionCheckHandler: (h: Listener) => (recorded.permissionCheck = h),
    webRequest: { onHeadersReceived: (h: Listener) => (recorded.headers = h) },
  },
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privileged.push(...schemes),
  handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => {
    recorded.protocolHandler = handler;
  },
};

export const ipcMain = {
  handle: (channel: string, listener: Listener) => recorded.ipc.set(channel, listener),
};

export const Menu = {
  buildFromTemplate: (template: typeof recorded.menuTemplate) => {
    recorded.menuTemplate = template;
    return { template };
  },
  setApplicationMenu: () => {},
};

export const shell = {
  openExternal: (url: string) => {
    recorded.openedExternally.push(url);
    return Promise.resolve();
  },
};

export const dialog = {
  showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
};

/** The preload's side: what it exposed to the page, and what it asked the main process. */
export const exposed = new Map<string, unknown>();
export const invoked: unknown[][] = [];
export const contextBridge = {
  exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value),
};
export const ipcRenderer = {
  invoke: (...args: unknown[]) => {
    invoked.push(args);
    return Promise.resolve(
      args[0] === 'ahunt:pixels'
        ? [{ size: 1, bands: 1, data: new Float32Array([0.5]).buffer }, null]
        : { ok: true, value: null },
    );
  },
  on: () => {},
  once: (channel: string, listener: Listener) => onceListeners.set(channel, listener),
  removeListener: () => {},
};
/** Listeners the preloads registered with ipcRenderer.once, by channel. */
export const onceListeners = new Map<string, Listener>();

export default {
  app,
  BrowserWindow,
  MessageChannelMain,
  session,
  protocol,
  ipcMain,
  Menu,
  dialog,
  contextBridge,
  ipcRenderer,
};
