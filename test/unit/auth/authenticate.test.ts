import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../server/auth/authenticate.js';
import { hashSecret, newSecret, tokenPrefixes } from '../../../server/auth/tokens.js';
import { Problem } from '../../../server/errors.js';

const merchantKey = newSecret(tokenPrefixes.merchant);
const arbitratorToken = newSecret(tokenPrefixes.arbitrator);
const claimantToken = newSecret(tokenPrefixes.claimant);
const authenticate = createAuthenticator({
  adminTokenHash: hashSecret('admin-secret'),
  lookups: {
    merchantIdByKeyHash: (h) => (h === hashSecret(merchantKey) ? 'mch_1' : undefined),
    arbitratorIdByTokenHash: (h) => (h === hashSecret(arbitratorToken) ? 'arb_1' : undefined),
    caseIdForAccessToken: (_token, h) => (h === hashSecret(claimantToken) ? 'cs_1' : undefined),
  },
});

describe('authentication', () => {
  it('treats a request without Authorization as anonymous', () => {
    expect(authenticate(undefined)).toEqual({ kind: 'anonymous' });
  });

  it('recognises each kind of bearer token', () => {
    expect(authenticate('Bearer admin-secret')).toEqual({ kind: 'admin' });
    expect(authenticate(`Bearer ${merchantKey}`)).toEqual({ kind: 'merchant', id: 'mch_1' });
    expect(authenticate(`bearer ${arbitratorToken}`)).toEqual({ kind: 'arbitrator', id: 'arb_1' });
    expect(authenticate(`Bearer ${claimantToken}`)).toEqual({ kind: 'claimant', caseId: 'cs_1' });
  });

  it('answers 401 for unknown, malformed or non-bearer credentials instead of falling back to anonymous', () => {
    for (const header of ['Bearer nope', `Bearer ${newSecret(tokenPrefixes.merchant)}`, 'Basic YTpi', 'Bearer']) {
      let thrown: unknown;
      try {
        authenticate(header);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, header).toBeInstanceOf(Problem);
      expect((thrown as Problem).status).toBe(401);
    }
  });

  it('stores only a sha256 of secrets, and secrets carry 256 random bits', () => {
    expect(hashSecret('x')).toMatch(/^[0-9a-f]{64}$/);
    expect(merchantKey.length).toBeGreaterThanOrEqual(3 + 43);
  });
});
