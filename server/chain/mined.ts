// Waiting for a sent transaction by polling for its receipt, with a deadline. ethers'
// `tx.wait()` falls back to waiting for the next "block" event when the first receipt lookup
// comes back empty; on an automining chain (anvil) no further block may ever come, and after an
// evm_revert block numbers go backwards, so that wait can hang for good. Polling cannot.
import type { Provider, TransactionReceipt, TransactionResponse } from 'ethers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The receipt of `tx` once mined; throws when it reverted or is not mined within `timeoutMs`. */
export async function mined(tx: Pick<TransactionResponse, 'hash'>, provider: Provider, timeoutMs = 120_000): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 500)) {
    const receipt = await provider.getTransactionReceipt(tx.hash);
    if (receipt) {
      if (receipt.status !== 1) throw Object.assign(new Error(`transaction ${tx.hash} reverted (gas used ${receipt.gasUsed})`), { receipt });
      return receipt;
    }
    if (Date.now() > deadline) throw new Error(`transaction ${tx.hash} not mined within ${timeoutMs} ms`);
    await sleep(wait);
  }
}
