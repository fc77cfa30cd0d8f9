#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is installed; otherwise (offline
// installs cannot download it) the same renderer served on 127.0.0.1 for a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const built = 'out/renderer/index.html';
  const stale =
    !existsSync(built) ||
    !existsSync('out/main/index.js') ||
    !existsSync('out/gpu-page/index.html') ||
    Math.max(newestMtime('src-renderer'), newestMtime('src-main')) > statSync(built).mtimeMs;
  if (!stale) return;
  console.log('Building the app (first start or sources changed)…');
  // npm run build: electron-vite's bundles and the GPU page (scripts/build-gpu-page.ts).
  const result = spawnSync('npm', ['run', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Electron's binary path, fetching it once if the install skipped the download. */
function electronBinary() {
  const find = () => {
    try {
      const path = require('electron');
      return typeof path === 'string' && existsSync(path) ? path : null;
    } catch {
      return null;
    }
  };
  let binary = find();
  if (
    !binary &&
    existsSync('node_modules/electron/install.js') &&
    !process.env.AHUNT_NO_ELECTRON_DOWNLOAD
  ) {
    spawnSync(process.execPath, ['node_modules/electron/install.js'], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    binary = find();
  }
  return binary;
}

buildIfStale();
const binary = process.env.AHUNT_BROWSER === '1' ? null : electronBinary();
const child = binary
  ? spawn(binary, ['.', ...args], { stdio: 'inherit' })
  : (console.log(
      'Electron is not available on this machine, so the workstation is served to your browser instead:',
    ),
    spawn(process.execPath, ['bin/ahunt.js', 'serve', ...args], { stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
