// `npm run demo`: the whole system on a private embedded stack (its own anvil, a temp DATA_DIR,
// Redis at REDIS_URL under a fresh prefix) with four in-process node operators, one of them
// dishonest (it corrupts state t_3 of every run). Files 20 mixed cases over all five
// jurisdictions through the API, appeals one proposed verdict, advances the chain's clock past
// each challenge window, and prints progress on stderr and one JSON line on stdout:
// {"demo":"done","cases":20,"final":…,"paid":…,"games":…,"honest_won":…}.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NonceManager, Wallet } from 'ethers';
import { ANVIL_KEYS, startAnvil } from '../chain/anvil.js';
import { connectContracts } from '../chain/contracts.js';
import { deploySystem, writeDeployment } from '../chain/deploy.js';
import type { ChainClient } from '../chain/client.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { connectRedis } from '../redis/connection.js';
import { createQueues } from '../queues/queues.js';
import { startPipeline } from '../pipeline/start.js';
import { BatchStatus } from '../pipeline/chain-port.js';
import type { CaseRecordT } from '../cases/schemas.js';
import { demoRecords } from './records.js';
import { connectRpc } from '../chain/provider.js';

const CHALLENGE_WINDOW = 30;
const FAULTY_NODE = 4;
const FAULT_STEP = 3;
const say = (m: string) => process.stderr.write(`[demo] ${m}\n`);

// The private anvil's block spacing, as npm start reads it (CHAIN_BLOCK_MS).
const anvil = await startAnvil({ accounts: 10, blockMs: loadConfig().chainBlockMs });
const provider = connectRpc(anvil.url, 50);
const wallets = ANVIL_KEYS.map((k) => new NonceManager(new Wallet(k, provider)));
const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-demo-'));
const prefix = `arbiter-demo-${randomBytes(4).toString('hex')}`;
let exitCode = 0;
try {
  const deployment = await deploySystem(wallets[0], { committeeSize: 3, commitWindow: 600, revealWindow: 600, challengeWindow: CHALLENGE_WINDOW, clockSeconds: 600, batchWindow: 1 });
  writeDeployment(join(dataDir, 'chain', 'deployment.json'), deployment);
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, QUEUE_PREFIX: prefix, ADMIN_TOKEN: 'adm_demo', LOG_LEVEL: 'silent', NODES: '4', PIPELINE_POLL_MS: '100', PIPELINE_SEAL_MS: '300' });
  const app = await buildApp({ config, logger: false });
  const chain: ChainClient = { url: anvil.url, provider, registrar: wallets[0], deployment, contracts: connectContracts(deployment, wallets[0]), devSigner: (i) => wallets[i], close: async () => {} };
  const redis = connectRedis(config.redisUrl);
  const queues = createQueues({ connection: redis, prefix });
  say(`anvil on ${anvil.url}, data in ${dataDir}; 4 node operators, node ${FAULTY_NODE} dishonest at state ${FAULT_STEP}`);
  const pipeline = await startPipeline({ config, db: app.db, redis, queues, chain, embedded: true, nodeFaults: { [FAULTY_NODE]: FAULT_STEP }, log: () => {} });
  const liar = pipeline.nodes[FAULTY_NODE - 1].address;
  try {
    const filed: { id: string; token: string }[] = [];
    for (const record of demoRecords(20)) {
      const res = await app.inject({ method: 'POST', url: '/v1/cases', payload: record as CaseRecordT });
      if (res.statusCode !== 201) throw new Error(`filing failed: ${res.body}`);
      const body = res.json() as { id: string; accessToken: string };
      filed.push({ id: body.id, token: body.accessToken });
    }
    say(`filed ${filed.length} cases`);
    const status = (id: string) => pipeline.store.caseStatus(id) ?? 'missing';
    let appealed: string | undefined;
    const deadline = Date.now() + 15 * 60_000;
    let lastLine = '';
    for (;;) {
      const statuses = filed.map((c) => status(c.id));
      const counts = statuses.reduce<Record<string, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {});
      const line = Object.entries(counts).map(([s, n]) => `${s} ${n}`).join(', ');
      if (line !== lastLine) say(line);
      lastLine = line;
      if (statuses.every((s) => s === 'paid' || s === 'final' || s === 'rejected')) break;
      if (Date.now() > deadline) throw new Error(`not done after 15 minutes: ${line}`);
      if (!appealed) {
        const c = filed.find((x) => status(x.id) === 'proposed');
        if (c) {
          const r = await app.inject({ method: 'POST', url: `/v1/cases/${c.id}/appeal`, headers: { authorization: `Bearer ${c.token}` } });
          if (r.statusCode === 202) {
            appealed = c.id;
            say(`claimant appealed ${c.id} (level 1: a fresh committee re-executes)`);
          }
        }
      }
      // Advance the chain's clock past the challenge window once nothing is still being decided.
      const busy = statuses.some((s) => ['filed', 'executing', 'challenged', 're-executing', 'appealed'].includes(s));
      let gamesOpen = false;
      for (const c of filed) {
        if (status(c.id) !== 'bisecting') continue;
        const b = await pipeline.port.getBatch(BigInt(pipeline.store.byCase(c.id)!.batchId!));
        if (b.status !== BatchStatus.Proposed) gamesOpen = true;
      }
      if (!busy && !gamesOpen && appealed && statuses.some((s) => s === 'proposed' || s === 'bisecting')) {
        await provider.send('evm_increaseTime', [CHALLENGE_WINDOW + 1]);
        await provider.send('evm_mine', []);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    const statuses = filed.map((c) => status(c.id));
    const challenged = filed.flatMap((c) => pipeline.store.eventsOfCase(pipeline.store.byCase(c.id)!.chainCaseId).filter((e) => e.name === 'Challenged'));
    let honestWon = 0;
    for (const ch of challenged) {
      const a = JSON.parse(ch.args) as { gameId: string; defender: string; challenger: string };
      const resolved = pipeline.store.eventsOfGame(Number(a.gameId)).find((e) => e.source === 'game' && e.name === 'Resolved');
      if (!resolved) continue;
      const outcome = Number((JSON.parse(resolved.args) as { outcome: string }).outcome);
      const liarWasDefender = a.defender.toLowerCase() === liar;
      if ((liarWasDefender && outcome === 2) || (!liarWasDefender && outcome === 1)) honestWon++;
    }
    console.log(
      JSON.stringify({
        demo: 'done',
        cases: filed.length,
        final: statuses.filter((s) => s === 'final' || s === 'paid').length,
        paid: statuses.filter((s) => s === 'paid').length,
        games: challenged.length,
        honest_won: honestWon,
        appealed: appealed ? 1 : 0,
      }),
    );
  } finally {
    await pipeline.stop();
    await queues.close();
    redis.disconnect();
    await app.close();
  }
} catch (e) {
  say(`failed: ${(e as Error).message}`);
  exitCode = 1;
} finally {
  provider.destroy();
  await anvil.stop();
  // The run's Redis keys go with it.
  const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
