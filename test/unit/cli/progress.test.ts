import { describe, expect, it } from 'vitest';
import { stderrProgress } from '../../../server/cli/progress.js';

const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream, chunks };
};

describe('stderrProgress', () => {
  it('writes a line at the start and per 10 % when not on a terminal', () => {
    const { stream, chunks } = sink(false);
    const p = stderrProgress(stream);
    for (let i = 1; i <= 100; i++) p('evaluate', i, 100);
    expect(chunks).toHaveLength(11);
    expect(chunks.at(-1)).toBe('evaluate: 100/100 (100 %)\n');
  });

  it('redraws one bar in place on a terminal and ends it with a newline', () => {
    const { stream, chunks } = sink(true);
    const p = stderrProgress(stream);
    p('compile', 0, 2);
    p('compile', 2, 2);
    expect(chunks[0].startsWith('\rcompile [')).toBe(true);
    expect(chunks.at(-1)).toBe('\n');
  });
});
