// Bounds the work a JSON body can cause before anything parses or validates it (issue 9, High 1).
// One pass over the text, which costs far less than parsing, refuses a body whose shape no route
// could accept: too deep, an array with too many entries, an object with too many members, a
// member named twice (JSON.parse would keep the last one silently), or a `__proto__` member.
// Only then is the text parsed; a body with `\u` escapes is also checked for lone surrogates,
// which RFC 8785 canonical JSON (I-JSON, RFC 7493) cannot represent.
//
// Routes tighten the defaults through `config.jsonLimits` (see README, "Limits").
import type { FieldError } from '../errors.js';

export interface JsonLimits {
  /** Nesting depth of objects and arrays. */
  maxDepth: number;
  /** Entries of any one array. */
  maxArrayItems: number;
  /** Members of any one object. */
  maxObjectKeys: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 16, maxArrayItems: 1_000, maxObjectKeys: 200 };

const escapeToken = (t: string | number) => String(t).replace(/~/g, '~0').replace(/\//g, '~1');

interface Frame {
  array: boolean;
  /** Objects: members seen; arrays: index of the current entry. */
  count: number;
  keys: string[] | Set<string>;
  key: string;
  /** Objects: the next string is a member name. */
  expectKey: boolean;
  /** The member name this container sits under in its parent object (for `constructor.prototype`). */
  under: string | undefined;
}

function pointerOf(stack: Frame[], upTo: number): string {
  let p = '';
  for (let i = 0; i < upTo; i++) p += `/${escapeToken(stack[i].array ? stack[i].count : stack[i].key)}`;
  return p;
}

/**
 * The shape check, fed the body's bytes as they arrive (issue 9): `push` each chunk and stop at
 * the first error, so a body that crosses a bound is refused after the bytes that cross it,
 * before the rest is read, decoded into a string or parsed. Works on UTF-8 bytes: every byte
 * that matters to the structure (quotes, backslashes, brackets, commas) is ASCII, and no byte of
 * a multi-byte UTF-8 sequence is. Not a JSON validator: malformed text passes, and JSON.parse
 * names the syntax error once the whole body is in.
 */
export class JsonShapeScanner {
  private readonly stack: Frame[] = [];
  private inString = false;
  /** The previous chunk ended inside a string on a backslash: this chunk's first byte is escaped. */
  private escapePending = false;
  /** The bytes of a member name that spans chunks. */
  private keyParts: Buffer[] | undefined;
  /** Set once a bound is crossed; later chunks are ignored. */
  error: FieldError | undefined;
  /** A member name that is not valid JSON: JSON.parse will name it, nothing more to check. */
  private gaveUp = false;

  constructor(private readonly limits: JsonLimits) {}

  /** Scans one more chunk; the first error found so far (this one or an earlier one). */
  push(buf: Buffer): FieldError | undefined {
    if (this.error || this.gaveUp) return this.error;
    const n = buf.length;
    const stack = this.stack;
    const limits = this.limits;
    let i = 0;
    // The next quote and backslash at or after i, searched for once and reused while ahead of i
    // (a string of thousands of escapes must not rescan to its closing quote for each).
    let q = -2;
    let b = -2;
    while (i < n) {
      if (this.inString) {
        const top = stack[stack.length - 1];
        const isKey = this.keyParts !== undefined;
        const from = i;
        if (this.escapePending) {
          this.escapePending = false;
          i++;
          if (i >= n) {
            if (isKey) this.keyParts!.push(buf.subarray(from, i));
            break;
          }
        }
        if (q !== -1 && q < i) q = buf.indexOf(0x22, i);
        if (b !== -1 && b < i) b = buf.indexOf(0x5c, i);
        if (b !== -1 && (q === -1 || b < q)) {
          // An escape: skip the backslash and the byte it escapes (maybe in the next chunk).
          if (b + 1 >= n) {
            this.escapePending = true;
            if (isKey) this.keyParts!.push(buf.subarray(from, n));
            break;
          }
          if (isKey) this.keyParts!.push(buf.subarray(from, b + 2));
          i = b + 2;
          continue;
        }
        if (q === -1) {
          // The string goes on in the next chunk.
          if (isKey) this.keyParts!.push(buf.subarray(from, n));
          break;
        }
        this.inString = false;
        i = q + 1;
        if (isKey) {
          this.keyParts!.push(buf.subarray(from, q));
          const raw = this.keyParts!.length === 1 ? this.keyParts![0] : Buffer.concat(this.keyParts!);
          this.keyParts = undefined;
          const error = this.member(top, raw);
          if (error === 'malformed') {
            this.gaveUp = true;
            return undefined;
          }
          if (error) return (this.error = error);
        }
        continue;
      }
      const c = buf[i];
      if (c === 0x22) {
        this.inString = true;
        const top = stack[stack.length - 1];
        if (top && top.expectKey) {
          top.expectKey = false;
          this.keyParts = [];
        }
        i++;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        const parent = stack[stack.length - 1];
        if (stack.length >= limits.maxDepth) {
          return (this.error = { pointer: pointerOf(stack, stack.length), message: `is nested deeper than ${limits.maxDepth} levels` });
        }
        stack.push({ array: c === 0x5b, count: 0, keys: [], key: '', expectKey: c === 0x7b, under: parent && !parent.array ? parent.key : undefined });
      } else if (c === 0x7d || c === 0x5d) {
        stack.pop();
      } else if (c === 0x2c) {
        const top = stack[stack.length - 1];
        if (top) {
          if (top.array) {
            top.count++;
            if (top.count >= limits.maxArrayItems) {
              return (this.error = { pointer: pointerOf(stack, stack.length - 1), message: `has more than ${limits.maxArrayItems} entries` });
            }
          } else top.expectKey = true;
        }
      }
      i++;
    }
    return undefined;
  }

  /** A member name just read (its raw bytes between the quotes) in the object `top`. */
  private member(top: Frame, raw: Buffer): FieldError | 'malformed' | undefined {
    const stack = this.stack;
    const limits = this.limits;
    let key: string;
    if (raw.includes(0x5c)) {
      try {
        key = JSON.parse(`"${raw.toString('utf8')}"`) as string;
      } catch {
        return 'malformed';
      }
    } else key = raw.toString('utf8');
    top.count++;
    if (top.count > limits.maxObjectKeys) {
      return { pointer: pointerOf(stack, stack.length - 1), message: `has more than ${limits.maxObjectKeys} members; nothing here takes that many` };
    }
    const seen = Array.isArray(top.keys) ? top.keys.includes(key) : top.keys.has(key);
    top.key = key;
    if (seen) {
      return { pointer: `${pointerOf(stack, stack.length - 1)}/${escapeToken(key)}`, message: `"${key}" appears twice in one object; name each member once` };
    }
    if (key === '__proto__' || (key === 'prototype' && top.under === 'constructor')) {
      return { pointer: `${pointerOf(stack, stack.length - 1)}/${escapeToken(key)}`, message: `"${key}" is not allowed as a member name` };
    }
    if (Array.isArray(top.keys)) {
      top.keys.push(key);
      if (top.keys.length > 32) top.keys = new Set(top.keys);
    } else top.keys.add(key);
    return undefined;
  }
}

/**
 * The first reason `text` exceeds `limits`, or undefined (JsonShapeScanner over the whole text).
 * Not a JSON validator: malformed text passes through to JSON.parse, which names the syntax error.
 */
export function jsonShapeError(text: string | Buffer, limits: JsonLimits): FieldError | undefined {
  return new JsonShapeScanner(limits).push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` is not well-formed UTF-16 (String.prototype.isWellFormed, ES2024). */
export const hasLoneSurrogate = (s: string): boolean => LONE_SURROGATE.test(s);

/** Lone surrogates anywhere in a parsed value (member names included): the first one's pointer. */
export function loneSurrogateAt(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') return hasLoneSurrogate(value) ? at : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogateAt(value[i], `${at}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = `${at}/${escapeToken(k)}`;
      if (hasLoneSurrogate(k)) return here;
      const found = loneSurrogateAt(v, here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: FieldError };

/** Shape check, then JSON.parse, then (only when the text has `\u` escapes) the I-JSON check. */
export function parseJsonBody(text: string, limits: JsonLimits): ParsedJson {
  const shape = jsonShapeError(text, limits);
  if (shape) return { ok: false, error: shape };
  return parseShapedJson(text);
}

/** JSON.parse and the I-JSON check of a text whose shape was already checked (JsonShapeScanner). */
export function parseShapedJson(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = text.trim() === '' ? 'the body is empty' : (err as Error).message;
    return { ok: false, error: { pointer: '', message: `the body is not valid JSON: ${why}` } };
  }
  if (text.includes('\\u')) {
    const at = loneSurrogateAt(value);
    if (at !== undefined) {
      return { ok: false, error: { pointer: at, message: 'contains a lone surrogate (an unpaired \\ud800-\\udfff escape): not valid Unicode text' } };
    }
  }
  return { ok: true, value };
}
