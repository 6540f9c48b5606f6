// How far an import is, for `mo import` and `mo demo`: on a terminal a progress bar
// (cli-progress) with rows, rows/s and time left; piped or in CI a plain line every few
// seconds, so logs of a long import say it is alive without filling with redraws. Written to
// stderr: stdout keeps the import's result for scripts.
import { Transform } from 'node:stream';
import { SingleBar } from 'cli-progress';

export interface ProgressOptions {
  /** What is being imported ("spend.csv"). */
  label: string;
  /** Bytes in the input when known (a file): gives the percentage and the time left. */
  totalBytes?: number;
  /** Draw a bar (a terminal, not CI) or print plain lines. */
  bar: boolean;
  /** Where plain lines go (default stderr). */
  write?: (line: string) => void;
  /** Plain lines at most this often (default 5 s). */
  everyMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

export interface ImportProgress {
  /** Counts the bytes of the input as the import reads them (for the percentage). */
  meter(): Transform;
  /** The import's onProgress: rows read so far. */
  update(rows: number): void;
  /** The last line or frame, then the bar is released; a failed import adds no line. */
  done(ok?: boolean): void;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

export function importProgress(options: ProgressOptions): ImportProgress {
  const now = options.now ?? (() => performance.now());
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const everyMs = options.everyMs ?? 5000;
  const started = now();
  let bytes = 0;
  let rows = 0;
  let lastLine = started;
  const total = options.totalBytes && options.totalBytes > 0 ? options.totalBytes : undefined;

  const figures = () => {
    const seconds = Math.max((now() - started) / 1000, 1e-3);
    const rate = rows / seconds;
    const share = total ? Math.min(bytes / total, 1) : undefined;
    const left = share && share > 0 ? (seconds * (1 - share)) / share : Number.NaN;
    return { rate, share, left, seconds };
  };

  const bar = options.bar
    ? new SingleBar({
        format: `${options.label} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | {left} left`,
        barCompleteChar: '#',
        barIncompleteChar: '-',
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
        fps: 5,
      })
    : undefined;
  bar?.start(total ?? 1, 0, { rows: '0', rate: '0', left: '?' });

  const line = (final: boolean) => {
    const f = figures();
    const pct = f.share === undefined ? '' : ` (${Math.round(f.share * 100)} %)`;
    const tail = final
      ? `in ${duration(f.seconds)}`
      : `about ${Number.isNaN(f.left) ? '?' : duration(f.left)} left`;
    write(`${options.label}: ${fmt(rows)} rows${pct}, ${fmt(f.rate)} rows/s, ${tail}`);
  };

  return {
    meter() {
      return new Transform({
        transform(chunk: Buffer, _enc, next) {
          bytes += chunk.length;
          next(null, chunk);
        },
      });
    },
    update(n) {
      rows = n;
      if (bar) {
        const f = figures();
        bar.update(total ? Math.min(bytes, total) : 0, {
          rows: fmt(rows),
          rate: fmt(f.rate),
          left: Number.isNaN(f.left) ? '?' : duration(f.left),
        });
        return;
      }
      if (now() - lastLine >= everyMs) {
        lastLine = now();
        line(false);
      }
    },
    done(ok = true) {
      if (!ok) return void bar?.stop();
      if (bar) {
        const f = figures();
        bar.update(total ?? 1, { rows: fmt(rows), rate: fmt(f.rate), left: '0 s' });
        bar.stop();
      } else line(true);
    },
  };
}
