// Progress of `model train|build|verify` on stderr (stdout stays for results): a bar redrawn in
// place on a terminal, a line per 10 % otherwise (CI logs).
export interface Progress {
  (phase: string, done: number, total: number): void;
}

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let lastPhase = '';
  let lastDecile = -1;
  return (phase, done, total) => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    if (phase !== lastPhase) {
      if (lastPhase && stream.isTTY) stream.write('\n');
      lastPhase = phase;
      lastDecile = -1;
    }
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(frac * width);
      stream.write(`\r${phase} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      if (done >= total) stream.write('\n');
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      stream.write(`${phase}: ${done}/${total} (${Math.round(frac * 100)} %)\n`);
    }
  };
}
