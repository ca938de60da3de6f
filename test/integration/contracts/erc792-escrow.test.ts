// An outside ERC-792 arbitrable names Arbiter (ArbitratorFront) as its arbitrator (issue 8 #8): a
// multi-transaction escrow written here in the style of Kleros' example Escrow.sol
// (kleros/erc-792), compiled in the test from its own copy of the ERC-792 interfaces (nothing of
// ours imported), deployed on anvil. It drives both rulings, an appeal at each level, the
// refusal ruling (0), and the timeouts, and checks every IArbitrator view an arbitrable relies
// on along the way: arbitrationCost on a fresh deployment, currentRuling during the appeal
// window, disputeStatus Solved once no appeal is possible, the choices and the ruling mapping.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbiCoder, ContractFactory, MaxUint256, id as utf8Id, type Contract, type NonceManager } from 'ethers';
import { claimProof } from '../../../server/chain/batch-claims.js';
import { BatchStatus, CaseStatus, DisputeState, type ArbiterContracts } from '../../../server/chain/contracts.js';
import { bytesToHex } from '../../../server/inference/hex.js';
import { stateHash } from '../../../server/inference/trace-root.js';
import type { Claim } from '../../../server/inference/claim-commitment.js';
import { increaseTime, startChain, type ChainFixture } from './chain-fixture.js';
import { CASE_FEE, CLAIMANT_CLASSES, MODEL_ID, claimTuple, commitReveal, governed, partyTrace, sealBatch, sendTx, setupModel } from './arbiter-scenario.js';
import { honestTrace, testInput } from './test-model.js';

const ESCROW_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

interface IArbitrator {
    enum DisputeStatus { Waiting, Appealable, Solved }
    function createDispute(uint256 _choices, bytes calldata _extraData) external payable returns (uint256 disputeID);
    function arbitrationCost(bytes calldata _extraData) external view returns (uint256 cost);
    function appeal(uint256 _disputeID, bytes calldata _extraData) external payable;
    function appealCost(uint256 _disputeID, bytes calldata _extraData) external view returns (uint256 cost);
    function appealPeriod(uint256 _disputeID) external view returns (uint256 start, uint256 end);
    function disputeStatus(uint256 _disputeID) external view returns (DisputeStatus status);
    function currentRuling(uint256 _disputeID) external view returns (uint256 ruling);
}

interface IArbitrable {
    event Ruling(IArbitrator indexed _arbitrator, uint256 indexed _disputeID, uint256 _ruling);
    function rule(uint256 _disputeID, uint256 _ruling) external;
}

