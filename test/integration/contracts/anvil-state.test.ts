// The embedded chain's state file across a server that died. When the server ends, its anvil's
// watchdog stops anvil, which writes its --state file as it exits; a server started again at once
// used to start its anvil on that file meanwhile: it read an empty or cut file and refused to
// start, or the previous periodic dump, and went on from a chain seconds older than the database
// (cases left waiting for ever on batches the chain no longer had, seen in CI). A start now waits
// for any anvil still running on the file, and refuses to share it after a deadline.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anvilsOnState, startAnvil, type AnvilNode } from '../../../server/chain/anvil.js';
import { waitUntil } from '../../support/wait.js';

const dirs: string[] = [];
const nodes: AnvilNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const stateFileIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-anvil-state-'));
  dirs.push(dir);
  return join(dir, 'anvil-state.json');
};
const head = async (url: string) =>
  Number(((await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }) })).json()) as { result: string }).result);

const mine = (url: string, n: number) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_mine', params: [`0x${n.toString(16)}`] }) });

describe('chain › the state file of a server that died', { timeout: 120_000 }, () => {
  it('a start waits while an earlier anvil runs on the state file, and goes on from the block that anvil wrote at its exit', async () => {
    const stateFile = stateFileIn();
    // No periodic dump: the file holds this chain only once the anvil has exited.
    const first = await startAnvil({ stateFile });
    nodes.push(first);
    await mine(first.url, 300);
    const said: string[] = [];
    const second = startAnvil({ stateFile, log: (m) => said.push(m) });
    await waitUntil(() => said.some((m) => m.includes(`waiting for the earlier anvil (pid ${first.pid})`)), 'the second start to wait', 30_000);
    await nodes.pop()!.stop();
    const again = await second;
    nodes.push(again);
    expect(await head(again.url)).toBe(300);
  });

  it('a start right after the server was killed waits for its anvil and goes on from its last block', async () => {
    const stateFile = stateFileIn();
    for (let round = 0; round < 2; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/anvil-state-child.ts', stateFile], { stdio: ['ignore', 'pipe', 'inherit'] });
      let last = 0;
      child.stdout.on('data', (d: Buffer) => {
        const line = d.toString().trim().split('\n').pop();
        if (line) last = Number(line);
      });
      const exited = new Promise((r) => child.once('exit', r));
      // Long enough for a periodic dump (every 5 s) to be older than the chain's head.
      await waitUntil(() => last >= (round + 1) * 400, `the child's anvil to mine past ${(round + 1) * 400}`, 60_000);
      child.kill('SIGKILL');
      await exited;
      const said: string[] = [];
      const again = await startAnvil({ stateFile, stateIntervalSeconds: 5, log: (m) => said.push(m) });
      nodes.push(again);
      // Every block the dead server's anvil had mined is there.
      expect(await head(again.url), `round ${round}; ${said.join('; ')}`).toBeGreaterThanOrEqual(last);
      await nodes.pop()!.stop();
    }
  });

  it('refuses to run a second anvil on a state file another one runs on, once its wait is over', async () => {
    const stateFile = stateFileIn();
    const first = await startAnvil({ stateFile });
    nodes.push(first);
    expect(anvilsOnState(stateFile)).toEqual([first.pid]);
    const said: string[] = [];
    await expect(startAnvil({ stateFile, previousExitTimeoutMs: 1000, log: (m) => said.push(m) })).rejects.toThrow(new RegExp(`anvil \\(pid ${first.pid}\\) still runs on .*anvil-state.json`));
    expect(said.join('\n')).toMatch(/waiting for the earlier anvil/);
    // Once it is gone, a start goes ahead.
    await nodes.pop()!.stop();
    expect(anvilsOnState(stateFile)).toEqual([]);
    nodes.push(await startAnvil({ stateFile }));
  });
});
