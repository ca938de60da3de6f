// Mutated case records for the intake property tests (issue 3): start from a valid fixture and
// apply 1–4 mutations, each dropping, adding, retyping or setting out of range one field. The
// arbitrary draws mutation *choices* independent of the record (which field is picked by an
// index modulo the fields present), so fast-check can shrink a failure to a small edit list.
import fc from 'fast-check';
import { validRecords } from './case-fixtures.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
export type Path = string[];

export type MutationOp = 'drop' | 'add' | 'retype' | 'outOfRange' | 'oversize' | 'manyKeys' | 'hostileText';

export interface MutationChoice {
  op: MutationOp;
  /** Which field (modulo the number of candidates). */
  pick: number;
  /** Name of the added field. */
  key: string;
  /** Value for add and retype. */
  value: Json;
  /** Which out-of-range value (modulo the candidates for the field's type). */
  variant: number;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every path of the value, parents before children, the root (`[]`) first. */
export function allPaths(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...allPaths(v, [...prefix, String(i)])));
  else if (isObject(value)) for (const k of Object.keys(value)) out.push(...allPaths(value[k], [...prefix, k]));
  return out;
}

function at(root: Json, path: Path): Json {
  let node: Json = root;
  for (const t of path) node = (node as JsonObject)[t];
  return node;
}

/** Sets an own property, so `__proto__` becomes a field as JSON.parse would make it. */
function setOwn(target: JsonObject, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// Values outside what the schema or the semantic checks allow, by the type of the value replaced.
const OUT_OF_RANGE: Record<string, Json[]> = {
  string: [
    '',
    ' ',
    'x'.repeat(20_001),
    'QQQ',
    '0Z',
    'fra',
    'bogus',
    '2026-02-30',
    '2026-03-01T12:45:00',
    '2026-13-01T00:00:00Z',
    '1999-01-01T00:00:00+01:00',
    '0x12',
    `0x${'0'.repeat(40)}`,
    'not-an-email',
    '4837',
    '13.1',
    'VISA',
    'chargeback',
  ],
  number: [-1, 0, -0.5, 1e12, 1.23456, 2.5, 1e-7, 2 ** 53 + 2, 367, 5e-324],
  boolean: [0, 1, 'true', null],
  null: [0, '', false, 'null', {}],
  array: [[], [null], ['LH400', 'LH400', 'LH400', 'LH400', 'LH400', 'LH400', 'LH400', 'LH400', 'LH400'], {}],
  object: [{}, [], 'object', { unexpected: true }],
};

const HOSTILE_CHARACTERS = ['\u0000', '\u0007', '\n', '\u0085', '\u202e', '\u2066', '\u200b', '\ufeff', '\ud800', '\udfff', '\u3164', ' ', '\uffff'];

function setOwnOrIndex(parent: Json, key: string, value: Json): void {
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else setOwn(parent as JsonObject, key, value);
}

const typeOf = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Applies one mutation to a deep copy; `describe` says what was done, for failure messages. */
export function applyMutation(record: Json, m: MutationChoice): { record: Json; describe: string } {
  const copy = structuredClone(record);
  const paths = allPaths(copy);
  const pointerOf = (p: Path) => `/${p.join('/')}`;
  switch (m.op) {
    case 'drop': {
      const candidates = paths.slice(1);
      if (candidates.length === 0) return { record: copy, describe: 'drop (nothing to drop)' };
      const path = candidates[m.pick % candidates.length];
      const parent = at(copy, path.slice(0, -1));
      const key = path[path.length - 1];
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete (parent as JsonObject)[key];
      return { record: copy, describe: `drop ${pointerOf(path)}` };
    }
    case 'add': {
      const objects = paths.filter((p) => isObject(at(copy, p)));
      if (objects.length === 0) return { record: copy, describe: 'add (no object)' };
      const path = objects[m.pick % objects.length];
      setOwn(at(copy, path) as JsonObject, m.key, m.value);
      return { record: copy, describe: `add ${pointerOf([...path, m.key])} = ${JSON.stringify(m.value)}` };
    }
    // Issue 9: an array far longer than any list in a record (or one just over 100 entries).
    case 'oversize': {
      const arrays = paths.filter((p) => Array.isArray(at(copy, p)));
      const length = [101, 1_000, 5_000][m.variant % 3];
      if (arrays.length === 0 || arrays[0].length === 0) return { record: copy, describe: 'oversize (no list)' };
      const path = arrays[m.pick % arrays.length];
      const host = at(copy, path.slice(0, -1));
      if (path.length === 0 || (!isObject(host) && !Array.isArray(host))) return { record: copy, describe: 'oversize (no place)' };
      const filler: Json = typeof m.value === 'object' && m.value !== null ? 1 : m.value;
      const value = Array.from({ length }, () => filler);
      if (Array.isArray(host)) host[Number(path[path.length - 1])] = value;
      else setOwn(host, path[path.length - 1], value);
      return { record: copy, describe: `oversize ${pointerOf(path)} to ${length} entries of ${JSON.stringify(filler).slice(0, 20)}` };
    }
    // Issue 9: an object with many unknown members (some over the 32-member bound, some under).
    case 'manyKeys': {
      const objects = paths.filter((p) => isObject(at(copy, p)));
      if (objects.length === 0) return { record: copy, describe: 'manyKeys (no object)' };
      const path = objects[m.pick % objects.length];
      const target = at(copy, path) as JsonObject;
      const count = [5, 40, 2_000][m.variant % 3];
      for (let i = 0; i < count; i++) setOwn(target, `${m.key}${i}`, i);
      return { record: copy, describe: `add ${count} unknown members to ${pointerOf(path)}` };
    }
    // Issue 9: a control, direction-override, invisible or lone-surrogate character in a text.
    case 'hostileText': {
      const strings = paths.filter((p) => typeof at(copy, p) === 'string' && p.length > 0);
      if (strings.length === 0) return { record: copy, describe: 'hostileText (no text)' };
      const path = strings[m.pick % strings.length];
      const bad = HOSTILE_CHARACTERS[m.variant % HOSTILE_CHARACTERS.length];
      const current = at(copy, path) as string;
      const value = m.variant % 2 ? bad.repeat(3) : `${current.slice(0, 1)}${bad}${current.slice(1)}`;
      setOwnOrIndex(at(copy, path.slice(0, -1)), path[path.length - 1], value);
      return { record: copy, describe: `hostileText ${pointerOf(path)} = ${JSON.stringify(value).slice(0, 40)}` };
    }
    case 'retype':
    case 'outOfRange': {
      const path = paths[m.pick % paths.length];
      const current = at(copy, path);
      const options = OUT_OF_RANGE[typeOf(current)];
      const value = m.op === 'retype' ? m.value : options[m.variant % options.length];
      if (path.length === 0) return { record: value, describe: `replace the record with ${JSON.stringify(value)}` };
      const parent = at(copy, path.slice(0, -1));
      if (Array.isArray(parent)) parent[Number(path[path.length - 1])] = value;
      else setOwn(parent as JsonObject, path[path.length - 1], value);
      return { record: copy, describe: `${m.op} ${pointerOf(path)} = ${JSON.stringify(value).slice(0, 60)}` };
    }
  }
}

// Field names of the record (so an added field is sometimes a real one in the wrong place or a
// legitimately optional one), and names that need escaping or are special to JavaScript.
const FIELD_NAMES = [
  'ref', 'kind', 'jurisdiction', 'claimant', 'respondent', 'narrative', 'onchainDispute', 'flight', 'chargeback',
  'name', 'email', 'wallet', 'merchantId', 'arbitrable', 'disputeId', 'rulings', 'operatingCarrier',
  'flightNumbers', 'itinerary', 'from', 'to', 'disruption', 'scheduledArrival', 'actualArrival',
  'cancellationNoticeDays', 'reroute', 'scheduledDeparture', 'deniedBoardingVoluntary', 'carrierStatedCause',
  'fare', 'amount', 'currency', 'reasonCode', 'transactionDate', 'disputeDate', 'expectedDeliveryDate',
  'threeDSecure', 'avs', 'cvv', 'delivery', 'proof', 'date', 'priorUndisputedTransactions', 'channel',
  'refundIssued', 'cancellation', 'duplicate', 'return', 'merchantResponse',
];
const AWKWARD_NAMES = ['a/b', 'c~d', '~1', '', '__proto__', 'constructor', 'toString', '0'];

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 100_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
) as fc.Arbitrary<Json>;

