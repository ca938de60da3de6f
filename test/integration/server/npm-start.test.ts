// `npm start` as a real process: `node --max-semi-space-size=8 --import tsx server/main.ts` (what `npm start` runs) on a temp DATA_DIR and a free port.
// Signals go to the whole process group, as a terminal's Ctrl-C or a supervisor would send them.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisAnswers } from '../../../server/redis/connection.js';
import { startAnvil } from '../../../server/chain/anvil.js';
import { hashSecret } from '../../../server/auth/tokens.js';
import { ensureWebBuild } from '../../../server/web/build.js';
import { chainLine, freePort, groupAlive, pidAlive, procStat, processesMentioning, rpc, serverHarness, waitFor, type ServerProcess } from '../../support/server-process.js';

const h = serverHarness();
afterEach(h.cleanup);
// The first test runs `npm start` as shipped, web app included: build it (when web/ changed) here,
// outside the readiness deadline.
beforeAll(() => ensureWebBuild(), 900_000);

/**
 * SIGTERM to the group, then: every process gone, the server reporting a clean shutdown and
 * ending with 0 (or by the signal, were it to arrive before the handler).
 */
async function stopGroup(s: ServerProcess): Promise<void> {
  const exit = await s.stop();
  expect(exit.code === 0 || exit.signal === 'SIGTERM', JSON.stringify(exit)).toBe(true);
  expect(s.output()).toContain('SIGTERM: shutting down');
  expect(s.output()).toContain('stopped cleanly');
  expect(s.output()).not.toMatch(/error during shutdown|exiting now|took over/);
}

