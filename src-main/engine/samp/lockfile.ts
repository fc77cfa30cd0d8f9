import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the hub is and the secret that lets a client register (SAMP 1.3 §3.3 standard profile). */
export interface HubLocation {
  /** The hub's XML-RPC endpoint. */
  xmlrpcUrl: string;
  secret: string;
  /** The lockfile it was read from, for the status line. */
  lockfile: string;
}

export interface HubDiscovery {
  /** The SAMP_HUB environment variable (default: process.env.SAMP_HUB). */
  sampHub?: string | undefined;
  /** The user's home folder, where ~/.samp lives (default: os.homedir()). */
  home?: string;
}

/**
 * The lockfile the standard profile names: SAMP_HUB="std-lockurl:<url>" when set (only file
 * URLs: a hub on this machine), otherwise ~/.samp. When SAMP_HUB names something we cannot
 * read (another profile, a remote URL), the reason, which the status shows instead.
 */
export function lockfilePath(discovery: HubDiscovery = {}): string | { unusable: string } {
  const hub = 'sampHub' in discovery ? discovery.sampHub : process.env.SAMP_HUB;
  if (hub) {
    const match = /^std-lockurl:(.+)$/.exec(hub.trim());
    if (!match) return { unusable: `SAMP_HUB="${hub}" is not a std-lockurl: hub` };
    const url = match[1]!;
    if (!url.startsWith('file:'))
      return { unusable: `SAMP_HUB points at ${url}; only a file: lockfile on this machine works` };
    try {
      return fileURLToPath(url);
    } catch {
      return { unusable: `SAMP_HUB="${hub}" is not a valid file URL` };
    }
  }
  return join(discovery.home ?? homedir(), '.samp');
}

/**
 * Lockfile text: `key=value` lines, `#` comments, blank lines ignored. Null when the two keys
 * a client needs are missing (a half-written or foreign file).
 */
export function parseLockfile(text: string, lockfile: string): HubLocation | null {
  const entries = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#') || !line.includes('=')) continue;
    const at = line.indexOf('=');
    entries.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  const xmlrpcUrl = entries.get('samp.hub.xmlrpc.url');
  const secret = entries.get('samp.secret');
  if (!xmlrpcUrl || !secret || !/^https?:\/\//.test(xmlrpcUrl)) return null;
  return { xmlrpcUrl, secret, lockfile };
}

/** The hub named by the lockfile now, or why there is none (a sentence for the status). */
export async function findHub(
  discovery: HubDiscovery = {},
): Promise<{ hub: HubLocation } | { none: string }> {
  const path = lockfilePath(discovery);
  if (typeof path !== 'string') return { none: path.unusable };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { none: `no SAMP hub is running (no lockfile at ${path})` };
  }
  const hub = parseLockfile(text, path);
  return hub ? { hub } : { none: `the SAMP lockfile ${path} is not one a hub wrote` };
}
