/**
 * Shared plumbing for the browser tests and the README screenshot: a headless Debian
 * Chromium, and the real `ahunt serve` on a temporary copy of the demo project.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Metrics } from '../../src-renderer/state/metrics';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const artifactsDir = join(repoRoot, 'tests/e2e/artifacts');
export const skipReason = `Browser tests skipped: ${chromiumPath} is missing (apt-get install chromium).`;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A 1280×720 page whose console errors and uncaught exceptions (CSP violations log as errors)
 * are collected into `problems`, for the tests that fail on any.
 */
export async function watchedPage(browser: Browser, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return page;
}

/**
 * The few page globals the tests read inside page.evaluate / waitForFunction callbacks, typed
 * here so the tests compile without the DOM library (functions, not strings: the page's CSP
 * forbids eval). Cast with `globalThis as unknown as PageGlobals` inside the callback.
 */
export interface PageGlobals {
  document: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  };
  localStorage: { getItem(key: string): string | null };
  __ahuntMetrics: Metrics;
}

export interface RunningAhunt {
  url: string;
  origin: string;
  token: string;
  projectDir: string;
  stop(): Promise<void>;
}

/** Where globalSetup leaves a freshly made demo project that each test file copies. */
export const demoTemplateDir = join(repoRoot, 'tests/.tmp/e2e-demo-template');

interface ServeProcess {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * `ahunt ingest project paths… --size 64` as a user runs it, with `home` as AHUNT_HOME; the
 * reason when it fails, null when it succeeded.
 */
export function ingestWithCli(project: string, paths: string[], home: string): string | null {
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'bin/ahunt.js'), 'ingest', project, ...paths, '--size', '64'],
    { encoding: 'utf8', env: { ...process.env, AHUNT_HOME: home } },
  );
  return run.status === 0 ? null : `ahunt ingest ${paths.join(' ')} failed:\n${run.stderr}`;
}

/**
 * `ahunt serve [project] --port 0 --token T --no-open` as a child process; resolves once it
 * printed "AHUNT serving <dir> at <url>". Without a project it prepares the built-in demo
 * survey under $AHUNT_HOME (first start only).
 */
export async function spawnServe(
  project: string | null,
  token: string,
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const args = [join(repoRoot, 'bin/ahunt.js'), 'serve'];
  if (project) args.push(project);
  args.push('--port', '0', '--token', token, '--no-open');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const found = await new Promise<{ dir: string; url: string }>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`ahunt serve printed no address in 110 s:\n${output}`)),
      110_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /AHUNT serving (.+) at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done({ dir: match[1]!, url: match[2]! });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`ahunt serve exited (${code}):\n${output}`));
    });
  });
  return {
    ...found,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startReal(token: string): Promise<RunningAhunt> {
  const home = mkdtempSync(join(tmpdir(), 'ahunt-e2e-'));
  let project: string | null = null;
  if (existsSync(join(demoTemplateDir, 'demo'))) {
    project = join(home, 'demo');
    cpSync(join(demoTemplateDir, 'demo'), project, { recursive: true });
  }
  const serve = await spawnServe(project, token, { AHUNT_HOME: home });
  return {
    url: serve.url,
    origin: new URL(serve.url).origin,
    token,
    projectDir: serve.dir,
    stop: async () => {
      await serve.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** `ahunt serve` on a fresh copy of the demo project that globalSetup made. */
export function startAhunt(): Promise<RunningAhunt> {
  const token = `t${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  return startReal(token);
}

/** POST /api/call/<method> from Node, as the tests' side door to the engine. */
export async function callApi<T>(
  ahunt: RunningAhunt,
  method: string,
  input: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${ahunt.token}` },
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${ahunt.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as T };
}
