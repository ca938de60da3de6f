// The governance timelock (contracts/src/Timelock.sol, issue 8 #11): the registrar schedules the
// calls only governance may make (appointing a level-2 arbitrator, approving the ERC-792 default
// model, paying an award to a claimant's named payout address); anyone runs them once the delay
// has passed. Every step reads the timelock first, so running any of them twice changes nothing.
import { Contract, ZeroHash, type Signer } from 'ethers';
import { loadArtifact } from './artifacts.js';
import { mined } from './mined.js';

/** Timelock.readyAt of an executed operation. */
const DONE = 1n;

export type GovernanceState = { state: 'unscheduled' } | { state: 'pending'; readyAt: bigint } | { state: 'done' };

function timelockAt(address: string, signer: Signer): Contract {
  return new Contract(address, loadArtifact('Timelock').abi, signer);
}

/** Where the call of `target` with `data` (under `salt`) stands in the timelock. */
export async function governanceState(signer: Signer, timelock: string, target: string, data: string, salt = ZeroHash): Promise<GovernanceState> {
  const t = timelockAt(timelock, signer);
  const id: string = await t.operationId(target, data, salt);
  const at = BigInt(await t.readyAt(id));
  if (at === 0n) return { state: 'unscheduled' };
  if (at === DONE) return { state: 'done' };
  return { state: 'pending', readyAt: at };
}

/**
 * One step of a governed call: schedules it when unscheduled, executes it when its delay has
 * passed (by the chain's latest block time). Returns the state after the step; 'pending' means
 * call again from `readyAt` on.
 */
export async function governStep(signer: Signer, timelock: string, target: string, data: string, salt = ZeroHash): Promise<GovernanceState> {
  const t = timelockAt(timelock, signer);
  let s = await governanceState(signer, timelock, target, data, salt);
  if (s.state === 'unscheduled') {
    await mined(await t.getFunction('schedule')(target, data, salt), signer.provider!);
    s = await governanceState(signer, timelock, target, data, salt);
  }
  if (s.state !== 'pending') return s;
  try {
    // The chain's clock decides (it may run ahead of the wall clock on a dev chain). A dry run
    // first: a refused send through a NonceManager would leave a nonce gap.
    await t.getFunction('execute').staticCall(target, data, salt);
    await mined(await t.getFunction('execute')(target, data, salt), signer.provider!);
  } catch (e) {
    // Still early (TooEarly), or executed meanwhile by someone else: read again.
    const again = await governanceState(signer, timelock, target, data, salt);
    const d = (e as { data?: string }).data;
    if (again.state === 'pending' && !(d && t.interface.parseError(d)?.name === 'TooEarly')) throw e;
    return again;
  }
  return { state: 'done' };
}

/** Schedules, waits out the delay (wall clock; a dev chain's short delay), and executes a governed call. */
export async function govern(signer: Signer, timelock: string, target: string, data: string, salt = ZeroHash, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await governStep(signer, timelock, target, data, salt);
    if (s.state === 'done') return;
    if (Date.now() > deadline) throw new Error(`governance call to ${target} still pending after ${timeoutMs} ms (ready at ${s.state === 'pending' ? s.readyAt : '?'})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
