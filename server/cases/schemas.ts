// The case record of CASES.md as TypeBox schemas: the one description of the shape, used for
// validation (validate.ts), for the API's OpenAPI document and for the featurizers' types.
// Every object is closed (`additionalProperties: false`) so an unknown field is an error that
// names it. What one schema cannot say (codes resolved from the data packages, dates in order,
// fields that apply to one disruption only) is checked in semantic-checks.ts.
//
// `title` on the reusable string formats is read by validate.ts to say what was expected.
import { Type, type Static } from 'typebox';

// ---------------------------------------------------------------------------------------------
// Scalars

/** An instant in ISO 8601 with an explicit UTC offset; a local airport time with its offset is fine. */
export const Timestamp = Type.String({
  title: 'date and time with a UTC offset',
  description:
    'ISO 8601 date and time with an explicit UTC offset (`Z` or `±hh:mm`); local airport time with its offset is fine. Seconds optional, at most 3 fractional digits.',
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2})$',
  examples: ['2026-03-01T12:45:00-05:00', '2026-03-01T17:45:00Z'],
});

/** A calendar date `YYYY-MM-DD`. */
export const CalendarDate = Type.String({
  title: 'date (YYYY-MM-DD)',
  description: 'Calendar date, `YYYY-MM-DD`.',
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  examples: ['2026-01-10'],
});

export const AirportCode = Type.String({
  title: 'three-letter IATA airport code',
  description: 'IATA airport code, resolved from the airport data package.',
  pattern: '^[A-Z]{3}$',
  examples: ['FRA', 'JFK'],
});

export const AirlineCode = Type.String({
  title: 'two-character IATA airline code',
  description: 'IATA airline designator, resolved from the airline data package.',
  pattern: '^([A-Z][A-Z0-9]|[0-9][A-Z])$',
  examples: ['LH', 'U2'],
});

export const FlightNumber = Type.String({
  title: 'flight number (airline code and up to 4 digits)',
  description: 'IATA airline designator followed by 1–4 digits and an optional suffix letter.',
  pattern: '^([A-Z][A-Z0-9]|[0-9][A-Z])[0-9]{1,4}[A-Z]?$',
  examples: ['LH400', 'U21234'],
});

export const CurrencyCode = Type.String({
  title: 'three-letter ISO 4217 currency code',
  description: 'ISO 4217 currency code.',
  pattern: '^[A-Z]{3}$',
  examples: ['EUR', 'USD'],
});

/** An Ethereum address; the EIP-55 checksum is not required (any letter case). */
export const Address = Type.String({
  title: 'Ethereum address (0x and 40 hex digits)',
  description: '20-byte account address, `0x` and 40 hexadecimal digits, any letter case.',
  pattern: '^0x[0-9a-fA-F]{40}$',
  examples: ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
});

const Text = (maxLength: number, description: string, example: string) =>
  Type.String({ minLength: 1, maxLength, description, examples: [example] });

/** An amount of money in major units (420.5 = 420 dollars 50 cents). */
const moneyOf = (description: string) =>
  Type.Object(
    {
      amount: Type.Number({
        exclusiveMinimum: 0,
        maximum: 1_000_000_000,
        description:
          'Decimal amount in major units, greater than 0, with no more decimals than the currency has minor units (EUR 2, JPY 0, KWD 3).',
        examples: [420, 129.99],
      }),
      currency: CurrencyCode,
    },
    { additionalProperties: false, description, examples: [{ amount: 129.99, currency: 'EUR' }] },
  );

export const Money = moneyOf('An amount of money.');

// ---------------------------------------------------------------------------------------------
// Parties

export const Claimant = Type.Object(
  {
    name: Text(200, 'Name of the claimant.', 'A. Passenger'),
    email: Type.String({
      title: 'email address',
      format: 'email',
      maxLength: 254,
      description: 'Where Arbiter writes to the claimant.',
      examples: ['a@example.org'],
    }),
    wallet: Type.Optional(
      Type.String({ ...Address, description: 'Address the award is paid to; without it the award waits as a claimable balance.' }),
    ),
  },
  { additionalProperties: false, description: 'Who files the claim.' },
);

