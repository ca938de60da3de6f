// `npx tsx arbitration-models/us-dot-refund/train.ts`: nothing to learn (LAW.md §3 compiled
// exactly); compiles model.onnx and writes card.json with the evaluation measured by ONNX Runtime.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFolder } from '../flight-law/flight-model.js';
import def from './model.js';

const dir = dirname(fileURLToPath(import.meta.url));
const card = await buildFolder(def, dir);
console.error(`us-dot-refund: ${card.steps} steps, root ${card.modelRoot}`, JSON.stringify(card.evaluation));
