// What a record's text may contain (issue 9, Low). The record is hashed as RFC 8785 canonical
// JSON, which assumes I-JSON (RFC 7493): a lone surrogate cannot be canonicalised, so it is
// refused. Control characters, direction overrides and invisible characters are refused too:
// they make a name or a reference read differently from what it is ("Trojan Source") and have no
// place in a record a person signs off. Free text (narrative, the carrier's and the merchant's
// words) may hold line breaks, tabs and the directional marks right-to-left writing needs.
// A name made only of blanks or invisible characters is no name. Refused, never rewritten: the
// record is stored and hashed exactly as filed.
import { pointer } from './pointer.js';
import type { FieldError } from './semantic-checks.js';

/** Any character a later rule might refuse; text without one is accepted at once. */
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164\ufeff\uffa0\ufff9-\uffff\ud800-\udfff]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const DIRECTION_OVERRIDE = /[\u202a-\u202e\u2066-\u2069]/;
const DIRECTION_MARK = /[\u061c\u200e\u200f]/;
/** Invisible characters with no business in a one-line value (ZWJ/ZWNJ stay: scripts and emoji need them). */
const INVISIBLE_IN_LINE = /[\u180e\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb]/;
const NONCHARACTER = /[\ufffe\uffff]/;
/** A character one can see: not white space, not a format character, not a blank filler. */
const VISIBLE = /[^\s\p{Cf}\p{Zs}\u115f\u1160\u2800\u3164\uffa0]/u;

/** Fields of free text (by member name: /narrative, /flight/carrierStatedCause, /chargeback/merchantResponse): several lines allowed. */
const FREE_TEXT = new Set(['narrative', 'carrierStatedCause', 'merchantResponse']);
/** Fields naming someone or something (/ref, /claimant/name, /respondent/name, /respondent/merchantId): must show a visible character. */
const MUST_BE_VISIBLE = new Set(['ref', 'name', 'merchantId', ...FREE_TEXT]);
/** Printable ASCII other than space: a string holding one is visible without the Unicode check. */
const ASCII_VISIBLE = /[!-~]/;

const codePoint = (s: string, re: RegExp): string => {
  const m = re.exec(s);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : '';
};

const lastToken = (at: string): string => at.slice(at.lastIndexOf('/') + 1);

/** What is wrong with one text value at `at` (a pointer; its last member name decides the rules), or undefined. */
export function textProblem(value: string, at: string): string | undefined {
  return problemOf(value, lastToken(at));
}

function problemOf(value: string, member: string): string | undefined {
  const freeText = FREE_TEXT.has(member);
  if (SUSPECT.test(value)) {
    if (LONE_SURROGATE.test(value)) {
      return 'Contains a lone surrogate (half of a UTF-16 pair): not valid Unicode text, so the record could not be canonicalised.';
    }
    const control = freeText ? CONTROL_IN_TEXT : CONTROL_IN_LINE;
    if (control.test(value)) {
      return `Contains a control character (${codePoint(value, control)})${freeText ? '; line breaks and tabs are fine' : ''}: remove it.`;
    }
    if (DIRECTION_OVERRIDE.test(value)) {
      return `Contains an invisible text-direction control (${codePoint(value, DIRECTION_OVERRIDE)}), which makes text read differently from what it is: remove it.`;
    }
    if (!freeText && DIRECTION_MARK.test(value)) {
      return `Contains an invisible direction mark (${codePoint(value, DIRECTION_MARK)}): remove it.`;
    }
    if (!freeText && INVISIBLE_IN_LINE.test(value)) {
      return `Contains an invisible character (${codePoint(value, INVISIBLE_IN_LINE)}): remove it.`;
    }
    if (NONCHARACTER.test(value)) return `Contains a Unicode noncharacter (${codePoint(value, NONCHARACTER)}): remove it.`;
  }
  if (MUST_BE_VISIBLE.has(member) && !ASCII_VISIBLE.test(value) && !VISIBLE.test(value)) {
    return 'Must contain a visible character: it is empty, blank or invisible.';
  }
  return undefined;
}

/** Every text value of the record (member names included) that the rules above refuse. */
export function textErrors(record: unknown): FieldError[] {
  const out: FieldError[] = [];
  const path: (string | number)[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      const member = path.length ? path[path.length - 1] : '';
      // The common case, a plain string, costs two regex tests and no allocation.
      if (!SUSPECT.test(value) && (!MUST_BE_VISIBLE.has(member as string) || ASCII_VISIBLE.test(value))) return;
      const problem = problemOf(value, typeof member === 'string' ? member : '');
      if (problem) out.push({ pointer: pointer(...path), message: problem });
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i]);
        path.pop();
      }
      return;
    }
    if (value && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        path.push(key);
        if (SUSPECT.test(key) && LONE_SURROGATE.test(key)) {
          out.push({ pointer: pointer(...path), message: 'This member name contains a lone surrogate: not valid Unicode text.' });
        } else walk((value as Record<string, unknown>)[key]);
        path.pop();
      }
    }
  };
  walk(record);
  return out;
}
