import type { HuntSession } from '../engine/hunt/session';
import type { FolderListing, PixelData } from '../contract/contract';
import { ProjectError } from '../engine/store/errors';
import { summarize } from '../engine/store/project';
import { originalImage } from '../engine/hunt/original-image';
import {
  validate,
  type ApiError,
  type Input,
  type Method,
  type Output,
  type Result,
} from '../contract/contract';

/** What one open project (engine/workspace.ts) offers the doors: the session and its read sides. */
export interface WorkspaceServices {
  session: HuntSession;
  ingest: {
    start(paths: string[], size?: number): { started: boolean };
    cancel(): { cancelled: boolean };
    running(): boolean;
  };
  exportCatalogue: (input: Input<'export.run'>) => Promise<Output<'export.run'>>;
  latentMap: (input: Input<'latent.map'>) => Promise<Output<'latent.map'>>;
  history: () => Output<'history.get'>;
  object: (id: number) => Output<'object.get'>;
  pixels: (objectId: number) => PixelData;
}

/**
 * What every door serves (engine/projects/host.ts): the open project's services, plus
 * choosing which project is open.
 */
export interface Services extends WorkspaceServices {
  projects: {
    open(input: Input<'project.open'>): Promise<Output<'project.open'>>;
    recent(): Output<'project.recent'>;
    listFolder(dir?: string): FolderListing;
  };
}

type Handler<M extends Method> = (
  services: Services,
  input: Input<M>,
) => Output<M> | Promise<Output<M>>;

const handlers: { [M in Method]: Handler<M> } = {
  'project.info': ({ session }) => {
    const s = summarize(session.project);
    return { name: s.name, dir: s.dir, schema: s.schema, counts: s.counts };
  },
  'project.open': ({ projects }, i) => projects.open(i),
  'project.recent': ({ projects }) => projects.recent(),
  'folder.list': ({ projects }, i) => projects.listFolder(i.dir),
  'session.state': ({ session }) => session.state(),
  'round.start': ({ session }) => session.startRound(),
  'round.finish': ({ session }) => session.finishRound(),
  'round.cancelTraining': ({ session }) => session.cancelTraining(),
  'label.set': ({ session }, i) => session.label(i.objectId, i.classId, i.seconds),
  'label.undo': ({ session }) => session.undo(),
  'class.create': ({ session }, i) => session.createClass(i.name, i.kind, i.hotkey),
  'class.rename': ({ session }, i) => session.renameClass(i.id, i.name),
  'class.merge': ({ session }, i) => session.mergeClass(i.from, i.into),
  'class.recolour': ({ session }, i) => session.recolourClass(i.id, i.colour),
  'class.interest': ({ session }, i) => session.setInterest(i.id, i.interest),
  'class.hotkey': ({ session }, i) => session.setHotkey(i.id, i.hotkey),
  'object.get': (s, i) => s.object(i.id),
  'object.original': ({ session }, i) => originalImage(session.project.db, i.id),
  'history.get': (s) => s.history(),
  'latent.map': (s, i) => s.latentMap(i),
  'settings.get': ({ session }) => session.settings(),
  'settings.set': ({ session }, i) => session.updateSettings(i),
  'ingest.start': (s, i) => s.ingest.start(i.paths, i.size),
  'ingest.cancel': (s) => s.ingest.cancel(),
  'export.run': (s, i) => s.exportCatalogue(i),
};

/**
 * The single entry point of every door: validate, dispatch, and turn any failure into an
 * `{ok:false}` with a sentence for the user. Internal errors are logged with their stack
 * and reported without it.
 */
export async function dispatch(
  services: Services,
  method: string,
  rawInput: unknown,
  log: (message: string) => void = (m) => console.error(m),
): Promise<Result<unknown>> {
  const input = validate(method, rawInput);
  if (!input.ok) {
    log(`rejected ${method}: ${input.error.message}`);
    return input;
  }
  try {
    const handler = handlers[method as Method] as Handler<Method>;
    return { ok: true, value: await handler(services, input.value) };
  } catch (error) {
    return { ok: false, error: toApiError(error, log) };
  }
}

export function toApiError(error: unknown, log: (message: string) => void = () => {}): ApiError {
  if (error instanceof ProjectError) return { code: error.code, message: error.message };
  const e = error as { userFacing?: boolean; code?: unknown; message?: string; stack?: string };
  if (e?.userFacing)
    return {
      code: typeof e.code === 'string' ? e.code : 'invalid',
      message: e.message ?? String(error),
    };
  log(`internal error: ${e?.stack ?? String(error)}`);
  return {
    code: 'internal',
    message: `Something went wrong inside the engine (${e?.message ?? String(error)}). Your labels are saved; try again, and report this if it repeats.`,
  };
}
