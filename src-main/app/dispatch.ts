import { validate, type Method, type Input, type Output, type Result } from '../contract/contract';
import { originalImage } from '../engine/hunt/original-image';
import { asDamage } from '../engine/store/damage';
import type { Db } from '../engine/store/open';
import { inspectTable, previewIngest } from '../engine/ingest/preview';
import { toApiError } from './errors';
import type { Services } from './services';

export type { Services } from './services';

type Handler<M extends Method> = (
  services: Services,
  input: Input<M>,
) => Output<M> | Promise<Output<M>>;

const handlers: { [M in Method]: Handler<M> } = {
  'project.info': (s) => s.info(),
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
  'objects.find': (s, i) => s.findObjects(i),
  'object.annotate': (s, i) => s.annotate(i),
  'history.get': (s) => s.history(),
  'latent.map': (s, i) => s.latentMap(i),
  'objects.similar': ({ session }, i) => session.similar(i.id, i.k ?? 24),
  'settings.get': ({ session }) => session.settings(),
  'settings.set': ({ session }, i) => session.updateSettings(i),
  'ingest.start': (s, i) => s.ingest.start(i),
  'ingest.cancel': (s) => s.ingest.cancel(),
  'ingest.preview': (_, { paths, limit, ...source }) =>
    previewIngest(paths, withoutUndefined(source), limit ?? 8),
  'table.inspect': (_, i) => inspectTable(i.path),
  'export.run': (s, i) => s.exportTo(i),
  'score.model': (s, i) => s.scoreWithModel(i),
  'score.import': (s, i) => s.importScores(i),
  'backup.list': ({ backups }) => backups.list(),
  'backup.restore': ({ backups }, i) => backups.restore(i),
  'samp.status': (s) => s.samp.status(),
  'samp.connect': (s) => s.samp.connect(),
  'samp.send': (s, i) => s.samp.send(i),
  'samp.focus': (s, i) => s.samp.focus(i.objectId),
  'samp.settings': (s, i) => s.samp.settings(i),
};

/** zod leaves absent optional keys out, but a door may send them as undefined. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The single entry point of every door: validate, dispatch, and turn any failure into an
 * `{ok:false}` with a sentence for the user (errors.ts). Internal errors are logged with
 * their stack and reported without it.
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
    return { ok: false, error: toApiError(asDamage(error, openDatabaseOf(services)), log) };
  }
}

/** The open project's database, if any: a damaged one is named, with its backup. */
function openDatabaseOf(services: Services): Db | undefined {
  try {
    return services.session.project.db;
  } catch {
    return services.database?.();
  }
}

/** dispatch with the method's own types, for doors that call it in code (the command line). */
export function call<M extends Method>(
  services: Services,
  method: M,
  input: Input<M>,
  log?: (message: string) => void,
): Promise<Result<Output<M>>> {
  return dispatch(services, method, input, log) as Promise<Result<Output<M>>>;
}
