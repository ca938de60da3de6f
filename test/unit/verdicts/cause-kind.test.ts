// Issue 14: when the passenger wins because the stated cause is ordinary, the verdict names the
// kind of cause it read (`<regime>.cause.<kind>` after the ground it explains, and a sentence of
// the explanation), as the models' classes do when the airline wins; deterministic, derived from
// the record by the versioned concept reading, with the shipped models unchanged.
import { describe, expect, it } from 'vitest';
import independent from '../../../arbitration-models/flight-law/independent-causes.json' with { type: 'json' };
import { CAUSE_CATEGORIES } from '../../../arbitration-models/flight-law/cause-phrases.js';
import { ordinaryCauseKind, type OrdinaryCauseKind } from '../../../server/featurizers/flight-cause-kind.js';
import { decideCase } from '../../../server/verdicts/decide.js';
import { classGrounds } from '../../../server/verdicts/assemble.js';
import type { CaseRecordT } from '../../../server/cases/schemas.js';
import { validRecords, variant } from '../../support/case-fixtures.js';

type Flight = Extract<CaseRecordT, { kind: 'flight' }>;
const withCause = (record: Flight, cause: string | undefined, disruption?: Flight['flight']['disruption']) =>
  variant(record, (r) => {
    if (cause === undefined) delete r.flight.carrierStatedCause;
    else r.flight.carrierStatedCause = cause;
    if (disruption) r.flight.disruption = disruption;
  });

async function verdictOf(record: CaseRecordT) {
  const res = await decideCase(record);
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.verdict;
}

describe('the kind of an ordinary cause in the verdict (EU261, UK261)', () => {
  it.each<[string, string | undefined, OrdinaryCauseKind, string]>([
    ['a failed component', 'The No. 2 hydraulic pump failed its check before departure.', 'technical', 'a technical fault'],
    ['an AOG', 'Aircraft AOG at outstation.', 'technical', 'a technical fault'],
    ['crew', 'No standby crew was available after the captain fell sick.', 'crew', 'a crew problem'],
    ['an own-staff strike', 'Strike by our own cabin crew.', 'own_staff_strike', "a strike of the airline's own staff"],
    ['a vague reason', 'Operational reasons.', 'vague', 'a general reason naming no event'],
    ['no cause at all', undefined, 'none', 'The airline gave no cause'],
  ])('names %s for a delay the passenger wins', async (_what, cause, kind, words) => {
    const v = await verdictOf(withCause(validRecords.eu261Delay as Flight, cause));
    expect(v.outcome).toBe('claimant');
    const at = v.grounds.indexOf('EU261.delay.ge3h');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(v.grounds[at + 1]).toBe(`EU261.cause.${kind}`);
    expect(v.grounds.filter((g) => g.includes('.cause.'))).toHaveLength(1);
    expect(v.explanation).toContain(words);
    expect(v.explanation).toMatch(/(is not|has not shown) an extraordinary circumstance\.$/);
  });

  it('names the kind for a cancellation and, as a ground no defence, for a denied boarding (UK261 with its own prefix)', async () => {
    const cancelled = await verdictOf(withCause(validRecords.eu261Cancellation as Flight, 'Crew duty time limits exceeded.'));
    expect(cancelled.outcome).toBe('claimant');
    expect(cancelled.grounds).toContain('EU261.cause.crew');
    const denied = await verdictOf(validRecords.eu261DeniedBoarding);
    expect(denied.outcome).toBe('claimant');
    expect(denied.grounds).toContain('EU261.cause.boarding_operational');
    expect(denied.explanation).toMatch(/overbooking.*not a reasonable ground to refuse boarding\.$/);
    const uk = await verdictOf(withCause(validRecords.uk261Delay as Flight, 'Technical fault with the aircraft.'));
    expect(uk.outcome).toBe('claimant');
    expect(uk.grounds).toContain('UK261.cause.technical');
    expect(uk.grounds.some((g) => g.startsWith('EU261'))).toBe(false);
  });

  it('leaves an airline win as its class states (the model names the extraordinary kind), and other regimes alone', async () => {
    const bird = await verdictOf(withCause(validRecords.eu261Delay as Flight, 'A flock of starlings was ingested by the left engine.'));
    expect(bird.outcome).toBe('respondent');
    expect(bird.grounds.filter((g) => g.includes('.cause.'))).toEqual(['EU261.cause.bird_strike']);
    const us = await verdictOf(validRecords.usDotRefund);
    expect(us.grounds.some((g) => g.includes('.cause.'))).toBe(false);
    const visa = await verdictOf(validRecords.visaFraud);
    expect(visa.grounds.some((g) => g.includes('.cause.'))).toBe(false);
  });

  it('the public evaluation scores the model\'s class: classGrounds takes back only the added kind', async () => {
    const v = await verdictOf(withCause(validRecords.eu261Delay as Flight, 'Hydraulic leak.'));
    expect(v.grounds).toContain('EU261.cause.technical');
    expect(classGrounds(v.outcome, v.grounds)).toEqual(v.grounds.filter((g) => g !== 'EU261.cause.technical'));
    const bird = await verdictOf(withCause(validRecords.eu261Delay as Flight, 'Bird strike on approach.'));
    expect(classGrounds(bird.outcome, bird.grounds)).toEqual(bird.grounds);
  });

  it('is deterministic: the same record gives the same verdict, the model root unchanged', async () => {
    const record = withCause(validRecords.eu261Delay as Flight, 'Late inbound aircraft due to an earlier hydraulic fault.');
    const [a, b] = [await verdictOf(record), await verdictOf(structuredClone(record))];
    expect(a).toEqual(b);
    expect(a.grounds).toContain('EU261.cause.technical');
  });
});

