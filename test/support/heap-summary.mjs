// Summarises a V8 heap snapshot (test/support/memory-diagnostics.ts writes one with BENCH_HEAP):
// self size by type:constructor, the largest retained objects with their dominator path, and
// retained size by constructor (dominator tree, Cooper–Harvey–Kennedy).
//   node --max-old-space-size=8000 test/support/heap-summary.mjs FILE.heapsnapshot [top]
import { readFileSync } from 'node:fs';
const file = process.argv[2];
const TOP = Number(process.argv[3] ?? 40);
const snap = JSON.parse(readFileSync(file, 'utf8'));
const m = snap.snapshot.meta;
const NF = m.node_fields.length, EF = m.edge_fields.length;
const nTypes = m.node_types[0], eTypes = m.edge_types[0];
const iType = m.node_fields.indexOf('type'), iName = m.node_fields.indexOf('name'), iSize = m.node_fields.indexOf('self_size'), iEC = m.node_fields.indexOf('edge_count'), iId = m.node_fields.indexOf('id');
const eiType = m.edge_fields.indexOf('type'), eiName = m.edge_fields.indexOf('name_or_index'), eiTo = m.edge_fields.indexOf('to_node');
const nodes = snap.nodes, edges = snap.edges, strings = snap.strings;
const N = nodes.length / NF;
const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) { firstEdge[i] = e; e += nodes[i * NF + iEC] * EF; firstEdge[i + 1] = e; }
const weak = eTypes.indexOf('weak'), shortcut = eTypes.indexOf('shortcut');
const label = (i) => { const t = nTypes[nodes[i * NF + iType]]; const nm = strings[nodes[i * NF + iName]]; return t === 'object' || t === 'closure' || t === 'native' ? `${t}:${nm.slice(0, 80)}` : `${t}${t === 'array' || t === 'hidden' || t === 'code' || t === 'synthetic' ? ':' + nm.slice(0, 60) : ''}`; };
// self size by label
const agg = new Map();
let total = 0;
for (let i = 0; i < N; i++) { const s = nodes[i * NF + iSize]; total += s; const l = label(i); const a = agg.get(l) ?? [0, 0]; a[0] += s; a[1]++; agg.set(l, a); }
console.log(`nodes ${N}, total self size ${(total / 2 ** 20).toFixed(1)} MB`);
console.log('--- self size by type:name (top) ---');
for (const [l, [s, c]] of [...agg].sort((a, b) => b[1][0] - a[1][0]).slice(0, TOP)) console.log(`${(s / 2 ** 20).toFixed(2).padStart(8)} MB ${String(c).padStart(8)}  ${l}`);
// dominators (Cooper-Harvey-Kennedy) over a DFS postorder from root 0
const order = new Int32Array(N).fill(-1); const post = new Int32Array(N); let pc = 0;
{ const stack = new Int32Array(N * 2); const it = new Uint32Array(N); let sp = 0; stack[sp++] = 0; order[0] = -2; it[0] = firstEdge[0];
  while (sp) { const v = stack[sp - 1]; let pushed = false;
    while (it[v] < firstEdge[v + 1]) { const e = it[v]; it[v] += EF; const et = edges[e + eiType]; if (et === weak || et === shortcut) continue; const w = edges[e + eiTo] / NF; if (order[w] === -1) { order[w] = -2; it[w] = firstEdge[w]; stack[sp++] = w; pushed = true; break; } }
    if (!pushed) { sp--; order[v] = pc; post[pc++] = v; } } }
console.log(`reachable ${pc}`);
// predecessors
const predCount = new Uint32Array(N + 1);
for (let v = 0; v < N; v++) { if (order[v] < 0) continue; for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) { const et = edges[e + eiType]; if (et === weak || et === shortcut) continue; const w = edges[e + eiTo] / NF; predCount[w + 1]++; } }
for (let i = 0; i < N; i++) predCount[i + 1] += predCount[i];
const preds = new Uint32Array(predCount[N]); const fill = predCount.slice(0, N);
for (let v = 0; v < N; v++) { if (order[v] < 0) continue; for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) { const et = edges[e + eiType]; if (et === weak || et === shortcut) continue; const w = edges[e + eiTo] / NF; preds[fill[w]++] = v; } }
const idom = new Int32Array(pc).fill(-1); // by postorder number
const root = order[0]; idom[root] = root;
let changed = true, rounds = 0;
while (changed) { changed = false; rounds++;
  for (let p = pc - 1; p >= 0; p--) { if (p === root) continue; const v = post[p]; let nd = -1;
    for (let k = predCount[v]; k < predCount[v + 1]; k++) { const u = order[preds[k]]; if (u < 0 || idom[u] === -1) continue; if (nd === -1) nd = u; else { let a = u, b = nd; while (a !== b) { while (a < b) a = idom[a]; while (b < a) b = idom[b]; } nd = a; } }
    if (nd !== -1 && idom[p] !== nd) { idom[p] = nd; changed = true; } } }
console.log(`dominator rounds ${rounds}`);
const retained = new Float64Array(pc);
for (let p = 0; p < pc; p++) retained[p] = nodes[post[p] * NF + iSize];
for (let p = 0; p < pc; p++) if (p !== root) retained[idom[p]] += retained[p]; // postorder: children before parents
console.log(`root retained ${(retained[root] / 2 ** 20).toFixed(1)} MB`);
// edge name from parent
const edgeName = (from, to) => { for (let e = firstEdge[from]; e < firstEdge[from + 1]; e += EF) if (edges[e + eiTo] / NF === to) { const et = eTypes[edges[e + eiType]]; const n = edges[e + eiName]; return et === 'element' || et === 'hidden' ? `[${n}]` : String(strings[n]).slice(0, 40); } return '?'; };
const pathOf = (p) => { const parts = []; let q = p; for (let k = 0; k < 12 && q !== root; k++) { const par = idom[q]; parts.push(`${edgeName(post[par], post[q])}`); q = par; } return parts.reverse().join('.'); };
console.log('--- largest retained (not dominated by an already listed bigger one shown with path) ---');
const idx = Array.from({ length: pc }, (_, i) => i).filter((p) => retained[p] > 512 * 1024).sort((a, b) => retained[b] - retained[a]);
for (const p of idx.slice(0, TOP * 2)) console.log(`${(retained[p] / 2 ** 20).toFixed(2).padStart(8)} MB  ${label(post[p])}  @${nodes[post[p] * NF + iId]}  ${pathOf(p)}`);
// retained by class (objects whose dominator chain holds no object of same label)
const byClass = new Map();
for (let p = 0; p < pc; p++) { const l = label(post[p]); let q = idom[p], dup = false; for (let k = 0; k < 50 && q !== root; k++) { if (label(post[q]) === l) { dup = true; break; } q = idom[q]; } if (dup) continue; const a = byClass.get(l) ?? [0, 0]; a[0] += retained[p]; a[1]++; byClass.set(l, a); }
console.log('--- retained by type:name (top) ---');
for (const [l, [s, c]] of [...byClass].sort((a, b) => b[1][0] - a[1][0]).slice(0, TOP)) console.log(`${(s / 2 ** 20).toFixed(2).padStart(8)} MB ${String(c).padStart(8)}  ${l}`);
