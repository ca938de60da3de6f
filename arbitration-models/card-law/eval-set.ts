// The public evaluation set of a card model: the hand-written edge cases, then `size` random
// cases from the seeded generator, each with the verdict LAW.md's oracle gives. JSONL lines of
// `{"case", "expected", "note"?}` (server/models/definition.ts EvalLine).
import type { EvalLine } from '../../server/models/definition.js';
import type { CardCase, LawVerdict } from './card-case.js';
import { type Network, randomCase } from './case-generator.js';
import { mastercardEdgeCases, visaEdgeCases } from './edge-cases.js';
import { mastercardOracle } from './mastercard-oracle.js';
import { seededRandom } from '../seeded-random.js';
import { visaOracle } from './visa-oracle.js';

export const ORACLES: Record<Network, (c: CardCase) => LawVerdict> = { VISA: visaOracle, MASTERCARD: mastercardOracle };

export function evalSet(network: Network, seed: number, size: number): EvalLine[] {
  const oracle = ORACLES[network];
  const edges = network === 'VISA' ? visaEdgeCases() : mastercardEdgeCases();
  const r = seededRandom(seed);
  const prefix = network.toLowerCase();
  const randoms = Array.from({ length: size }, (_, i) => randomCase(r, network, `${prefix}-eval-${i + 1}`));
  return [
    ...edges.map((e) => ({ case: e.case, expected: oracle(e.case), note: `edge: ${e.note}` })),
    ...randoms.map((c) => ({ case: c, expected: oracle(c), note: 'generated: seeded random case' })),
  ];
}

export const toJsonl = (lines: readonly EvalLine[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
