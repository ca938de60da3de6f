// Data minimisation: node operators are third parties, so a node receives only the facts the
// jurisdiction's featurizer reads, never the claimant's name, e-mail or wallet, the respondent's
// name, the narrative, the client reference or an ERC-792 binding. Anything else in the record
// (the flight or the chargeback) is what the featurizer turns into t_0; the service checks that
// the facts alone featurize to the same S_0 as the full record before a node ever sees them.
import type { CaseRecordT } from '../cases/schemas.js';

/** What a node gets of a case: kind, jurisdiction and the flight or chargeback facts. */
export type CaseFacts = Omit<CaseRecordT, 'claimant' | 'respondent' | 'narrative' | 'ref' | 'onchainDispute'> &
  Partial<Pick<CaseRecordT, 'claimant' | 'respondent'>>;

/**
 * The record without its personal and free-text fields. The record's schema requires claimant
 * and respondent objects, so the facts carry empty placeholders a featurizer never reads.
 */
export function caseFacts(record: CaseRecordT): CaseFacts {
  const { claimant: _c, respondent: _r, narrative: _n, ref: _ref, onchainDispute: _d, ...facts } = record as CaseRecordT & { narrative?: string };
  return facts as CaseFacts;
}

/** The facts as a record the featurizer accepts (placeholders for the parties it does not read). */
export function factsAsRecord(facts: CaseFacts): CaseRecordT {
  return { ...facts, claimant: { name: '-', email: 'nobody@invalid' }, respondent: {} } as unknown as CaseRecordT;
}
