// The award table of a case: per class of the model card, the award in wei (PROTOCOL.md §4),
// packed as Arbitration.openCase / settle take it and committed to as the contract does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZeroHash, keccak256, parseEther } from 'ethers';
import { AWARD_BYTES, MAX_CLASSES, awardOf, awardsCommitment, buildAwardTable, claimantClassWords, decimalToWei, decodeAwardTable, encodeAwardTable, isClaimantClass } from '../../../server/chain/awards.js';
import type { ModelCard } from '../../../server/models/card.js';

const card = (id: string): ModelCard => JSON.parse(readFileSync(new URL(`../../../arbitration-models/${id}/card.json`, import.meta.url), 'utf8')) as ModelCard;
const EUR = parseEther('0.0004'); // wei per euro, for the test

describe('award table', () => {
  it('buildAwardTable › eu261: each claimant class gets its fixed band amount, respondent classes 0', () => {
    const eu = card('eu261');
    const t = buildAwardTable(eu, { weiPerUnit: { EUR } });
    expect(t.awards.length).toBe(eu.classes.length);
    for (const c of eu.classes) {
      const want = c.outcome === 'claimant' && c.award?.rule === 'fixed' ? BigInt(c.award.amount) * EUR : 0n;
      expect(t.awards[c.index], `class ${c.index}`).toBe(want);
    }
    expect(t.awards[3]).toBe(250n * EUR);
    expect(t.awards[5]).toBe(600n * EUR);
    expect(t.awards[11]).toBe(125n * EUR); // halved band
    expect(t.awards[0]).toBe(0n);
    expect(t.max).toBe(600n * EUR);
    // The last class (50) is a respondent class: the packed table stops at the last award.
    expect((t.table.length - 2) / 2).toBe(50 * AWARD_BYTES);
    expect(t.commitment).toBe(keccak256(t.table));
    expect(awardOf(t.table, 14)).toBe(600n * EUR);
    expect(awardOf(t.table, 50)).toBe(0n);
    expect(awardOf(t.table, 999)).toBe(0n);
  });

  it('buildAwardTable › us-dot-refund and visa: claimant classes get the record amount', () => {
    const fare = parseEther('0.123');
    const dot = buildAwardTable(card('us-dot-refund'), { record: { '/flight/fare': fare } });
    for (const c of card('us-dot-refund').classes) expect(dot.awards[c.index]).toBe(c.outcome === 'claimant' ? fare : 0n);
    expect(dot.max).toBe(fare);
    const amount = parseEther('0.05');
    const visa = buildAwardTable(card('visa'), { record: { '/chargeback/amount': amount } });
    expect(visa.awards.filter((a) => a === amount).length).toBe(card('visa').classes.filter((c) => c.outcome === 'claimant').length);
  });

  it('buildAwardTable › is deterministic and throws on a missing rate or record amount', () => {
    const eu = card('eu261');
    expect(buildAwardTable(eu, { weiPerUnit: { EUR } })).toEqual(buildAwardTable(eu, { weiPerUnit: { EUR } }));
    expect(() => buildAwardTable(eu, {})).toThrow(/EUR/);
    expect(() => buildAwardTable(card('visa'), {})).toThrow(/chargeback/);
    expect(() => buildAwardTable(card('visa'), { record: { '/chargeback/amount': -1n } })).toThrow(/negative/);
    expect(() => buildAwardTable(card('uk261'), { weiPerUnit: { GBP: 1n << 90n } })).toThrow(/uint96/);
  });

  it('encodeAwardTable › 12-byte big-endian entries, trailing zeros dropped; all zeros is empty with a zero commitment', () => {
    expect(encodeAwardTable([0n, 1n, 0n])).toBe(`0x${'0'.repeat(24)}${'0'.repeat(23)}1`);
    expect(encodeAwardTable([0n, 0n])).toBe('0x');
    expect(awardsCommitment('0x')).toBe(ZeroHash);
    expect(decodeAwardTable(encodeAwardTable([5n, 0n, 7n]))).toEqual([5n, 0n, 7n]);
    expect(() => decodeAwardTable('0x00')).toThrow();
    const respondentOnly = buildAwardTable({ classes: [{ index: 0, outcome: 'respondent', grounds: [], award: null, review: false, explanation: '' }] });
    expect(respondentOnly).toEqual({ awards: [0n], table: '0x', commitment: ZeroHash, max: 0n });
  });

  it('decimalToWei › scales decimal major units, rounding down', () => {
    expect(decimalToWei('250', 10n)).toBe(2500n);
    expect(decimalToWei('12.5', 10n)).toBe(125n);
    expect(decimalToWei('0.333', 10n)).toBe(3n);
    expect(() => decimalToWei('-1', 10n)).toThrow();
    expect(() => decimalToWei('1e3', 10n)).toThrow();
  });
});

describe('claimant-class bitmap', () => {
  it('claimantClassWords › marks exactly the claimant classes of every shipped card, uk261 beyond 64 included', () => {
    for (const id of ['eu261', 'uk261', 'us-dot-refund', 'visa', 'mastercard']) {
      const k = card(id);
      const words = claimantClassWords(k);
      for (const c of k.classes) expect(isClaimantClass(words, c.index), `${id} class ${c.index}`).toBe(c.outcome === 'claimant');
      expect(isClaimantClass(words, 1000)).toBe(false);
    }
    const uk = card('uk261');
    expect(uk.classes.length).toBe(118); // 76 LAW.md rows + 42 that name the kind of cause (kept last)
    expect(Math.max(...uk.classes.filter((c) => c.outcome === 'claimant').map((c) => c.index))).toBeLessThan(76);
    const words = claimantClassWords(uk);
    expect(words.length).toBe(1);
    expect(words[0] >> 64n).not.toBe(0n);
    expect(isClaimantClass(words, 64)).toBe(true);
  });

  it('claimantClassWords › word c / 256, bit c % 256; a class ≥ MAX_CLASSES throws instead of being dropped', () => {
    const cls = (index: number, outcome: 'claimant' | 'respondent' = 'claimant') => ({ index, outcome, grounds: [], award: null, review: false, explanation: '' });
    expect(claimantClassWords({ classes: [cls(0, 'respondent'), cls(1)] })).toEqual([2n]);
    expect(claimantClassWords({ classes: [cls(0, 'respondent'), cls(257)] })).toEqual([0n, 2n]);
    expect(claimantClassWords({ classes: [cls(300, 'respondent')] })).toEqual([]);
    expect(claimantClassWords({ classes: [cls(MAX_CLASSES - 1)] }).length).toBe(256);
    expect(() => claimantClassWords({ classes: [cls(MAX_CLASSES)] })).toThrow(/outside/);
    expect(() => claimantClassWords({ classes: [cls(MAX_CLASSES, 'respondent')] })).toThrow(/outside/);
  });
});
