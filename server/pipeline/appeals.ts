// Appeals (DESIGN.md "The flow of one case", step 6): a party appeals a proposed verdict within
// its window with a bond; level 1 is a fresh, larger committee, level 2 a registered arbitrator's
// ruling with a written reason whose hash goes on chain. On the embedded chain the registrar's dev
// account pays the bond (Arbitration.appealCase accepts the registrar); elsewhere the party signs
// the transaction this service describes. Read from the folded chain events, no chain call here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Interface, id as utf8Id } from 'ethers';
import type { Db } from '../db/connection.js';
import type { Principal } from '../auth/principal.js';
import { assertCanRead } from '../cases/access.js';
import { Problem } from '../errors.js';
import type { Queues } from '../queues/queues.js';
import { loadArtifact } from '../chain/artifacts.js';
import { readDeployment } from '../chain/deploy.js';
import { JOB_DEFAULTS, jobIds, PIPELINE_QUEUE } from './jobs.js';
import { createPipelineStore } from './store.js';
import { shippedCards } from './trail.js';
import { registeredCard } from '../market/ledger.js';

export function createAppealService(deps: { db: Db; queues: Queues; dataDir: string; embeddedChain: boolean; clock?: () => Date }) {
  const store = createPipelineStore(deps.db);
  const clock = deps.clock ?? (() => new Date());
  const deploymentFile = join(deps.dataDir, 'chain', 'deployment.json');
  const iface = new Interface(loadArtifact('Arbitration').abi);
  const queue = () => deps.queues.get(PIPELINE_QUEUE, { defaultJobOptions: JOB_DEFAULTS });

  function state(caseId: string, principal: Principal) {
    const row = store.caseRow(caseId);
    assertCanRead(principal, row ? { id: row.id, merchantId: row.merchantId } : undefined, caseId);
    const p = store.byCase(caseId);
    const deployment = existsSync(deploymentFile) ? readDeployment(deploymentFile) : undefined;
    const events = p ? store.eventsOfCase(p.chainCaseId) : [];
    const level = events.filter((e) => e.name === 'Appealed').length;
    const proposed = p?.batchId != null ? store.eventsOfBatch(p.batchId).filter((e) => e.name === 'VerdictProposed').at(-1) : undefined;
    const windowEnd = proposed ? Number((JSON.parse(proposed.args) as { windowEnd: string }).windowEnd) : null;
    const bond = deployment ? (level === 0 ? deployment.config.appealBond1 : deployment.config.appealBond2) : null;
    const open = row!.status === 'proposed' && level < 2 && windowEnd !== null && clock().getTime() / 1000 <= windowEnd;
    return { row: row!, p, deployment, level, windowEnd, bond, open };
  }

  return {
    get(caseId: string, principal: Principal) {
      const s = state(caseId, principal);
      return {
        object: 'appeal' as const,
        caseId,
        status: s.row.status,
        level: s.level,
        nextLevel: s.level < 2 ? s.level + 1 : null,
        bond: s.bond,
        deadline: s.windowEnd === null ? null : new Date(s.windowEnd * 1000).toISOString(),
        open: s.open,
      };
    },
    async appeal(caseId: string, principal: Principal) {
      const s = state(caseId, principal);
      if (principal.kind !== 'claimant' && principal.kind !== 'merchant') throw new Problem('forbidden', 'Only the claimant or the respondent merchant appeals');
      if (!s.open || !s.p || !s.deployment) {
        throw new Problem('illegal_transition', `Case ${caseId} cannot be appealed now (it is ${s.row.status}, level ${s.level})`, undefined, { caseId, caseStatus: s.row.status });
      }
      const level = s.level + 1;
      if (!deps.embeddedChain) {
        // The party pays its own bond: the transaction it signs (appealCase accepts either party).
        return {
          object: 'appeal_transaction' as const,
          caseId,
          level,
          to: s.deployment.addresses.arbitration,
          data: iface.encodeFunctionData('appealCase', [s.p.chainCaseId]),
          value: s.bond,
          chainId: s.deployment.chainId,
        };
      }
      await queue().add('appeal', { caseId, level }, { jobId: jobIds.appeal(caseId, level) });
      return { object: 'appeal' as const, caseId, level, bond: s.bond, status: 'pending' as const };
    },
    async rule(caseId: string, principal: Principal, output: number, reason: string) {
      const row = store.caseRow(caseId);
      assertCanRead(principal, row ? { id: row.id, merchantId: row.merchantId } : undefined, caseId);
      if (principal.kind !== 'arbitrator') throw new Problem('forbidden', 'Only an arbitrator rules on an appeal');
      const p = store.byCase(caseId);
      const level = p ? store.eventsOfCase(p.chainCaseId).filter((e) => e.name === 'Appealed').length : 0;
      if (!p || row!.status !== 'appealed' || level !== 2) {
        throw new Problem('illegal_transition', `Case ${caseId} is not waiting for an arbitrator (it is ${row!.status})`, undefined, { caseId, caseStatus: row!.status });
      }
      // A class the model cannot output is no ruling (the verdict could not be assembled).
      // A registered model's card too: a pinned marketplace model's cases reach an arbitrator as well.
      const card = shippedCards().get(p.modelRef) ?? registeredCard(deps.db, p.modelId);
      if (!card?.classes.some((c) => c.index === output)) {
        throw Problem.validation([{ pointer: '/output', message: `${p.modelRef} has no output class ${output}` }]);
      }
      const reasonHash = utf8Id(reason);
      const existing = await queue().getJob(jobIds.rule(caseId));
      if (existing && (existing.data as { reasonHash: string; output: number }).reasonHash !== reasonHash) {
        throw new Problem('illegal_transition', `An arbitrator already ruled on case ${caseId}`, undefined, { caseId });
      }
      await queue().add('rule', { caseId, output, reasonHash }, { jobId: jobIds.rule(caseId) });
      store.note(caseId, 'ruling_submitted', { arbitrator: principal.id, output, reason, reasonHash }, 'case.ruling_submitted');
      return { object: 'ruling' as const, caseId, output, reasonHash, status: 'pending' as const };
    },
  };
}

export type AppealService = ReturnType<typeof createAppealService>;
