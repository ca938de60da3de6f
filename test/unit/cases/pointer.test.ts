import { describe, expect, it } from 'vitest';
import { escapeToken, isWithin, parsePointer, pointer } from '../../../server/cases/pointer.js';

describe('JSON pointers (RFC 6901)', () => {
  it('escapes ~ and / in a token and round-trips through parsePointer', () => {
    expect(escapeToken('a/b~c')).toBe('a~1b~0c');
    const p = pointer('flight', 'a/b~c', 0);
    expect(p).toBe('/flight/a~1b~0c/0');
    expect(parsePointer(p)).toEqual(['flight', 'a/b~c', '0']);
  });

  it('gives the empty pointer for the whole document', () => {
    expect(pointer()).toBe('');
    expect(parsePointer('')).toEqual([]);
  });

  it('knows a field is within itself and its parents, not a sibling with a longer name', () => {
    expect(isWithin('/flight/itinerary/0', '/flight')).toBe(true);
    expect(isWithin('/flight', '/flight')).toBe(true);
    expect(isWithin('/flightNumbers', '/flight')).toBe(false);
    expect(isWithin('/kind', '')).toBe(true);
  });
});
