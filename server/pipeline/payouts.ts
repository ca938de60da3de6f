// A claimant who filed without a wallet names a payout address once the award waits in escrow
// (DESIGN.md "The flow of one case", step 7): the registrar relays it on chain (claimAward, through
// the governance timelock: scheduled, paid once its delay has passed, contracts/README.md) and
// the indexer marks the case paid. Only the case's claimant may name it, once; the award never
// returns to the respondent by default.
import { getAddress, isAddress, ZeroAddress } from 'ethers';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { chainEvents } from '../db/schema.js';
import type { Principal } from '../auth/principal.js';
import { assertCanRead } from '../cases/access.js';
import { Problem } from '../errors.js';
import type { Queues } from '../queues/queues.js';
import { JOB_DEFAULTS, jobIds, PIPELINE_QUEUE } from './jobs.js';
import { createPipelineStore } from './store.js';

export function createPayoutService(deps: { db: Db; queues: Queues }) {
  const store = createPipelineStore(deps.db);
  return {
    async namePayoutAddress(caseId: string, principal: Principal, address: string) {
      const row = store.caseRow(caseId);
      assertCanRead(principal, row ? { id: row.id, merchantId: row.merchantId } : undefined, caseId);
      if (principal.kind !== 'claimant') throw new Problem('forbidden', 'Only the claimant names the payout address');
      if (!isAddress(address) || getAddress(address) === ZeroAddress) {
        throw Problem.validation([{ pointer: '/address', message: 'must be a non-zero Ethereum address (0x and 40 hex digits)' }]);
      }
      const p = store.byCase(caseId);
      const resolved = p
        ? deps.db
            .select()
            .from(chainEvents)
            .where(and(eq(chainEvents.chainCaseId, p.chainCaseId), eq(chainEvents.name, 'Resolved'), eq(chainEvents.source, 'arbitration')))
            .get()
        : undefined;
      const award = resolved ? BigInt((JSON.parse(resolved.args) as { award: string }).award) : 0n;
      // An award owed but not escrowed is not held anywhere: there is nothing to send to an address.
      const owed = p ? store.eventsOfCase(p.chainCaseId).some((e) => e.source === 'arbitration' && e.name === 'AwardOwed') : false;
      if (owed) {
        throw new Problem('illegal_transition', `The award of case ${caseId} is owed by the respondent but was not escrowed: Arbiter holds nothing to pay out`, undefined, { caseId });
      }
      if (!p || p.claimant !== ZeroAddress || !resolved || award === 0n || row!.status !== 'final') {
        throw new Problem('illegal_transition', `Case ${caseId} has no award waiting for a payout address (it is ${row!.status})`, undefined, { caseId });
      }
      const payee = getAddress(address);
      const queue = deps.queues.get(PIPELINE_QUEUE, { defaultJobOptions: JOB_DEFAULTS });
      const existing = await queue.getJob(jobIds.claim(caseId));
      if (existing && (existing.data as { payee: string }).payee !== payee) {
        throw new Problem('illegal_transition', `A payout address was already named for case ${caseId}`, undefined, { caseId });
      }
      await queue.add('claim', { caseId, payee }, { jobId: jobIds.claim(caseId) });
      return { object: 'payout_address' as const, caseId, address: payee, award: award.toString(), status: 'pending' as const };
    },
  };
}

export type PayoutService = ReturnType<typeof createPayoutService>;
