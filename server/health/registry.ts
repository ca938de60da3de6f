// Health is a set of named checks. Each component (db, redis, later chain, nodes…) registers one,
// so /health grows with the system without this module knowing the components.

export interface ComponentHealth {
  ok: boolean;
  /** Round-trip of the check in milliseconds. */
  latencyMs: number;
  detail?: string;
}

export type HealthCheck = () => Promise<string | void> | string | void;

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
            const detail = await Promise.race([
              Promise.resolve().then(check),
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
              }),
            ]);
            const latencyMs = Math.round((performance.now() - started) * 10) / 10;
            return [name, { ok: true, latencyMs, ...(detail ? { detail } : {}) }];
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
