// `npm run build:web`: builds web/ now when its sources changed (same as `npm start` does).
import { ensureWebBuild } from './build.js';

const built = ensureWebBuild((m) => console.log(`[arbiter] ${m}`));
if (!built) console.log('[arbiter] web app build is up to date (web/build)');
