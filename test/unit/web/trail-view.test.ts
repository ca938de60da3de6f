// The trail as the pages draw it: dissection rounds as intervals over the trace (PROTOCOL.md §3,
// DisputeGame.move: a Moved event names the node split, `height` above the leaves, `index` in its
// level), and the card explanations in German.
import { describe, expect, it } from 'vitest';
import { roundInterval, roundsOf } from '../../../web/app/lib/trail-view.js';
import { localizeExplanation, localizeVerdict } from '../../../web/app/i18n/explanations.server.js';

describe('trail view › dissection rounds', () => {
  it('a node covers the leaves below it, cut to the trace length', () => {
    // 10 states (9 steps): a depth-4 tree of 16 leaves.
    expect(roundInterval(4, 0, 10)).toEqual({ lo: 0, hi: 9 });
    expect(roundInterval(2, 2, 10)).toEqual({ lo: 8, hi: 9 });
    expect(roundInterval(2, 1, 10)).toEqual({ lo: 4, hi: 7 });
    expect(roundInterval(0, 8, 10)).toEqual({ lo: 8, hi: 8 });
  });

  it('groups the defender’s and the challenger’s move of a round, and the rounds narrow', () => {
    const moves = [
      { mover: '0xd', height: 4, index: 0, tx: '0x1' },
      { mover: '0xc', height: 4, index: 0, tx: '0x2' },
      { mover: '0xd', height: 2, index: 2, tx: '0x3' },
      { mover: '0xc', height: 2, index: 2, tx: '0x4' },
    ];
    expect(roundsOf(moves, 10)).toEqual([
      { lo: 0, hi: 9, movers: ['0xd', '0xc'], txs: ['0x1', '0x2'] },
      { lo: 8, hi: 9, movers: ['0xd', '0xc'], txs: ['0x3', '0x4'] },
    ]);
    // A round the challenger has not answered yet is a round with one move.
    expect(roundsOf(moves.slice(0, 3), 10).at(-1)).toEqual({ lo: 8, hi: 9, movers: ['0xd'], txs: ['0x3'] });
  });
});

describe('explanations › German', () => {
  it('translates each sentence of a verdict and writes the amount in German', () => {
    const verdict = {
      outcome: 'claimant',
      award: { amount: 300, currency: 'EUR' },
      explanation:
        'Your flight arrived three hours or more late and the airline gave no extraordinary circumstance, so you are owed 300.00 EUR. The amount is halved because the arrival was late by no more than the limit of article 7(2).',
      grounds: ['EU261.art7.1c', 'EU261.art7.2'],
    };
    const de = localizeVerdict(verdict, 'de');
    expect(de.explanation).toBe(
      'Ihr Flug kam drei Stunden oder mehr verspätet an und die Fluggesellschaft hat keinen außergewöhnlichen Umstand genannt, daher stehen Ihnen 300,00\u00a0€ zu. Der Betrag ist halbiert, weil die Ankunft die Grenze von Artikel 7 Absatz 2 nicht überschritt.',
    );
    expect(de.grounds).toEqual(verdict.grounds);
    // English keeps the card's words, the amount in the English format.
    expect(localizeVerdict(verdict, 'en').explanation).toMatch(/^Your flight arrived .+, so you are owed €300\.00\. The amount is halved/);
  });

  it('leaves an unknown sentence in English rather than guessing', () => {
    const v = { outcome: 'respondent', award: null, explanation: 'A sentence no card has. The merchant has proof that the goods or services were delivered.', grounds: [] };
    expect(localizeVerdict(v, 'de').explanation).toBe('A sentence no card has. Der Händler hat einen Nachweis, dass die Waren oder Leistungen geliefert wurden.');
  });

  it('every sentence of every shipped card has a German translation', async () => {
    const { modelDirs } = await import('../../../server/models/registry.js');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    for (const dir of modelDirs()) {
      const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as { id: string; classes: { index: number; explanation: string }[] };
      for (const c of card.classes) {
        const de = localizeExplanation(c.explanation, 'de');
        for (const sentence of c.explanation.replaceAll('{amount}', '…').split(/(?<=\.) (?=[A-Z])/)) expect(de, `${card.id} class ${c.index}`).not.toContain(sentence);
      }
    }
  });
});
