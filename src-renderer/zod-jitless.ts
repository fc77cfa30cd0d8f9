/**
 * Zod 4 compiles a fast object parser with `new Function`, and probes whether it may when
 * the contract's schemas are built. The page's CSP forbids eval (script-src 'self'), so the
 * probe is refused and logged as a CSP violation on every load. The renderer parses little,
 * so it runs Zod without the compiled path: imported first, before the contract builds a schema.
 */
import { z } from 'zod';

z.config({ jitless: true });
