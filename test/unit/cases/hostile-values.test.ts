// Issue 9, Low: values the foundation stored as sent. Each is refused with its field named.
import { describe, expect, it } from 'vitest';
import { validateCaseRecord } from '../../../server/cases/validate.js';
import { validRecords, withField } from '../../support/case-fixtures.js';

const { eu261Delay, visaFraud } = validRecords;
const errorsOf = (record: unknown) => {
  const r = validateCaseRecord(record);
  return r.ok ? [] : r.errors;
};
const pointers = (record: unknown) => errorsOf(record).map((e) => e.pointer);

describe('text a record may not hold', () => {
  it.each([
    ['a lone high surrogate', '/claimant/name', 'A. \ud800Passenger', /lone surrogate/],
    ['a lone low surrogate in free text', '/narrative', 'late \udc00', /lone surrogate/],
    ['NUL', '/claimant/name', 'A.\u0000Passenger', /control character \(U\+0000\)/],
    ['a line break in a name', '/respondent/name', 'Example\nAir', /control character/],
    ['a C1 control', '/ref', 'ref\u0085', /control character/],
    ['a right-to-left override', '/claimant/name', 'A. \u202eregnessaP', /direction control \(U\+202E\)/],
    ['a right-to-left override in free text', '/narrative', 'paid \u202e0001 EUR', /direction control/],
    ['an isolate', '/flight/carrierStatedCause', 'weather \u2066x\u2069', /direction control/],
    ['a zero-width space in a name', '/claimant/name', 'A.\u200bPassenger', /invisible character \(U\+200B\)/],
    ['a byte-order mark in a reference', '/ref', '\ufeffclient-1', /invisible character/],
    ['a name of only zero-width characters', '/claimant/name', '\u200b\u200c\u200d', /visible character/],
    ['a name of only white space', '/respondent/name', ' \u3000\u00a0 ', /visible character/],
    ['a name of only Hangul fillers', '/claimant/name', '\u3164\u3164', /visible character/],
    ['a noncharacter', '/narrative', 'text \uffff', /noncharacter/],
  ])('refuses %s, naming the field', (_what, at, value, message) => {
    const errors = errorsOf(withField(eu261Delay, at, value));
    expect(errors.map((e) => e.pointer)).toEqual([at]);
    expect(errors[0].message).toMatch(message);
  });

  it('accepts line breaks and tabs in free text, right-to-left script with its marks, emoji and joiners', () => {
    let record = withField(eu261Delay, '/narrative', 'Line one.\r\n\tLine two: \u05e9\u05dc\u05d5\u05dd \u200f(\u05d8\u05d9\u05e1\u05d4)\u200f 👨‍👩‍👧 😀');
    record = withField(record, '/claimant/name', 'فاطمة‌ الزهراء 👩🏽‍✈️');
    expect(errorsOf(record)).toEqual([]);
  });

  it('refuses an invisible member name with a lone surrogate, naming it', () => {
    const record = withField(eu261Delay, '/flight/x\ud800', 1);
    expect(pointers(record)).toEqual(['/flight/x\ud800']);
  });

  it('refuses a bad evidence-free email with a control character', () => {
    expect(pointers(withField(eu261Delay, '/claimant/email', 'a\u0000@example.org'))).toContain('/claimant/email');
  });
});

describe('values out of any real range', () => {
  it('refuses a dispute id above 2^256 - 1 and accepts 2^256 - 1', () => {
    const max = (2n ** 256n - 1n).toString();
    const over = (2n ** 256n).toString();
    const base = withField(visaFraud, '/onchainDispute', { arbitrable: `0x${'12'.repeat(20)}`, disputeId: max });
    expect(errorsOf(base)).toEqual([]);
    const errors = errorsOf(withField(base, '/onchainDispute/disputeId', over));
    expect(errors).toEqual([{ pointer: '/onchainDispute/disputeId', message: 'Must be at most 2^256 - 1: ERC-792 dispute ids are uint256.' }]);
  });

  it('refuses a scheduled departure in year 0000 beside a 2026 arrival', () => {
    const errors = errorsOf(withField(eu261Delay, '/flight/scheduledDeparture', '0000-03-01T10:00:00+01:00'));
    expect(errors.map((e) => e.pointer)).toEqual(['/flight/scheduledDeparture']);
    expect(errors[0].message).toMatch(/year must be 1970 to 2099/);
  });

  it('refuses a scheduled journey longer than 7 days', () => {
    expect(pointers(withField(eu261Delay, '/flight/scheduledArrival', '2026-03-09T12:45:00-05:00'))).toEqual(['/flight/scheduledArrival']);
  });

  it('refuses a date in year 9999', () => {
    expect(pointers(withField(visaFraud, '/chargeback/disputeDate', '9999-02-02'))).toEqual(['/chargeback/disputeDate']);
  });

  it.each(['+14:59', '+15:00', '-12:30', '+05:10'])('refuses the UTC offset %s', (offset) => {
    const errors = errorsOf(withField(eu261Delay, '/flight/actualArrival', `2026-03-01T16:10:00${offset}`));
    expect(errors.map((e) => e.pointer)).toContain('/flight/actualArrival');
    expect(errors.find((e) => e.pointer === '/flight/actualArrival')!.message).toMatch(/not a UTC offset in use/);
  });

  it.each(['+14:00', '-12:00', '+05:45', '+12:45', '-09:30', 'Z'])('accepts the UTC offset %s', (offset) => {
    const record = withField(eu261Delay, '/flight/actualArrival', `2026-03-03T16:10:00${offset}`);
    expect(pointers(record)).toEqual([]);
  });
});
