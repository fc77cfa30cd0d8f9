import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized?: boolean;
}

const DEFAULT: WindowState = { width: 1440, height: 900 };

/** The window's last size and place, so the workstation opens where the user left it. */
export function readWindowState(file: string): WindowState {
  try {
    if (!existsSync(file)) return DEFAULT;
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    if (typeof s.width !== 'number' || typeof s.height !== 'number') return DEFAULT;
    return { ...DEFAULT, ...s };
  } catch {
    return DEFAULT;
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state));
}
