import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadConfig } from '../../../server/config.js';

describe('configuration from the environment', () => {
  it('has embedded defaults for a fresh machine', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe(resolve('./data'));
    expect(c.databasePath).toBe(resolve('./data/arbiter.db'));
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.queuePrefix).toBe('arbiter');
    expect(c.adminToken).toBeUndefined();
    expect(c.evidenceDir).toBe(resolve('./data/evidence'));
    expect([c.chainEnabled, c.chainRpcUrl, c.chainDeployerKey]).toEqual([true, undefined, undefined]);
  });

  it('reads CHAIN (on/off), CHAIN_RPC_URL and CHAIN_DEPLOYER_KEY', () => {
    expect(loadConfig({ CHAIN: 'off' }).chainEnabled).toBe(false);
    expect(loadConfig({ CHAIN: 'OFF' }).chainEnabled).toBe(false);
    expect(loadConfig({ CHAIN: 'on' }).chainEnabled).toBe(true);
    expect(loadConfig({ CHAIN_RPC_URL: 'https://rpc.example/v3/k' }).chainRpcUrl).toBe('https://rpc.example/v3/k');
    const key = `0x${'ab'.repeat(32)}`;
    expect(loadConfig({ CHAIN_DEPLOYER_KEY: key }).chainDeployerKey).toBe(key);
    expect(loadConfig({ CHAIN_DEPLOYER_KEY: key.slice(2) }).chainDeployerKey).toBe(key);
  });

  it('reads CHAIN_BLOCK_MS (default 25, 0 for automine) and refuses nonsense, naming it', () => {
    expect(loadConfig({}).chainBlockMs).toBe(25);
    expect(loadConfig({ CHAIN_BLOCK_MS: '0' }).chainBlockMs).toBe(0);
    expect(loadConfig({ CHAIN_BLOCK_MS: '250' }).chainBlockMs).toBe(250);
    expect(() => loadConfig({ CHAIN_BLOCK_MS: '-1' })).toThrow(/CHAIN_BLOCK_MS/);
    expect(() => loadConfig({ CHAIN_BLOCK_MS: 'fast' })).toThrow(/CHAIN_BLOCK_MS/);
  });

  it('reads WEB (on/dev/off, default on) and refuses anything else', () => {
    expect(loadConfig({}).web).toBe('on');
    expect(loadConfig({ WEB: 'dev' }).web).toBe('dev');
    expect(loadConfig({ WEB: 'OFF' }).web).toBe('off');
    expect(() => loadConfig({ WEB: 'maybe' })).toThrow(/WEB must be "on", "dev" or "off"/);
  });

  it('refuses a bad CHAIN, CHAIN_RPC_URL or CHAIN_DEPLOYER_KEY, naming the variable and not echoing the key', () => {
    expect(() => loadConfig({ CHAIN: 'no' })).toThrow(/CHAIN must be "on" or "off"/);
    expect(() => loadConfig({ CHAIN_RPC_URL: '127.0.0.1:8545' })).toThrow(/CHAIN_RPC_URL/);
    expect(() => loadConfig({ CHAIN_RPC_URL: 'ws://127.0.0.1:8545' })).toThrow(/CHAIN_RPC_URL/);
    const bad = `0x${'cd'.repeat(31)}`;
    expect(() => loadConfig({ CHAIN_DEPLOYER_KEY: bad })).toThrow(/CHAIN_DEPLOYER_KEY/);
    try {
      loadConfig({ CHAIN_DEPLOYER_KEY: bad });
    } catch (err) {
      expect((err as Error).message).not.toContain(bad.slice(2));
    }
  });

  it('puts the database under DATA_DIR unless DATABASE_URL points elsewhere', () => {
    expect(loadConfig({ DATA_DIR: '/srv/arb' }).databasePath).toBe('/srv/arb/arbiter.db');
    expect(loadConfig({ DATA_DIR: '/srv/arb', DATABASE_URL: 'file:/db/x.db' }).databasePath).toBe('/db/x.db');
    expect(loadConfig({ DATABASE_URL: 'sqlite:///db/y.db' }).databasePath).toBe('/db/y.db');
    expect(loadConfig({ DATABASE_URL: 'rel/z.db' }).databasePath).toBe(resolve('rel/z.db'));
  });

  it('reads PORT, HOST, REDIS_URL, QUEUE_PREFIX and ADMIN_TOKEN', () => {
    const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', REDIS_URL: 'redis://r:6380', QUEUE_PREFIX: 'p1', ADMIN_TOKEN: 'secret' });
    expect([c.port, c.host, c.redisUrl, c.redisUrlExplicit, c.queuePrefix, c.adminToken]).toEqual([8080, '0.0.0.0', 'redis://r:6380', true, 'p1', 'secret']);
  });

  it('refuses a PORT that is not a port number, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('has abuse limits with defaults, each overridable, and refuses nonsense', () => {
    const c = loadConfig({});
    expect(c.rateLimit).toEqual({ enabled: true, windowMs: 60_000, max: 1_200, anonymousMax: 300 });
    expect(c.timeouts).toEqual({ connectionMs: 120_000, headersMs: 10_000, requestMs: 60_000, keepAliveMs: 5_000 });
    expect(c.evidenceQuota).toEqual({ filesPerCase: 20, bytesPerCase: 50 * 1024 * 1024, bytesPerCallerPerDay: 200 * 1024 * 1024 });
    expect([c.bodyLimit, c.trustProxy, c.production]).toEqual([32 * 1024, false, false]);
    expect(loadConfig({ RATE_LIMIT: 'off' }).rateLimit.enabled).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(loadConfig({ NODE_ENV: 'production' }).production).toBe(true);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ RATE_LIMIT: 'maybe' })).toThrow(/RATE_LIMIT/);
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '9000', REQUEST_TIMEOUT_MS: '5000' })).toThrow(/HEADERS_TIMEOUT_MS/);
    expect(() => loadConfig({ EVIDENCE_MAX_FILES_PER_CASE: '0' })).toThrow(/EVIDENCE_MAX_FILES_PER_CASE/);
  });
});
