// Every catalog, on the server only: a page ships just its own language's messages (root loader).
import type { Lang } from './languages.js';
import en from './catalogs/en.js';
import de from './catalogs/de.js';

export type Catalog = typeof en;
export const catalogs: Record<Lang, Catalog> = { en, de };