describe('npm start (node --max-semi-space-size=8 --import tsx server/main.ts)', () => {
  it('serves /health with the chain and the web app, prints the admin token once, exits cleanly on SIGTERM with anvil stopped, and a restart keeps the chain', { timeout: 600_000 }, async () => {
    const dataDir = h.tempDir('start');
    const env = { DATA_DIR: dataDir, QUEUE_PREFIX: h.redisPrefix('start'), LOG_LEVEL: 'warn', WEB: 'on' };
    const s = await h.start({ env });

    const health = await s.healthy();
    expect(health.status).toBe('ok');
    expect(health.components.db.ok).toBe(true);
    expect(health.components.redis.ok).toBe(true);
    expect(health.components.chain).toMatchObject({ ok: true, chainId: 31337 });
    expect(health.components.chain.blockNumber).toBeGreaterThan(0); // the deployment's blocks
    expect(existsSync(join(dataDir, 'arbiter.db'))).toBe(true);
    const page = await fetch(`${s.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    // The token is printed once; only its hash is kept in DATA_DIR.
    const token = /^\[arbiter\]\s+(adm_\S+)\s*$/m.exec(s.output())?.[1];
    expect(token, s.output()).toBeDefined();
    expect(existsSync(join(dataDir, 'admin-token')), 'admin token kept in clear').toBe(false);
    expect(readFileSync(join(dataDir, 'admin-token-hash'), 'utf8').trim()).toBe(hashSecret(token!));

    const asAdmin = await fetch(`${s.base}/v1/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(asAdmin.status).toBe(200);

    const chain = chainLine(s.output());
    h.onCleanup(() => {
      if (pidAlive(chain.pid)) process.kill(chain.pid, 'SIGKILL');
    });
    expect(chain.deployedNow).toBe(true);
    expect(chain.addressesFile).toBe(join(dataDir, 'chain', 'deployment.json'));
    const addresses = readFileSync(chain.addressesFile, 'utf8');
    // Chain state made during this run must survive the restart: 50 more blocks.
    await rpc(chain.url, 'anvil_mine', ['0x32']);
    const mined = Number(await rpc(chain.url, 'eth_blockNumber'));

    await stopGroup(s);
    await expect(fetch(`${s.base}/health`)).rejects.toThrow();
    expect(pidAlive(chain.pid), 'anvil left running').toBe(false);

    // Second start on the same DATA_DIR: the same contracts, the chain where the first run left it.
    const again = await h.start({ env });
    const health2 = await again.healthy();
    expect(health2.components.chain).toMatchObject({ ok: true, chainId: 31337 });
    expect(health2.components.chain.blockNumber).toBeGreaterThanOrEqual(mined);
    const chain2 = chainLine(again.output());
    h.onCleanup(() => {
      if (pidAlive(chain2.pid)) process.kill(chain2.pid, 'SIGKILL');
    });
    expect(chain2.deployedNow).toBe(false);
    expect(readFileSync(chain2.addressesFile, 'utf8')).toBe(addresses);
    expect(again.output()).not.toContain('Generated the admin token');
    expect(again.output()).not.toContain(token!);
    const stillAdmin = await fetch(`${again.base}/v1/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(stillAdmin.status).toBe(200);

    await stopGroup(again);
    expect(pidAlive(chain2.pid), 'anvil left running').toBe(false);
  });

  it('starts a private redis-server under DATA_DIR/redis when none answers, says so, and stops it on exit; uses CHAIN_RPC_URL and leaves that node running', { timeout: 300_000 }, async () => {
    // An external chain: an anvil of this test process, outside the server's process group, so
    // the group SIGTERM below reaches only the server.
    const external = await startAnvil();
    h.onCleanup(() => external.stop());
    const dataDir = h.tempDir('start');
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    const s = await h.start({ env: { DATA_DIR: dataDir, REDIS_URL: redisUrl, CHAIN_RPC_URL: external.url, LOG_LEVEL: 'warn' } });
    const health = await s.healthy();
    expect(s.output()).toMatch(/started a private redis-server/);
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    expect(await redisAnswers(redisUrl)).toBe(true);
    expect(health.components.chain).toMatchObject({ ok: true, chainId: 31337 });
    expect(s.output()).toContain(`chain: ${external.url} (CHAIN_RPC_URL)`);
    expect(s.output()).not.toContain('private anvil');
    const { addresses } = JSON.parse(readFileSync(join(dataDir, 'chain', 'deployment.json'), 'utf8')) as { addresses: { arbitration: string } };
    expect(await rpc(external.url, 'eth_getCode', [addresses.arbitration, 'latest'])).not.toBe('0x');

    await stopGroup(s);
    await waitFor(async () => ((await redisAnswers(redisUrl, 300)) ? undefined : true), 'the private redis-server to stop', 10_000);
    expect(await rpc(external.url, 'eth_chainId')).toBe('0x7a69'); // not ours to stop
  });

  it('exits with the install command when no Redis answers and redis-server is not on PATH', async () => {
    const s = await h.start({
      env: { DATA_DIR: h.tempDir('start'), REDIS_URL: `redis://127.0.0.1:${await freePort()}`, PATH: h.tempDir('empty-path') },
    });
    const { code } = await s.exit;
    expect(code).toBe(1);
    await s.closed;
    expect(s.output()).toMatch(/apt-get install redis-server/);
  });

  it('SIGKILL of the server process alone (not its group) still stops its private anvil within seconds; a group SIGINT lets the server stop it', { timeout: 600_000 }, async () => {
    const dataDir = h.tempDir('kill');
    const env = { DATA_DIR: dataDir, QUEUE_PREFIX: h.redisPrefix('kill'), LOG_LEVEL: 'warn' };
    const s = await h.start({ env });
    await s.healthy();
    // The pid main.ts prints is anvil's watchdog, leader of anvil's own process group (outside
    // the server's, so a terminal's Ctrl-C reaches the server only); its parent is the server.
    const chain = chainLine(s.output());
    const anvilGroup = processesMentioning(join(dataDir, 'chain'));
    h.onCleanup(() => {
      for (const pid of anvilGroup) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    expect(anvilGroup).toContain(chain.pid);
    expect(anvilGroup.length).toBeGreaterThanOrEqual(2); // the watchdog and anvil itself
    for (const pid of anvilGroup) expect(Number(procStat(pid)![2]), `pgid of ${pid}`).toBe(chain.pid);
    const server = Number(procStat(chain.pid)![1]);
    // `npm start` runs the server as node itself (tsx as a loader): no tsx parent that relays
    // signals and SIGKILLs a child slow to acknowledge them (it did, on a loaded machine).
    expect(server).toBe(s.pid);
    expect(readFileSync(`/proc/${server}/cmdline`, 'utf8')).toContain('server/main.ts');

    process.kill(server, 'SIGKILL');
    // The watchdog sends SIGTERM at once and SIGKILL 5 s later: 15 s leaves a loaded machine room.
    await waitFor(() => (processesMentioning(join(dataDir, 'chain')).length === 0 ? true : undefined), 'the private anvil to die with its server', 15_000);
    // Gone or a zombie (orphans are reaped by whatever init this machine has).
    for (const pid of anvilGroup) expect([undefined, 'Z'], `pid ${pid} left running`).toContain(procStat(pid)?.[0]);
    await s.exit;

    // A terminal's Ctrl-C (SIGINT to the server's group): the server stops anvil itself, cleanly.
    const again = await h.start({ env });
    await again.healthy();
    const chain2 = chainLine(again.output());
    expect(chain2.deployedNow).toBe(false); // the state anvil wrote when its watchdog stopped it
    await again.stop({ signal: 'SIGINT' });
    expect(groupAlive(again.pid)).toBe(false);
    expect(again.output()).toContain('stopped cleanly');
    expect(again.output()).not.toMatch(/error while stopping|exiting now|took over/);
    expect(processesMentioning(join(dataDir, 'chain'))).toEqual([]);
  });
});
