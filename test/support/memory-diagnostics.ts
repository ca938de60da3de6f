// Where a process's resident memory is (for the benches' BENCH_HEAP option): its mappings by
// kind (/proc/self/smaps: V8's pages are small anonymous mappings, malloc's are [heap] and its
// thread arenas, the rest are files), V8's spaces, the same reading after a full collection
// (what is live rather than garbage waiting), and a heap snapshot to analyse by constructor and
// retained size (Chrome DevTools, or a script over the snapshot JSON).
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

const mb = (n: number) => Math.round(n / 2 ** 20);
const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // not Linux
  }
};
const statusMb = (status: string, key: string) => Math.round(Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);

export async function memoryDiagnostics(snapshotPath: string, say: (m: string) => void): Promise<void> {
  const groups = new Map<string, number>();
  let current = '';
  for (const line of read('/proc/self/smaps').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const size = (parseInt(head[2], 16) - parseInt(head[1], 16)) / 2 ** 20;
      current = head[3] ? head[3].replace(/^.*\/node_modules\//, '') : `anonymous ${size >= 1 ? '≥1 MB' : '<1 MB'}`;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) groups.set(current, (groups.get(current) ?? 0) + Number(rss[1]) / 1024);
  }
  const top = [...groups].sort((a, b) => b[1] - a[1]).slice(0, 8);
  say(`mappings (MB resident): ${top.map(([k, v]) => `${k} ${v.toFixed(0)}`).join('; ')}`);
  say(`V8 spaces (MB used/size): ${getHeapSpaceStatistics().map((s) => `${s.space_name} ${mb(s.space_used_size)}/${mb(s.space_size)}`).join(', ')}`);
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  await new Promise((r) => setTimeout(r, 2000));
  const m = process.memoryUsage();
  const status = read('/proc/self/status');
  say(`after a full GC: rss ${mb(m.rss)} MB (anon ${statusMb(status, 'RssAnon')}, file ${statusMb(status, 'RssFile')}), heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB`);
  say(`heap snapshot: ${writeHeapSnapshot(snapshotPath)}`);
}
