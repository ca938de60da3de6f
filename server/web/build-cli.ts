// `npm run build:web` (and npm's postinstall): builds web/ when its sources changed since the
// last build. `--soft` (postinstall) reports a failed build without failing the install: `npm
// start` then tries again.
import { ensureWebBuild } from './build.js';

const soft = process.argv.includes('--soft');
try {
  const built = ensureWebBuild((m) => console.log(`[arbiter] ${m}`));
  if (!built) console.log('[arbiter] web app build is up to date (web/build)');
} catch (err) {
  console.error(`[arbiter] ${(err as Error).message}`);
  if (!soft) process.exit(1);
  console.error('[arbiter] the web app is not built; npm start will build it');
}
