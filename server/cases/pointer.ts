// RFC 6901 JSON Pointers: how every validation error names its field (CONVENTIONS.md §1).

/** Escapes one reference token: `~` → `~0`, `/` → `~1` (RFC 6901 §3). */
export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins a parent pointer and one more token: `pointerTo('/flight', 'itinerary')` → `/flight/itinerary`. */
export function pointerTo(parent: string, token: string | number): string {
  return `${parent}/${escapeToken(token)}`;
}

/** Builds a pointer from tokens: `pointer('flight', 'itinerary', 0, 'from')` → `/flight/itinerary/0/from`. */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.reduce<string>(pointerTo, '');
}

/** Splits a pointer into its unescaped tokens (`''` → `[]`). */
export function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) throw new Error(`not a JSON pointer: ${ptr}`);
  return ptr
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** True when `ancestor` is `descendant` or one of its parents. */
export function isWithin(descendant: string, ancestor: string): boolean {
  return descendant === ancestor || descendant.startsWith(`${ancestor}/`);
}
