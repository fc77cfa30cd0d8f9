/**
 * Joining a folder and a name in the renderer, which has no node:path: the separator is the
 * one the engine's own paths use (a Windows engine answers with backslashes).
 */
export function joinPath(dir: string, name: string): string {
  const separator = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(separator) ? `${dir}${name}` : `${dir}${separator}${name}`;
}