export const mutationChoice: fc.Arbitrary<MutationChoice> = fc.record({
  op: fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom<MutationOp>('drop', 'add', 'retype', 'outOfRange') },
    { weight: 3, arbitrary: fc.constantFrom<MutationOp>('oversize', 'manyKeys', 'hostileText') },
  ),
  pick: fc.nat({ max: 10_000 }),
  key: fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...AWKWARD_NAMES), fc.string({ maxLength: 8 })),
  value: jsonValue,
  variant: fc.nat({ max: 1000 }),
});

export interface MutatedRecord {
  fixture: keyof typeof validRecords;
  record: Json;
  /** The mutations applied, in order, for failure messages. */
  steps: string[];
}

/** A valid fixture with 1–4 mutations applied. */
export const mutatedRecord: fc.Arbitrary<MutatedRecord> = fc
  .record({
    fixture: fc.constantFrom(...(Object.keys(validRecords) as (keyof typeof validRecords)[])),
    choices: fc.array(mutationChoice, { minLength: 1, maxLength: 4 }),
  })
  .map(({ fixture, choices }) => {
    let record = structuredClone(validRecords[fixture]) as unknown as Json;
    const steps: string[] = [];
    for (const choice of choices) {
      const next = applyMutation(record, choice);
      record = next.record;
      steps.push(next.describe);
    }
    return { fixture, record, steps };
  });

/**
 * Does `pointer` name a field of `record`? Precisely: either (a) it resolves in the record
 * (RFC 6901 evaluation succeeds; `''` is the whole record; an array index must be a canonical
 * decimal below the length), or (b) it names a missing field: all but its last token resolve to
 * a JSON object, and that object has no member named by the last token.
 */
export function namesFieldOf(record: unknown, pointer: string): boolean {
  if (pointer === '') return true;
  if (!pointer.startsWith('/')) return false;
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = record;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const last = i === tokens.length - 1;
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t) || Number(t) >= node.length) return false;
      node = node[Number(t)];
    } else if (isObject(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, t)) return last; // (b): a missing member of an object
      node = node[t];
    } else {
      return false;
    }
  }
  return true;
}
