// `arbiter node` options: a key is never read from the command line.
import { describe, expect, it } from 'vitest';
import { parseNodeArgs } from '../../../server/cli/node.js';

describe('arbiter node › options', () => {
  it('reads every option', () => {
    expect(parseNodeArgs(['--key-file', 'k', '--redis', 'redis://x', '--rpc', 'http://y', '--models', 'eu261, visa', '--fault-step', '3', '--silent', '--hide-claims', '--no-stake'])).toEqual({
      keyFile: 'k',
      redis: 'redis://x',
      rpc: 'http://y',
      models: ['eu261', 'visa'],
      faultStep: 3,
      silent: true,
      hideClaims: true,
      stake: false,
    });
  });
  it.each([['--key', '0xabc'], ['--key=0xabc'], ['--private-key', '0xabc']])('refuses a key on the command line (%s)', (...argv) => {
    expect(() => parseNodeArgs(argv)).toThrow(/never taken from the command line/);
  });
  it('reads a declared fee in wei, refusing anything but digits', () => {
    expect(parseNodeArgs(['--fee', '250000000000000']).fee).toBe(250_000_000_000_000n);
    expect(parseNodeArgs(['--api', 'http://127.0.0.1:3000']).api).toBe('http://127.0.0.1:3000');
    expect(() => parseNodeArgs(['--fee', '-1'])).toThrow(/--fee/);
    expect(() => parseNodeArgs(['--fee', '1e18'])).toThrow(/--fee/);
  });
  it('refuses a negative fault step and unknown options', () => {
    expect(() => parseNodeArgs(['--fault-step', '-1'])).toThrow(/fault-step/);
    expect(() => parseNodeArgs(['--bogus'])).toThrow(/unknown option/);
  });
});
