// US DOT refunds (LAW.md §3, 14 CFR part 260): every fact is rule-determined (the cause is
// irrelevant), so the graph is the exact compilation of the table, nothing learned.
import { usDotRefundFeaturizer } from '../../server/featurizers/us-dot-refund.js';
import { flightDefinition } from '../flight-law/flight-model.js';
import { usClassFor, usDotProgram } from './program.js';

export default flightDefinition({
  id: 'us-dot-refund',
  version: '1.0.0',
  jurisdiction: 'US_DOT_REFUND',
  featurizer: usDotRefundFeaturizer,
  learned: false,
  program: () => usDotProgram(usDotRefundFeaturizer.features),
  classFor: usClassFor,
  training: {
    method: 'None: LAW.md §3 compiled exactly into a first-match decision list (arbitration-models/us-dot-refund/program.ts); no learned parameters.',
    generator: 'arbitration-models/us-dot-refund/generate.ts (eval set), arbitration-models/us-dot-refund/train.ts (model, card)',
  },
});
