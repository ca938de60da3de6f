// A model's input as the chain judges it (issue 8 #7): the featurizer's declared ranges, packed
// as ModelRegistry.setInputRanges and Arbitration.inputValid / refuseInput take them (per
// feature int64 min ‖ int64 max, big-endian), and the one claim that is valid for a refused case.
import { ZeroHash } from 'ethers';
import type { FeatureSpec } from '../inference/featurizer.js';
import type { Claim } from '../inference/claim-commitment.js';
import { bytesToHex } from '../inference/hex.js';

/** The output of a refused case's claim (Arbitration.REFUSED = type(uint256).max). */
export const REFUSED = (1n << 256n) - 1n;

/** The featurizer's ranges as the registry stores their hash: 16 bytes per feature. */
export function encodeInputRanges(features: readonly FeatureSpec[]): string {
  const out = new Uint8Array(features.length * 16);
  const view = new DataView(out.buffer);
  features.forEach((f, i) => {
    view.setBigInt64(i * 16, f.min);
    view.setBigInt64(i * 16 + 8, f.max);
  });
  return bytesToHex(out);
}

/** The claim every honest member makes for a refused case: output REFUSED, no steps, no trace. */
export const refusedClaim = (caseId: string, modelId: string, s0: string): Claim => ({ caseId, modelId, s0, output: REFUSED, steps: 0n, traceRoot: ZeroHash });
