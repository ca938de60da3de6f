// Decides where Redis comes from at start: the configured one, a private one, or a clear exit.
import { join } from 'node:path';
import type { Config } from '../config.js';
import { redisAnswers } from './connection.js';
import { findOnPath, REDIS_INSTALL_HINT, startPrivateRedis, type PrivateRedis } from './private-server.js';

export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

export interface RedisSource {
  url: string;
  /** Set when we started redis-server ourselves; stop it at shutdown. */
  privateServer?: PrivateRedis;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export async function ensureRedis(
  config: Config,
  log: (message: string) => void = console.log,
): Promise<RedisSource> {
  if (await redisAnswers(config.redisUrl)) return { url: config.redisUrl };
  const target = new URL(config.redisUrl);
  const local = LOCAL_HOSTS.has(target.hostname);
  const binary = local ? findOnPath('redis-server') : undefined;
  if (!binary) {
    throw new RedisUnavailableError(
      `Redis is not answering at ${config.redisUrl}` +
        (local ? ' and redis-server is not on PATH; ' : '; ') +
        REDIS_INSTALL_HINT,
    );
  }
  const dir = join(config.dataDir, 'redis');
  const host = target.hostname === 'localhost' ? '127.0.0.1' : target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || 6379);
  const privateServer = await startPrivateRedis({ binary, dir, host, port });
  log(`No Redis answered at ${config.redisUrl}: started a private redis-server (${binary}, pid ${privateServer.pid}) with its data in ${dir}`);
  return { url: config.redisUrl, privateServer };
}
