// Who is calling. Every request gets exactly one principal; what each may do is decided by the
// feature that owns the resource (e.g. server/cases/access.ts).

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'admin' }
  | { kind: 'arbitrator'; id: string }
  | { kind: 'merchant'; id: string }
  | { kind: 'creator'; id: string }
  | { kind: 'claimant'; caseId: string };

export const anonymous: Principal = Object.freeze({ kind: 'anonymous' });

/** Stable string naming the caller: the actor on timeline events and the idempotency scope. */
export function principalName(p: Principal): string {
  switch (p.kind) {
    case 'anonymous':
    case 'admin':
      return p.kind;
    case 'arbitrator':
    case 'merchant':
    case 'creator':
      return `${p.kind}:${p.id}`;
    case 'claimant':
      return `claimant:${p.caseId}`;
  }
}

import { Problem } from '../errors.js';

/** Anonymous callers get 401 (authenticate, then retry); authenticated but wrong role gets 403. */
export function requireKind<K extends Principal['kind']>(
  p: Principal,
  ...kinds: K[]
): Extract<Principal, { kind: K }> {
  if ((kinds as string[]).includes(p.kind)) return p as Extract<Principal, { kind: K }>;
  if (p.kind === 'anonymous') throw new Problem('unauthenticated', 'This route needs a bearer token');
  throw new Problem('forbidden', `${/^[aeiou]/.test(p.kind) ? 'An' : 'A'} ${p.kind} may not do this`);
}