export const Respondent = Type.Object(
  {
    name: Type.Optional(Text(200, 'Name of the airline or merchant.', 'Example Air')),
    merchantId: Type.Optional(Text(200, 'Arbiter id of the merchant, when the case is filed through the API.', 'm_123')),
  },
  {
    additionalProperties: false,
    description: 'Who the claim is against: a `name`, or a `merchantId` when filed through the API.',
    examples: [{ name: 'Example Air' }],
  },
);

export const Rulings = Type.Object(
  {
    claimant: Type.Integer({ minimum: 1, maximum: 2 ** 32, description: 'Ruling given when the claimant prevails.', examples: [1] }),
    respondent: Type.Integer({ minimum: 1, maximum: 2 ** 32, description: 'Ruling given when the respondent prevails.', examples: [2] }),
  },
  {
    additionalProperties: false,
    description: 'ERC-792 ruling numbers for each outcome (0 is reserved for "refused to arbitrate").',
  },
);

export const OnchainDispute = Type.Object(
  {
    arbitrable: Type.String({
      ...Address,
      description: 'The ERC-792 arbitrable contract that raised the dispute. Filed with a merchant API key: one of the merchant\'s arbitrables (GET /v1/merchants/me/arbitrables), else 422.',
    }),
    disputeId: Type.String({
      title: 'dispute id (a whole number written as text)',
      pattern: '^(0|[1-9][0-9]{0,77})$',
      description: 'The dispute id the arbitrator returned, as a decimal string (uint256).',
      examples: ['12'],
    }),
    rulings: Type.Optional(Rulings),
  },
  { additionalProperties: false, description: 'The case decides this ERC-792 dispute (DESIGN.md).' },
);

// ---------------------------------------------------------------------------------------------
// Flight

export const FlightLeg = Type.Object(
  { from: AirportCode, to: AirportCode },
  { additionalProperties: false, description: 'One leg of the booking.', examples: [{ from: 'FRA', to: 'JFK' }] },
);

export const Disruption = Type.Enum(['delay', 'cancellation', 'denied_boarding'], {
  description: 'What happened to the flight.',
  examples: ['delay'],
});

export const Reroute = Type.Object(
  {
    departure: Timestamp,
    arrival: Timestamp,
  },
  { additionalProperties: false, description: 'The alternative flight offered (for US_DOT_REFUND: the changed flight).' },
);

export const Flight = Type.Object(
  {
    operatingCarrier: Type.String({ ...AirlineCode, description: 'IATA code of the carrier that operated (or was to operate) the disrupted flight.' }),
    flightNumbers: Type.Array(FlightNumber, { minItems: 1, maxItems: 8, description: 'Flight numbers of the booking.' }),
    itinerary: Type.Array(FlightLeg, {
      minItems: 1,
      maxItems: 8,
      description: 'The legs of one booking, in order; each leg departs where the previous one arrived.',
    }),
    disruption: Disruption,
    scheduledDeparture: Type.String({ ...Timestamp, description: 'Scheduled departure of the first leg.' }),
    scheduledArrival: Type.String({ ...Timestamp, description: 'Scheduled arrival at the final destination.' }),
    actualArrival: Type.Union([Timestamp, Type.Null()], {
      description: 'When a door opened at the final destination; null if the passenger did not travel.',
    }),
    cancellationNoticeDays: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 366,
        description: 'Cancellation only: whole days between the notice and the scheduled departure.',
        examples: [3],
      }),
    ),
    reroute: Type.Optional(Reroute),
    deniedBoardingVoluntary: Type.Optional(
      Type.Boolean({ description: 'Denied boarding only: true when the passenger volunteered to give up the seat.' }),
    ),
    carrierStatedCause: Type.Optional(
      Text(2000, 'The reason the carrier gave for the disruption, in its words.', 'technical fault with the aircraft'),
    ),
    fare: Type.Optional(moneyOf('US_DOT_REFUND: the fare to refund, taxes and charges included.')),
  },
  { additionalProperties: false, description: 'The disrupted flight.' },
);

