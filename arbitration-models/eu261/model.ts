// EU261 (LAW.md §1): the rules compiled exactly into a first-match decision list
// (flight-law/compensation-program.ts), plus two learned integer scores over the hashed words of
// `carrierStatedCause`: extraordinary circumstance (§1.4) and reasonable grounds to deny boarding
// (B2). Rows → card classes one to one.
import { eu261Featurizer } from '../../server/featurizers/eu261.js';
import { classFor, compensationProgram } from '../flight-law/compensation-program.js';
import { flightDefinition, ZERO_CLASSIFIERS } from '../flight-law/flight-model.js';
import { CAUSE_CONCEPT_DIMS } from '../../server/featurizers/flight-cause-concepts.js';

export default flightDefinition({
  id: 'eu261',
  version: '2.0.0',
  jurisdiction: 'EU261',
  featurizer: eu261Featurizer,
  learned: true,
  program: (params) => compensationProgram('EU261', eu261Featurizer.features, params ?? ZERO_CLASSIFIERS()),
  classFor: (index, v) => classFor('EU261', index, v),
  training: {
    method:
      `Rules: LAW.md tables compiled exactly (no learning). Learned: 2 + 14 logistic regressions (full-batch Adam, float64, L1 3e-4) over the ${CAUSE_CONCEPT_DIMS} concept counts of carrierStatedCause (server/featurizers/flight-cause-concepts.ts: lemmas, an aviation lexicon and WordNet 3.1 generalisations, negation scope), quantized to integer weights in [-127, 127]; positive iff bias + w·x ≥ 1. Two decide (extraordinary circumstance, reasonable grounds); one per kind of cause names what was recognised in the grounds (${'`'}EU261.cause.<kind>${'`'}, the first positive kind in the decision list's order).`,
    data: 'arbitration-models/flight-law/cause-phrases.ts + cause-phrases-styles.ts TRAIN wordings (template grammar, 21 cause categories labelled by LAW.md §1.4 / B2; carrier styles: e-mails, rejection letters, ops codes, misspellings; negated and earlier-event compounds), 6000 phrases per classifier, seeded; evaluation uses the disjoint EVAL wordings and the independent set (flight-law/independent-causes.json).',
    generator: 'arbitration-models/eu261/generate.ts (eval set), arbitration-models/eu261/train.ts (params, model, card)',
    notes: [
      'LAW.md §6.1: a plain delay of exactly 3 h 00 in band b is paid in full.',
      'LAW.md §6.3: Swiss airports are in the Area; a Swiss delay is decided like any other (Sturgeon applied).',
      'Grounds: band code, art7.2 when halved, the decision code, then the scope code (art3.1a / art3.1b).',
    ],
  },
});
