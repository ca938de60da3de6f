import { describe, expect, it } from 'vitest';
import { fieldForPointer, fieldNames, legCount } from '../../../web/app/lib/claim-form.js';
import { tokenFromInput } from '../../../web/app/lib/case-access.server.js';

describe('the claim form finds the field of each API error pointer', () => {
  const flight = fieldNames('flight', 2);
  const card = fieldNames('chargeback', 1);

  it('maps record pointers to their fields, renamed ones included', () => {
    expect(fieldForPointer('/claimant/email', 'flight', flight)).toBe('claimant.email');
    expect(fieldForPointer('/flight/itinerary/1/to', 'flight', flight)).toBe('leg.1.to');
    expect(fieldForPointer('/flight/flightNumbers/0', 'flight', flight)).toBe('leg.0.flightNumber');
    expect(fieldForPointer('/flight/scheduledArrival', 'flight', flight)).toBe('flight.scheduledArrival');
    expect(fieldForPointer('/jurisdiction', 'flight', flight)).toBe('jurisdiction');
    expect(fieldForPointer('/jurisdiction', 'chargeback', card)).toBe('network');
    expect(fieldForPointer('/chargeback/reasonCode', 'chargeback', card)).toBe('reason');
    expect(fieldForPointer('/chargeback/amount/currency', 'chargeback', card)).toBe('chargeback.amount.currency');
  });

  it('falls back to the nearest field above a pointer, or to none', () => {
    expect(fieldForPointer('/flight/reroute/departure', 'flight', flight)).toBe('flight.reroute.departure');
    expect(fieldForPointer('/flight/fare', 'flight', flight)).toBe('flight.fare.amount');
    expect(fieldForPointer('/chargeback/delivery/date', 'chargeback', card)).toBe('chargeback.delivery.date');
    expect(fieldForPointer('/onchainDispute/arbitrable', 'flight', flight)).toBeUndefined();
    expect(fieldForPointer('', 'flight', flight)).toBeUndefined();
  });

  it('counts itinerary rows from the submitted names, at most eight', () => {
    expect(legCount({})).toBe(1);
    expect(legCount({ 'leg.0.from': 'FRA', 'leg.2.to': 'JFK' })).toBe(3);
    expect(legCount({ 'leg.40.from': 'FRA' })).toBe(8);
  });
});

describe('the private link', () => {
  const token = `ct_${'a'.repeat(28)}.${'B'.repeat(43)}`;
  it('finds the access token in a pasted link, fragment or bare code', () => {
    expect(tokenFromInput(`https://arbiter.example/c#${token}`)).toBe(token);
    expect(tokenFromInput(`  #${token}\n`)).toBe(token);
    expect(tokenFromInput(token)).toBe(token);
    expect(tokenFromInput('ct_short.x')).toBeUndefined();
  });
});
