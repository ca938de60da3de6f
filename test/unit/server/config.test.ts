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
});
