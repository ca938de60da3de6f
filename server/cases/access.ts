// Who may see and touch which case. Reads that are not yours answer 404 (a case's existence is
// itself private); anonymous callers get 401; a known caller lacking the role gets 403.
import type { Principal } from '../auth/principal.js';
import { Problem } from '../errors.js';

export interface CaseOwnership {
  id: string;
  merchantId: string | null;
}

export function canReadCase(p: Principal, c: CaseOwnership): boolean {
  switch (p.kind) {
    case 'admin':
    case 'arbitrator':
      return true;
    case 'merchant':
      return c.merchantId === p.id;
    case 'claimant':
      return c.id === p.caseId;
    case 'anonymous':
    case 'creator':
      return false;
  }
}

/** Throws the right problem unless `p` may read case `c`. */
export function assertCanRead(p: Principal, c: CaseOwnership | undefined, caseId: string): asserts c is CaseOwnership {
  if (p.kind === 'anonymous') throw new Problem('unauthenticated', 'Reading a case needs its access token or an API key');
  if (!c || !canReadCase(p, c)) throw new Problem('not_found', `No case ${caseId}`);
}

/** Evidence: the claimant, the respondent merchant and the admin; arbitrators only read. */
export function assertCanAddEvidence(p: Principal, c: CaseOwnership | undefined, caseId: string): asserts c is CaseOwnership {
  assertCanRead(p, c, caseId);
  if (p.kind === 'arbitrator') throw new Problem('forbidden', 'Arbitrators read cases; they do not add evidence');
}

/** Withdrawing is the claimant's decision alone. */
export function assertCanWithdraw(p: Principal, c: CaseOwnership | undefined, caseId: string): asserts c is CaseOwnership {
  assertCanRead(p, c, caseId);
  if (p.kind !== 'claimant') throw new Problem('forbidden', 'Only the claimant may withdraw a case');
}

/** Which cases a list request may return. */
export type CaseListScope = { all: true } | { merchantId: string } | { caseId: string };

export function caseListScope(p: Principal): CaseListScope {
  switch (p.kind) {
    case 'admin':
    case 'arbitrator':
      return { all: true };
    case 'merchant':
      return { merchantId: p.id };
    case 'claimant':
      return { caseId: p.caseId };
    case 'anonymous':
      throw new Problem('unauthenticated', 'Listing cases needs a bearer token');
    case 'creator':
      throw new Problem('forbidden', 'A model creator does not read cases; GET /v1/models/:id/usage shows its models\' cases');
  }
}
