// HTTP shapes of a merchant's response to a case: the facts of CASES.md the respondent may give
// in its own version (a chargeback's merchantResponse, delivery proof, refund, prior undisputed
// transactions, cancellation and return; a flight's carrierStatedCause).
import { Type, type Static } from 'typebox';
import { ChargebackCancellation, Delivery, PriorTransaction, Return } from './schemas.js';

export const ChargebackResponse = Type.Object(
  {
    merchantResponse: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000, description: "The merchant's answer, in its words.", examples: ['Delivered and signed for on 14 January.'] })),
    delivery: Type.Optional(Delivery),
    refundIssued: Type.Optional(Type.Boolean({ description: 'The merchant has already refunded the amount.' })),
    priorUndisputedTransactions: Type.Optional(Type.Array(PriorTransaction, { maxItems: 100 })),
    cancellation: Type.Optional(ChargebackCancellation),
    return: Type.Optional(Return),
  },
  { additionalProperties: false, minProperties: 1, description: "The merchant's version of these chargeback facts; each replaces the claimant's." },
);

export const FlightResponse = Type.Object(
  {
    carrierStatedCause: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'The reason the carrier gives for the disruption.', examples: ['air traffic control restriction'] })),
  },
  { additionalProperties: false, minProperties: 1, description: "The carrier's version of these flight facts." },
);

export const CaseResponseBody = Type.Object(
  { chargeback: Type.Optional(ChargebackResponse), flight: Type.Optional(FlightResponse) },
  {
    additionalProperties: false,
    description: 'Exactly one of `chargeback` / `flight`, matching the case kind.',
    examples: [{ chargeback: { merchantResponse: 'Delivered and signed for on 14 January.', delivery: { proof: 'signed', date: '2026-01-14' } } }],
  },
);
export type CaseResponseBodyT = Static<typeof CaseResponseBody>;

export const CaseResponseView = Type.Object(
  {
    object: Type.Literal('case_response'),
    caseId: Type.String(),
    status: Type.Union([Type.Literal('awaiting'), Type.Literal('responded'), Type.Literal('lapsed')]),
    dueAt: Type.String({ format: 'date-time' }),
    response: Type.Union([CaseResponseBody, Type.Null()]),
    respondedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    recordHash: Type.String({ description: 'The record hash now (covering the response, once given).' }),
  },
  { additionalProperties: false },
);
export type CaseResponseViewT = Static<typeof CaseResponseView>;
