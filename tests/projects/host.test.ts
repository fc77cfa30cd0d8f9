/**
 * The door-level host (app/host.ts): one project open at a time, the doors'
 * services following it, the renderer told by an event, and the switches a person can get
 * wrong refused with a sentence.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { ProjectHost } from '../../src-main/app/host';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from '../store/helpers';

const hosts: ProjectHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

async function startHost(dir: string, events: string[] = []) {
  const host = await ProjectHost.start(dir, {
    emit: (event, payload) => events.push(`${event} ${JSON.stringify(payload).slice(0, 80)}`),
    makeRunner: createLocalRunner,
    recentFile: join(tempDir(), 'recent.json'),
  });
  hosts.push(host);
  return host;
}

function twoProjects() {
  const a = join(tempDir(), 'alpha');
  const b = join(tempDir(), 'beta');
  syntheticProject(a, 40, 2).project.close();
  syntheticProject(b, 60, 3).project.close();
  return { a, b };
}

describe('ProjectHost', () => {
  it('switches projects under the same services and tells the doors', async () => {
    const { a, b } = twoProjects();
    const events: string[] = [];
    const host = await startHost(a, events);
    const services = host.services;
    expect(services.session.state().project.objects).toBe(40);

    const opened = await dispatch(services, 'project.open', { dir: b });
    expect(opened).toMatchObject({ ok: true, value: { dir: b, objects: 60, created: false } });
    // The very object the door holds now reaches the other project.
    expect(services.session.state().project.dir).toBe(b);
    expect(services.object(1).uid).toBeTruthy();
    expect(events.some((e) => e.startsWith('project.changed') && e.includes('beta'))).toBe(true);

    const recent = await dispatch(services, 'project.recent', {});
    expect(recent.ok && recent.value).toMatchObject({
      current: b,
      projects: [
        { dir: b, available: true },
        { dir: a, available: true },
      ],
    });
  });

  it('creates a project in a new folder and opens it empty, with what to do next', async () => {
    const { a } = twoProjects();
    const host = await startHost(a);
    const target = join(tempDir(), 'new', 'survey-2027');
    const created = await host.services.projects.open({
      dir: target,
      create: true,
      name: 'Deep field',
    });
    expect(created).toEqual({ name: 'Deep field', dir: target, objects: 0, created: true });
    expect(host.services.session.state().blocker).toMatch(/ingest a folder/);
  });

  it('refuses to open a folder that is not a project, or to create over one', async () => {
    const { a, b } = twoProjects();
    const host = await startHost(a);
    const empty = tempDir();
    const notProject = await dispatch(host.services, 'project.open', { dir: empty });
    expect(notProject).toMatchObject({ ok: false, error: { code: 'not-a-project' } });
    expect(!notProject.ok && notProject.error.message).toMatch(/Create a project there/);
    const over = await dispatch(host.services, 'project.open', { dir: b, create: true });
    expect(over).toMatchObject({ ok: false, error: { code: 'already-a-project' } });
    // Nothing changed: the first project is still the open one.
    expect(host.services.session.state().project.dir).toBe(a);
  });

  it('refuses to switch while an ingest writes into the open project', async () => {
    const { a, b } = twoProjects();
    const events: string[] = [];
    const host = await startHost(a, events);
    const data = join(tempDir(), 'cutouts');
    mkdirSync(data);
    copyFileSync(join('tests/fixtures/fits', 'bitpix-32.fits'), join(data, 'one.fits'));
    expect(host.services.ingest.start({ paths: [data] }).started).toBe(true);
    await expect(host.services.projects.open({ dir: b })).rejects.toThrow(
      /ingest is still writing/,
    );
    await expect.poll(() => events.some((e) => e.startsWith('ingest.done'))).toBe(true);
    await expect(host.services.projects.open({ dir: b })).resolves.toMatchObject({ dir: b });
  });
});
