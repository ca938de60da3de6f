// The `arbiter` command line (server/cli/arbiter.js registers tsx and calls main).
import { runDecide } from './decide.js';
import { NODE_USAGE } from './node.js';
import { MARKET_USAGE } from './market-commands.js';

const USAGE = `usage (ARBITER_DEBUG=1 prints stack traces):
  arbiter decide < cases.jsonl > verdicts.jsonl
      one verdict (or {"ref","error"}) per input line, in order; blank lines stay blank;
      exit 0 when every case was decided, 1 otherwise
  arbiter model train <id>     learn the parameters of arbitration-models/<id> (progress on stderr)
  arbiter model build <id>     compile arbitration-models/<id>: model.onnx and card.json
  arbiter model verify <dir>   recheck a model folder against its card; exit 1 on any difference
  ${MARKET_USAGE}
  ${NODE_USAGE}`;

/** Runs one command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, sub, arg] = argv;
  try {
    if (command === 'decide' && argv.length === 1) {
      const stats = await runDecide(process.stdin, process.stdout);
      return stats.failed === 0 ? 0 : 1;
    }
    if (command === 'node' && sub === 'status') {
      const m = await import('./market-commands.js');
      return await m.nodeStatus(m.parseMarketOpts(argv.slice(2)));
    }
    if (command === 'model' && arg && (sub === 'register' || (sub === 'verify' && (argv.length > 3 || /^0x[0-9a-fA-F]{64}$/.test(arg) || (arg.includes('@') && !arg.includes('/')))))) {
      const m = await import('./market-commands.js');
      const opts = m.parseMarketOpts(argv.slice(3));
      return sub === 'register' ? await m.register(arg, opts) : await m.verify(arg, opts);
    }
    if (command === 'node') {
      const { runNode } = await import('./node.js');
      return await runNode(argv.slice(1));
    }
    if (command === 'model' && arg && argv.length === 3) {
      const commands = await import('./model-commands.js');
      if (sub === 'train') return await commands.train(arg);
      if (sub === 'build') return await commands.build(arg);
      if (sub === 'verify') return await commands.verify(arg);
    }
    if (command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
  } catch (e) {
    // the message is for the user; the stack only when asked for (ARBITER_DEBUG=1)
    const err = e as Error;
    process.stderr.write(`arbiter: ${(process.env.ARBITER_DEBUG ? err.stack : err.message) ?? String(e)}\n`);
    return 2;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}
