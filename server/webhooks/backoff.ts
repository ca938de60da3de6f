// When to try a failed delivery again: exponential backoff with jitter, inside a retry window
// (3 days by default, WEBHOOK_RETRY_HOURS). Injectable, so tests run the schedule in milliseconds.

export interface RetryPolicy {
  /** Delay before attempt `attempt + 1`, after `attempt` failed ones; `random` is in [0, 1). */
  delayMs(attempt: number, random: number): number;
  /** A delivery whose next attempt would fall later than this after its window opened is given up. */
  windowMs: number;
  /** An endpoint that has failed this long without a single success is disabled. */
  disableAfterMs: number;
}

export interface BackoffOptions {
  baseMs: number;
  factor: number;
  capMs: number;
  /** 0.5 spreads each delay uniformly over ±25% of its nominal value. */
  jitter: number;
  windowMs: number;
  disableAfterMs: number;
}

/** Nominal delays 1 min, 2, 4, … capped at 6 h; about 20 attempts over 3 days. */
export const defaultBackoff: Omit<BackoffOptions, 'windowMs' | 'disableAfterMs'> = {
  baseMs: 60_000,
  factor: 2,
  capMs: 6 * 3600_000,
  jitter: 0.5,
};

export function exponentialBackoff(o: BackoffOptions): RetryPolicy {
  return {
    windowMs: o.windowMs,
    disableAfterMs: o.disableAfterMs,
    delayMs(attempt, random) {
      const nominal = Math.min(o.capMs, o.baseMs * o.factor ** Math.max(0, attempt - 1));
      return Math.round(nominal * (1 - o.jitter / 2 + random * o.jitter));
    },
  };
}

export function policyFromConfig(config: { webhookRetryHours: number; webhookDisableAfterHours: number }): RetryPolicy {
  return exponentialBackoff({
    ...defaultBackoff,
    windowMs: config.webhookRetryHours * 3600_000,
    disableAfterMs: config.webhookDisableAfterHours * 3600_000,
  });
}
