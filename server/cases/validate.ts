// The one gate a case record passes, from the portal, `POST /v1/cases` or `arbiter decide`:
// the TypeBox schema (structure), then semantic-checks.ts (meaning). Every error names its
// field with an RFC 6901 pointer (CONVENTIONS.md §1): an unknown field by its own pointer
// (`/flight/foo`), a missing one by the pointer it would have (`/flight/disruption`).
//
// On the hot path of POST /v1/cases: the validators are compiled once, at module load, and the
// slower error walk runs only for records that fail the compiled check.
import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';
import { isWithin, parsePointer, pointerTo } from './pointer.js';
import { CaseEnvelope, ChargebackCaseRecord, FlightCaseRecord, type CaseRecordT } from './schemas.js';
import { semanticErrors, type FieldError } from './semantic-checks.js';
import { textErrors } from './text-checks.js';

export type { FieldError } from './semantic-checks.js';

export type ValidationResult = { ok: true; record: CaseRecordT } | { ok: false; errors: FieldError[] };

const SHAPES = {
  flight: { schema: FlightCaseRecord, validator: Compile(FlightCaseRecord) },
  chargeback: { schema: ChargebackCaseRecord, validator: Compile(ChargebackCaseRecord) },
  // Neither kind nor a flight/chargeback section: check what every record has.
  envelope: { schema: CaseEnvelope, validator: Compile(CaseEnvelope) },
} as const;
type Shape = keyof typeof SHAPES;

// Bounds the error walk and the answer on hostile input (thousands of unknown fields): stop at
// the first few, a form shows them and the sender fixes them.
const MAX_ERRORS = 16;

/**
 * The record's shape bounds, checked before anything walks it (issue 9): no valid record nests
 * deeper than 4 containers, has an array longer than 100 entries (priorUndisputedTransactions)
 * or an object with more than 16 members (chargeback). The margins let a few unknown fields
 * still be named one by one. POST /v1/cases checks the same on the JSON text before parsing
 * (routes.ts); this covers in-process callers (the portal, `arbiter decide`).
 */
export const RECORD_BOUNDS = { maxDepth: 8, maxArrayItems: 100, maxObjectKeys: 32 } as const;

function boundsError(input: unknown): FieldError | undefined {
  const path: (string | number)[] = [];
  const at = () => path.reduce<string>(pointerTo, '');
  const walk = (value: unknown, depth: number): FieldError | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    if (depth > RECORD_BOUNDS.maxDepth) return { pointer: at(), message: `Is nested deeper than any case record (${RECORD_BOUNDS.maxDepth} levels).` };
    if (Array.isArray(value)) {
      if (value.length > RECORD_BOUNDS.maxArrayItems) {
        return { pointer: at(), message: `Has ${count(value.length)} entries; no list in a case record takes more than ${RECORD_BOUNDS.maxArrayItems}.` };
      }
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const e = walk(value[i], depth + 1);
        path.pop();
        if (e) return e;
      }
      return undefined;
    }
    const keys = Object.keys(value);
    if (keys.length > RECORD_BOUNDS.maxObjectKeys) {
      return { pointer: at(), message: `Has ${count(keys.length)} members; no object in a case record has more than ${RECORD_BOUNDS.maxObjectKeys}.` };
    }
    for (const k of keys) {
      path.push(k);
      const e = walk((value as Json)[k], depth + 1);
      path.pop();
      if (e) return e;
    }
    return undefined;
  };
  return walk(input, 1);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Json, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** Validates a parsed JSON value as a CASES.md case record; all errors, in a deterministic order. */
export function validateCaseRecord(input: unknown): ValidationResult {
  if (!isObject(input)) return { ok: false, errors: [{ pointer: '', message: 'A case must be a JSON object.' }] };
  const tooBig = boundsError(input);
  if (tooBig) return { ok: false, errors: [tooBig] };

  const errors: FieldError[] = [];
  const kind = has(input, 'kind') ? input.kind : undefined;
  let shape: Shape;
  if (kind === 'flight' || kind === 'chargeback') {
    shape = kind;
  } else {
    errors.push(
      has(input, 'kind')
        ? { pointer: '/kind', message: 'Must be "flight" or "chargeback".' }
        : { pointer: '/kind', message: 'Required field "kind" is missing: "flight" or "chargeback".' },
    );
    // Still check the facts the record carries, so the other mistakes show up at once.
    shape = has(input, 'flight') ? 'flight' : has(input, 'chargeback') ? 'chargeback' : 'envelope';
  }

  const { schema, validator } = SHAPES[shape];
  if (!validator.Check(input)) {
    for (const e of structuralErrors(schema, validator, input, kind === shape)) errors.push(e);
  }
  if (errors.length === 0) {
    const semantic = [...textErrors(input), ...semanticErrors(input)];
    if (semantic.length === 0) return { ok: true, record: input as CaseRecordT };
    return { ok: false, errors: onePerField(semantic).slice(0, MAX_ERRORS) };
  }
  // A semantic error inside a field already reported adds nothing.
  for (const e of [...textErrors(input), ...semanticErrors(input)]) {
    if (!errors.some((s) => isWithin(e.pointer, s.pointer))) errors.push(e);
  }
  return { ok: false, errors: onePerField(errors).slice(0, MAX_ERRORS) };
}