/// A payer locks ether for a payee. The payer may release it; the payee may take it after the
/// reclamation period. Within it the payer may reclaim it by paying the arbitration fee; the
/// payee then has the fee deposit period to pay its own fee, which raises the dispute, or the
/// payer takes everything back. The arbitrator's ruling: 1 the payer wins, 2 the payee, 0
/// refused (split). Either party may appeal, paying the appeal cost.
contract Escrow is IArbitrable {
    enum Status { Initial, Reclaimed, Disputed, Resolved }
    enum RulingOptions { RefusedToArbitrate, PayerWins, PayeeWins }
    uint256 public constant numberOfRulingOptions = 2;

    struct Transaction {
        address payable payer;
        address payable payee;
        IArbitrator arbitrator;
        Status status;
        uint256 value; // the locked amount plus the payer's arbitration fee once reclaimed
        uint256 disputeID;
        uint256 createdAt;
        uint256 reclaimedAt;
        uint256 reclamationPeriod;
        uint256 feeDepositPeriod;
        bytes extraData;
    }

    Transaction[] public transactions;
    mapping(uint256 disputeID => uint256 txIDPlusOne) public disputeTransaction;

    error InvalidStatus();
    error ReleasedTooEarly();
    error NotPayer();
    error NotParty();
    error NotArbitrator();
    error PayeeDepositStillPending();
    error ReclaimedTooLate();
    error InsufficientPayment(uint256 available, uint256 required);
    error InvalidRuling(uint256 ruling, uint256 numberOfChoices);

    event TransactionCreated(uint256 indexed txID, address payer, address payee, uint256 value);
    event Resolved(uint256 indexed txID, uint256 toPayer, uint256 toPayee);

    receive() external payable {} // fees an arbitrator refunds

    function newTransaction(address payable payee, IArbitrator arbitrator, bytes calldata extraData, uint256 reclamationPeriod, uint256 feeDepositPeriod)
        external payable returns (uint256 txID)
    {
        txID = transactions.length;
        Transaction storage t = transactions.push();
        t.payer = payable(msg.sender);
        t.payee = payee;
        t.arbitrator = arbitrator;
        t.value = msg.value;
        t.createdAt = block.timestamp;
        t.reclamationPeriod = reclamationPeriod;
        t.feeDepositPeriod = feeDepositPeriod;
        t.extraData = extraData;
        emit TransactionCreated(txID, msg.sender, payee, msg.value);
    }

    function releaseFunds(uint256 txID) external {
        Transaction storage t = transactions[txID];
        if (t.status != Status.Initial) revert InvalidStatus();
        if (msg.sender != t.payer && block.timestamp - t.createdAt <= t.reclamationPeriod) revert ReleasedTooEarly();
        _resolve(txID, 0, t.value);
    }

    function reclaimFunds(uint256 txID) external payable {
        Transaction storage t = transactions[txID];
        if (t.status != Status.Initial && t.status != Status.Reclaimed) revert InvalidStatus();
        if (msg.sender != t.payer) revert NotPayer();
        if (t.status == Status.Reclaimed) {
            if (block.timestamp - t.reclaimedAt <= t.feeDepositPeriod) revert PayeeDepositStillPending();
            _resolve(txID, t.value, 0);
        } else {
            if (block.timestamp - t.createdAt > t.reclamationPeriod) revert ReclaimedTooLate();
            uint256 required = t.arbitrator.arbitrationCost(t.extraData);
            if (msg.value < required) revert InsufficientPayment(msg.value, required);
            t.value += msg.value;
            t.reclaimedAt = block.timestamp;
            t.status = Status.Reclaimed;
        }
    }

    function depositArbitrationFeeForPayee(uint256 txID) external payable {
        Transaction storage t = transactions[txID];
        if (t.status != Status.Reclaimed) revert InvalidStatus();
        t.disputeID = t.arbitrator.createDispute{value: msg.value}(numberOfRulingOptions, t.extraData);
        disputeTransaction[t.disputeID] = txID + 1;
        t.status = Status.Disputed;
    }

    function appeal(uint256 txID) external payable {
        Transaction storage t = transactions[txID];
        if (t.status != Status.Disputed) revert InvalidStatus();
        if (msg.sender != t.payer && msg.sender != t.payee) revert NotParty();
        uint256 cost = t.arbitrator.appealCost(t.disputeID, t.extraData);
        if (msg.value < cost) revert InsufficientPayment(msg.value, cost);
        t.arbitrator.appeal{value: cost}(t.disputeID, t.extraData);
        if (msg.value > cost) payable(msg.sender).transfer(msg.value - cost);
    }

    function rule(uint256 disputeID, uint256 ruling) external override {
        uint256 txID = disputeTransaction[disputeID] - 1;
        Transaction storage t = transactions[txID];
        if (msg.sender != address(t.arbitrator)) revert NotArbitrator();
        if (t.status != Status.Disputed) revert InvalidStatus();
        if (ruling > numberOfRulingOptions) revert InvalidRuling(ruling, numberOfRulingOptions);
        emit Ruling(t.arbitrator, disputeID, ruling);
        if (ruling == uint256(RulingOptions.PayerWins)) _resolve(txID, t.value, 0);
        else if (ruling == uint256(RulingOptions.PayeeWins)) _resolve(txID, 0, t.value);
        else _resolve(txID, t.value / 2, t.value - t.value / 2);
    }

    function statusOf(uint256 txID) external view returns (Status) {
        return transactions[txID].status;
    }

    function _resolve(uint256 txID, uint256 toPayer, uint256 toPayee) private {
        Transaction storage t = transactions[txID];
        t.status = Status.Resolved;
        t.value = 0;
        emit Resolved(txID, toPayer, toPayee);
        if (toPayer > 0) t.payer.transfer(toPayer);
        if (toPayee > 0) t.payee.transfer(toPayee);
    }
}
`;

const EscrowStatus = { Initial: 0, Reclaimed: 1, Disputed: 2, Resolved: 3 } as const;
const Ruling = { Refused: 0n, PayerWins: 1n, PayeeWins: 2n } as const;
const Status = { Waiting: 0, Appealable: 1, Solved: 2 } as const;
const WINDOW = 600;
const INPUT_WINDOW = 5_000;
const ARBITRATOR_WINDOW = 7_000;
const RECLAIM = 1_000;
const FEE_PERIOD = 1_000;
const VALUE = 10n ** 17n;
const BOND1 = 5n * 10n ** 16n;
const BOND2 = 2n * 10n ** 17n;

function compileEscrow(): { abi: unknown[]; bytecode: string } {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: { 'Escrow.sol': { content: ESCROW_SOURCE } },
    settings: { evmVersion: 'osaka', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { Escrow: ['abi', 'evm.bytecode.object'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'));
  const c = out.contracts['Escrow.sol'].Escrow;
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}

let fx: ChainFixture;
let c: ArbiterContracts;
let escrow: Contract;
let registrar: NonceManager;
let payer: NonceManager;
let payee: NonceManager;
let keeper: NonceManager;
let nodes: NonceManager[];
let front: string;

const claimantWins = (output: bigint) => ((CLAIMANT_CLASSES >> output) & 1n) === 1n;
/** The first test inputs (by seed) whose honest output is a claimant class, and a respondent class. */
const seeds = { claimant: [] as number[], respondent: [] as number[] };
for (let s = 7000; seeds.claimant.length < 4 || seeds.respondent.length < 4; s++) {
  const out = honestTrace(testInput(s)).at(-1)!.data[0];
  (claimantWins(out) ? seeds.claimant : seeds.respondent).push(s);
}
let inputSeq = 0;
const nextInput = (side: 'claimant' | 'respondent') => testInput(seeds[side][inputSeq++ % 4]);

const balance = (a: string) => fx.provider.getBalance(a);
const encode = (types: string[], values: unknown[]) => AbiCoder.defaultAbiCoder().encode(types, values);

async function revertName(p: Promise<unknown>, on: Contract): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    const data = (e as { data?: string }).data;
    if (!data) return undefined;
    for (const i of [on.interface, c.front.interface, c.arbitration.interface, escrow.interface]) {
      const parsed = i.parseError(data);
      if (parsed) return parsed.name;
    }
    return undefined;
  }
  throw new Error('expected a revert');
}

beforeAll(async () => {
  fx = await startChain({
    deploy: true,
    config: { committeeSize: 3, appealCommitteeSize: 3, challengeWindow: WINDOW, inputWindow: INPUT_WINDOW, arbitratorWindow: ARBITRATOR_WINDOW },
  });
  c = fx.c!;
  registrar = fx.wallets[0];
  nodes = [fx.wallets[1], fx.wallets[2], fx.wallets[3]];
  payer = fx.wallets[5];
  payee = fx.wallets[6];
  keeper = fx.wallets[7];
  front = await c.front.getAddress();
  const { abi, bytecode } = compileEscrow();
  const deployed = await new ContractFactory(abi as never, bytecode, fx.wallets[9]).deploy();
  await deployed.waitForDeployment();
  escrow = deployed as unknown as Contract;
  await setupModel(c, fx.wallets[4], nodes);
}, 180_000);
afterAll(async () => fx?.stop());

let txCount = 0n;
/** A new escrow transaction of VALUE from the payer to the payee; returns its id. */
async function newTransaction(extraData = '0x'): Promise<bigint> {
  await sendTx(escrow, payer, 'newTransaction', [fx.addresses[6], front, extraData, RECLAIM, FEE_PERIOD], VALUE);
  return txCount++;
}

/** A transaction of VALUE the payer reclaims (paying the fee) and the payee disputes (paying its own). */
async function disputed(extraData = '0x'): Promise<{ txId: bigint; disputeId: bigint }> {
  const txId = await newTransaction(extraData);
  const fee: bigint = await c.front.arbitrationCost(extraData);
  await sendTx(escrow, payer, 'reclaimFunds', [txId], fee);
  await sendTx(escrow, payee, 'depositArbitrationFeeForPayee', [txId], fee + 1234n); // the excess comes back
  const disputeId: bigint = (await escrow.transactions(txId)).disputeID;
  expect(await c.front.disputeCount()).toBe(disputeId + 1n);
  expect(Number(await escrow.statusOf(txId))).toBe(EscrowStatus.Disputed);
  return { txId, disputeId };
}

/** The committee runs the dispute's case in its current batch on `input` (honest, unanimous); returns the agreed claim. */
async function runCommittee(disputeId: bigint, input: ReturnType<typeof testInput>): Promise<{ claim: Claim; batchId: bigint }> {
  const caseId: string = await c.front.disputeCase(disputeId);
  const batchId: bigint = (await c.arbitration.cases(caseId)).batchId;
  await sealBatch(c, registrar, batchId); // the registrar may seal at any time
  const claim = partyTrace(caseId, bytesToHex(stateHash(0, input)), honestTrace(input)).claim;
  await commitReveal(c, batchId, nodes.map((node) => ({ node, claims: [claim] })));
  expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Proposed);
  return { claim, batchId };
}

const show = (disputeId: bigint, claim: Claim) => sendTx(c.front, keeper, 'showRuling', [disputeId, claimTuple(claim), claimProof([claim], 0)]);
const bind = (disputeId: bigint, input: ReturnType<typeof testInput>) => sendTx(c.front, registrar, 'bindInput', [disputeId, bytesToHex(stateHash(0, input))]);

describe('ERC-792 escrow › a fresh deployment', () => {
  it('arbitrationCost › quotes an unpayable cost instead of reverting while no default model is approved; createDispute refuses', async () => {
    expect(await c.front.defaultModel()).toBe(`0x${'0'.repeat(64)}`);
    expect(await c.front.arbitrationCost('0x')).toBe(MaxUint256);
    expect(await c.front.arbitrationCost(utf8Id('no such model'))).toBe(MaxUint256);
    expect(await c.front.arbitrationCost(MODEL_ID)).toBe(CASE_FEE);
    const txId = await newTransaction();
    // The escrow asks the arbitrator what reclaiming costs: nothing payable yet.
    expect(await revertName(sendTx(escrow, payer, 'reclaimFunds', [txId], CASE_FEE), escrow)).toBe('InsufficientPayment');
    expect(await revertName(sendTx(c.front, keeper, 'createDispute', [2, '0x'], CASE_FEE), c.front)).toBe('UnknownModel');
    // The registrar alone cannot approve the default: governance (the timelock) does.
    expect(await revertName(sendTx(c.front, registrar, 'setDefaultModel', [MODEL_ID, fx.addresses[4]]), c.front)).toBe('Unauthorized');
    await governed(c, registrar, c.front, 'setDefaultModel', [MODEL_ID, fx.addresses[4]]);
    expect(await c.front.arbitrationCost('0x')).toBe(CASE_FEE);
    // Escrow timeout: the payer never reclaimed, so the payee takes the money after the period.
    expect(await revertName(sendTx(escrow, payee, 'releaseFunds', [txId]), escrow)).toBe('ReleasedTooEarly');
    await increaseTime(fx.provider, RECLAIM + 1);
    const before = await balance(fx.addresses[6]);
    const r = await sendTx(escrow, payee, 'releaseFunds', [txId]);
    expect(await balance(fx.addresses[6])).toBe(before + VALUE - r.gasUsed * r.gasPrice);
  });
});

describe('ERC-792 escrow › rulings', () => {
  it('payer wins (ruling 1): the proposed ruling shows in the window, the dispute is Solved after it before anyone settles, and is executed from its id alone', async () => {
    const { txId, disputeId } = await disputed();
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Waiting);
    expect(await c.front.currentRuling(disputeId)).toBe(0n);
    const input = nextInput('claimant');
    // The record: the payer claims its money back (claimant → ruling 1, the default mapping).
    await bind(disputeId, input);
    const { claim, batchId } = await runCommittee(disputeId, input);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Appealable);
    const { windowEnd } = await c.arbitration.batches(batchId);
    expect(await c.front.appealPeriod(disputeId)).toEqual([windowEnd - BigInt(WINDOW), windowEnd]);
    // Nobody can show a claim the committee did not agree on.
    const forged = { ...claim, output: claim.output ^ 1n };
    expect(await revertName(show(disputeId, forged), c.front)).toBe('BadProof');
    await show(disputeId, claim);
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.PayerWins);
    expect(await revertName(sendTx(c.front, keeper, 'deliverRuling', [disputeId]), c.front)).toBe('WrongCaseStatus');
    await increaseTime(fx.provider, WINDOW + 1);
    // No appeal is possible any more: Solved, though the batch is neither final nor settled.
    expect(Number((await c.arbitration.batches(batchId)).status)).toBe(BatchStatus.Proposed);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Solved);
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.PayerWins);
    expect(await revertName(sendTx(escrow, payer, 'appeal', [txId], BOND1), escrow)).toBe('WrongBatchStatus');
    const before = await balance(fx.addresses[5]);
    const held = (await escrow.transactions(txId)).value;
    await sendTx(c.front, keeper, 'deliverRuling', [disputeId]);
    expect(Number(await escrow.statusOf(txId))).toBe(EscrowStatus.Resolved);
    expect(await balance(fx.addresses[5])).toBe(before + held);
    // The batch's settlement later delivers nothing more.
    const settled = await sendTx(c.arbitration, keeper, 'settle', [batchId, [claimTuple(claim)], ['0x']]);
    expect(settled.logs.some((l) => l.address.toLowerCase() === front.toLowerCase() && c.front.interface.parseLog(l)?.name === 'RulingDelivered')).toBe(false);
    expect(await c.front.rulingPending(disputeId)).toBe(false);
    expect(Number((await c.front.disputes(disputeId)).state)).toBe(DisputeState.Ruled);
  });

  it('payee wins (ruling 2) through an appeal at each level: the record maps the claimant to the payee; a timelock-appointed arbitrator rules last', async () => {
    const { txId, disputeId } = await disputed();
    const input = nextInput('claimant');
    // The record names the payee as the claimant: its rulings are { claimant: 2, respondent: 1 }.
    expect(await revertName(sendTx(c.front, registrar, 'bindInputRulings', [disputeId, bytesToHex(stateHash(0, input)), 3, 1]), c.front)).toBe('BadRulings');
    expect(await revertName(sendTx(c.front, registrar, 'bindInputRulings', [disputeId, bytesToHex(stateHash(0, input)), 0, 1]), c.front)).toBe('BadRulings');
    await sendTx(c.front, registrar, 'bindInputRulings', [disputeId, bytesToHex(stateHash(0, input)), 2, 1]);
    const first = await runCommittee(disputeId, input);
    await show(disputeId, first.claim);
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.PayeeWins);
    // Level 1: the payer appeals through the escrow; the case re-runs in a fresh batch.
    expect(await c.front.appealCost(disputeId, '0x')).toBe(BOND1);
    await sendTx(escrow, payer, 'appeal', [txId], BOND1);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Waiting);
    expect(await c.front.currentRuling(disputeId)).toBe(0n); // nothing proposed in the new batch yet
    const second = await runCommittee(disputeId, input);
    expect(second.batchId).not.toBe(first.batchId);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Appealable);
    await show(disputeId, second.claim);
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.PayeeWins);
    // Level 2, the last: overpaid, the excess comes back through the escrow.
    expect(await c.front.appealCost(disputeId, '0x')).toBe(BOND2);
    await sendTx(escrow, payer, 'appeal', [txId], BOND2 + 777n);
    const caseId: string = await c.front.disputeCase(disputeId);
    expect(Number((await c.arbitration.cases(caseId)).status)).toBe(CaseStatus.AwaitingArbitrator);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Waiting);
    expect(await c.front.appealCost(disputeId, '0x')).toBe(MaxUint256);
    expect(await c.front.appealPeriod(disputeId)).toEqual([0n, 0n]);
    expect(await revertName(sendTx(c.front, keeper, 'deliverRuling', [disputeId]), c.front)).toBe('WrongCaseStatus');
    // The arbitrator is appointed through the governance timelock only, and rules a class the model has.
    const arbitrator = fx.wallets[8];
    expect(await revertName(sendTx(c.arbitration, registrar, 'setArbitrator', [fx.addresses[8], true]), c.arbitration)).toBe('Unauthorized');
    await governed(c, registrar, c.arbitration, 'setArbitrator', [fx.addresses[8], true]);
    expect(await revertName(sendTx(c.arbitration, arbitrator, 'arbitratorRule', [caseId, 0xffff, utf8Id('reason'), '0x']), c.arbitration)).toBe('OutputOutOfRange');
    const before = await balance(fx.addresses[6]);
    const held = (await escrow.transactions(txId)).value;
    await sendTx(c.arbitration, arbitrator, 'arbitratorRule', [caseId, 1, utf8Id('the goods were delivered'), '0x']); // class 1: the claimant (payee)
    expect(Number(await escrow.statusOf(txId))).toBe(EscrowStatus.Resolved);
    expect(await balance(fx.addresses[6])).toBe(before + held);
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.PayeeWins);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Solved);
  });

  it('choices and a mapping the arbitrable pins in extraData: fewer than two choices are refused; the registrar cannot bind another mapping', async () => {
    expect(await revertName(sendTx(c.front, keeper, 'createDispute', [1, '0x'], CASE_FEE), c.front)).toBe('BadChoices');
    expect(await revertName(sendTx(c.front, keeper, 'createDispute', [2, encode(['bytes32', 'uint256', 'uint256'], [MODEL_ID, 3, 1])], CASE_FEE), c.front)).toBe('BadRulings');
    // This escrow's transaction pins: claimant (the payee) → 2, respondent (the payer) → 1.
    const pinned = encode(['bytes32', 'uint256', 'uint256'], [MODEL_ID, 2, 1]);
    expect(await c.front.arbitrationCost(pinned)).toBe(CASE_FEE);
    const { txId, disputeId } = await disputed(pinned);
    const input = nextInput('respondent');
    const s0 = bytesToHex(stateHash(0, input));
    expect(await revertName(sendTx(c.front, registrar, 'bindInputRulings', [disputeId, s0, 1, 2]), c.front)).toBe('BadRulings');
    await bind(disputeId, input); // the pinned mapping
    const { claim, batchId } = await runCommittee(disputeId, input);
    await show(disputeId, claim);
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.PayerWins); // the respondent prevails
    await increaseTime(fx.provider, WINDOW + 1);
    const before = await balance(fx.addresses[5]);
    const held = (await escrow.transactions(txId)).value;
    // Delivered by the batch's settlement this time (nobody called deliverRuling).
    await sendTx(c.arbitration, keeper, 'settle', [batchId, [claimTuple(claim)], ['0x']]);
    expect(await balance(fx.addresses[5])).toBe(before + held);
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.PayerWins);
  });
});

describe('ERC-792 escrow › refusal and timeouts', () => {
  it('refusal (ruling 0): an input never bound is refused after the input window, the fee comes back and the escrow splits', async () => {
    const { txId, disputeId } = await disputed();
    expect(await revertName(sendTx(c.front, keeper, 'refuseUnbound', [disputeId]), c.front)).toBe('TooEarly');
    await increaseTime(fx.provider, INPUT_WINDOW + 1);
    const held = (await escrow.transactions(txId)).value;
    const payerBefore = await balance(fx.addresses[5]);
    const payeeBefore = await balance(fx.addresses[6]);
    const escrowBefore = await balance(await escrow.getAddress());
    await sendTx(c.front, keeper, 'refuseUnbound', [disputeId]);
    expect(Number(await escrow.statusOf(txId))).toBe(EscrowStatus.Resolved);
    expect(await balance(fx.addresses[5])).toBe(payerBefore + held / 2n);
    expect(await balance(fx.addresses[6])).toBe(payeeBefore + held - held / 2n);
    expect(await balance(await escrow.getAddress())).toBe(escrowBefore - held + CASE_FEE); // the fee refunded
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.Refused);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Solved);
  });

  it('refusal (ruling 0): a level-2 appeal no arbitrator takes is refused after the arbitrator window', async () => {
    // No arbitrator may take it: the registrar removes the one appointed (removal needs no timelock).
    await sendTx(c.arbitration, registrar, 'setArbitrator', [fx.addresses[8], false]);
    const { txId, disputeId } = await disputed();
    const input = nextInput('respondent');
    await bind(disputeId, input);
    await runCommittee(disputeId, input);
    await sendTx(escrow, payee, 'appeal', [txId], BOND1);
    await runCommittee(disputeId, input);
    await sendTx(escrow, payee, 'appeal', [txId], BOND2);
    const caseId: string = await c.front.disputeCase(disputeId);
    expect(await revertName(sendTx(c.arbitration, keeper, 'refuseCase', [caseId]), c.arbitration)).toBe('TooEarly');
    await increaseTime(fx.provider, ARBITRATOR_WINDOW + 1);
    const held = (await escrow.transactions(txId)).value;
    const payerBefore = await balance(fx.addresses[5]);
    const escrowBefore = await balance(await escrow.getAddress());
    await sendTx(c.arbitration, keeper, 'refuseCase', [caseId]);
    expect(Number(await escrow.statusOf(txId))).toBe(EscrowStatus.Resolved);
    expect(await balance(fx.addresses[5])).toBe(payerBefore + held / 2n);
    // The level-2 bond nobody earned goes back through the front to the arbitrable that paid it.
    expect(await balance(await escrow.getAddress())).toBe(escrowBefore - held + BOND2);
    expect(await c.escrow.credit(front)).toBe(0n);
    expect(await balance(front)).toBe(0n);
    expect(await c.front.currentRuling(disputeId)).toBe(Ruling.Refused);
    expect(Number(await c.front.disputeStatus(disputeId))).toBe(Status.Solved);
  });

  it('timeout: a payee that never pays its fee loses; the payer takes everything back after the deposit period', async () => {
    const txId = await newTransaction();
    await sendTx(escrow, payer, 'reclaimFunds', [txId], CASE_FEE);
    expect(await revertName(sendTx(escrow, payer, 'reclaimFunds', [txId]), escrow)).toBe('PayeeDepositStillPending');
    await increaseTime(fx.provider, FEE_PERIOD + 1);
    const count: bigint = await c.front.disputeCount();
    const before = await balance(fx.addresses[5]);
    const r = await sendTx(escrow, payer, 'reclaimFunds', [txId]);
    expect(await balance(fx.addresses[5])).toBe(before + VALUE + CASE_FEE - r.gasUsed * r.gasPrice);
    expect(await c.front.disputeCount()).toBe(count); // no dispute was ever raised
    expect(await revertName(c.front.disputeStatus(count), c.front)).toBe('UnknownDispute');
  });
});

describe('ERC-792 escrow › an arbitrable without code', () => {
  it('createDispute from an account without code: its case settles in the same batch as the escrow\'s, and neither blocks the other', async () => {
    const { txId, disputeId } = await disputed();
    await sendTx(c.front, keeper, 'createDispute', [2, MODEL_ID], CASE_FEE);
    const bare: bigint = (await c.front.disputeCount()) - 1n;
    expect((await c.front.disputes(bare)).arbitrable).toBe(fx.addresses[7]);
    const inputs = [nextInput('claimant'), nextInput('respondent')];
    await bind(disputeId, inputs[0]);
    await bind(bare, inputs[1]);
    const caseIds: string[] = [await c.front.disputeCase(disputeId), await c.front.disputeCase(bare)];
    const batchId: bigint = (await c.arbitration.cases(caseIds[0])).batchId;
    expect((await c.arbitration.cases(caseIds[1])).batchId).toBe(batchId);
    await sealBatch(c, registrar, batchId);
    const claims = caseIds.map((id, i) => partyTrace(id, bytesToHex(stateHash(0, inputs[i])), honestTrace(inputs[i])).claim);
    await commitReveal(c, batchId, nodes.map((node) => ({ node, claims })));
    await increaseTime(fx.provider, WINDOW + 1);
    const payerBefore = await balance(fx.addresses[5]);
    const held = (await escrow.transactions(txId)).value;
    await sendTx(c.arbitration, keeper, 'settle', [batchId, claims.map(claimTuple), ['0x', '0x']]);
    expect(Number((await c.arbitration.cases(caseIds[0])).status)).toBe(CaseStatus.Settled);
    expect(Number((await c.arbitration.cases(caseIds[1])).status)).toBe(CaseStatus.Settled);
    expect(await balance(fx.addresses[5])).toBe(payerBefore + held); // the escrow's ruling 1 executed
    expect(Number((await c.front.disputes(bare)).state)).toBe(DisputeState.Ruled);
    expect(await c.front.currentRuling(bare)).toBe(Ruling.PayeeWins); // respondent class → 2
  });
});
