// `npx tsx arbitration-models/eu261/train.ts`: `arbiter model train` + `arbiter model build`
// for this folder (params.json, model.onnx, card.json), then the card's evaluation
// is split into rule-determined and free-text cases (flight-law/flight-model.ts). Run generate.ts
// first when the evaluation set must change.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainAndBuild } from '../flight-law/flight-model.js';
import def from './model.js';

const card = await trainAndBuild(def, dirname(fileURLToPath(import.meta.url)));
console.error(`eu261: ${card.steps} steps, root ${card.modelRoot}`, JSON.stringify(card.evaluation, (k, v) => (k === 'disagreements' ? undefined : v)));
