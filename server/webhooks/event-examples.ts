// One example event of each catalogue type, for GET /v1/webhook-event-types and the README.
// The `data.object` members follow what the case timeline (and the pipeline) write.
import { eventCatalogue } from './event-types.js';
import type { EventObject } from './event-object.js';

const caseId = 'cs_019b0c7e1a2f3c4d5e6f708192a3';
const base = { caseId, actor: 'system' };

const dataByType: Record<string, Record<string, unknown>> = {
  'case.created': { caseId, status: 'filed', previousStatus: null, actor: 'anonymous', recordHash: '0x3f5a…', kind: 'chargeback', jurisdiction: 'VISA' },
  'case.response_due': { ...base, status: 'filed', previousStatus: 'filed', dueAt: '2026-03-09T09:00:00.000Z' },
  'case.response_submitted': {
    caseId,
    status: 'filed',
    previousStatus: 'filed',
    actor: 'merchant:mch_…',
    recordHash: '0x9b1c…',
    previousRecordHash: '0x3f5a…',
    versions: { delivery: { claimant: { proof: 'none', date: null }, merchant: { proof: 'signed', date: '2026-01-14' } } },
  },
  'case.response_lapsed': { ...base, status: 'filed', previousStatus: 'filed', dueAt: '2026-03-09T09:00:00.000Z' },
  'case.evidence_added': { caseId, status: 'filed', previousStatus: 'filed', actor: 'merchant:mch_…', evidence: { id: 'evd_…', sha256: 'e3b0…', contentType: 'application/pdf' }, recordHash: '0x77aa…' },
  'case.executing': { ...base, status: 'executing', previousStatus: 'filed' },
  'verdict.proposed': { ...base, status: 'proposed', previousStatus: 'executing', verdict: { outcome: 'claimant', award: { amount: 600, currency: 'EUR' }, grounds: ['EU261.art7.1c'] } },
  'case.appealed': { caseId, status: 'appealed', previousStatus: 'proposed', actor: 'merchant:mch_…' },
  'game.opened': { ...base, status: 'bisecting', previousStatus: 'challenged', gameId: '7' },
  'game.resolved': { ...base, status: 'bisecting', winner: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
  'verdict.final': { ...base, status: 'final', previousStatus: 'proposed', verdict: { outcome: 'claimant', award: { amount: 600, currency: 'EUR' } } },
  'payout.sent': { ...base, status: 'paid', previousStatus: 'final', txHash: '0x5e1d…', amount: { amount: 600, currency: 'EUR' } },
  'case.not_escrowed': {
    ...base,
    status: 'filed',
    previousStatus: 'filed',
    respondent: '0xa0ee7a142d267c1f36714e4a8f75612f20a79720',
    deposit: '60000000000000000',
    escrowed: false,
    statement: "Owed but not escrowed: the respondent's escrow account does not cover this case's largest award. The case is decided all the same; an award would be owed by the respondent, not paid by Arbiter.",
    tx: '0x5e1d…',
  },
  'payout.owed': { ...base, status: 'final', previousStatus: 'final', award: '60000000000000000', escrowed: false, statement: 'The award is owed by the respondent but was not escrowed: Arbiter paid nothing; the respondent owes it to the claimant directly.', tx: '0x5e1d…' },
  'case.rejected': { ...base, status: 'rejected', previousStatus: 'filed', reason: 'out of scope' },
  'case.refused': { ...base, status: 'rejected', previousStatus: 'appealed', appellant: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', bondRefund: '20000000000000000', depositRefund: '60000000000000000', tx: '0x5e1d…' },
  'case.withdrawn': { caseId, status: 'withdrawn', previousStatus: 'filed', actor: `claimant:${caseId}`, reason: 'The airline paid me directly.' },
  'merchant.escrow_account_named': {
    merchantId: 'mch_019b0c7e1a2f3c4d5e6f708192a3',
    account: '0xa0ee7a142d267c1f36714e4a8f75612f20a79720',
    previousAccount: null,
    actor: 'merchant:mch_019b0c7e1a2f3c4d5e6f708192a3',
  },
  'merchant.arbitrable_added': { merchantId: 'mch_019b0c7e1a2f3c4d5e6f708192a3', arbitrable: '0x5fbdb2315678afecb367f032d93f642f64180aa3', actor: 'admin' },
  'merchant.arbitrable_removed': { merchantId: 'mch_019b0c7e1a2f3c4d5e6f708192a3', arbitrable: '0x5fbdb2315678afecb367f032d93f642f64180aa3', actor: 'admin' },
  'merchant.model_pinned': {
    merchantId: 'mch_019b0c7e1a2f3c4d5e6f708192a3',
    jurisdiction: 'EU261',
    model: '0x6b1f…',
    previousModel: null,
    effective: '0x6b1f…',
    actor: 'merchant:mch_019b0c7e1a2f3c4d5e6f708192a3',
  },
  'model.registered': {
    model: '0x6b1f…',
    ref: 'eu261-acme@1.0.0',
    jurisdiction: 'EU261',
    featurizer: 'eu261@1.0.0',
    creator: '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc',
    sha256: '4c1e…',
    modelRoot: '0x2d7a…',
    price: '1000000000000000',
    royaltyBps: 1000,
    accuracy: 0.97,
    evaluationSet: '8f0b…',
    default: false,
    tx: '0x5e1d…',
  },
  'model.deprecated': { model: '0x6b1f…', ref: 'eu261-acme@1.0.0', jurisdiction: 'EU261', creator: '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc', pinned: true, effective: '0x0c3a…' },
  'model.default_changed': { jurisdiction: 'EU261', model: '0x6b1f…', ref: 'eu261-acme@1.1.0', previousModel: '0x0c3a…', previousRef: 'eu261@1.0.0', reason: 'registered', pinned: null },
};

export function exampleEvent(type: string): EventObject {
  return { id: 'evt_019b0c7e1a2f3c4d5e6f708192a3b4c5', object: 'event', type, created: 1772442000, data: { object: dataByType[type] ?? { caseId } } };
}

export function catalogueWithExamples() {
  return eventCatalogue.map((e) => ({ type: e.type, when: e.when, example: exampleEvent(e.type) as unknown as Record<string, unknown> }));
}