// ---------------------------------------------------------------------------------------------
// Chargeback

/** Every reason code Arbiter decides; which network each belongs to is a semantic check. */
export const VISA_REASON_CODES = ['10.4', '12.6.1', '13.1', '13.2', '13.3', '13.6', '13.7'] as const;
export const MASTERCARD_REASON_CODES = ['4837', '4853', '4834', '4808'] as const;

export const ReasonCode = Type.Enum([...VISA_REASON_CODES, ...MASTERCARD_REASON_CODES], {
  description: 'Visa dispute condition or Mastercard reason code (LAW.md §4, §5).',
  examples: ['10.4', '4837'],
});

export const Delivery = Type.Object(
  {
    proof: Type.Enum(['signed', 'tracked', 'digital_access', 'none'], { description: 'Best proof of delivery the merchant holds.' }),
    date: Type.Optional(Type.Union([CalendarDate, Type.Null()], { description: 'Delivery date; null or absent when unknown.' })),
  },
  { additionalProperties: false, examples: [{ proof: 'signed', date: '2026-01-14' }] },
);

export const PriorTransaction = Type.Object(
  {
    date: CalendarDate,
    ipMatch: Type.Boolean(),
    deviceIdMatch: Type.Boolean(),
    shippingAddressMatch: Type.Boolean(),
    accountMatch: Type.Boolean(),
  },
  {
    additionalProperties: false,
    description: 'An earlier undisputed transaction on the same card and which core elements match the disputed one (Visa CE 3.0).',
  },
);

export const ChargebackCancellation = Type.Object(
  {
    date: CalendarDate,
    policyDisclosed: Type.Boolean({ description: 'The cancellation policy was disclosed before the purchase.' }),
    policyApplied: Type.Boolean({ description: 'The disclosed policy lets the merchant keep the money for this cancellation.' }),
  },
  { additionalProperties: false, description: 'The cardholder cancelled.' },
);

export const Duplicate = Type.Object(
  {
    otherTransactionDate: CalendarDate,
    sameAmount: Type.Boolean(),
    sameOrderId: Type.Boolean(),
  },
  { additionalProperties: false, description: 'The other transaction the cardholder says duplicates this one.' },
);

export const Return = Type.Object(
  {
    attempted: Type.Boolean(),
    receivedByMerchant: Type.Boolean(),
  },
  { additionalProperties: false, description: 'Return of the merchandise.' },
);

export const Chargeback = Type.Object(
  {
    reasonCode: ReasonCode,
    amount: moneyOf('The disputed amount.'),
    transactionDate: CalendarDate,
    disputeDate: Type.String({ ...CalendarDate, description: 'Date the cardholder disputed the transaction.' }),
    expectedDeliveryDate: Type.Optional(Type.String({ ...CalendarDate, description: 'When the goods or services were to be delivered.' })),
    threeDSecure: Type.Enum(['authenticated', 'attempted', 'none'], { description: '3-D Secure result of the transaction.' }),
    avs: Type.Enum(['match', 'partial', 'no_match', 'unavailable'], { description: 'Address verification result.' }),
    cvv: Type.Enum(['match', 'no_match', 'not_provided'], { description: 'Card security code result.' }),
    delivery: Delivery,
    priorUndisputedTransactions: Type.Array(PriorTransaction, { maxItems: 100 }),
    channel: Type.Enum(['ecommerce', 'card_present', 'recurring'], { description: 'How the card was used.' }),
    refundIssued: Type.Boolean({ description: 'The merchant has already refunded the amount.' }),
    cancellation: Type.Optional(ChargebackCancellation),
    duplicate: Type.Optional(Duplicate),
    return: Type.Optional(Return),
    merchantResponse: Type.Optional(Text(10_000, "The merchant's answer, in its words.", 'Delivered and signed for on 14 January.')),
  },
  { additionalProperties: false, description: 'The disputed card transaction.' },
);

