// Compiles contracts/src/**/*.sol with the npm solc-js compiler (never a downloaded one) and writes
// one artifact per deployable contract to contracts/artifacts/<Name>.json. The artifacts are
// committed so that `npm start` and the tests need no compiler run; a test asserts that they equal
// a fresh compile, so they cannot go stale.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc') as { compile(input: string): string; version(): string };

const here = dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = join(here, 'src');
export const ARTIFACT_DIR = join(here, 'artifacts');

/** anvil 1.7's default ("latest") hardfork; solc 0.8.37 targets it natively. */
export const EVM_VERSION = 'osaka';

export interface Artifact {
  contractName: string;
  sourceName: string;
  compiler: string;
  evmVersion: string;
  viaIR: boolean;
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listSources(p));
    else if (name.endsWith('.sol')) out.push(p);
  }
  return out;
}

/**
 * Sources compiled by the legacy pipeline: the referee's hot loops are hand-written assembly that
 * the IR pipeline would spill to memory (measured: ~2× the gas of a 64×64 MATMUL step). All
 * other sources go through via-IR (the arbitration contract needs it against stack-too-deep).
 */
export const LEGACY_SOURCES = ['OneStepProver.sol', 'test/LibHarness.sol'];

/** Compiles every source; returns the artifacts of contracts that have bytecode, by name. */
export function compileContracts(): Map<string, Artifact> {
  const all: Record<string, { content: string }> = {};
  for (const file of listSources(SOURCE_DIR)) {
    all[relative(SOURCE_DIR, file).split(sep).join('/')] = { content: readFileSync(file, 'utf8') };
  }
  const legacy = Object.fromEntries(Object.entries(all).filter(([name]) => LEGACY_SOURCES.includes(name) || name === 'Errors.sol' || name.startsWith('lib/') || name.startsWith('interfaces/')));
  const artifacts = new Map<string, Artifact>();
  compileInto(artifacts, legacy, false, (name) => LEGACY_SOURCES.includes(name));
  compileInto(artifacts, all, true, (name) => !LEGACY_SOURCES.includes(name));
  return artifacts;
}

function compileInto(
  artifacts: Map<string, Artifact>,
  sources: Record<string, { content: string }>,
  viaIR: boolean,
  keep: (sourceName: string) => boolean,
): void {
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: EVM_VERSION,
      viaIR,
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'));
  }
  for (const [sourceName, contracts] of Object.entries(output.contracts ?? {}) as [string, Record<string, any>][]) {
    if (!keep(sourceName)) continue;
    for (const [contractName, c] of Object.entries(contracts)) {
      const bytecode: string = c.evm.bytecode.object;
      if (!bytecode || sourceName.startsWith('lib/')) continue; // interfaces, abstract contracts, internal libraries
      if (artifacts.has(contractName)) throw new Error(`two contracts named ${contractName}`);
      artifacts.set(contractName, {
        contractName,
        sourceName,
        compiler: solc.version(),
        evmVersion: EVM_VERSION,
        viaIR,
        abi: c.abi,
        bytecode: `0x${bytecode}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      });
    }
  }
}

/** The exact file text written for an artifact (stable key order, trailing newline). */
export const artifactText = (a: Artifact): string => `${JSON.stringify(a, null, 2)}\n`;

export function writeArtifacts(artifacts: Map<string, Artifact>): void {
  rmSync(ARTIFACT_DIR, { recursive: true, force: true });
  mkdirSync(ARTIFACT_DIR, { recursive: true });
  for (const a of artifacts.values()) writeFileSync(join(ARTIFACT_DIR, `${a.contractName}.json`), artifactText(a));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const artifacts = compileContracts();
  writeArtifacts(artifacts);
  console.log(`compiled ${artifacts.size} contracts with solc ${solc.version()} in ${Date.now() - started} ms → ${relative(process.cwd(), ARTIFACT_DIR)}`);
}
