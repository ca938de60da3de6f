// UK261 (LAW.md §2, with §1's tables): the rules compiled exactly into a first-match decision list
// (flight-law/compensation-program.ts), plus two learned integer scores over the hashed words of
// `carrierStatedCause`: extraordinary circumstance (§1.4) and reasonable grounds to deny boarding
// (B2). Rows → card classes one to one.
import { uk261Featurizer } from '../../server/featurizers/uk261.js';
import { classFor, compensationProgram } from '../flight-law/compensation-program.js';
import { flightDefinition, ZERO_CLASSIFIERS } from '../flight-law/flight-model.js';
import { CAUSE_TEXT_SPEC } from '../../server/featurizers/flight-compensation.js';

export default flightDefinition({
  id: 'uk261',
  jurisdiction: 'UK261',
  featurizer: uk261Featurizer,
  learned: true,
  program: (params) => compensationProgram('UK261', uk261Featurizer.features, params ?? ZERO_CLASSIFIERS()),
  classFor: (index, v) => classFor('UK261', index, v),
  training: {
    method:
      `Rules: LAW.md tables compiled exactly (no learning). Learned: two logistic regressions (full-batch Adam, float64, L1 3e-4) over the word counts of carrierStatedCause (fixed ${CAUSE_TEXT_SPEC.dims}-word vocabulary chosen from TRAIN wordings by flight-law/select-vocabulary.ts), quantized to integer weights in [-127, 127]; positive iff bias + w·x ≥ 1.`,
    data: 'arbitration-models/flight-law/cause-phrases.ts TRAIN wordings (template grammar, 21 cause categories labelled by LAW.md §1.4 / B2, neutral carrier phrasing), 6000 phrases per classifier, seeded; evaluation uses the disjoint EVAL wordings.',
    generator: 'arbitration-models/uk261/generate.ts (eval set), arbitration-models/uk261/train.ts (params, model, card)',
    notes: [
      'LAW.md §6.6 open points (union-called own-staff strike, airport-wide fuel failure) are decided as under EU261: the cause classifier is the EU261 one (same labels, same seed).',
      "S3 'destination in the EU' is an EU member state: the EU261 Area without Norway, Iceland, Liechtenstein and Switzerland.",
      'Grounds: band code, art7.2 when halved, the decision code, then the scope code (art3.1a / art3.1b.i / art3.1b.ii).',
    ],
  },
});
