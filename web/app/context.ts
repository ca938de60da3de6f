// The load context every loader and action receives: server/web/context.ts builds it from the
// feature services. Type-only: the web bundles import nothing from server/ at run time.
import type { WebContext } from '../../server/web/context.js';

declare module 'react-router' {
  interface AppLoadContext extends WebContext {}
}

export type { WebContext };
