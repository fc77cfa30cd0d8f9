import type { Session } from 'electron';

/**
 * The page's Content-Security-Policy: only our own scripts, styles and api, no plugins, no
 * framing, no forms. Inline styles are allowed because Svelte's `style:` directives set
 * them; inline scripts are not.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * Session-wide defences, installed before the first window exists: every response carries
 * the CSP (not only the files our protocol serves), and the page is granted no permission
 * at all (camera, notifications, clipboard reading, opening external apps…) since a labelling
 * workstation needs none of them.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] },
    });
  });
}