// ---------------------------------------------------------------------------------------------
// The record: one closed shape per kind, so a flight case cannot carry `chargeback` (and the
// other way round) and `jurisdiction` is checked against `kind` by the schema itself.

const common = {
  ref: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Client reference, echoed in the verdict.', examples: ['client-123'] })),
  claimant: Claimant,
  respondent: Respondent,
  narrative: Type.Optional(Text(10_000, 'What happened, in the claimant’s words.', 'My flight landed four hours late.')),
  onchainDispute: Type.Optional(OnchainDispute),
};

export const FLIGHT_JURISDICTIONS = ['EU261', 'UK261', 'US_DOT_REFUND'] as const;
export const CHARGEBACK_JURISDICTIONS = ['VISA', 'MASTERCARD'] as const;

export const FlightCaseRecord = Type.Object(
  {
    ...common,
    kind: Type.Literal('flight'),
    jurisdiction: Type.Enum([...FLIGHT_JURISDICTIONS], { description: 'The passenger-rights law the claim is made under.' }),
    flight: Flight,
  },
  {
    additionalProperties: false,
    description: 'A flight disruption claim (EU261, UK261, US DOT refund).',
    examples: [
      {
        ref: 'client-123',
        kind: 'flight',
        jurisdiction: 'EU261',
        claimant: { name: 'A. Passenger', email: 'a@example.org' },
        respondent: { name: 'Example Air' },
        flight: {
          operatingCarrier: 'LH',
          flightNumbers: ['LH400'],
          itinerary: [{ from: 'FRA', to: 'JFK' }],
          disruption: 'delay',
          scheduledDeparture: '2026-03-01T10:00:00+01:00',
          scheduledArrival: '2026-03-01T12:45:00-05:00',
          actualArrival: '2026-03-01T16:10:00-05:00',
          carrierStatedCause: 'technical fault',
        },
      },
    ],
  },
);

export const ChargebackCaseRecord = Type.Object(
  {
    ...common,
    kind: Type.Literal('chargeback'),
    jurisdiction: Type.Enum([...CHARGEBACK_JURISDICTIONS], { description: 'The card network whose rules decide.' }),
    chargeback: Chargeback,
  },
  {
    additionalProperties: false,
    description: 'A card chargeback dispute (Visa, Mastercard).',
    examples: [
      {
        ref: 'order-981',
        kind: 'chargeback',
        jurisdiction: 'VISA',
        claimant: { name: 'C. Holder', email: 'c@example.org' },
        respondent: { merchantId: 'mer_123' },
        chargeback: {
          reasonCode: '13.1',
          amount: { amount: 129.99, currency: 'EUR' },
          transactionDate: '2026-01-10',
          disputeDate: '2026-02-02',
          expectedDeliveryDate: '2026-01-15',
          threeDSecure: 'authenticated',
          avs: 'match',
          cvv: 'match',
          delivery: { proof: 'none', date: null },
          priorUndisputedTransactions: [],
          channel: 'ecommerce',
          refundIssued: false,
        },
      },
    ],
  },
);

/**
 * What every record has, whatever its kind (unknown fields allowed): lets validate.ts still
 * report the common fields of a record whose `kind` is missing or unknown.
 */
export const CaseEnvelope = Type.Object(
  {
    ...common,
    jurisdiction: Type.Enum([...FLIGHT_JURISDICTIONS, ...CHARGEBACK_JURISDICTIONS]),
  },
  { additionalProperties: true },
);

export const CaseRecord = Type.Union([FlightCaseRecord, ChargebackCaseRecord], {
  description: 'A case as CASES.md defines it; `kind` says which of the two shapes it is.',
});

export type CaseRecordT = Static<typeof CaseRecord>;
export type FlightCaseRecordT = Static<typeof FlightCaseRecord>;
export type ChargebackCaseRecordT = Static<typeof ChargebackCaseRecord>;
export type FlightT = Static<typeof Flight>;
export type ChargebackT = Static<typeof Chargeback>;
export type MoneyT = Static<typeof Money>;
export type FlightLegT = Static<typeof FlightLeg>;
export type Jurisdiction = CaseRecordT['jurisdiction'];
