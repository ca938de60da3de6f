import { JsonRpcProvider } from 'ethers';
import { appendFileSync } from 'node:fs';
const orig = JsonRpcProvider.prototype._send;
const file = process.env.RPC_TRACE_FILE;
JsonRpcProvider.prototype._send = async function (payload) {
  const t0 = Date.now();
  const r = await orig.call(this, payload);
  const list = Array.isArray(payload) ? payload : [payload];
  appendFileSync(file, list.map((p) => `${process.pid} ${t0} ${Date.now() - t0} ${p.method}\n`).join(''));
  return r;
};
