import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conceptsOf, measureCauseClassifier, predict, TARGET_KINDS, trainCauseClassifier } from '../../../../arbitration-models/flight-law/cause-classifier.js';
import { BASE_CAUSE_CATEGORIES, CAUSE_CATEGORIES } from '../../../../arbitration-models/flight-law/cause-phrases.js';
import type { FlightParams } from '../../../../arbitration-models/flight-law/flight-model.js';
import independent from '../../../../arbitration-models/flight-law/independent-causes.json' with { type: 'json' };

const shipped = (id: string): FlightParams =>
  JSON.parse(readFileSync(new URL(`../../../../arbitration-models/${id}/params.json`, import.meta.url), 'utf8'));

describe('cause classifiers', () => {
  it('train to the same integer weights from the same seed', () => {
    const a = trainCauseClassifier('extraordinary', 42, { n: 600, epochs: 40 });
    const b = trainCauseClassifier('extraordinary', 42, { n: 600, epochs: 40 });
    expect(b.weights).toEqual(a.weights);
    expect(b.bias).toBe(a.bias);
    expect(a.weights.every((w) => Number.isInteger(w) && Math.abs(w) <= 127)).toBe(true);
  });

  it('keep evaluation wordings apart from training wordings', () => {
    for (const c of CAUSE_CATEGORIES) {
      expect(c.eval.length, c.id).toBeGreaterThan(0);
      for (const e of c.eval) expect(c.train, `${c.id}: ${e}`).not.toContain(e);
    }
    expect(BASE_CAUSE_CATEGORIES.length).toBe(CAUSE_CATEGORIES.length);
  });

  it('never train on the independent evaluation wordings (no sentence of four words or more appears in a TRAIN template)', () => {
    const templates = CAUSE_CATEGORIES.flatMap((c) => c.train).map((t) => t.toLowerCase());
    for (const c of (independent as { causes: { text: string }[] }).causes) {
      const t = c.text.toLowerCase().replace(/[.]$/, '');
      if (t.split(' ').length >= 4) expect(templates.some((tpl) => tpl.includes(t)), c.text).toBe(false);
    }
  });

  for (const id of ['eu261', 'uk261']) {
    it(`${id}: shipped classifiers reach ≥ 95 % on 2,000 held-out phrasings each, and an absent cause is negative`, () => {
      const p = shipped(id);
      const ex = measureCauseClassifier(p.extraordinary, 'extraordinary', 'eval', 2000, 31);
      const rg = measureCauseClassifier(p.reasonableGrounds, 'reasonableGrounds', 'eval', 2000, 32);
      expect(ex.accuracy).toBeGreaterThanOrEqual(0.95);
      expect(rg.accuracy).toBeGreaterThanOrEqual(0.95);
      for (const m of [p.extraordinary, p.reasonableGrounds, ...Object.values(p.kinds)]) expect(m.bias).toBeLessThanOrEqual(0);
      expect(conceptsOf('')).toEqual([]);
      expect(Object.keys(p.kinds).sort()).toEqual([...TARGET_KINDS.extraordinary, ...TARGET_KINDS.reasonableGrounds].sort());
    });
  }

  it('separate the LAW.md §1.4 examples: technical fault and own-staff strike are not extraordinary, storms and ATC strikes are', () => {
    const p = shipped('eu261').extraordinary;
    const positive = (t: string) => predict(p, conceptsOf(t));
    expect(positive('A technical fault was found on the aircraft')).toBe(false);
    expect(positive('Strike by our own pilots')).toBe(false);
    expect(positive('Operational reasons')).toBe(false);
    expect(positive('Severe thunderstorms over the destination airport')).toBe(true);
    expect(positive('Strike of the French air traffic controllers')).toBe(true);
    expect(positive('Bird strike on approach')).toBe(true);
  });
});
