// `npm start` restarted mid-pipeline, as real processes (issue 13): cases are filed over HTTP, the
// server's process group gets SIGTERM while they are in flight (executing, then again while
// proposed when they are not all paid yet), and a fresh `node --import tsx server/main.ts` (what `npm start` runs) on the same
// DATA_DIR and Redis prefix carries every case to `paid`: each paid once on chain (one Resolved,
// the claimant's wallet holding exactly the award), with every timeline event and webhook row once.
// Deadlines, never sleeps: each wait polls a condition until a generous deadline.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Wallet } from 'ethers';
import { validRecords, variant } from '../../support/case-fixtures.js';
import { chainLine, rpc, serverHarness, waitFor, SHARED_REDIS, type ServerProcess } from '../../support/server-process.js';
import { connectRedis } from '../../../server/redis/connection.js';
import { queueReport } from '../../support/queue-report.js';

const h = serverHarness();
afterEach(h.cleanup);

const records = [validRecords.eu261Delay, validRecords.eu261Cancellation, validRecords.visaFraud, validRecords.uk261Delay, validRecords.usDotRefund];
const LATER = ['proposed', 'appealed', 're-executing', 'challenged', 'bisecting', 'final', 'paid'];

describe('npm start restarted mid-pipeline (real processes)', () => {
  it('SIGTERM while cases are in flight, start again: every case is paid once, every timeline event and webhook row once', { timeout: 1_200_000 }, async () => {
    const dataDir = h.tempDir('restart');
    // Its own DATA_DIR and Redis prefix; each start its own port (server-process.ts). Short
    // windows: the challenge window passes on the wall clock (anvil's blocks follow it).
    const env = { DATA_DIR: dataDir, QUEUE_PREFIX: h.redisPrefix('restart'), LOG_LEVEL: 'warn', CHALLENGE_WINDOW_SECONDS: '15', PIPELINE_POLL_MS: '100' };

    let s = await h.start({ env });
    await s.healthy();
    // A failed wait also says what the earlier processes printed and where the queues stood.
    const earlier: ServerProcess[] = [];
    const explained = async <T>(wait: Promise<T>): Promise<T> => {
      try {
        return await wait;
      } catch (e) {
        const redis = connectRedis(SHARED_REDIS);
        const queues = await queueReport(redis, env.QUEUE_PREFIX).catch((q: Error) => `queues unreadable: ${q.message}`);
        redis.disconnect();
        const before = earlier.map((p, i) => `-- output of start ${i + 1}:\n${p.tail(6000)}`).join('\n');
        throw new Error(`${(e as Error).message}\n${before}\n-- queues:\n${queues}`);
      }
    };
    const filed: { id: string; token: string; wallet: string }[] = [];
    for (const r of records) {
      const wallet = Wallet.createRandom().address;
      const res = await fetch(`${s.base}/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(variant(r, (d) => void (d.claimant.wallet = wallet))) });
      expect(res.status, await res.clone().text()).toBe(201);
      const body = (await res.json()) as { id: string; accessToken: string };
      filed.push({ id: body.id, token: body.accessToken, wallet });
    }
    // The statuses as the running server answers them (any failure: "not yet", the wait goes on).
    const statuses = async (server: ServerProcess) =>
      Promise.all(
        filed.map(async (c) => {
          const res = await fetch(`${server.base}/v1/cases/${c.id}`, { headers: { authorization: `Bearer ${c.token}` } });
          if (!res.ok) throw new Error(`GET ${c.id}: ${res.status}`);
          return ((await res.json()) as { status: string }).status;
        }),
      );
    // Waits on the pipeline give up at once when the server exits, with its output.
    const whileUp = (server: ServerProcess) => ({ abort: () => (server.exited() ? `the server exited (${JSON.stringify(server.exited())}):\n${server.tail()}` : undefined), intervalMs: 250 });
    let last: string[] = [];
    const track = async (server: ServerProcess) => (last = await statuses(server));

    // In flight: some case left `filed`, none paid yet.
    await waitFor(async () => ((await track(s)).some((x) => x !== 'filed') ? true : undefined), () => `a case to leave filed (${last.join(',')}):\n${s.tail()}`, 300_000, whileUp(s));
    const atFirstStop = await statuses(s);
    expect(atFirstStop.some((x) => x === 'paid'), atFirstStop.join(',')).toBe(false);
    await s.stop();
    earlier.push(s);

    s = await h.start({ env });
    await s.healthy();
    // Once every case is proposed (or later), stop again if some are not paid yet: mid window.
    const seen = await explained(
      waitFor(
        async () => {
          const now = await track(s);
          return now.every((x) => LATER.includes(x)) ? now : undefined;
        },
        () => `every case proposed (${last.join(',')}):\n${s.tail()}`,
        480_000,
        whileUp(s),
      ),
    );
    let secondStop = false;
    if (seen.some((x) => x !== 'paid')) {
      await s.stop();
      earlier.push(s);
      secondStop = true;
      s = await h.start({ env });
      await s.healthy();
    }
    await explained(waitFor(async () => ((await track(s)).every((x) => x === 'paid') ? true : undefined), () => `every case paid (${last.join(',')}):\n${s.tail()}`, 480_000, whileUp(s)));
    const url = chainLine(s.output()).url;

    // Paid once on chain: each claimant's fresh wallet holds exactly the award of its one Resolved.
    const db = new Database(join(dataDir, 'arbiter.db'), { readonly: true });
    h.onCleanup(() => void db.close());
    for (const c of filed) {
      const p = db.prepare('select chain_case_id as id from pipeline_cases where case_id = ?').get(c.id) as { id: string };
      const resolved = db.prepare("select args from chain_events where source = 'arbitration' and name = 'Resolved' and chain_case_id = ?").all(p.id) as { args: string }[];
      expect(resolved, c.id).toHaveLength(1);
      const award = BigInt((JSON.parse(resolved[0].args) as { award: string }).award);
      expect(BigInt(String(await rpc(url, 'eth_getBalance', [c.wallet, 'latest']))), c.id).toBe(award);
      const types = (db.prepare('select type from case_events where case_id = ? order by id').all(c.id) as { type: string }[]).map((e) => e.type);
      expect(types, `${c.id} timeline (first stop at ${atFirstStop.join(',')}, second stop: ${secondStop})`).toEqual(['filed', 'execution_started', 'verdict_proposed', 'finalized', 'paid']);
      const outbox = db.prepare('select count(*) as n from webhook_outbox where case_id = ?').get(c.id) as { n: number };
      expect(outbox.n, c.id).toBe(types.length);
    }
    await s.stop();
  });
});
