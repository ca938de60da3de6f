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
 * The first reason `text` exceeds `limits`, or undefined. Not a JSON validator: malformed text
 * passes through to JSON.parse, which names the syntax error.
 */
export function jsonShapeError(text: string, limits: JsonLimits): FieldError | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: jump to its closing quote (one not escaped by an odd run of backslashes).
      let j = text.indexOf('"', i + 1);
      while (j !== -1) {
        let b = j - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j === -1) return undefined; // unterminated: JSON.parse reports it
      const top = stack[stack.length - 1];
      if (top && top.expectKey) {
        top.expectKey = false;
        const raw = text.slice(i + 1, j);
        let key = raw;
        if (raw.includes('\\')) {
          try {
            key = JSON.parse(text.slice(i, j + 1)) as string;
          } catch {
            return undefined;
          }
        }
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
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const parent = stack[stack.length - 1];
      if (stack.length >= limits.maxDepth) {
        return { pointer: pointerOf(stack, stack.length), message: `is nested deeper than ${limits.maxDepth} levels` };
      }
      stack.push({ array: c === 0x5b, count: 0, keys: [], key: '', expectKey: c === 0x7b, under: parent && !parent.array ? parent.key : undefined });
      i++;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
      continue;
    }
    if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top) {
        if (top.array) {
          top.count++;
          if (top.count >= limits.maxArrayItems) {
            return { pointer: pointerOf(stack, stack.length - 1), message: `has more than ${limits.maxArrayItems} entries` };
          }
        } else top.expectKey = true;
      }
      i++;
      continue;
    }
    i++;
  }
  return undefined;
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
