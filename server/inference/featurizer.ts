// A featurizer turns a validated case record into the model's int64 input tensor t0 (1 × F).
// Pure and deterministic: the same record gives the same bits on every machine (PROTOCOL.md §4:
// S_0 = hash of this tensor is the case's input commitment). Versioned: any change to what it
// computes is a new version, and the model card names the version it was trained on.
import type { CaseRecordT } from '../cases/schemas.js';

/** Thrown when a record cannot be featurized (e.g. a field the jurisdiction needs is missing). */
export class FeaturizeError extends Error {
  constructor(
    /** RFC 6901 pointer into the case record naming the offending field, e.g. `/flight/fare`. */
    readonly pointer: string,
    message: string,
  ) {
    super(message);
    this.name = 'FeaturizeError';
  }
}

export interface FeatureSpec {
  /** Stable machine name, e.g. `delay_minutes`, `text_cause_017`. */
  name: string;
  /** Inclusive integer range every featurized value lies in; the overflow proof starts here. */
  min: bigint;
  max: bigint;
}

export interface Featurizer {
  /** e.g. `eu261` */
  id: string;
  /** semantic version, e.g. `1.0.0` */
  version: string;
  /** One entry per input column, in order. */
  features: readonly FeatureSpec[];
  /** Record → 1 × features.length values, each within its declared range (clamped if needed). */
  featurize(record: CaseRecordT): BigInt64Array;
}
