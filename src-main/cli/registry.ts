import type { Command } from './command';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded only when run: `ahunt --help` or `ahunt info` must not pay for tfjs, sharp or onnxruntime. */
  load(): Promise<Command>;
}

/** Every `ahunt` sub-command, in the order `ahunt --help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'create a new project folder',
    load: async () => (await import('./commands/init')).initCommand,
  },
  {
    name: 'info',
    summary: 'summarise a project: objects, labels, classes, rounds, backend',
    load: async () => (await import('./commands/info')).infoCommand,
  },
  {
    name: 'ingest',
    summary: 'add FITS / JPEG / PNG survey images (and labels) to a project',
    load: async () => (await import('./commands/ingest')).ingestCommand,
  },
  {
    name: 'fits',
    summary: 'inspect a FITS file: its HDUs and statistics of an image',
    load: async () => (await import('../lab/fits/command')).fitsCommand,
  },
  {
    name: 'serve',
    summary: 'open a project in the browser (local server on 127.0.0.1, token-protected)',
    load: async () => (await import('./commands/serve')).serveCommand,
  },
  {
    name: 'simulate',
    summary: 'run the AHUNT benchmark protocol (oracle from true labels) and plot the metrics',
    load: async () => (await import('../lab/simulate/command')).simulateCommand,
  },
  {
    name: 'restore',
    summary: "put an automatic backup back in place of a project's (damaged) database",
    load: async () => (await import('./commands/restore')).restoreCommand,
  },
  {
    name: 'export',
    summary:
      'write the labelled catalogue (CSV, FITS, VOTable, JSON), the label history or the model',
    load: async () => (await import('./commands/export')).exportCommand,
  },
  {
    name: 'find',
    summary: 'list labelled objects: one class (newest first), a text search, the uncertain ones',
    load: async () => (await import('./commands/find')).findCommand,
  },
  {
    name: 'annotate',
    summary: "set an object's note or its uncertain flag",
    load: async () => (await import('./commands/annotate')).annotateCommand,
  },
  {
    name: 'samp',
    summary: 'send the catalogue, a class, a cutout or a position to TOPCAT, DS9 or Aladin (SAMP)',
    load: async () => (await import('./commands/samp')).sampCommand,
  },
  {
    name: 'score',
    summary: 'score the objects with an exported model folder, or load scores computed elsewhere',
    load: async () => (await import('./commands/score')).scoreCommand,
  },
  {
    name: 'score-objects',
    summary: 'one task of a cluster scoring job: cut listed objects from their files, score them',
    load: async () => (await import('../lab/cluster/command')).scoreObjectsCommand,
  },
  {
    name: 'bench',
    summary: 'performance benchmarks: ingest, train, score',
    load: async () => (await import('../lab/bench/command')).benchCommand,
  },
];
