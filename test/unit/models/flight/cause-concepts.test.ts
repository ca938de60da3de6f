// The cause featurizer (server/featurizers/flight-cause-concepts.ts): concepts through the
// aviation lexicon and WordNet, lemmas, negation scope, and the same bits in a fresh process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAUSE_CONCEPT_DIMS,
  CAUSE_CONCEPTS,
  causeConceptEntries,
  causeConceptVector,
  causeTokens,
  CONCEPT_MAX_COUNT,
  readCause,
} from '../../../../server/featurizers/flight-cause-concepts.js';

const concepts = (text: string): string[] =>
  readCause(text)
    .filter((h) => !h.negated)
    .flatMap((h) => h.concepts);
const negated = (text: string): string[] =>
  readCause(text)
    .filter((h) => h.negated)
    .flatMap((h) => h.concepts);

describe('cause concepts', () => {
  it('generalise words the lexicon never lists through WordNet: birds by species, devices by name', () => {
    for (const bird of ['A kestrel hit the nose', 'heron', 'collision with two cormorants', 'a swift in the engine']) expect(concepts(bird), bird).toContain('bird');
    for (const part of ['the altimeter', 'a faulty thermostat', 'the hygrometer failed']) expect(concepts(part), part).toContain('device');
    expect(concepts('the captain had influenza')).toContain('illness');
  });

  it('read aviation terms, abbreviations and misspellings', () => {
    expect(concepts('A/C AOG')).toEqual(expect.arrayContaining(['aircraft', 'technical']));
    expect(concepts('MEL item')).toContain('technical');
    expect(concepts('CTOT from the network manager')).toEqual(expect.arrayContaining(['slot', 'atc']));
    expect(concepts('FOD on rwy')).toEqual(expect.arrayContaining(['fod', 'runway']));
    expect(concepts('crew out of hours (FTL)')).toEqual(expect.arrayContaining(['crew', 'duty_time']));
    expect(concepts('de-icing')).toContain('weather');
    expect(concepts('NOTAM')).toContain('directive');
    expect(concepts('bad wether, blizard')).toEqual(['weather', 'weather']);
    expect(concepts('air traffic controllers')).toContain('atc');
    expect(concepts('geese')).toContain('bird');
  });

  it('scope a negation to the end of its clause, and back over a clause a bare negation follows', () => {
    expect(negated('Not weather related; the delay was caused by a faulty fuel pump.')).toEqual(['weather']);
    expect(concepts('Not weather related; the delay was caused by a faulty fuel pump.')).toEqual(expect.arrayContaining(['technical', 'component']));
    expect(negated('no standby crew available')).toEqual(expect.arrayContaining(['crew', 'standby']));
    expect(negated('A bird strike was suspected but not confirmed; a sensor failed')).toContain('bird');
    expect(concepts('A bird strike was suspected but not confirmed; a sensor failed')).not.toContain('bird');
    expect(negated('Weather was not the cause.')).toEqual(['weather']);
    expect(negated('The storm, not a technical fault, held the flight')).toEqual(['technical']);
    expect(concepts('The storm, not a technical fault, held the flight')).toContain('weather');
    expect(negated('Not only a storm but also hail')).toEqual([]);
  });

  it('count each concept and its negation in its own column, clamped, in column order', () => {
    const v = causeConceptVector('storm storm storm; not weather');
    const w = CAUSE_CONCEPTS.indexOf('weather');
    expect(v[w]).toBe(CONCEPT_MAX_COUNT);
    expect(v[CAUSE_CONCEPTS.length + w]).toBe(1);
    expect(v.length).toBe(CAUSE_CONCEPT_DIMS);
    const e = causeConceptEntries('bird strike after a storm, not a technical fault');
    for (let j = 2; j < e.length; j += 2) expect(e[j]).toBeGreaterThan(e[j - 2]);
    expect(causeConceptEntries('')).toEqual([]);
    expect(causeConceptEntries('   ')).toEqual([]);
  });

  it('tokenizes ASCII in one pass exactly as the general Unicode path does', () => {
    // a trailing no-break space sends a text down the general path (NFKC maps it to a space)
    const ascii = fc.string({ unit: fc.constantFrom(...'abcAOG/c. ,;:!?()\'`-#2 xyz'.split('')), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(ascii, fc.string({ maxLength: 30 })), (t) => {
        expect(causeTokens(t)).toEqual(causeTokens(`${t}\u00a0`));
      }),
      { numRuns: 3000 },
    );
    expect(causeTokens('Ünwetter: A/C AOG')).toEqual(['unwetter', '.', 'aircraft', 'aog']);
  });

  it('gives the same counts for the same text in a fresh process', () => {
    const texts = ['Starling ingestion into engine 2, borescope required', 'Not weather related; hydraulic pump u/s', 'Pax had no valid ESTA', 'Ünwetter über Frankfurt'];
    const module = fileURLToPath(new URL('../../../../server/featurizers/flight-cause-concepts.ts', import.meta.url));
    const script = `import { causeConceptEntries } from ${JSON.stringify(module)}; console.log(JSON.stringify(${JSON.stringify(texts)}.map((t) => causeConceptEntries(t))));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(texts.map((t) => causeConceptEntries(t)));
  });
});