/** Keeps the first error of each pointer: a form shows one message per field. */
function onePerField(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => !seen.has(e.pointer) && seen.add(e.pointer));
}

interface RawError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
}

function rawErrors(validator: { Errors(v: unknown): unknown[] }, input: unknown): RawError[] {
  // maxErrors is a process-wide setting; raise it for this synchronous call only.
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_ERRORS });
  try {
    return validator.Errors(input) as RawError[];
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

function structuralErrors(
  schema: object,
  validator: { Errors(v: unknown): unknown[] },
  input: Json,
  kindMatches: boolean,
): FieldError[] {
  const kind = kindMatches ? String(input.kind) : undefined;
  const out: FieldError[] = [];
  for (const e of rawErrors(validator, input)) {
    if (e.keyword === 'additionalProperties') {
      for (const name of e.params.additionalProperties as string[]) out.push(unknownField(e.instancePath, name, kind));
    } else if (e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties')) {
      const tokens = parsePointer(e.instancePath);
      const parent = e.instancePath.slice(0, e.instancePath.lastIndexOf('/'));
      out.push(unknownField(parent, tokens[tokens.length - 1], kind));
    } else if (e.keyword === 'required') {
      for (const name of e.params.requiredProperties as string[]) {
        out.push({ pointer: pointerTo(e.instancePath, name), message: `Required field "${name}" is missing.` });
      }
    } else if (e.instancePath === '/kind') {
      // Already reported by validateCaseRecord when kind is absent or unknown.
      if (kindMatches) out.push({ pointer: '/kind', message: 'Must be "flight" or "chargeback".' });
    } else {
      const node = fieldSchema(schema, e.schemaPath);
      const expected = node ? expectation(node) : undefined;
      const forKind = e.instancePath === '/jurisdiction' && kind ? `For a ${kind} case, must be ` : 'Must be ';
      out.push({ pointer: e.instancePath, message: expected ? `${forKind}${expected}.` : 'Has an invalid value.' });
    }
  }
  return onePerField(out);
}

function unknownField(parent: string, name: string, kind: string | undefined): FieldError {
  const ptr = pointerTo(parent, name);
  if (parent === '' && kind && (name === 'flight' || name === 'chargeback')) {
    return { pointer: ptr, message: `A ${kind} case has no "${name}" section: kind says which one the case carries.` };
  }
  return { pointer: ptr, message: `"${name}" is not a field here: check its spelling, or remove it.` };
}

type SchemaNode = Record<string, unknown>;

/**
 * The schema of the field an error is about: the node at `schemaPath`, lifted out of the
 * `anyOf` branch that failed, so a nullable field is described as a whole.
 */
function fieldSchema(root: object, schemaPath: string): SchemaNode | undefined {
  const tokens = parsePointer(schemaPath.replace(/^#/, ''));
  while (tokens.length >= 2 && tokens[tokens.length - 2] === 'anyOf') tokens.splice(-2);
  let node: unknown = root;
  for (const t of tokens) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[t];
  }
  return isObject(node) ? node : undefined;
}

const article = (noun: string): string => (/^[aeiouAEIOU]/.test(noun) ? `an ${noun}` : `a ${noun}`);
const count = (n: number): string => n.toLocaleString('en-US');

/** What a schema node accepts, as the end of "Must be …". */
function expectation(node: SchemaNode): string | undefined {
  if (Array.isArray(node.anyOf)) {
    const branches = node.anyOf as SchemaNode[];
    const nullable = branches.some((b) => b.type === 'null');
    const described = branches.filter((b) => b.type !== 'null').map(expectation);
    if (described.some((d) => d === undefined)) return undefined;
    return [...described, ...(nullable ? ['null'] : [])].join(', or ');
  }
  if (Array.isArray(node.enum)) return `one of: ${(node.enum as unknown[]).join(', ')}`;
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (typeof node.title === 'string') return article(node.title);
  switch (node.type) {
    case 'string': {
      const max = node.maxLength as number | undefined;
      return max === undefined ? 'text' : `text of 1 to ${count(max)} characters`;
    }
    case 'number':
    case 'integer': {
      const noun = node.type === 'integer' ? 'a whole number' : 'a number';
      const bounds = [
        node.exclusiveMinimum !== undefined ? `greater than ${count(node.exclusiveMinimum as number)}` : undefined,
        node.minimum !== undefined ? `at least ${count(node.minimum as number)}` : undefined,
        node.maximum !== undefined ? `at most ${count(node.maximum as number)}` : undefined,
      ].filter((b) => b !== undefined);
      return bounds.length ? `${noun} ${bounds.join(' and ')}` : noun;
    }
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const min = (node.minItems as number | undefined) ?? 0;
      const max = node.maxItems as number | undefined;
      const items = isObject(node.items) ? expectation(node.items) : undefined;
      const range = max === undefined ? `at least ${min}` : min > 0 ? `${min} to ${max}` : `at most ${max}`;
      return `a list of ${range} ${items ? `entries, each ${items}` : 'entries'}`;
    }
    case 'object': {
      const fields = Object.keys((node.properties as object | undefined) ?? {});
      return fields.length ? `an object with the fields ${fields.join(', ')}` : 'an object';
    }
    default:
      return undefined;
  }
}
