// The chain client of `npm start`: a private anvil with its state under DATA_DIR/chain, the
// system deployed once; a second start finds the same contracts and the cases opened before.
// A start that fails after starting its anvil stops it (no orphaned anvil).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet, id as utf8Id } from 'ethers';
import { startChainClient } from '../../../server/chain/client.js';
import { freePort, listensOn, startAnvil } from '../../../server/chain/anvil.js';

/** Pids of the processes whose command line mentions `text` (the anvil and its watchdog name the state file under DATA_DIR). */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // a zombie is dead
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Polls `check` until it holds or `timeoutMs` passes (processes exit asynchronously under load). */
async function eventually(check: () => boolean, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return false;
  }
}

describe('chain client', () => {
  it('startChainClient › a restart keeps the deployment and the chain state', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-data-'));
    try {
      const port = await freePort();
      const first = await startChainClient({ dataDir, port });
      await (await first.contracts.registry.getFunction('register')('restart', '1.0.0', utf8Id('root'), utf8Id('onnx'), utf8Id('f'), 3, 0n, 0, [1n])).wait();
      const addresses = first.deployment.addresses;
      await first.close();
      const second = await startChainClient({ dataDir, port });
      try {
        expect(second.deployment.addresses).toEqual(addresses);
        expect((await second.contracts.registry.get(utf8Id('restart@1.0.0'))).steps).toBe(3n);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('startChainClient › a deploy that fails stops the private anvil it started before rethrowing', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-data-'));
    try {
      const logs: string[] = [];
      let during: number[] = [];
      const failure = startChainClient({
        dataDir,
        port: await freePort(),
        log: (m) => logs.push(m),
        deploy: async (signer) => {
          expect(await signer.provider!.getBlockNumber()).toBe(0); // anvil answers
          during = processesMentioning(dataDir);
          throw new Error('injected deploy failure');
        },
      });
      await expect(failure).rejects.toThrow('injected deploy failure');
      const pid = Number(/started anvil \(pid (\d+)\)/.exec(logs.join('\n'))?.[1]);
      expect(during).toContain(pid); // anvil and its watchdog ran during the deploy
      // The watchdog's helpers (its pipe reader, a sleep) exit just after anvil: wait with a deadline.
      expect(await eventually(() => !pidAlive(pid)), 'anvil left running').toBe(true);
      expect(await eventually(() => processesMentioning(dataDir).length === 0), `still running: ${processesMentioning(dataDir)}`).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('startChainClient › a real deploy failure (an unfunded deployer key) also leaves no anvil', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-data-'));
    try {
      const logs: string[] = [];
      await expect(startChainClient({ dataDir, port: await freePort(), deployerKey: Wallet.createRandom().privateKey, log: (m) => logs.push(m) })).rejects.toThrow(/insufficient funds/i);
      const pid = Number(/started anvil \(pid (\d+)\)/.exec(logs.join('\n'))?.[1]);
      expect(pid).toBeGreaterThan(0);
      expect(await eventually(() => !pidAlive(pid)), 'anvil left running').toBe(true);
      expect(await eventually(() => processesMentioning(dataDir).length === 0), `still running: ${processesMentioning(dataDir)}`).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  it('startChainClient › two starts racing for one free port (two `npm start`s and 8545) each get an anvil of their own', { timeout: 180_000 }, async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'arbiter-data-')), mkdtempSync(join(tmpdir(), 'arbiter-data-'))];
    const port = await freePort();
    // Both may find the port free and start anvil on it; one anvil binds it. Before, the other start
    // took the winner's answer for its own anvil's, deployed to the winner's chain ("nonce has
    // already been used", or two deployments on one chain) and lost it when the winner stopped.
    const started = await Promise.allSettled(dirs.map((dataDir) => startChainClient({ dataDir, port })));
    const clients = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(started.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
      const [a, b] = clients;
      expect(a.url).not.toBe(b.url);
      expect([a.url, b.url]).toContain(`http://127.0.0.1:${port}`);
      for (const c of clients) expect(listensOn(c.anvil!.pid, c.anvil!.port), `${c.url} served by its own anvil`).toBe(true);
      // Stopping one leaves the other's chain up.
      await a.close();
      expect(await b.provider.getBlockNumber()).toBeGreaterThan(0);
    } finally {
      for (const c of clients) await c.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('startAnvil › of two anvils started on one port, the one that did not bind it fails instead of taking the other\'s answer', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const started = await Promise.allSettled([startAnvil({ port }), startAnvil({ port })]);
    const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(nodes).toHaveLength(1);
      expect(listensOn(nodes[0].pid, port)).toBe(true);
      const failure = started.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(String(failure.reason)).toMatch(/anvil exited|did not answer/);
    } finally {
      for (const n of nodes) await n.stop();
    }
  });
});
