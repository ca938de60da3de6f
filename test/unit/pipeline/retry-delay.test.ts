// The pipeline's retries double from half a second and stop growing at RETRY_MAX_MS: a job that
// met a dozen transient errors still runs within seconds of the last, not hours later (BullMQ's
// own exponential backoff has no ceiling).
import { describe, expect, it } from 'vitest';
import { Backoffs } from 'bullmq';
import { JOB_DEFAULTS, RETRY_MAX_MS, retryDelay } from '../../../server/pipeline/jobs.js';

describe('pipeline retry delay', () => {
  it('doubles from 500 ms and stops at RETRY_MAX_MS', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(retryDelay(6)).toBe(RETRY_MAX_MS);
    expect(retryDelay(999)).toBe(RETRY_MAX_MS);
  });

  it('is what BullMQ computes for the jobs of JOB_DEFAULTS once the workers pass it as their strategy', () => {
    const err = new Error('transient');
    const backoff = Backoffs.normalize(JOB_DEFAULTS.backoff!)!;
    expect(Backoffs.calculate(backoff, 1, err, {} as never, retryDelay)).toBe(500);
    expect(Backoffs.calculate(backoff, 20, err, {} as never, retryDelay)).toBe(RETRY_MAX_MS);
    // Without the strategy the type is unknown to BullMQ: every worker of the pipeline's queues must pass it.
    expect(() => Backoffs.calculate(backoff, 1, err, {} as never)).toThrow(/Unknown backoff strategy/);
  });

  it('refuses a backoff type it does not implement', () => {
    expect(() => retryDelay(1, 'exponential')).toThrow(/unknown backoff type/);
  });
});