describe('the kind reading weighs the sentence as the model does (issue 14, item 2 wordings)', () => {
  it.each<[string, 'delay' | 'denied_boarding', OrdinaryCauseKind]>([
    ['Our pilots were out of position after the snowstorm earlier that week, so there was no crew for this flight.', 'delay', 'crew'],
    ['This was not a weather problem: a brake unit had to be changed.', 'delay', 'technical'],
    ['We lost our departure slot because of an earlier problem with the APU.', 'delay', 'technical'],
    ['The security scanner of our own fleet failed its self-test.', 'delay', 'technical'],
    ['Flight oversold.', 'denied_boarding', 'boarding_operational'],
    ['Our cabin crew called in sick en masse.', 'delay', 'own_staff_strike'],
    ['A catering truck struck the parked aircraft.', 'delay', 'ground_equipment'],
    ['Flights consolidated owing to low demand.', 'delay', 'commercial'],
    ['Late inbound aircraft.', 'delay', 'vague'],
  ])('%s (%s) reads as %s', (text, disruption, kind) => {
    expect(ordinaryCauseKind(text, disruption)).toBe(kind);
  });
});

describe('the kind reading on the evaluation wordings', () => {
  const want = (id: string, d: string) => (d === 'denied_boarding' && (id === 'commercial' || id === 'vague') ? 'boarding_operational' : id);

  it('names the kind of every template evaluation wording of an ordinary cause', () => {
    const misses: string[] = [];
    let n = 0;
    for (const cat of CAUSE_CATEGORIES) {
      if (cat.extraordinary || cat.reasonableGrounds) continue;
      for (const text of cat.eval) {
        for (const d of cat.usedFor) {
          n++;
          const got = ordinaryCauseKind(text, d);
          if (got !== want(cat.id, d)) misses.push(`${cat.id}/${d} -> ${got}: ${text}`);
        }
      }
    }
    expect(n).toBeGreaterThan(30);
    expect(misses).toEqual([]);
  });

  it('names the kind of ≥ 90 % of the independent set’s ordinary causes (measured: 78 of 82)', () => {
    const KIND: Record<string, string> = { technical: 'technical', crew: 'crew', staff_strike: 'own_staff_strike', ground_equipment: 'ground_equipment', commercial: 'commercial', overbooking: 'commercial', vague: 'vague', operational: 'boarding_operational' };
    const negatives = (independent as { causes: { positive: boolean; kind: string; text: string; disruption: 'delay' | 'cancellation' | 'denied_boarding' }[] }).causes.filter((c) => !c.positive);
    const right = negatives.filter((c) => ordinaryCauseKind(c.text, c.disruption) === want(KIND[c.kind], c.disruption)).length;
    expect(negatives).toHaveLength(82);
    expect(right).toBe(78);
  });
});
