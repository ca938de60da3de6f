// Sample cases: valid CASES.md records over all five jurisdictions. The demo files them, each with
// its own reference and a fresh claimant wallet; the test fixtures (test/support/case-fixtures.ts)
// are built on the same records.
import { Wallet } from 'ethers';
import type { CaseRecordT, ChargebackCaseRecordT, FlightCaseRecordT } from '../cases/schemas.js';

const passenger = { name: 'A. Passenger', email: 'a.passenger@example.org' };

/** EU261 delay FRA→JFK on LH, 3 h 25 late at the door, technical fault: band c (6,189 km). */
const eu261Delay: FlightCaseRecordT = {
  ref: 'fixture-eu261-delay',
  kind: 'flight',
  jurisdiction: 'EU261',
  claimant: { ...passenger, wallet: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' },
  respondent: { name: 'Deutsche Lufthansa AG' },
  narrative: 'We landed more than three hours late.',
  flight: {
    operatingCarrier: 'LH',
    flightNumbers: ['LH400'],
    itinerary: [{ from: 'FRA', to: 'JFK' }],
    disruption: 'delay',
    scheduledDeparture: '2026-03-01T10:00:00+01:00',
    scheduledArrival: '2026-03-01T12:45:00-05:00',
    actualArrival: '2026-03-01T16:10:00-05:00',
    carrierStatedCause: 'technical fault with the aircraft',
  },
};

/** EU261 cancellation CDG→LPA (Canaries) on AF, 3 days' notice, rerouted 5 h later. */
const eu261Cancellation: FlightCaseRecordT = {
  ref: 'fixture-eu261-cancellation',
  kind: 'flight',
  jurisdiction: 'EU261',
  claimant: passenger,
  respondent: { name: 'Air France' },
  flight: {
    operatingCarrier: 'AF',
    flightNumbers: ['AF1234'],
    itinerary: [{ from: 'CDG', to: 'LPA' }],
    disruption: 'cancellation',
    scheduledDeparture: '2026-04-10T07:30:00+02:00',
    scheduledArrival: '2026-04-10T10:00:00+01:00',
    actualArrival: '2026-04-10T15:05:00+01:00',
    cancellationNoticeDays: 3,
    reroute: { departure: '2026-04-10T12:35:00+02:00', arrival: '2026-04-10T15:05:00+01:00' },
    carrierStatedCause: 'operational reasons',
  },
};

/** UK261 delay LHR→JFK on BA, 4 h 30 late. */
const uk261Delay: FlightCaseRecordT = {
  ref: 'fixture-uk261-delay',
  kind: 'flight',
  jurisdiction: 'UK261',
  claimant: passenger,
  respondent: { name: 'British Airways' },
  flight: {
    operatingCarrier: 'BA',
    flightNumbers: ['BA117'],
    itinerary: [{ from: 'LHR', to: 'JFK' }],
    disruption: 'delay',
    scheduledDeparture: '2026-06-15T08:25:00+01:00',
    scheduledArrival: '2026-06-15T11:10:00-04:00',
    actualArrival: '2026-06-15T15:40:00-04:00',
    carrierStatedCause: 'crew shortage',
  },
};

/** US DOT refund: JFK→LAX on AA cancelled, the passenger did not travel; fare 420.00 USD. */
const usDotRefund: FlightCaseRecordT = {
  ref: 'fixture-us-dot-refund',
  kind: 'flight',
  jurisdiction: 'US_DOT_REFUND',
  claimant: passenger,
  respondent: { name: 'American Airlines' },
  flight: {
    operatingCarrier: 'AA',
    flightNumbers: ['AA1'],
    itinerary: [{ from: 'JFK', to: 'LAX' }],
    disruption: 'cancellation',
    scheduledDeparture: '2026-07-04T08:00:00-04:00',
    scheduledArrival: '2026-07-04T11:30:00-07:00',
    actualArrival: null,
    cancellationNoticeDays: 0,
    fare: { amount: 420.0, currency: 'USD' },
  },
};

/** Visa 10.4 card-absent fraud: e-commerce, no 3-D Secure, no prior transactions. */
const visaFraud: ChargebackCaseRecordT = {
  ref: 'fixture-visa-10.4',
  kind: 'chargeback',
  jurisdiction: 'VISA',
  claimant: { name: 'C. Holder', email: 'c.holder@example.org' },
  respondent: { name: 'Example Merchant GmbH' },
  chargeback: {
    reasonCode: '10.4',
    amount: { amount: 129.99, currency: 'EUR' },
    transactionDate: '2026-01-10',
    disputeDate: '2026-02-02',
    threeDSecure: 'none',
    avs: 'no_match',
    cvv: 'match',
    delivery: { proof: 'tracked', date: '2026-01-14' },
    priorUndisputedTransactions: [],
    channel: 'ecommerce',
    refundIssued: false,
    merchantResponse: 'The order shipped to the billing address.',
  },
};

/** Mastercard 4853 goods not provided: nothing delivered, expected 2026-01-15. */
const mastercardNotProvided: ChargebackCaseRecordT = {
  ref: 'fixture-mastercard-4853',
  kind: 'chargeback',
  jurisdiction: 'MASTERCARD',
  claimant: { name: 'C. Holder', email: 'c.holder@example.org' },
  respondent: { name: 'Example Shop Ltd' },
  chargeback: {
    reasonCode: '4853',
    amount: { amount: 59.9, currency: 'USD' },
    transactionDate: '2026-01-05',
    disputeDate: '2026-02-20',
    expectedDeliveryDate: '2026-01-15',
    threeDSecure: 'authenticated',
    avs: 'match',
    cvv: 'match',
    delivery: { proof: 'none', date: null },
    priorUndisputedTransactions: [
      { date: '2025-09-01', ipMatch: true, deviceIdMatch: true, shippingAddressMatch: false, accountMatch: true },
    ],
    channel: 'ecommerce',
    refundIssued: false,
  },
};

/** One valid record of each kind, by name. Shared by many test suites: never change their facts. */
export const sampleRecords = { eu261Delay, eu261Cancellation, uk261Delay, usDotRefund, visaFraud, mastercardNotProvided } as const;

const BASE: CaseRecordT[] = [eu261Delay, uk261Delay, usDotRefund, visaFraud, mastercardNotProvided, eu261Cancellation];

/** `n` records cycling through the jurisdictions, each with a unique ref and a fresh wallet. */
export function demoRecords(n: number): CaseRecordT[] {
  return Array.from({ length: n }, (_, i) => {
    const base = structuredClone(BASE[i % BASE.length]);
    base.ref = `demo-${i + 1}-${base.jurisdiction.toLowerCase()}`;
    base.claimant = { ...base.claimant, wallet: Wallet.createRandom().address };
    return base;
  });
}
