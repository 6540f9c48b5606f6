// Import progress when output is piped or in CI: plain lines at most every few seconds with
// rows, rows/s, the share of the file read and the time left, then a last line.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { importProgress } from '../../src/progress.js';

describe('import progress (plain lines)', () => {
  it('says rows, rows/s, how far and how long is left, at most every few seconds', async () => {
    let t = 0;
    const lines: string[] = [];
    const p = importProgress({
      label: 'spend.csv',
      totalBytes: 1000,
      bar: false,
      write: (l) => lines.push(l),
      now: () => t,
    });
    // Read 250 of the 1000 bytes through the meter.
    const chunks: Buffer[] = [];
    for await (const c of Readable.from([Buffer.alloc(250)]).pipe(p.meter())) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toHaveLength(250);
    t = 1000;
    p.update(10_000); // within 5 s of the start: quiet
    expect(lines).toEqual([]);
    t = 5000;
    p.update(50_000);
    expect(lines).toEqual(['spend.csv: 50,000 rows (25 %), 10,000 rows/s, about 15 s left']);
    t = 6000;
    p.update(60_000);
    expect(lines).toHaveLength(1);
    t = 20_000;
    p.done();
    expect(lines[1]).toBe('spend.csv: 60,000 rows (25 %), 3,000 rows/s, in 20 s');
  });

  it('without a size, says rows and rows/s', () => {
    let t = 0;
    const lines: string[] = [];
    const p = importProgress({
      label: 'demo spend',
      bar: false,
      write: (l) => lines.push(l),
      now: () => t,
      everyMs: 0,
    });
    t = 2000;
    p.update(4000);
    expect(lines).toEqual(['demo spend: 4,000 rows, 2,000 rows/s, about ? left']);
  });
});
