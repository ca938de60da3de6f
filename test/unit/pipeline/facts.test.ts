// Data minimisation (issue "The pipeline", item 2): what a node operator receives of a case.
import { describe, expect, it } from 'vitest';
import { caseFacts, factsAsRecord } from '../../../server/pipeline/facts.js';
import { loadCatalogue } from '../../../server/pipeline/models.js';
import { validRecords } from '../../support/case-fixtures.js';
import type { CaseRecordT } from '../../../server/cases/schemas.js';

describe('caseFacts', () => {
  it.each(Object.entries(validRecords))('%s › drops the parties, narrative and reference, and featurizes to the same input', async (_name, record) => {
    const r = record as CaseRecordT;
    const facts = caseFacts(r);
    expect(Object.keys(facts).sort()).toEqual(['jurisdiction', 'kind', r.kind].sort());
    const json = JSON.stringify(facts);
    expect(json).not.toContain(r.claimant.email);
    expect(json).not.toContain(r.claimant.name);
    if (r.claimant.wallet) expect(json).not.toContain(r.claimant.wallet);
    const models = await loadCatalogue();
    const m = models.byJurisdiction(r.jurisdiction)!;
    expect(m.definition.featurizer.featurize(factsAsRecord(facts))).toEqual(m.definition.featurizer.featurize(r));
  });
});
