// The escrow page's deposit field: ether as typed, into exact wei (no floats), or nothing.
import { describe, expect, it } from 'vitest';
import { weiFromEther } from '../../../web/app/lib/ether-amount.js';
import { ether } from '../../../web/app/lib/format.js';

describe('weiFromEther', () => {
  it('moves the digits: whole, decimal point or comma, up to 18 decimals', () => {
    expect(weiFromEther('1.5')).toBe('1500000000000000000');
    expect(weiFromEther('1,5')).toBe('1500000000000000000');
    expect(weiFromEther(' 2 ')).toBe('2000000000000000000');
    expect(weiFromEther('0.000000000000000001')).toBe('1');
    expect(weiFromEther('0.1')).toBe('100000000000000000');
    expect(weiFromEther('0')).toBe('0');
  });

  it('refuses what is not a plain amount: words, signs, exponents, 19 decimals, empty', () => {
    for (const bad of ['ten', '-1', '1e18', '0.0000000000000000001', '', '.5', '1.', '0x10']) expect(weiFromEther(bad), bad).toBeUndefined();
  });

  it("round-trips through the page's ether format in both languages", () => {
    expect(ether('en', weiFromEther('1234.000000000000000001')!)).toBe('1,234.000000000000000001 ETH');
    expect(ether('de', weiFromEther('1,5')!)).toBe('1,5 ETH');
  });
});
