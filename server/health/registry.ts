// Health is a set of named checks. Each component (db, redis, chain, later nodes…) registers one,
// so /health grows with the system without this module knowing the components.

/** Facts a check may add to its component's entry (e.g. the chain's block number and chain id). */
export type HealthFacts = Record<string, string | number | boolean>;

export interface ComponentHealth {
  ok: boolean;
  /** Round-trip of the check in milliseconds. */
  latencyMs: number;
  detail?: string;
  [fact: string]: string | number | boolean | undefined;
}

/** What a check returns when it passes: nothing, a detail line, or facts (with an optional detail). */
export type HealthResult = string | void | ({ detail?: string } & HealthFacts);

/** Passes by returning (or resolving), fails by throwing (or rejecting) with the reason. */
export type HealthCheck = () => Promise<HealthResult> | HealthResult;

function entryFor(result: HealthResult, latencyMs: number): ComponentHealth {
  if (!result) return { ok: true, latencyMs };
  if (typeof result === 'string') return { ok: true, latencyMs, detail: result };
  // ok and latencyMs are the registry's own; a check cannot override them.
  return { ...result, ok: true, latencyMs };
}

export interface HealthRegistry {
  register(name: string, check: HealthCheck): void;
  names(): string[];
  run(timeoutMs?: number): Promise<{ ok: boolean; components: Record<string, ComponentHealth> }>;
}

export function createHealthRegistry(): HealthRegistry {
  const checks = new Map<string, HealthCheck>();
  return {
    register(name, check) {
      checks.set(name, check);
    },
    names: () => [...checks.keys()],
    async run(timeoutMs = 2000) {
      const entries = await Promise.all(
        [...checks].map(async ([name, check]): Promise<[string, ComponentHealth]> => {
          const started = performance.now();
          let timer: NodeJS.Timeout | undefined;
          try {
            const result = await Promise.race([
              Promise.resolve().then(check),
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
              }),
            ]);
            const latencyMs = Math.round((performance.now() - started) * 10) / 10;
            return [name, entryFor(result, latencyMs)];
          } catch (err) {
            const latencyMs = Math.round((performance.now() - started) * 10) / 10;
            return [name, { ok: false, latencyMs, detail: (err as Error).message }];
          } finally {
            clearTimeout(timer);
          }
        }),
      );
      const components = Object.fromEntries(entries);
      return { ok: entries.every(([, c]) => c.ok), components };
    },
  };
}
