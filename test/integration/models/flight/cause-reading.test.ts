// The shipped EU261/UK261 models weigh the whole stated cause (LAW.md §1.4, B2), as ONNX Runtime
// runs them: an earlier event decides a consequence, a crew problem days after a storm stays the
// crew's, "not" changes what follows it, and the verdict names the kind of cause it recognised.
// The wordings here are this test's own (neither training nor evaluation wordings).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlightCaseRecordT } from '../../../../server/cases/schemas.js';
import { createRunner, type ModelRunner } from '../../../../server/inference/runner.js';
import { rowVector } from '../../../../server/inference/tensor.js';
import type { ModelCard } from '../../../../server/models/card.js';
import type { ModelDefinition } from '../../../../server/models/definition.js';
import { validRecords } from '../../../support/case-fixtures.js';

for (const id of ['eu261', 'uk261'] as const) {
  describe(`${id}: reading the stated cause`, () => {
    const dir = fileURLToPath(new URL(`../../../../arbitration-models/${id}/`, import.meta.url));
    const card = JSON.parse(readFileSync(`${dir}card.json`, 'utf8')) as ModelCard;
    const P = id === 'eu261' ? 'EU261' : 'UK261';
    let def: ModelDefinition;
    let runner: ModelRunner;
    beforeAll(async () => {
      def = (await import(`../../../../arbitration-models/${id}/model.ts`)).default as ModelDefinition;
      runner = await createRunner(new Uint8Array(readFileSync(`${dir}model.onnx`)));
    });
    afterAll(async () => {
      await runner?.close();
    });

    /** The fixture's delay of more than 3 h (or, as a denied boarding, the same flight) with this stated cause. */
    const decide = async (cause: string, disruption: 'delay' | 'denied_boarding' = 'delay') => {
      const base = structuredClone(id === 'eu261' ? validRecords.eu261Delay : validRecords.uk261Delay) as FlightCaseRecordT;
      base.flight.carrierStatedCause = cause;
      if (disruption === 'denied_boarding') {
        base.flight.disruption = 'denied_boarding';
        base.flight.deniedBoardingVoluntary = false;
      }
      const out = await runner.run(rowVector(def.featurizer.featurize(base)));
      return card.classes[Number(out.output.data[0])];
    };

    it('a crew shortage days after a storm is the crew’s, not the weather’s: compensation owed', async () => {
      const v = await decide('Our pilots were out of position after the snowstorm earlier that week, so there was no crew for this flight.');
      expect(v.outcome).toBe('claimant');
    });

    it('"technical" in an inspection after a bird strike does not make the bird strike ordinary', async () => {
      const v = await decide('Technical check by our engineers after a gull hit the engine on landing.');
      expect(v.outcome).toBe('respondent');
      expect(v.grounds).toContain(`${P}.cause.bird_strike`);
      expect(v.explanation).toMatch(/bird strike/i);
    });

    it('"not" changes what follows it', async () => {
      expect((await decide('Heavy snowfall at the departure airport.')).outcome).toBe('respondent');
      expect((await decide('This was not a weather problem: a brake unit had to be changed.')).outcome).toBe('claimant');
    });

    it('a slot missed because of an earlier fault is decided by the fault', async () => {
      expect((await decide('Eurocontrol slot restriction over the Alps.')).outcome).toBe('respondent');
      expect((await decide('We lost our departure slot because of an earlier problem with the APU.')).outcome).toBe('claimant');
    });

    it('names the kind of cause in the grounds and the plain explanation', async () => {
      const storm = await decide('Thunderstorms over the airfield stopped all departures.');
      expect(storm.grounds.slice(0, 2)).toEqual([`${P}.art5.3.extraordinary`, `${P}.cause.weather`]);
      expect(storm.explanation).toMatch(/weather/i);
      const visa = await decide('The passenger held no visa for the destination.', 'denied_boarding');
      expect(visa.grounds.slice(0, 2)).toEqual([`${P}.art2j.reasonable_grounds`, `${P}.cause.travel_documents`]);
      expect(visa.explanation).toMatch(/travel documents/i);
      expect((await decide('Flight oversold.', 'denied_boarding')).outcome).toBe('claimant');
    });
  });
}
