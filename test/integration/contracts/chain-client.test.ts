// The chain client of `npm start`: a private anvil with its state under DATA_DIR/chain, the
// system deployed once; a second start finds the same contracts and the cases opened before.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { id as utf8Id } from 'ethers';
import { startChainClient } from '../../../server/chain/client.js';
import { freePort } from '../../../server/chain/anvil.js';

describe('chain client', () => {
  it('startChainClient › a restart keeps the deployment and the chain state', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'arbiter-data-'));
    try {
      const port = await freePort();
      const first = await startChainClient({ dataDir, port });
      await (await first.contracts.registry.getFunction('register')('restart', '1.0.0', utf8Id('root'), utf8Id('onnx'), utf8Id('f'), 3, 0n, 0, [1n])).wait();
      const addresses = first.deployment.addresses;
      await first.close();
      const second = await startChainClient({ dataDir, port });
      try {
        expect(second.deployment.addresses).toEqual(addresses);
        expect((await second.contracts.registry.get(utf8Id('restart@1.0.0'))).steps).toBe(3n);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
