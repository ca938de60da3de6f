import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FlightCaseRecordT } from '../../../../server/cases/schemas.js';
import { eu261Featurizer } from '../../../../server/featurizers/eu261.js';
import { uk261Featurizer } from '../../../../server/featurizers/uk261.js';
import { usDotRefundFeaturizer } from '../../../../server/featurizers/us-dot-refund.js';
import { generateCase } from '../../../../arbitration-models/flight-law/case-generator.js';
import { compensationProgram } from '../../../../arbitration-models/flight-law/compensation-program.js';
import { evaluateDecisionList } from '../../../../arbitration-models/flight-law/decision-list.js';
import { decideEuUk } from '../../../../arbitration-models/flight-law/eu-uk-law.js';
import type { FlightParams } from '../../../../arbitration-models/flight-law/flight-model.js';
import { seededRandom as rng } from '../../../../arbitration-models/seeded-random.js';
import { decideUsDot } from '../../../../arbitration-models/us-dot-refund/law.js';
import { usDotProgram } from '../../../../arbitration-models/us-dot-refund/program.js';
import { validRecords, variant } from '../../../support/case-fixtures.js';

const params = (id: string): FlightParams => JSON.parse(readFileSync(new URL(`../../../../arbitration-models/${id}/params.json`, import.meta.url), 'utf8'));
const NONE = { extraordinary: false, reasonableGrounds: false };

describe('LAW.md oracles', () => {
  it('EU261: a delay of exactly 3 h 00 on a band-c flight is paid halved, grounds band first', () => {
    const rec = variant(validRecords.eu261Delay, (r) => {
      r.flight.actualArrival = '2026-03-01T15:45:00-05:00';
      delete r.flight.carrierStatedCause;
    });
    expect(decideEuUk('EU261', rec, NONE)).toMatchObject({
      outcome: 'claimant',
      award: { amount: 300, currency: 'EUR' },
      grounds: ['EU261.art7.1c', 'EU261.art7.2', 'EU261.delay.ge3h', 'EU261.art3.1a'],
      review: false,
      textDecided: false,
    });
  });

  it('EU261: a stated extraordinary cause defeats a long delay, and that turns on the text', () => {
    expect(decideEuUk('EU261', validRecords.eu261Delay, { extraordinary: true, reasonableGrounds: false })).toMatchObject({
      outcome: 'respondent',
      grounds: ['EU261.art5.3.extraordinary', 'EU261.art3.1a'],
      textDecided: true,
    });
  });

  it('UK261: a UK carrier into the EU is art. 3(1)(b)(ii) and pays in GBP', () => {
    const rec = variant(validRecords.uk261Delay, (r) => {
      r.flight.itinerary = [{ from: 'JFK', to: 'CDG' }];
      r.flight.operatingCarrier = 'BA';
      delete r.flight.carrierStatedCause;
    });
    const v = decideEuUk('UK261', rec, NONE);
    expect(v.grounds.at(-1)).toBe('UK261.art3.1b.ii');
    if (v.outcome === 'claimant') expect(v.award?.currency).toBe('GBP');
  });

  it('US DOT: a cancelled flight not taken refunds the fare; denied boarding is flagged', () => {
    expect(decideUsDot(validRecords.usDotRefund)).toMatchObject({ outcome: 'claimant', award: { amount: 420, currency: 'USD' }, grounds: ['US_DOT.260.6.cancelled'] });
    const db = variant(validRecords.usDotRefund, (r) => (r.flight.disruption = 'denied_boarding'));
    expect(decideUsDot(db)).toMatchObject({ outcome: 'respondent', review: true, grounds: ['US_DOT.denied_boarding'] });
  });
});

describe('flight rule programs decide as the oracles on generated cases', () => {
  for (const [jur, id, f] of [
    ['EU261', 'eu261', eu261Featurizer],
    ['UK261', 'uk261', uk261Featurizer],
  ] as const) {
    it(`${id}: every rule-determined case of 2,000 (causes in the training wording) as LAW.md`, () => {
      const program = compensationProgram(jur, f.features, params(id));
      const r = rng(jur === 'EU261' ? 11 : 12);
      let ruleCases = 0;
      for (let i = 0; i < 2000; i++) {
        const g = generateCase(r, jur, 'train', `t${i}`);
        const want = decideEuUk(jur, g.record, g.cause);
        if (want.textDecided) continue;
        ruleCases++;
        const got = program.rules[evaluateDecisionList(program, f.featurize(g.record)).rule].decides;
        expect({ outcome: got.outcome, grounds: got.grounds, review: got.review }, JSON.stringify(g.record.flight)).toEqual({
          outcome: want.outcome,
          grounds: want.grounds,
          review: want.review,
        });
      }
      expect(ruleCases).toBeGreaterThan(1000);
    });
  }

  it('us-dot-refund: 2,000 generated cases as LAW.md §3', () => {
    const program = usDotProgram(usDotRefundFeaturizer.features);
    const r = rng(13);
    for (let i = 0; i < 2000; i++) {
      const { record } = generateCase(r, 'US_DOT_REFUND', 'train', `u${i}`);
      const want = decideUsDot(record as FlightCaseRecordT);
      const got = program.rules[evaluateDecisionList(program, usDotRefundFeaturizer.featurize(record)).rule].decides;
      expect([got.outcome, got.code, got.review]).toEqual([want.outcome, want.grounds[0], want.review]);
    }
  });
});
