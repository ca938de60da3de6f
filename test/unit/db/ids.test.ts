import { describe, expect, it } from 'vitest';
import { newId } from '../../../server/db/ids.js';

describe('time-ordered ids', () => {
  it('sort as strings in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId('cs'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort by time across milliseconds and carry their prefix', () => {
    const early = newId('cs', Date.now() + 10_000);
    const later = newId('cs', Date.now() + 20_000);
    expect(early < later).toBe(true);
    expect(early).toMatch(/^cs_[0-9a-f]{28}$/);
  });
});
