// The abuse bench's load generator in a process of its own (test/bench/abuse.ts): the hostile
// barrage and the slow connections, so that sending ~200 MB of bodies does not stall the event
// loop that times the probes (in one process, a probe's latency included the load generator's
// own pauses). Reads its settings from argv as JSON; prints `{"started":true}`, then the outcome.
import { hostileBarrage, slowConnections } from './hostile-load.js';

const { url, callers, perCaller, concurrency, slow } = JSON.parse(process.argv[2]) as {
  url: string;
  callers: number;
  perCaller: number;
  concurrency: number;
  slow: number;
};
const target = new URL(url);
const connections = slowConnections(target, slow);
process.stdout.write(`${JSON.stringify({ started: true })}\n`);
const outcome = await hostileBarrage(target, { callers, perCaller, concurrency });
connections.stop();
process.stdout.write(`${JSON.stringify({ outcome })}\n`);
process.exit(0);
