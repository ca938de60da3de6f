// A process that runs an anvil on a state file (argv[2]) and mines blocks one after another,
// printing the head after each: the test kills it (SIGKILL) to play a server that died.
import { startAnvil } from '../../server/chain/anvil.js';

const anvil = await startAnvil({ stateFile: process.argv[2], stateIntervalSeconds: 5 });
const rpc = async (method: string) =>
  ((await (await fetch(anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }) })).json()) as { result: string }).result;
for (;;) {
  await rpc('evm_mine');
  process.stdout.write(`${Number(await rpc('eth_blockNumber'))}\n`);
}
