import { describe, expect, it } from 'vitest';
import { findAirline } from '../../../server/reference-data/airlines.js';
import { findAirport } from '../../../server/reference-data/airports.js';
import { validateCaseRecord } from '../../../server/cases/validate.js';
import { validRecords, variant, withField, withoutField } from '../../support/case-fixtures.js';

const { eu261Delay, eu261Cancellation, eu261DeniedBoarding, usDotRefund, visaFraud, mastercardNotProvided } = validRecords;

function errorsOf(input: unknown) {
  const result = validateCaseRecord(input);
  if (result.ok) throw new Error('expected the record to be rejected');
  return result.errors;
}

const pointersOf = (input: unknown) => errorsOf(input).map((e) => e.pointer);

describe('validateCaseRecord', () => {
  it.each(Object.entries(validRecords))('accepts the valid %s fixture and returns it unchanged', (_name, record) => {
    const result = validateCaseRecord(record);
    expect(result).toEqual({ ok: true, record });
  });

  // Code not in the airline / airport data (asserted below, so the table cannot go stale silently).
  const UNKNOWN_AIRLINE = '0Z';
  const UNKNOWN_AIRPORT = 'QQQ';
  it('uses codes the reference data does not know for the unknown-code rows', () => {
    expect(findAirline(UNKNOWN_AIRLINE)).toBeUndefined();
    expect(findAirport(UNKNOWN_AIRPORT)).toBeUndefined();
  });

  // Each row breaks one thing; the error must name exactly that field.
  const rows: [string, unknown, string][] = [
    ['unknown field at the top level', withField(eu261Delay, '/colour', 'red'), '/colour'],
    ['unknown field in claimant', withField(eu261Delay, '/claimant/phone', '123'), '/claimant/phone'],
    ['unknown field in respondent', withField(eu261Delay, '/respondent/iata', 'LH'), '/respondent/iata'],
    ['unknown field in flight', withField(eu261Delay, '/flight/foo', 1), '/flight/foo'],
    ['unknown field in an itinerary leg', withField(eu261Delay, '/flight/itinerary/0/via', 'ORD'), '/flight/itinerary/0/via'],
    ['unknown field in reroute', withField(eu261Cancellation, '/flight/reroute/gate', 'A1'), '/flight/reroute/gate'],
    ['unknown field in fare', withField(usDotRefund, '/flight/fare/taxes', 12), '/flight/fare/taxes'],
    ['unknown field in chargeback', withField(visaFraud, '/chargeback/mcc', '5999'), '/chargeback/mcc'],
    ['unknown field in chargeback amount', withField(visaFraud, '/chargeback/amount/cents', 1), '/chargeback/amount/cents'],
    ['unknown field in delivery', withField(visaFraud, '/chargeback/delivery/carrier', 'UPS'), '/chargeback/delivery/carrier'],
    [
      'unknown field in a prior transaction',
      withField(mastercardNotProvided, '/chargeback/priorUndisputedTransactions/0/amount', 1),
      '/chargeback/priorUndisputedTransactions/0/amount',
    ],
    [
      'unknown field in onchainDispute',
      withField(eu261Delay, '/onchainDispute', { arbitrable: `0x${'ab'.repeat(20)}`, disputeId: '1', chain: 1 }),
      '/onchainDispute/chain',
    ],
    ['unknown field whose name needs escaping', withField(eu261Delay, '/flight/a~b', 1), '/flight/a~0b'],
    ['missing kind', withoutField(eu261Delay, '/kind'), '/kind'],
    ['missing jurisdiction', withoutField(eu261Delay, '/jurisdiction'), '/jurisdiction'],
    ['missing claimant email', withoutField(eu261Delay, '/claimant/email'), '/claimant/email'],
    ['missing disruption', withoutField(eu261Delay, '/flight/disruption'), '/flight/disruption'],
    ['missing actualArrival (null is how to say "did not travel")', withoutField(eu261Delay, '/flight/actualArrival'), '/flight/actualArrival'],
    ['missing leg destination', withoutField(eu261Delay, '/flight/itinerary/0/to'), '/flight/itinerary/0/to'],
    ['missing chargeback transactionDate', withoutField(visaFraud, '/chargeback/transactionDate'), '/chargeback/transactionDate'],
    ['missing flight section', withoutField(eu261Delay, '/flight'), '/flight'],
    ['respondent with neither name nor merchantId', withoutField(eu261Delay, '/respondent/name'), '/respondent/name'],
    ['kind of the wrong type', withField(eu261Delay, '/kind', 7), '/kind'],
    ['kind out of range', withField(eu261Delay, '/kind', 'train'), '/kind'],
    ['disruption out of range', withField(eu261Delay, '/flight/disruption', 'late'), '/flight/disruption'],
    ['threeDSecure out of range', withField(visaFraud, '/chargeback/threeDSecure', 'yes'), '/chargeback/threeDSecure'],
    ['reason code Arbiter does not decide', withField(visaFraud, '/chargeback/reasonCode', '11.1'), '/chargeback/reasonCode'],
    ['flightNumbers not a list', withField(eu261Delay, '/flight/flightNumbers', 'LH400'), '/flight/flightNumbers'],
    ['empty itinerary', withField(eu261Delay, '/flight/itinerary', []), '/flight/itinerary'],
    ['cancellationNoticeDays negative', withField(eu261Cancellation, '/flight/cancellationNoticeDays', -1), '/flight/cancellationNoticeDays'],
    ['cancellationNoticeDays fractional', withField(eu261Cancellation, '/flight/cancellationNoticeDays', 2.5), '/flight/cancellationNoticeDays'],
    ['refundIssued as a string', withField(visaFraud, '/chargeback/refundIssued', 'false'), '/chargeback/refundIssued'],
    ['amount as a string', withField(visaFraud, '/chargeback/amount/amount', '129.99'), '/chargeback/amount/amount'],
    ['amount zero', withField(visaFraud, '/chargeback/amount/amount', 0), '/chargeback/amount/amount'],
    ['amount negative', withField(usDotRefund, '/flight/fare/amount', -5), '/flight/fare/amount'],
    ['amount with more decimals than the currency has', withField(visaFraud, '/chargeback/amount/amount', 10.001), '/chargeback/amount/amount'],
    ['yen amount with decimals', withField(withField(visaFraud, '/chargeback/amount/currency', 'JPY'), '/chargeback/amount/amount', 1500.5), '/chargeback/amount/amount'],
    ['currency not in ISO 4217', withField(visaFraud, '/chargeback/amount/currency', 'ABC'), '/chargeback/amount/currency'],
    ['currency in lower case', withField(usDotRefund, '/flight/fare/currency', 'usd'), '/flight/fare/currency'],
    ['time without a UTC offset', withField(eu261Delay, '/flight/scheduledArrival', '2026-03-01T12:45:00'), '/flight/scheduledArrival'],
    ['reroute time without a UTC offset', withField(eu261Cancellation, '/flight/reroute/departure', '2026-04-10T12:35:00'), '/flight/reroute/departure'],
    ['time that does not exist', withField(eu261Delay, '/flight/scheduledDeparture', '2026-02-29T10:00:00Z'), '/flight/scheduledDeparture'],
    ['date in another format', withField(visaFraud, '/chargeback/disputeDate', '02/02/2026'), '/chargeback/disputeDate'],
    ['date that does not exist', withField(visaFraud, '/chargeback/transactionDate', '2026-13-01'), '/chargeback/transactionDate'],
    ['airport code in lower case', withField(eu261Delay, '/flight/itinerary/0/from', 'fra'), '/flight/itinerary/0/from'],
    ['unknown departure airport', withField(eu261Delay, '/flight/itinerary/0/from', UNKNOWN_AIRPORT), '/flight/itinerary/0/from'],
    ['unknown arrival airport', withField(eu261Delay, '/flight/itinerary/0/to', UNKNOWN_AIRPORT), '/flight/itinerary/0/to'],
    ['unknown operating carrier', withField(eu261Delay, '/flight/operatingCarrier', UNKNOWN_AIRLINE), '/flight/operatingCarrier'],
    ['flight number of an unknown carrier', withField(eu261Delay, '/flight/flightNumbers/0', `${UNKNOWN_AIRLINE}400`), '/flight/flightNumbers/0'],
    ['malformed flight number', withField(eu261Delay, '/flight/flightNumbers/0', 'Lufthansa 400'), '/flight/flightNumbers/0'],
    ['legs that do not connect', withField(eu261DeniedBoarding, '/flight/itinerary/1/from', 'ARN'), '/flight/itinerary/1/from'],
    ['a leg to its own departure airport', withField(eu261Delay, '/flight/itinerary/0/to', 'FRA'), '/flight/itinerary/0/to'],
    ['actual arrival before scheduled departure', withField(eu261Delay, '/flight/actualArrival', '2026-03-01T09:00:00+01:00'), '/flight/actualArrival'],
    ['scheduled arrival before scheduled departure', withField(eu261Delay, '/flight/scheduledArrival', '2026-03-01T03:59:00-05:00'), '/flight/scheduledArrival'],
    ['reroute arriving before it departs', withField(eu261Cancellation, '/flight/reroute/arrival', '2026-04-10T09:00:00+01:00'), '/flight/reroute/arrival'],
    ['dispute before the transaction', withField(visaFraud, '/chargeback/disputeDate', '2026-01-09'), '/chargeback/disputeDate'],
    ['prior transaction after the disputed one', withField(mastercardNotProvided, '/chargeback/priorUndisputedTransactions/0/date', '2026-01-06'), '/chargeback/priorUndisputedTransactions/0/date'],
    ['flight jurisdiction on a chargeback', withField(visaFraud, '/jurisdiction', 'EU261'), '/jurisdiction'],
    ['card network on a flight', withField(eu261Delay, '/jurisdiction', 'VISA'), '/jurisdiction'],
    ['both flight and chargeback', withField(eu261Delay, '/chargeback', visaFraud.chargeback), '/chargeback'],
    ['notice days on a delay', withField(eu261Delay, '/flight/cancellationNoticeDays', 3), '/flight/cancellationNoticeDays'],
    ['voluntary flag on a cancellation', withField(eu261Cancellation, '/flight/deniedBoardingVoluntary', true), '/flight/deniedBoardingVoluntary'],
    ['US DOT refund without a fare', withoutField(usDotRefund, '/flight/fare'), '/flight/fare'],
    ['Mastercard code under Visa', withField(visaFraud, '/chargeback/reasonCode', '4837'), '/chargeback/reasonCode'],
    ['Visa code under Mastercard', withField(mastercardNotProvided, '/chargeback/reasonCode', '13.1'), '/chargeback/reasonCode'],
    ['wallet that is not an address', withField(eu261Delay, '/claimant/wallet', '0x1234'), '/claimant/wallet'],
    ['wallet that is the zero address', withField(eu261Delay, '/claimant/wallet', `0x${'0'.repeat(40)}`), '/claimant/wallet'],
    ['email that is not an address', withField(eu261Delay, '/claimant/email', 'passenger at example'), '/claimant/email'],
    [
      'arbitrable that is not an address',
      withField(eu261Delay, '/onchainDispute', { arbitrable: 'escrow.eth', disputeId: '12' }),
      '/onchainDispute/arbitrable',
    ],
    [
      'dispute id that is not a whole number',
      withField(eu261Delay, '/onchainDispute', { arbitrable: `0x${'ab'.repeat(20)}`, disputeId: '-1' }),
      '/onchainDispute/disputeId',
    ],
    [
      'the same ruling for both parties',
      withField(eu261Delay, '/onchainDispute', {
        arbitrable: `0x${'ab'.repeat(20)}`,
        disputeId: '12',
        rulings: { claimant: 1, respondent: 1 },
      }),
      '/onchainDispute/rulings/respondent',
    ],
    ['delivery date of the wrong type', withField(mastercardNotProvided, '/chargeback/delivery/date', 20260114), '/chargeback/delivery/date'],
    ['empty narrative', withField(eu261Delay, '/narrative', ''), '/narrative'],
  ];

  it.each(rows)('rejects %s, naming the field', (_label, input, expected) => {
    const errors = errorsOf(input);
    expect(errors.map((e) => e.pointer)).toEqual([expected]);
    expect(errors[0].message).toMatch(/^[A-Z0-9"].*\.$/);
  });

  it('rejects a value that is not an object, naming the whole document', () => {
    for (const input of [null, 42, 'case', [eu261Delay]]) expect(pointersOf(input)).toEqual(['']);
  });

  it('accepts null as the actual arrival of a passenger who did not travel', () => {
    const record = variant(eu261Cancellation, (r) => {
      r.flight.actualArrival = null;
    });
    expect(validateCaseRecord(record).ok).toBe(true);
  });

  it('accepts times with Z or any offset, with or without seconds, and compares them as instants', () => {
    const record = variant(eu261Delay, (r) => {
      r.flight.scheduledDeparture = '2026-03-01T09:00Z';
      // 12:45 in New York is 17:45 UTC: after 09:00 UTC although the local clock reads earlier.
      r.flight.scheduledArrival = '2026-03-01T12:45:00.250-05:00';
      r.flight.actualArrival = '2026-03-01T21:10:00Z';
    });
    expect(validateCaseRecord(record).ok).toBe(true);
  });

  it('accepts amounts with as many decimals as the currency has, and whole amounts in any currency', () => {
    for (const [amount, currency] of [
      [0.01, 'EUR'],
      [1500, 'JPY'],
      [12.345, 'KWD'],
      [1999.5, 'HUF'],
      [420, 'USD'],
    ] as const) {
      const record = variant(visaFraud, (r) => {
        r.chargeback.amount = { amount, currency };
      });
      expect(validateCaseRecord(record), `${amount} ${currency}`).toEqual({ ok: true, record });
    }
  });

  it('accepts a wallet in any letter case (the EIP-55 checksum is not required)', () => {
    for (const wallet of [`0x${'ab'.repeat(20)}`, `0x${'AB'.repeat(20)}`, `0x${'aB'.repeat(20)}`]) {
      expect(validateCaseRecord(withField(eu261Delay, '/claimant/wallet', wallet)).ok).toBe(true);
    }
  });

  it('accepts a respondent named by merchantId alone', () => {
    expect(validateCaseRecord(withField(eu261Delay, '/respondent', { merchantId: 'm_1' })).ok).toBe(true);
  });

  it('collects every error of a record, not just the first', () => {
    let record = withField(eu261Delay, '/flight/foo', 1);
    record = withoutField(record, '/claimant/email');
    record = withField(record, '/flight/itinerary/0/to', UNKNOWN_AIRPORT);
    record = withField(record, '/flight/scheduledArrival', '2026-03-01T12:45:00');
    expect(new Set(pointersOf(record))).toEqual(
      new Set(['/flight/foo', '/claimant/email', '/flight/itinerary/0/to', '/flight/scheduledArrival']),
    );
  });

  it('names the missing section, the stray section and the jurisdiction when kind contradicts the facts', () => {
    const record = withField(visaFraud, '/kind', 'flight');
    expect(pointersOf(record)).toEqual(['/flight', '/chargeback', '/jurisdiction']);
  });

  it('reports the fields every record has when it carries neither kind nor a section', () => {
    expect(pointersOf({})).toEqual(['/kind', '/claimant', '/respondent', '/jurisdiction']);
    expect(pointersOf({ kind: 'boat', jurisdiction: 'EU262', claimant: { name: 'A' }, respondent: { name: 'B' } })).toEqual([
      '/kind',
      '/claimant/email',
      '/jurisdiction',
    ]);
  });

  it('treats a field held as undefined (a form left empty) as absent', () => {
    const record = variant(eu261Delay, (r) => {
      r.flight.cancellationNoticeDays = undefined;
      r.flight.fare = undefined;
      r.claimant.wallet = undefined;
    });
    expect(validateCaseRecord(record).ok).toBe(true);
  });

  it('still checks the facts when kind is missing', () => {
    const record = withField(withoutField(eu261Delay, '/kind'), '/flight/itinerary/0/from', UNKNOWN_AIRPORT);
    expect(pointersOf(record)).toEqual(['/kind', '/flight/itinerary/0/from']);
  });

  it('gives one error per field', () => {
    // Lower-case and unknown at once: the format error alone is reported.
    const pointers = pointersOf(withField(eu261Delay, '/flight/itinerary/0/from', 'qqq'));
    expect(pointers).toEqual(['/flight/itinerary/0/from']);
  });

  it('returns the same errors in the same order for the same record', () => {
    let record = withField(visaFraud, '/chargeback/zzz', 1);
    record = withField(record, '/chargeback/amount/currency', 'ABC');
    record = withField(record, '/aaa', 1);
    record = withoutField(record, '/chargeback/cvv');
    const first = errorsOf(record);
    expect(errorsOf(structuredClone(record))).toEqual(first);
    expect(first.length).toBe(4);
  });

  it('bounds the work on a record with thousands of unknown fields', () => {
    const record: Record<string, unknown> = structuredClone(eu261Delay);
    for (let i = 0; i < 5000; i++) record[`extra${i}`] = i;
    // Refused on its member count alone, before any walk over the 5,000 members.
    expect(errorsOf(record)).toEqual([{ pointer: '', message: 'Has 5,007 members; no object in a case record has more than 32.' }]);
  });

  it('still names a few unknown fields one by one', () => {
    const record: Record<string, unknown> = structuredClone(eu261Delay);
    for (let i = 0; i < 20; i++) record[`extra${i}`] = i;
    const errors = errorsOf(record);
    expect(errors).toHaveLength(16);
    expect(errors[0].pointer).toBe('/extra0');
  });

  it('refuses an array longer than any list in a record, naming it, before walking its entries', () => {
    const record = withField(eu261Delay, '/flight/itinerary', Array(200_000).fill(1));
    expect(errorsOf(record)).toEqual([
      { pointer: '/flight/itinerary', message: 'Has 200,000 entries; no list in a case record takes more than 100.' },
    ]);
  });

  it('names the allowed values in an enum error', () => {
    const [error] = errorsOf(withField(eu261Delay, '/flight/disruption', 'late'));
    expect(error.message).toContain('delay, cancellation, denied_boarding');
  });

  it('says which jurisdictions fit the kind', () => {
    const [error] = errorsOf(withField(eu261Delay, '/jurisdiction', 'VISA'));
    expect(error.message).toContain('EU261, UK261, US_DOT_REFUND');
  });
});
