// ArbiterEscrow's invariant under random call sequences (fast-check, fixed seed): after every
// call, successful or not, the contract's balance equals what it owes (held pots + credits +
// respondents' accounts), and no account has more reserved than it holds.
// The owner is an ordinary account here so the sequence can drive every owner function.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseEther, id as utf8Id, type Contract } from 'ethers';
import { deployTestContract, startChain, type ChainFixture } from './chain-fixture.js';
import { sendTx } from './arbiter-scenario.js';

let fx: ChainFixture;
let escrow: Contract;
let payees: string[];

beforeAll(async () => {
  fx = await startChain();
  escrow = await deployTestContract('ArbiterEscrow', fx.wallets[0], [fx.addresses[0]]);
  const refuser = await deployTestContract('ReentrantReceiver', fx.wallets[0]);
  await sendTx(refuser, fx.wallets[0], 'configure', [await escrow.getAddress(), true]);
  const reenterer = await deployTestContract('ReentrantReceiver', fx.wallets[0]);
  await sendTx(reenterer, fx.wallets[0], 'configure', [await escrow.getAddress(), false]);
  payees = [fx.addresses[1], fx.addresses[2], await refuser.getAddress(), await reenterer.getAddress()];
});
afterAll(async () => fx?.stop());

const POTS = [0, 1, 2].map((i) => utf8Id(`pot-${i}`));
const amount = fc.bigInt({ min: 0n, max: parseEther('0.02') });
const op = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), pot: fc.nat(2), value: amount }),
  fc.record({ kind: fc.constant('pay' as const), pot: fc.nat(2), payee: fc.nat(3), value: amount }),
  fc.record({ kind: fc.constant('creditTo' as const), pot: fc.nat(2), payee: fc.nat(3), value: amount }),
  fc.record({ kind: fc.constant('move' as const), pot: fc.nat(2), to: fc.nat(2), value: amount }),
  fc.record({ kind: fc.constant('withdraw' as const), payee: fc.nat(1) }),
  fc.record({ kind: fc.constant('strangerPays' as const), pot: fc.nat(2), value: amount }),
  fc.record({ kind: fc.constant('depositFor' as const), payee: fc.nat(1), value: amount }),
  fc.record({ kind: fc.constant('withdrawAccount' as const), payee: fc.nat(1), value: amount }),
  fc.record({ kind: fc.constant('reserve' as const), payee: fc.nat(1), value: amount }),
  fc.record({ kind: fc.constant('release' as const), payee: fc.nat(1), pot: fc.nat(2), value: amount, drawn: amount }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

async function apply(o: Op): Promise<void> {
  const owner = fx.wallets[0];
  try {
    if (o.kind === 'deposit') await sendTx(escrow, owner, 'deposit', [POTS[o.pot], fx.addresses[0]], o.value);
    else if (o.kind === 'pay') await sendTx(escrow, owner, 'pay', [POTS[o.pot], payees[o.payee], o.value]);
    else if (o.kind === 'creditTo') await sendTx(escrow, owner, 'creditTo', [POTS[o.pot], payees[o.payee], o.value]);
    else if (o.kind === 'move') await sendTx(escrow, owner, 'move', [POTS[o.pot], POTS[o.to], o.value]);
    else if (o.kind === 'withdraw') await sendTx(escrow, fx.wallets[1 + o.payee], 'withdraw()', []);
    else if (o.kind === 'depositFor') await sendTx(escrow, fx.wallets[5], 'depositFor', [fx.addresses[1 + o.payee]], o.value);
    else if (o.kind === 'withdrawAccount') await sendTx(escrow, fx.wallets[1 + o.payee], 'withdraw(uint256)', [o.value]);
    else if (o.kind === 'reserve') await sendTx(escrow, owner, 'reserve', [fx.addresses[1 + o.payee], o.value]);
    else if (o.kind === 'release') await sendTx(escrow, owner, 'release', [fx.addresses[1 + o.payee], o.value, POTS[o.pot], o.drawn]);
    else await sendTx(escrow, fx.wallets[5], 'pay', [POTS[o.pot], fx.addresses[5], o.value]);
  } catch {
    // Reverts are part of the sequence (overdrawn pots, nothing to withdraw, strangers).
  }
}

describe('ArbiterEscrow › invariant', () => {
  it('balance › always equals held pots plus credits plus accounts, whatever the call sequence', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const addr = await escrow.getAddress();
        for (const o of ops) {
          await apply(o);
          const [bal, owed, held, credit] = await Promise.all([
            fx.provider.getBalance(addr),
            escrow.owed(),
            Promise.all(POTS.map((p) => escrow.held(p) as Promise<bigint>)),
            Promise.all(payees.map((p) => escrow.credit(p) as Promise<bigint>)),
          ]);
          expect(bal).toBe(owed);
          const accounts = await Promise.all([1, 2].map(async (i) => [(await escrow.balanceOf(fx.addresses[i])) as bigint, (await escrow.reservedOf(fx.addresses[i])) as bigint]));
          for (const [b, r] of accounts) expect(r).toBeLessThanOrEqual(b);
          expect(await escrow.totalAccounts()).toBe(accounts.reduce((a, [b]) => a + b, 0n));
          expect(await escrow.totalHeld()).toBe(held.reduce((a, b) => a + b, 0n));
          expect(await escrow.totalCredit()).toBe(credit.reduce((a, b) => a + b, 0n) + (await escrow.credit(fx.addresses[5])));
        }
      }),
      { seed: 261_2026, numRuns: 25 },
    );
  });

  it('pay › reverts for anyone but the owner', async () => {
    await expect(sendTx(escrow, fx.wallets[5], 'creditTo', [POTS[0], fx.addresses[5], 0n])).rejects.toThrow(/Unauthorized|revert/);
  });
});
