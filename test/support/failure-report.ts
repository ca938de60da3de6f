// A failed test says where the system it drove stood. Fixtures that start long-lived parts (the
// pipeline: chain, queues, workers) register a reporter while they run; when a test fails (an
// assertion, or its timeout while it waited), each reporter's text goes to stderr. A stall that
// shows once in many CI runs then names its step, pool and queues instead of only "timed out".
import { beforeEach } from 'vitest';

type Reporter = () => Promise<string>;
const reporters = new Set<Reporter>();

/** Registers `r` until the returned function is called. */
export function reportOnFailure(r: Reporter): () => void {
  reporters.add(r);
  return () => void reporters.delete(r);
}

beforeEach((ctx) => {
  ctx.onTestFailed(async () => {
    for (const r of reporters) {
      let text: string;
      try {
        text = await Promise.race([r(), new Promise<string>((resolve) => setTimeout(() => resolve('(the report did not finish in 20 s)'), 20_000).unref())]);
      } catch (e) {
        text = `(the report failed: ${(e as Error).message})`;
      }
      process.stderr.write(`\n== ${ctx.task.name}: failed; where the system stood:\n${text}\n`);
    }
  });
});
