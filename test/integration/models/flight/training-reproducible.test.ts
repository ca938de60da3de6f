// The learned parts of the flight models are reproducible from their seeds: the vocabulary of the
// cause vector and both classifiers' integer weights come out exactly as shipped.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selectVocabulary } from '../../../../arbitration-models/flight-law/select-vocabulary.js';
import eu261 from '../../../../arbitration-models/eu261/model.js';
import { FLIGHT_CAUSE_VOCABULARY } from '../../../../server/featurizers/flight-cause-vocabulary.js';

const shipped = (id: string): unknown => JSON.parse(readFileSync(new URL(`../../../../arbitration-models/${id}/params.json`, import.meta.url), 'utf8'));

describe('flight model training', () => {
  it('selects the shipped cause vocabulary again from the TRAIN wordings', () => {
    expect(selectVocabulary().chosen).toEqual([...FLIGHT_CAUSE_VOCABULARY]);
  });

  it('retrains to the shipped params.json of eu261 and uk261 from the model seed', async () => {
    const params = await eu261.train!({ seed: eu261.seed!, dir: '.', progress: () => {} });
    const roundTrip = JSON.parse(JSON.stringify(params));
    expect(roundTrip).toEqual(shipped('eu261'));
    expect(roundTrip).toEqual(shipped('uk261')); // same LAW.md §1.4 labels, same seed
  });
});
